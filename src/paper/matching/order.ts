/**
 * The paper exchange's order and trade records, field for field as Kite returns them
 * (test/fixtures/kite/orders.json, order_info.json, trades.json), plus the event the engine
 * emits on every change.
 */
import type { Exchange } from '../../domain/instrument.js';

export type Variety = 'regular' | 'amo' | 'co' | 'iceberg' | 'auction';
export type OrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
export type Product = 'CNC' | 'MIS' | 'NRML' | 'MTF';
export type Validity = 'DAY' | 'IOC' | 'TTL';
export type TransactionType = 'BUY' | 'SELL';

export const VARIETIES: readonly Variety[] = ['regular', 'amo', 'co', 'iceberg', 'auction'];
export const ORDER_TYPES: readonly OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
export const PRODUCTS: readonly Product[] = ['CNC', 'MIS', 'NRML', 'MTF'];
export const VALIDITIES: readonly Validity[] = ['DAY', 'IOC', 'TTL'];
export const TRANSACTION_TYPES: readonly TransactionType[] = ['BUY', 'SELL'];

/** The statuses an order passes through (Kite Connect docs, "Order statuses"; order_info.json). */
export type OrderStatus =
  | 'PUT ORDER REQ RECEIVED'
  | 'VALIDATION PENDING'
  | 'OPEN PENDING'
  | 'OPEN'
  | 'TRIGGER PENDING'
  | 'MODIFY VALIDATION PENDING'
  | 'MODIFY PENDING'
  | 'MODIFIED'
  | 'CANCEL PENDING'
  | 'AMO REQ RECEIVED'
  | 'COMPLETE'
  | 'CANCELLED'
  | 'REJECTED';

/**
 * The status an order update carries on a postback or the WebSocket: the order's status, or
 * UPDATE for a partial fill while the order stays OPEN (kite.trade/forum comment 33971).
 */
export type UpdateStatus = OrderStatus | 'UPDATE';

/** Statuses after which nothing more happens to the order. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['COMPLETE', 'CANCELLED', 'REJECTED'];

/**
 * One order as GET /orders lists it. Keys are in orders.json's order so that a serialised
 * record reads like Kite's. `tags` is present only when there is a tag (or Kite's own
 * market-protection tags); `auction_number` and `terminal_id` appear only on orders this
 * engine does not make.
 */
export interface KiteOrder {
  account_id: string;
  placed_by: string;
  order_id: string;
  exchange_order_id: string | null;
  parent_order_id: string | null;
  status: OrderStatus;
  status_message: string | null;
  status_message_raw: string | null;
  /** `YYYY-MM-DD HH:mm:ss` IST; set again when the order is modified (order_info.json). */
  order_timestamp: string;
  exchange_update_timestamp: string | null;
  exchange_timestamp: string | null;
  variety: Variety;
  modified: boolean;
  exchange: Exchange;
  tradingsymbol: string;
  instrument_token: number;
  order_type: OrderType;
  transaction_type: TransactionType;
  validity: Validity;
  /** Minutes for TTL orders, 0 otherwise (orders.json). */
  validity_ttl: number;
  product: Product;
  quantity: number;
  disclosed_quantity: number;
  price: number;
  trigger_price: number;
  average_price: number;
  filled_quantity: number;
  /**
   * Quantity not yet filled. Kite leaves it in place when the order is cancelled (orders.json:
   * a CANCELLED order of 1 shows pending_quantity 1 and cancelled_quantity 1) and shows 0 on
   * RMS-rejected orders.
   */
  pending_quantity: number;
  cancelled_quantity: number;
  market_protection: number;
  meta: Record<string, unknown>;
  tag: string | null;
  tags?: string[];
  guid: string | null;
}

/** One fill as GET /trades lists it (trades.json). */
export interface KiteTrade {
  trade_id: string;
  order_id: string;
  exchange: Exchange;
  tradingsymbol: string;
  instrument_token: number;
  product: Product;
  /** The fill price. */
  average_price: number;
  quantity: number;
  exchange_order_id: string | null;
  transaction_type: TransactionType;
  fill_timestamp: string;
  /** `HH:mm:ss` only, as in trades.json. */
  order_timestamp: string;
  exchange_timestamp: string;
}

/**
 * What the engine tells its listeners after every change: the order as it now stands (a copy),
 * the status to put on the update, and the trade when the change is a fill. The server turns
 * these into postback-shaped WebSocket messages and order history rows.
 */
export interface OrderEvent {
  status: UpdateStatus;
  order: KiteOrder;
  trade?: KiteTrade;
}

export type OrderListener = (event: OrderEvent) => void;

/** The fields a new order is built from, after validation. */
export interface OrderSpec {
  variety: 'regular' | 'amo';
  exchange: Exchange;
  tradingsymbol: string;
  instrument_token: number;
  transaction_type: TransactionType;
  order_type: OrderType;
  product: Product;
  validity: Validity;
  validity_ttl: number;
  quantity: number;
  disclosed_quantity: number;
  price: number;
  trigger_price: number;
  market_protection: number;
  tag: string | null;
}

/** A fresh record in status PUT ORDER REQ RECEIVED, nothing yet at the exchange. */
export function newOrderRecord(
  spec: OrderSpec,
  ids: { order_id: string; user_id: string },
  orderTimestamp: string,
): KiteOrder {
  const rec: KiteOrder = {
    account_id: ids.user_id,
    placed_by: ids.user_id,
    order_id: ids.order_id,
    exchange_order_id: null,
    parent_order_id: null,
    status: 'PUT ORDER REQ RECEIVED',
    status_message: null,
    status_message_raw: null,
    order_timestamp: orderTimestamp,
    exchange_update_timestamp: null,
    exchange_timestamp: null,
    variety: spec.variety,
    modified: false,
    exchange: spec.exchange,
    tradingsymbol: spec.tradingsymbol,
    instrument_token: spec.instrument_token,
    order_type: spec.order_type,
    transaction_type: spec.transaction_type,
    validity: spec.validity,
    validity_ttl: spec.validity_ttl,
    product: spec.product,
    quantity: spec.quantity,
    disclosed_quantity: spec.disclosed_quantity,
    price: spec.price,
    trigger_price: spec.trigger_price,
    average_price: 0,
    filled_quantity: 0,
    pending_quantity: spec.quantity,
    cancelled_quantity: 0,
    market_protection: spec.market_protection,
    meta: {},
    tag: spec.tag,
    guid: null,
  };
  if (spec.tag !== null) setTags(rec, [spec.tag]);
  return rec;
}

/** Set `tags`, keeping it between `tag` and `guid` as Kite's JSON has it. */
export function setTags(rec: KiteOrder, tags: string[]): void {
  const guid = rec.guid;
  delete (rec as Partial<KiteOrder>).guid;
  rec.tags = tags;
  rec.guid = guid;
}

/** A deep copy, so that listeners and history never share the engine's live record. */
export function snapshot(order: KiteOrder): KiteOrder {
  return structuredClone(order);
}

/** True when `type` waits for a trigger price before it works (SL, SL-M). */
export function isStopType(type: OrderType): boolean {
  return type === 'SL' || type === 'SL-M';
}
