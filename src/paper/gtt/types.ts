/**
 * GTT (good till triggered) records in the shapes of Kite's GET /gtt/triggers
 * (test/fixtures/kite/gtt_get_orders.json, gtt_get_order.json), keys in Kite's order.
 */
import type { CatalogueError } from '../error-catalogue.js';

/** `single` watches one trigger value; `two-leg` (OCO) a stoploss below and a target above. */
export type GttType = 'single' | 'two-leg';

/**
 * The statuses Kite gives a GTT (pykiteconnect's GTT_STATUS_* constants): `active` until it
 * fires (`triggered`), is deleted by the user (`deleted`), outlives its validity (`expired`),
 * or is taken off by the broker (`cancelled`, `rejected`, `disabled`: corporate actions,
 * delistings, contract expiry).
 */
export type GttStatus = 'active' | 'triggered' | 'disabled' | 'expired' | 'cancelled' | 'rejected' | 'deleted';

export interface GttCondition {
  exchange: string;
  last_price: number;
  tradingsymbol: string;
  trigger_values: number[];
  instrument_token: number;
}

/** What Kite records about the order a fired GTT placed (gtt_get_order.json `orders[].result`). */
export interface GttOrderResult {
  account_id: string;
  exchange: string;
  tradingsymbol: string;
  validity: string;
  product: string;
  order_type: string;
  transaction_type: string;
  quantity: number;
  price: number;
  /** JSON text: `{"app_id":12617,"gtt":105099}`. */
  meta: string;
  timestamp: string;
  /** The last price that fired the trigger. */
  triggered_at: number;
  order_result: { status: 'success' | 'failed'; order_id: string; rejection_reason: string };
}

export interface GttOrder {
  exchange: string;
  tradingsymbol: string;
  product: string;
  order_type: string;
  transaction_type: string;
  quantity: number;
  price: number;
  result: GttOrderResult | null;
}

/** One GTT as GET /gtt/triggers/{id} returns it. */
export interface Gtt {
  id: number;
  user_id: string;
  parent_trigger: null;
  type: GttType;
  created_at: string;
  updated_at: string;
  expires_at: string;
  status: GttStatus;
  condition: GttCondition;
  orders: GttOrder[];
  /** `{}` while nothing happened, null once triggered (as Kite's samples), the reason when rejected. */
  meta: Record<string, never> | { rejection_reason: string } | null;
}

/** A GTT's order leg as the client sends it (the `orders` JSON array). */
export interface GttOrderSpec {
  exchange: string;
  tradingsymbol: string;
  transaction_type: string;
  quantity: number;
  order_type: string;
  product: string;
  price: number;
}

/** A parsed POST/PUT /gtt/triggers request. */
export interface GttSpec {
  type: GttType;
  condition: { exchange: string; tradingsymbol: string; trigger_values: number[]; last_price: number };
  orders: GttOrderSpec[];
}

/** The raw request: `type`, and `condition` and `orders` as JSON text (kiteconnect sends form fields). */
export interface GttRequest {
  type: string | undefined;
  condition: unknown;
  orders: unknown;
}

/** The order a fired GTT asks the exchange to place (a subset of the order API's parameters). */
export interface GttOrderRequest {
  exchange: string;
  tradingsymbol: string;
  transaction_type: string;
  order_type: string;
  quantity: number;
  product: string;
  price: number;
  validity: 'DAY';
}

/** The placement callback's answer: the new order's id, or why it was refused. */
export type PlaceOutcome = { order_id: string } | { error: { message: string; error_type?: string } };

/** Places an order on the exchange; the paper exchange wires it to its matching engine. */
export type OrderPlacer = (order: GttOrderRequest) => PlaceOutcome;

/** An error the caller must handle: `code` for programs, `message` in Kite's words. */
export type GttError = CatalogueError;

export type GttOutcome = { ok: true; trigger_id: number } | { ok: false; error: GttError };

/** One trigger that fired on a price: which leg, what was placed, and how it went. */
export interface GttFiring {
  trigger_id: number;
  /** Index into the GTT's `orders` (two-leg: 0 = stoploss/lower, 1 = target/upper). */
  leg: number;
  order: GttOrderRequest;
  outcome: PlaceOutcome;
}
