import { z } from 'zod';
import { parseCalendarDate } from '../../domain/parse/date.js';
import { splitInstrumentKey } from '../../domain/parse/instrument-key-syntax.js';
import { parsePrice } from '../../domain/parse/price.js';
import {
  parseProduct,
  parseTransactionType,
  TRADING_PRODUCTS,
  type TradingProduct,
  type TransactionType,
} from '../../domain/values.js';
import { priceSchema, quantitySchema } from '../fields.js';
import { BASKET_LEGS_MAX } from '../limits.js';
import { checkedBy, parsedBy } from '../parsed.js';
import { strategyRefSchema } from './strategies.js';

/**
 * Pre-trade costs and margin: `costs.calculate` (som costs), `margin.calculate` (som margin),
 * `margin.available` (som funds). Money is in rupees, unrounded, as Kite computes it.
 */

/**
 * One leg of a basket as a person writes it: `{"symbol", "quantity", "price", "side",
 * "product"?, "exit_price"?}`. Each field is read by the parser the command line uses for the
 * same flag, so an error names the leg and the field (`leg 2 (NFO:...): quantity 1.5 must be a
 * whole number greater than 0`). The symbol may be bare (NIFTY25DEC24500CE) and the product
 * left out: the daemon resolves both with the instrument master (NRML for a derivative, CNC for
 * an equity, with a PRODUCT_DEFAULTED warning). A missing price is the charges engine's error,
 * since `margin.calculate` takes legs without one.
 */
export const costLegInputSchema = z
  .object({
    /** `EXCHANGE:TRADINGSYMBOL` (NFO:NIFTY25DEC24500CE), or a bare symbol on one exchange only. */
    symbol: checkedBy((v) => splitInstrumentKey(v, 'symbol')),
    quantity: quantitySchema,
    price: priceSchema.optional(),
    side: parsedBy<TransactionType, TransactionType>((v) => parseTransactionType(v, 'side')),
    product: parsedBy<TradingProduct, TradingProduct>((v) => parseProduct(v, 'product', TRADING_PRODUCTS)).optional(),
    /** Where the leg is expected to be closed (default: its entry price). */
    exit_price: parsedBy<number, number>((v) => parsePrice(v, 'exit_price')).optional(),
  })
  .strict();
export type CostLegInput = z.infer<typeof costLegInputSchema>;

const tradeDateSchema = parsedBy<string, string>((v) => parseCalendarDate(v));

/** Charges of one order in the shape of Kite's charges API (virtual contract note). */
export const kiteChargesSchema = z.object({
  transaction_tax: z.number(),
  /** "stt" or "ctt" ("" when there is none). */
  transaction_tax_type: z.string(),
  exchange_turnover_charge: z.number(),
  sebi_turnover_charge: z.number(),
  brokerage: z.number(),
  stamp_duty: z.number(),
  gst: z.object({ igst: z.number(), cgst: z.number(), sgst: z.number(), total: z.number() }),
  total: z.number(),
});

export const costWarningSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** Which leg (0-based, in the order given) the warning is about, when it is about one. */
  leg: z.number().int().optional(),
});
export type CostWarning = z.infer<typeof costWarningSchema>;

