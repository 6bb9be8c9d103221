import { z } from 'zod';
import { parseCalendarDate } from '../../domain/parse/date.js';
import {
  parseProduct,
  parseTransactionType,
  TRADING_PRODUCTS,
  type TradingProduct,
  type TransactionType,
} from '../../domain/values.js';
import { EXECUTION_DECISIONS } from '../../execution/decision.js';
import { HOLD_CHOICES, REQUESTED_TYPES, type RequestedType } from '../../execution/placement.js';
import { exchangeFieldSchema, priceSchema, quantitySchema } from '../fields.js';
import { BASKET_LEGS_MAX } from '../limits.js';
import { parsedBy } from '../parsed.js';
import { costLegInputSchema, costsResultSchema } from './costs.js';
import { orderViewSchema } from './orders.js';
import { strategyRefSchema } from './strategies.js';

/**
 * Smart execution: `execution.analyze` (som analyze), `execution.validateSpread`,
 * `execution.estimateImpact` (its parts), `orders.trade` (som trade), `alerts.respond` (som
 * alerts respond) and `execution.report` (som report execution). Prices and costs unrounded.
 */

const sideSchema = parsedBy<TransactionType, TransactionType>((v) => parseTransactionType(v, 'side'));
const productSchema = parsedBy<TradingProduct, TradingProduct>((v) => parseProduct(v, 'product', TRADING_PRODUCTS));
const decisionSchema = z.enum(EXECUTION_DECISIONS);
const reasonSchema = z.object({ code: z.string(), message: z.string() });
const levelSchema = z.object({ price: z.number(), quantity: z.number(), orders: z.number() });

/** The best bid and ask, their mid, the last price, when the depth was taken and from where. */
export const quoteViewSchema = z.object({
  bid: z.number(),
  ask: z.number(),
  mid: z.number(),
  last_price: z.number(),
  at: z.string(),
  source: z.enum(['ticks', 'quote']),
});

export const spreadViewSchema = z.object({
  abs: z.number(),
  pct: z.number(),
  ticks: z.number(),
  category: z.enum(['TIGHT', 'NORMAL', 'WIDE', 'VERY_WIDE']),
  /** The category the % alone gives; the tick rule may make `category` less severe. */
  pct_category: z.enum(['TIGHT', 'NORMAL', 'WIDE', 'VERY_WIDE']),
  capped_by_ticks: z.boolean(),
});

export const impactViewSchema = z.object({
  status: z.enum(['FILLED', 'BOOK_INSUFFICIENT']),
  vwap: z.number(),
  touch: z.number(),
  worst_price: z.number(),
  bps: z.number(),
  bps_vs_touch: z.number(),
  levels_used: z.number(),
  filled_quantity: z.number(),
  unfilled_quantity: z.number(),
  slippage: z.number(),
});

export const liquidityViewSchema = z.object({
  score: z.number(),
  category: z.enum(['HIGH', 'MEDIUM', 'LOW', 'ILLIQUID']),
  components: z.object({
    depth: z.number(),
    spread: z.number(),
    levels: z.number(),
    activity: z.number().nullable(),
  }),
});

export const limitViewSchema = z.object({
  price: z.number().nullable(),
  bound_by: z.string().nullable(),
  reachable_quantity: z.number(),
  problem: z.string().nullable(),
});

/** One analysis, as `som analyze --json` prints it. */
export const analysisViewSchema = z.object({
  analysis_id: z.number().int(),
  /** `EXCHANGE:TRADINGSYMBOL`. */
  symbol: z.string(),
  strategy: z.string(),
  side: z.enum(['BUY', 'SELL']),
  quantity: z.number(),
  product: z.string().nullable(),
  instrument_class: z.string(),
  quote: quoteViewSchema,
  /** The five levels a side the analysis used. */
  depth: z.object({ buy: z.array(levelSchema), sell: z.array(levelSchema) }),
  spread: spreadViewSchema,
  impact: impactViewSchema,
  liquidity: liquidityViewSchema,
  decision: decisionSchema,
  /** Held for the user were it sent by `som trade` now. */
  hold: z.boolean(),
  limit_price: z.number().nullable(),
  limit: limitViewSchema,
  reasons: z.array(reasonSchema),
});
export type AnalysisView = z.infer<typeof analysisViewSchema>;

