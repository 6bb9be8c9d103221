import { z } from 'zod';
import { parseProduct, TRADING_PRODUCTS, type TradingProduct } from '../../domain/values.js';
import { exchangeFieldSchema, orderIdSchema, priceSchema, quantitySchema, sinceSchema } from '../fields.js';
import { LOGS_LIMIT_DEFAULT, LOGS_LIMIT_MAX } from '../limits.js';
import { parsedBy } from '../parsed.js';
import { orderViewSchema } from './orders.js';
import { strategyRefSchema } from './strategies.js';

/** An order id, or a GTT leg as `som orphans` lists it (`gtt:ID:LEG`). */
const orphanIdSchema = z
  .string()
  .regex(
    /^([0-9]{1,24}|gtt:[0-9]{1,24}:[01])$/,
    'an order id (the digits Kite gave it) or a GTT leg as som orphans lists it (gtt:ID:LEG)',
  );

/** One orphan's action in a cleanup: what was sent and how it ended; `failed` when the danger still stands. */
export const cleanupActionSchema = z.object({
  order_id: z.string(),
  action: z.string(),
  result: z.string(),
  failed: z.boolean(),
});

/** An orphaned protective order (or GTT leg): what it is, why it is orphaned, and what som did or will do. */
export const orphanViewSchema = z.object({
  order_id: z.string(),
  strategy: z.string(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  side: z.enum(['BUY', 'SELL']),
  quantity: z.number(),
  pending_quantity: z.number(),
  order_type: z.string(),
  role: z.string().nullable(),
  reason: z.enum(['POSITION_CLOSED', 'EXCESS_QUANTITY', 'INSTRUMENT_EXPIRED', 'OCO_FILLED', 'MANUAL', 'AGED']),
  parent_position_id: z.number().int().nullable(),
  detected_at: z.string(),
  /** cancel, reduce to N, or report (the strategy allows orphans). */
  action: z.string(),
  explanation: z.string(),
});
export type OrphanView = z.infer<typeof orphanViewSchema>;

export const housekeepingEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  job: z.string(),
  strategy: z.string().nullable(),
  order_id: z.string().nullable(),
  action: z.string(),
  reason: z.string().nullable(),
  result: z.string(),
  duration_ms: z.number().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export const housekeepingMethods = {
  'orphans.list': {
    params: z.object({ strategy: strategyRefSchema.optional() }).strict().default({}),
    result: z.object({ orphans: z.array(orphanViewSchema) }),
  },
  'orphans.cleanup': {
    params: z
      .object({
        strategy: strategyRefSchema.optional(),
        dryRun: z.boolean().default(false),
        force: z.boolean().default(false),
      })
      .strict()
      .default({ dryRun: false, force: false }),
    result: z.object({
      orphans: z.array(orphanViewSchema),
      actions: z.array(cleanupActionSchema),
      dryRun: z.boolean(),
    }),
  },
  /** Mark an open order orphaned by hand (reason MANUAL); the strategy's settings decide whether it is cancelled. */
  'orphans.mark': {
    params: z.object({ order_id: orphanIdSchema, note: z.string().max(200).optional() }).strict(),
    result: z.object({ orphan: orphanViewSchema, result: z.string(), action: cleanupActionSchema }),
  },
  /** Group an open stop and an open target protecting one position: when one fills, the other goes. */
  'oco.link': {
    params: z.object({ orders: z.tuple([orderIdSchema, orderIdSchema]) }).strict(),
    result: z.object({ group: z.number().int(), stop: z.string(), target: z.string() }),
  },
  /** Place a stop (SL-M) and a target (LIMIT) for a strategy's open position, linked as an OCO pair. */
  'oco.protect': {
    params: z
      .object({
        strategy: strategyRefSchema.optional(),
        exchange: exchangeFieldSchema,
        tradingsymbol: z.string().trim().min(1),
        product: parsedBy<TradingProduct, TradingProduct>((v) => parseProduct(v, 'product', TRADING_PRODUCTS)),
        stop: priceSchema,
        target: priceSchema,
        quantity: quantitySchema.optional(),
      })
      .strict(),
    result: z.object({
      group: z.number().int(),
      stop: orderViewSchema.nullable(),
      target: orderViewSchema.nullable(),
      stop_order_id: z.string(),
      target_order_id: z.string(),
    }),
  },
  /** Re-read the account from the broker now and re-derive positions and protective orders. */
  'reconcile.strategy': {
    params: z.object({ strategy: strategyRefSchema.optional() }).strict().default({}),
    result: z.object({
      positions: z.array(
        z.object({
          strategy: z.string(),
          exchange: z.string(),
          tradingsymbol: z.string(),
          product: z.string(),
          before: z.number(),
          after: z.number(),
        }),
      ),
      orders: z.object({ before: z.number().int(), after: z.number().int() }),
      orphans: z.array(orphanViewSchema),
    }),
  },
  'admin.logs': {
    params: z
      .object({
        job: z.string().optional(),
        since: sinceSchema.optional(),
        limit: z.number().int().positive().max(LOGS_LIMIT_MAX).default(LOGS_LIMIT_DEFAULT),
      })
      .strict()
      .default({ limit: LOGS_LIMIT_DEFAULT }),
    result: z.object({ events: z.array(housekeepingEventSchema) }),
  },
} as const;