const costLegSchema = z.object({
  symbol: z.string(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  side: z.enum(['BUY', 'SELL']),
  quantity: z.number(),
  price: z.number(),
  product: z.string(),
  /** The charge segment the leg was costed as (equity delivery, NFO options, MCX futures, ...). */
  segment: z.string(),
  order_value: z.number(),
  charges: kiteChargesSchema,
  /** The leg reversed at its exit price. */
  exit: z.object({
    price: z.number(),
    side: z.enum(['BUY', 'SELL']),
    order_value: z.number(),
    charges: kiteChargesSchema,
  }),
  /**
   * The exit price at which the leg's P&L after its round-trip charges is zero; null for a
   * sell whose price cannot cover its charges even at an exit of 0.
   */
  breakeven: z.number().nullable(),
});

export const costBreakdownSchema = z.object({
  order_value: z.number(),
  brokerage: z.number(),
  stt: z.number(),
  exchange_charges: z.number(),
  gst: z.number(),
  sebi_charges: z.number(),
  stamp_duty: z.number(),
  total_charges: z.number(),
});

/** One fund segment's margin check (src/costs/margin-check.ts has the formulas). */
export const segmentMarginSchema = z.object({
  segment: z.enum(['equity', 'commodity']),
  required: z.number(),
  initial: z.number(),
  available: z.number(),
  /** Margin already blocked in the segment (Kite's utilised.debits). */
  used: z.number(),
  remaining: z.number(),
  required_with_buffer: z.number(),
  utilization_pct: z.number().nullable(),
  can_execute: z.boolean(),
});

/** Margin for a basket against the account's funds, under a strategy's margin settings. */
export const marginCheckSchema = z.object({
  /** Kite's basket `final.total` (positions considered), summed over fund segments. */
  required: z.number(),
  /** Kite's basket `initial.total`: the legs each on their own. */
  initial: z.number(),
  /** The segments' `net` (free margin now). */
  available: z.number(),
  remaining: z.number(),
  can_execute: z.boolean(),
  required_with_buffer: z.number(),
  utilization_pct: z.number().nullable(),
  /** Whose margin settings were applied, and what they were. */
  strategy: z.string(),
  margin_buffer_pct: z.number(),
  max_margin_utilization_pct: z.number(),
  segments: z.array(segmentMarginSchema),
});
export type MarginCheckView = z.infer<typeof marginCheckSchema>;

export const costsResultSchema = z.object({
  date: z.string(),
  legs: z.array(costLegSchema),
  total_entry_cost: z.number(),
  total_exit_cost: z.number(),
  breakdown: costBreakdownSchema,
  round_trip_charges: z.number(),
  /** Null when skipped (`margin: false`, a leg not in the instrument master, a date not today). */
  margin: marginCheckSchema.nullable(),
  warnings: z.array(costWarningSchema),
});
export type CostsResult = z.infer<typeof costsResultSchema>;

const marginTotalsSchema = z.object({ initial: z.number(), final: z.number() });

/** Free and used margin of one fund segment (GET /user/margins). */
export const segmentFundsSchema = z.object({
  enabled: z.boolean(),
  /** Free margin now: what a new order can use. */
  net: z.number(),
  cash: z.number(),
  opening_balance: z.number(),
  live_balance: z.number(),
  collateral: z.number(),
  intraday_payin: z.number(),
  /** Margin blocked by positions and orders (utilised.debits). */
  used: z.number(),
  /** Kite's `utilised` breakdown as it came (span, exposure, option_premium, m2m_realised, ...). */
  utilised: z.record(z.string(), z.number()),
});
export type SegmentFunds = z.infer<typeof segmentFundsSchema>;

export const costMethods = {
  /** Every charge of a basket, entry and exit, and the margin it needs . */
  'costs.calculate': {
    params: z
      .object({
        instruments: z
          .array(costLegInputSchema)
          .min(1, 'give at least one instrument')
          .max(BASKET_LEGS_MAX, `at most ${BASKET_LEGS_MAX} legs a basket`),
        /** The trade date whose charge schedule applies (default: today, Asia/Kolkata). */
        date: tradeDateSchema.optional(),
        /** Whose margin settings to apply (default: the `default` strategy). */
        strategy: strategyRefSchema.optional(),
        /** false: charges only, no broker call. */
        margin: z.boolean().default(true),
      })
      .strict(),
    result: costsResultSchema,
  },
  /** A strategy's open legs (or the account's) plus proposed ones . */
  'margin.calculate': {
    params: z
      .object({
        strategy: strategyRefSchema.optional(),
        instruments: z
          .array(costLegInputSchema.omit({ exit_price: true }))
          .max(BASKET_LEGS_MAX, `at most ${BASKET_LEGS_MAX} legs a basket`)
          .default([]),
      })
      .strict()
      .default({ instruments: [] }),
    result: z.object({
      /** The strategy whose legs these are; null for the whole account. */
      strategy: z.string().nullable(),
      legs: z.array(
        z.object({
          source: z.enum(['position', 'proposed']),
          exchange: z.string(),
          tradingsymbol: z.string(),
          side: z.enum(['BUY', 'SELL']),
          quantity: z.number(),
          product: z.string(),
          /** The price margined at; null: the last price (Kite margins a MARKET order there). */
          price: z.number().nullable(),
        }),
      ),
      /** The open legs alone, as one basket (null when there are none). */
      open: marginTotalsSchema.nullable(),
      /** Open legs and proposed ones held together (null without proposed legs). */
      with_proposed: marginTotalsSchema.nullable(),
      /** What the proposed legs add to the account's positions, against its funds (null without proposed legs). */
      margin: marginCheckSchema.nullable(),
      warnings: z.array(costWarningSchema),
    }),
  },
  /** Free and used margin per fund segment . */
  'margin.available': {
    params: z.object({}).strict().default({}),
    result: z.object({ equity: segmentFundsSchema.nullable(), commodity: segmentFundsSchema.nullable() }),
  },
} as const;
