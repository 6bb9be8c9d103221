import { z } from 'zod';
import { EXCHANGES, ORDER_TYPES, PRODUCTS, TRANSACTION_TYPES, VALIDITIES, VARIETIES } from './values.js';

export type { OrderType, Product, TransactionType, Validity, Variety } from './values.js';

/**
 * Orders, trades and positions as Kite reports them (GET /orders, /trades, /portfolio/positions
 * and the WebSocket order update), with Kite's own field names so a broker row maps 1:1.
 * The one change: timestamps are ISO-8601 UTC instants (Kite sends IST wall time without a
 * zone; the adapter converts at the edge), or null where Kite has none.
 */

/** Every status Kite documents, including the transient ones an order passes through. */
export const ORDER_STATUSES = [
  'PUT ORDER REQ RECEIVED',
  'VALIDATION PENDING',
  'OPEN PENDING',
  'MODIFY VALIDATION PENDING',
  'MODIFY PENDING',
  'MODIFIED',
  'TRIGGER PENDING',
  'CANCEL PENDING',
  'AMO REQ RECEIVED',
  'OPEN',
  'UPDATE',
  'COMPLETE',
  'CANCELLED',
  'REJECTED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Final statuses: nothing more happens to the order once it is in one of these. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['COMPLETE', 'CANCELLED', 'REJECTED']);

export const exchangeSchema = z.enum(EXCHANGES);
export const transactionTypeSchema = z.enum(TRANSACTION_TYPES);
export const orderTypeSchema = z.enum(ORDER_TYPES);
export const productSchema = z.enum(PRODUCTS);
export const varietySchema = z.enum(VARIETIES);
export const validitySchema = z.enum(VALIDITIES);

const nullableString = z.string().nullable();
const instant = z.string().nullable();

/**
 * An order as the broker last described it. Status is a plain string: Kite adds statuses
 * over time, and an unknown one must be recorded (and audited), not crash the daemon.
 */
export const brokerOrderSchema = z.object({
  order_id: z.string(),
  exchange_order_id: nullableString,
  parent_order_id: nullableString,
  status: z.string(),
  status_message: nullableString,
  status_message_raw: nullableString,
  order_timestamp: instant,
  exchange_timestamp: instant,
  exchange_update_timestamp: instant,
  variety: z.string(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  instrument_token: z.number().int(),
  order_type: z.string(),
  transaction_type: transactionTypeSchema,
  validity: z.string(),
  product: z.string(),
  quantity: z.number(),
  disclosed_quantity: z.number(),
  price: z.number(),
  trigger_price: z.number(),
  average_price: z.number(),
  filled_quantity: z.number(),
  pending_quantity: z.number(),
  cancelled_quantity: z.number(),
  market_protection: z.number(),
  tag: nullableString,
  tags: z.array(z.string()),
  placed_by: z.string(),
  guid: nullableString,
  modified: z.boolean(),
});
export type BrokerOrder = z.infer<typeof brokerOrderSchema>;

export const brokerTradeSchema = z.object({
  trade_id: z.string(),
  order_id: z.string(),
  exchange_order_id: nullableString,
  exchange: z.string(),
  tradingsymbol: z.string(),
  instrument_token: z.number().int(),
  product: z.string(),
  transaction_type: transactionTypeSchema,
  quantity: z.number(),
  average_price: z.number(),
  fill_timestamp: instant,
  exchange_timestamp: instant,
});
export type BrokerTrade = z.infer<typeof brokerTradeSchema>;

/** A net or day position, with every P&L field Kite gives. */
export const brokerPositionSchema = z.object({
  tradingsymbol: z.string(),
  exchange: z.string(),
  instrument_token: z.number().int(),
  product: z.string(),
  quantity: z.number(),
  overnight_quantity: z.number(),
  multiplier: z.number(),
  average_price: z.number(),
  close_price: z.number(),
  last_price: z.number(),
  value: z.number(),
  pnl: z.number(),
  m2m: z.number(),
  unrealised: z.number(),
  realised: z.number(),
  buy_quantity: z.number(),
  buy_price: z.number(),
  buy_value: z.number(),
  buy_m2m: z.number(),
  sell_quantity: z.number(),
  sell_price: z.number(),
  sell_value: z.number(),
  sell_m2m: z.number(),
  day_buy_quantity: z.number(),
  day_buy_price: z.number(),
  day_buy_value: z.number(),
  day_sell_quantity: z.number(),
  day_sell_price: z.number(),
  day_sell_value: z.number(),
});
export type BrokerPosition = z.infer<typeof brokerPositionSchema>;

/** What som asks the broker to place (Kite's POST /orders/:variety parameters). */
export const placeOrderRequestSchema = z.object({
  variety: varietySchema.default('regular'),
  exchange: exchangeSchema,
  tradingsymbol: z.string().min(1),
  transaction_type: transactionTypeSchema,
  order_type: orderTypeSchema,
  product: productSchema,
  quantity: z.number().int().positive(),
  price: z.number().nonnegative().optional(),
  trigger_price: z.number().nonnegative().optional(),
  disclosed_quantity: z.number().int().nonnegative().optional(),
  validity: validitySchema.default('DAY'),
  validity_ttl: z.number().int().positive().optional(),
  market_protection: z.number().optional(),
  /** Kite's tag: alphanumeric, at most 20 characters; som always sets its own. */
  tag: z
    .string()
    .regex(/^[A-Za-z0-9]{1,20}$/)
    .optional(),
});
export type PlaceOrderRequest = z.infer<typeof placeOrderRequestSchema>;

/** What may change on an open order (Kite's PUT /orders/:variety/:order_id). */
export const modifyOrderRequestSchema = z.object({
  quantity: z.number().int().positive().optional(),
  price: z.number().nonnegative().optional(),
  trigger_price: z.number().nonnegative().optional(),
  order_type: orderTypeSchema.optional(),
  validity: validitySchema.optional(),
  disclosed_quantity: z.number().int().nonnegative().optional(),
});
export type ModifyOrderRequest = z.infer<typeof modifyOrderRequestSchema>;