const instrumentParams = {
  exchange: exchangeFieldSchema,
  tradingsymbol: z.string().trim().min(1),
  /** Whose lines (max_order_spread_pct, ...) the market is judged by (default: default). */
  strategy: strategyRefSchema.optional(),
};

/** A leg of `orders.trade`: the costs basket's leg, with how to send it. */
export const tradeLegInputSchema = costLegInputSchema.extend({
  /** auto (som decides from the analysis), MARKET, or LIMIT at `price`. */
  type: z.enum(REQUESTED_TYPES).default('auto' satisfies RequestedType),
});
export type TradeLegInput = z.input<typeof tradeLegInputSchema>;

/** How one leg is (or would be) sent. */
export const placementViewSchema = z.object({
  hold: z.boolean(),
  decision: decisionSchema,
  order_type: z.enum(['MARKET', 'LIMIT']).nullable(),
  price: z.number().nullable(),
  high_cost_notice: z.boolean(),
  explanation: z.string(),
});

export const tradeLegViewSchema = z.object({
  index: z.number().int(),
  symbol: z.string(),
  side: z.enum(['BUY', 'SELL']),
  quantity: z.number(),
  product: z.string(),
  requested_type: z.enum(REQUESTED_TYPES),
  analysis: analysisViewSchema,
  placement: placementViewSchema,
  /** preview: not sent (a look); held; sent; not_sent: an earlier leg was refused; failed: this leg was refused. */
  status: z.enum(['preview', 'held', 'sent', 'not_sent', 'failed']),
  order_id: z.string().nullable(),
  order: orderViewSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type TradeLegView = z.infer<typeof tradeLegViewSchema>;

/** A held order (or basket): answer with `alerts.respond` before `expires_at`. */
export const heldViewSchema = z.object({
  alert_id: z.number().int(),
  held_order_id: z.number().int(),
  decision: decisionSchema,
  /** The analysis of the leg that holds it (the most severe, for a basket). */
  analysis: analysisViewSchema,
  expires_at: z.string(),
  /** Milliseconds left when answered (somd's clock): a client counts down from here. */
  expires_in_ms: z.number(),
  /** Why the user is asked again (after "Use LIMIT" or "Proceed" on a market that got worse). */
  asked_again: z.array(z.string()),
});
export type HeldView = z.infer<typeof heldViewSchema>;

export const tradeResultSchema = z.object({
  preview: z.boolean(),
  strategy: z.string(),
  legs: z.array(tradeLegViewSchema),
  /** Every leg's charges (at the price it is sent at) and the margin of the whole basket. */
  costs: costsResultSchema,
  /** Set when held (exit 4). */
  held: heldViewSchema.nullable(),
  /** The single order sent (a one-leg trade), else null. */
  order: orderViewSchema.nullable(),
  orders: z.array(orderViewSchema),
  /** The bracket som keeps for the entry (stop and target as it fills). */
  bracket: z.object({ id: z.number().int(), stop: z.number(), target: z.number() }).nullable(),
  /** A leg the broker refused: the rest were not sent; `live` lists what is at the broker. */
  error: z.object({ code: z.string(), message: z.string(), leg: z.number().int() }).nullable(),
  live: z.array(z.object({ index: z.number().int(), symbol: z.string(), order_id: z.string() })),
  notices: z.array(z.string()),
});
export type TradeResult = z.infer<typeof tradeResultSchema>;

export const respondResultSchema = z.object({
  alert_id: z.number().int(),
  held_order_id: z.number().int(),
  choice: z.enum(HOLD_CHOICES),
  /** cancelled; sent; asked_again (held again: exit 4); failed (a leg refused: see trade.error). */
  outcome: z.enum(['cancelled', 'sent', 'asked_again', 'failed']),
  response_ms: z.number(),
  trade: tradeResultSchema.nullable(),
  held: heldViewSchema.nullable(),
});
export type RespondResult = z.infer<typeof respondResultSchema>;

const qualityOrderSchema = z.object({
  analysis_id: z.number().int(),
  order_id: z.string(),
  at: z.string(),
  strategy: z.string().nullable(),
  symbol: z.string(),
  side: z.enum(['BUY', 'SELL']),
  order_type: z.string(),
  decision: decisionSchema,
  liquidity: z.string().nullable(),
  filled_quantity: z.number(),
  average_price: z.number(),
  arrival_mid: z.number(),
  predicted_vwap: z.number().nullable(),
  vs_arrival_bps: z.number(),
  vs_predicted_bps: z.number().nullable(),
  at_expected_or_better: z.boolean().nullable(),
  liquid: z.boolean(),
});

export const qualityReportSchema = z.object({
  since: z.string(),
  strategy: z.string().nullable(),
  analysed: z.number().int(),
  decisions: z.record(z.string(), z.number().int()),
  refused: z.record(z.string(), z.number().int()),
  filled: z.number().int(),
  resting: z.number().int(),
  slippage: z.object({
    liquid: z.object({
      count: z.number().int(),
      avg_bps: z.number().nullable(),
      target_bps: z.number(),
      met: z.boolean().nullable(),
    }),
    all: z.object({ count: z.number().int(), avg_bps: z.number().nullable() }),
  }),
  at_expected_or_better: z.object({
    count: z.number().int(),
    of: z.number().int(),
    pct: z.number().nullable(),
    target_pct: z.number(),
    met: z.boolean().nullable(),
  }),
  alert_response: z.object({
    held: z.number().int(),
    answered: z.number().int(),
    expired: z.number().int(),
    open: z.number().int(),
    pct: z.number().nullable(),
    target_pct: z.number(),
    met: z.boolean().nullable(),
    median_response_ms: z.number().nullable(),
  }),
  prediction_error: z.object({
    count: z.number().int(),
    mean_bps: z.number().nullable(),
    mean_abs_bps: z.number().nullable(),
  }),
  orders: z.array(qualityOrderSchema),
});
export type QualityReportView = z.infer<typeof qualityReportSchema>;

export const executionMethods = {
  /** The whole analysis of an order som could send now (POST /orders/analyze-execution). */
  'execution.analyze': {
    params: z
      .object({
        ...instrumentParams,
        side: sideSchema,
        quantity: quantitySchema,
        product: productSchema.optional(),
      })
      .strict(),
    result: analysisViewSchema,
  },
  /** The spread's part (POST /orders/validate-spread): judged for one lot. */
  'execution.validateSpread': {
    params: z.object(instrumentParams).strict(),
    result: z.object({
      analysis_id: z.number().int(),
      symbol: z.string(),
      strategy: z.string(),
      quote: quoteViewSchema,
      spread: spreadViewSchema,
      decision: decisionSchema,
      reason: reasonSchema,
      max_order_spread_pct: z.number(),
    }),
  },
  /** The impact's part (POST /orders/estimate-impact): walking the book, liquidity, limit price. */
  'execution.estimateImpact': {
    params: z.object({ ...instrumentParams, side: sideSchema, quantity: quantitySchema }).strict(),
    result: z.object({
      analysis_id: z.number().int(),
      symbol: z.string(),
      strategy: z.string(),
      side: z.enum(['BUY', 'SELL']),
      quantity: z.number(),
      quote: quoteViewSchema,
      impact: impactViewSchema,
      liquidity: liquidityViewSchema,
      limit: limitViewSchema,
      decision: decisionSchema,
      reason: reasonSchema,
      max_market_impact_bps: z.number(),
    }),
  },
  /**
   * `som trade`: analyse every leg, cost the basket with its margin, then send (BUY legs first)
   * or hold the whole basket for the user. `preview` analyses and costs without sending or
   * holding (the confirmation box). `stop` and `target` (one leg only) make a bracket.
   */
  'orders.trade': {
    params: z
      .object({
        strategy: strategyRefSchema.optional(),
        legs: z
          .array(tradeLegInputSchema)
          .min(1, 'give at least one leg')
          .max(BASKET_LEGS_MAX, `at most ${BASKET_LEGS_MAX} legs a basket`),
        stop: priceSchema.optional(),
        target: priceSchema.optional(),
        preview: z.boolean().default(false),
      })
      .strict(),
    result: tradeResultSchema,
  },
  /** Answer a held order (POST /alerts/{id}/respond). */
  'alerts.respond': {
    params: z.object({ id: z.number().int().positive(), choice: z.enum(HOLD_CHOICES) }).strict(),
    result: respondResultSchema,
  },
  /** Execution quality over a period (`som report execution`). */
  'execution.report': {
    params: z
      .object({
        /** From this IST day (YYYY-MM-DD; default: the last 30 days). */
        since: parsedBy<string, string>((v) => parseCalendarDate(v, 'since')).optional(),
        strategy: strategyRefSchema.optional(),
      })
      .strict()
      .default({}),
    result: qualityReportSchema,
  },
} as const;
