/**
 * Kite alerts in the shapes of its alerts API (kite.trade/docs/connect/v3/alerts;
 * test/fixtures/kite/alerts_*.json), keys in Kite's order.
 */
import type { Ohlc } from '../../domain/quote.js';
import type { CatalogueError } from '../error-catalogue.js';

/** `simple` notifies; `ato` (alert triggers order) also places its basket of orders. */
export type AlertType = 'simple' | 'ato';

export type AlertStatus = 'enabled' | 'disabled' | 'deleted';

/** The comparison operators of the alerts API (gokiteconnect's AlertOperator constants). */
export type AlertOperator = '<=' | '>=' | '<' | '>' | '==';

/** The right-hand side: a number, or another instrument's attribute. */
export type AlertRhsType = 'constant' | 'instrument';

/** One order of an ATO alert's basket, as GET /alerts shows it (alerts_get.json). */
export interface BasketItemParams {
  validity: string;
  validity_ttl: number;
  variety: string;
  product: string;
  order_type: string;
  transaction_type: string;
  quantity: number;
  disclosed_quantity: number;
  price: number;
  trigger_price: number;
  squareoff: number;
  stoploss: number;
  trailing_stoploss: number;
  gtt: { target: number; stoploss: number };
  tags: string[];
}

export interface BasketItem {
  id: number;
  tradingsymbol: string;
  exchange: string;
  instrument_token: number;
  weight: number;
  params: BasketItemParams;
}

/** One alert as GET /alerts/{uuid} returns it; `basket` only on ATO alerts. */
export interface Alert {
  type: AlertType;
  user_id: string;
  uuid: string;
  name: string;
  status: AlertStatus;
  disabled_reason: string;
  basket?: { items: BasketItem[] };
  lhs_attribute: string;
  lhs_exchange: string;
  lhs_tradingsymbol: string;
  operator: AlertOperator;
  rhs_type: AlertRhsType;
  rhs_attribute: string;
  rhs_exchange: string;
  rhs_tradingsymbol: string;
  rhs_constant: number;
  alert_count: number;
  created_at: string;
  updated_at: string;
}

/** The market snapshot Kite records when an alert fires (alerts_history.json `meta[]`). */
export interface AlertHistoryMeta {
  instrument_token: number;
  tradingsymbol: string;
  timestamp: string;
  last_price: number;
  ohlc: Ohlc;
  net_change: number;
  exchange: string;
  last_trade_time: string;
  last_quantity: number;
  buy_quantity: number;
  sell_quantity: number;
  volume: number;
  volume_tick: number;
  average_price: number;
  oi: number;
  oi_day_high: number;
  oi_day_low: number;
  lower_circuit_limit: number;
  upper_circuit_limit: number;
}

/** One trigger of an alert (GET /alerts/{uuid}/history). */
export interface AlertHistoryEntry {
  uuid: string;
  type: AlertType;
  meta: AlertHistoryMeta[];
  /** The condition as text: `LastTradedPrice("INDICES:NIFTY NEXT 50") <= 58290.35`. */
  condition: string;
  created_at: string;
  /** null for simple alerts; for ATO alerts, what became of each basket order. */
  order_meta: AtoOrderMeta[] | null;
}

/** What became of one basket order when an ATO alert fired (the paper exchange's own shape). */
export interface AtoOrderMeta {
  id: number;
  tradingsymbol: string;
  exchange: string;
  status: 'success' | 'failed';
  order_id: string;
  rejection_reason: string;
}

/** POST/PUT /alerts form fields, as sent (`basket` is JSON text). */
export type AlertRequest = Partial<
  Record<
    | 'name'
    | 'type'
    | 'lhs_exchange'
    | 'lhs_tradingsymbol'
    | 'lhs_attribute'
    | 'operator'
    | 'rhs_type'
    | 'rhs_constant'
    | 'rhs_exchange'
    | 'rhs_tradingsymbol'
    | 'rhs_attribute'
    | 'basket',
    unknown
  >
>;

/** The order an ATO alert asks the exchange to place. */
export interface AlertOrderRequest {
  variety: string;
  exchange: string;
  tradingsymbol: string;
  transaction_type: string;
  order_type: string;
  quantity: number;
  product: string;
  price: number;
  trigger_price: number;
  disclosed_quantity: number;
  validity: string;
  validity_ttl: number;
}

export type AlertPlaceOutcome = { order_id: string } | { error: { message: string; error_type?: string } };

/** Places an ATO alert's order; the paper exchange wires it to its matching engine. */
export type AlertOrderPlacer = (order: AlertOrderRequest) => AlertPlaceOutcome;

/** An error the caller must handle: `code` for programs, `message` in Kite's words. */
export type AlertError = CatalogueError;

/** An alert that fired on a price: its history entry, and the ATO orders' outcomes. */
export interface AlertFiring {
  uuid: string;
  entry: AlertHistoryEntry;
  orders: { order: AlertOrderRequest; outcome: AlertPlaceOutcome }[];
}
