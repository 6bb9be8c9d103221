import { z } from 'zod';
import { modifyOrderRequestSchema } from '../../domain/order.js';
import {
  type OrderType,
  PLACEABLE_VARIETIES,
  type Product,
  parseOrderType,
  parseProduct,
  parseTransactionType,
  parseValidity,
  parseVariety,
  type TransactionType,
  type Validity,
  type Variety,
} from '../../domain/values.js';
import { exchangeFieldSchema, orderIdSchema, priceSchema, quantitySchema } from '../fields.js';
import { ORDERS_LIMIT_DEFAULT, ORDERS_LIMIT_MAX } from '../limits.js';
import { parsedBy } from '../parsed.js';
import { strategyRefSchema } from './strategies.js';

/** A fill of an order, as the broker reported it. */
export const tradeViewSchema = z.object({
  trade_id: z.string(),
  quantity: z.number(),
  average_price: z.number(),
  fill_timestamp: z.string().nullable(),
});

/** An order as som tracks it: the broker's fields plus som's attribution and housekeeping marks. */
export const orderViewSchema = z.object({
  order_id: z.string(),
  strategy: z.string(),
  source: z.enum(['som', 'external']),
  tag: z.string().nullable(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  transaction_type: z.enum(['BUY', 'SELL']),
  order_type: z.string(),
  product: z.string(),
  variety: z.string(),
  validity: z.string(),
  quantity: z.number(),
  price: z.number(),
  trigger_price: z.number(),
  average_price: z.number(),
  filled_quantity: z.number(),
  pending_quantity: z.number(),
  cancelled_quantity: z.number(),
  status: z.string(),
  status_message: z.string().nullable(),
  parent_order_id: z.string().nullable(),
  exchange_order_id: z.string().nullable(),
  placed_by: z.string().nullable(),
  order_timestamp: z.string().nullable(),
  exchange_update_timestamp: z.string().nullable(),
  is_orphaned: z.boolean(),
  orphaned_reason: z.string().nullable(),
  parent_position_id: z.number().int().nullable(),
  /** The charges som expected before sending (order_cost_breakdown); null for orders placed elsewhere. */
  cost_breakdown_id: z.number().int().nullable(),
  /** The market analysis it was sent on (order_execution_analysis); null for orders placed elsewhere. */
  pre_execution_analysis_id: z.number().int().nullable(),
  /** entry, stop or target (decided at first sight for orders placed elsewhere). */
  role: z.string().nullable(),
  oco_group_id: z.number().int().nullable(),
  updated_at: z.string(),
  trades: z.array(tradeViewSchema),
});
export type OrderView = z.infer<typeof orderViewSchema>;

export const positionViewSchema = z.object({
  id: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  instrument_token: z.number().int(),
  product: z.string(),
  quantity: z.number(),
  overnight_quantity: z.number(),
  multiplier: z.number(),
  average_price: z.number(),
  last_price: z.number(),
  pnl: z.number(),
  realised: z.number(),
  unrealised: z.number(),
  m2m: z.number(),
  buy_quantity: z.number(),
  sell_quantity: z.number(),
  updated_at: z.string(),
});
export type PositionView = z.infer<typeof positionViewSchema>;

/** `som order place`: Kite's parameters; som adds the tag itself (the strategy is in it). */
export const placeParamsSchema = z
  .object({
    strategy: strategyRefSchema.optional(),
    variety: parsedBy<Variety, Variety>((v) => parseVariety(v, 'variety', PLACEABLE_VARIETIES)).default('regular'),
    exchange: exchangeFieldSchema,
    tradingsymbol: z.string().trim().min(1),
    transaction_type: parsedBy<TransactionType, TransactionType>((v) => parseTransactionType(v)),
    order_type: parsedBy<OrderType, OrderType>((v) => parseOrderType(v)),
    product: parsedBy<Product, Product>((v) => parseProduct(v)),
    quantity: quantitySchema,
    price: priceSchema.optional(),
    trigger_price: priceSchema.optional(),
    validity: parsedBy<Validity, Validity>((v) => parseValidity(v)).default('DAY'),
    disclosed_quantity: z.number().int().nonnegative().optional(),
    /**
     * MARKET and SL-M orders: how far from the last price the exchange may fill, in percent,
     * or -1 for Kite's automatic protection (som's default; Kite refuses these orders via the
     * API without one).
     */
    market_protection: z.union([z.literal(-1), z.number().gt(0).max(100)]).optional(),
  })
  .strict();

export const orderMethods = {
  'orders.list': {
    params: z
      .object({
        open: z.boolean().default(false),
        strategy: strategyRefSchema.optional(),
        limit: z.number().int().positive().max(ORDERS_LIMIT_MAX).default(ORDERS_LIMIT_DEFAULT),
      })
      .strict()
      .default({ open: false, limit: ORDERS_LIMIT_DEFAULT }),
    result: z.object({ orders: z.array(orderViewSchema) }),
  },
  'orders.show': {
    params: z.object({ order_id: orderIdSchema }).strict(),
    result: z.object({ order: orderViewSchema }),
  },
  'orders.place': {
    params: placeParamsSchema,
    result: z.object({
      order_id: z.string(),
      tag: z.string(),
      strategy: z.string(),
      /** True when the request timed out and the order was found in the order book by its tag. */
      recovered: z.boolean(),
      order: orderViewSchema.nullable(),
    }),
  },
  'orders.modify': {
    params: modifyOrderRequestSchema.extend({ order_id: orderIdSchema }).strict(),
    result: z.object({ order_id: z.string(), order: orderViewSchema.nullable() }),
  },
  'orders.cancel': {
    params: z.object({ order_id: orderIdSchema }).strict(),
    result: z.object({ order_id: z.string(), order: orderViewSchema.nullable() }),
  },
  'positions.list': {
    params: z
      .object({ all: z.boolean().default(false) })
      .strict()
      .default({ all: false }),
    result: z.object({ positions: z.array(positionViewSchema) }),
  },
} as const;
