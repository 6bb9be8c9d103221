/**
 * The shape of a dated charge schedule, and the zod schemas that check one.
 *
 * A schedule holds every rate that turns one executed order into Kite's charges (see
 * charges.ts for the arithmetic). Rates are fractions of turnover (0.001 = 0.1%), never
 * percentages: every rate is capped at 1% (GST at 100%) so that a percentage typed as a
 * number (0.1 for 0.1%) is refused instead of costing a trade at a thousand times the rate.
 */
import { z } from 'zod';
import { isIsoDate } from '../market/ist.js';

/** What an order is, for brokerage, transaction tax and stamp duty. */
export const CHARGE_SEGMENTS = [
  'equity_delivery',
  'equity_intraday',
  'equity_futures',
  'equity_options',
  'commodity_futures',
  'commodity_options',
  'currency_futures',
  'currency_options',
] as const;
export type ChargeSegment = (typeof CHARGE_SEGMENTS)[number];

/** Where an order trades, for exchange transaction charges (they differ per exchange). */
export const EXCHANGE_SEGMENTS = [
  'NSE_EQ',
  'BSE_EQ',
  'NFO_FUT',
  'NFO_OPT',
  'BFO_FUT',
  'BFO_OPT',
  'MCX_FUT',
  'MCX_OPT',
  'CDS_FUT',
  'CDS_OPT',
] as const;
export type ExchangeSegment = (typeof EXCHANGE_SEGMENTS)[number];

/** Brokerage per executed order: a flat amount, or a rate of turnover capped at an amount. */
export type BrokerageRule = { kind: 'flat'; amount: number } | { kind: 'rate_capped'; rate: number; cap: number };

/** Transaction tax (STT on securities, CTT on commodities) by side, and the name Kite gives it. */
export interface TransactionTaxRule {
  /** Kite's `transaction_tax_type`: "stt", "ctt", or "" where none is levied (currency). */
  type: 'stt' | 'ctt' | '';
  buy: number;
  sell: number;
}

/** An exchange's transaction charge, and NSE's Investor Protection Fund Trust levy on top. */
export interface ExchangeRate {
  rate: number;
  ipft: number;
}

/** How stamp duty is rounded per order: not at all, to the paisa, or to the rupee. */
export type StampDutyRounding = 'none' | 'paise' | 'rupee';

export interface ChargeSchedule {
  /** First trade date (IST, `YYYY-MM-DD`) the schedule applies to. */
  effective_from: string;
  /** Where the figures come from (free text, shown nowhere but in errors and docs). */
  source?: string;
  brokerage: Record<ChargeSegment, BrokerageRule>;
  transaction_tax: Record<ChargeSegment, TransactionTaxRule>;
  /**
   * The figures whose value no public source confirms, by path (see {@link SCHEDULE_FIGURES}):
   * `effective_from` when the date a schedule starts is itself a guess. A later schedule that
   * gives a figure again replaces the mark with its own.
   */
  unconfirmed?: ScheduleFigure[];
  exchange: {
    /**
     * Whether Kite's `exchange_turnover_charge` carries the IPFT levy. When false the levy is
     * left out of the charges altogether (before NSE levied it, from 2023-04-01).
     */
    ipft_included: boolean;
    rates: Record<ExchangeSegment, ExchangeRate>;
  };
  /** SEBI turnover fee, a fraction of turnover (10 rupees per crore = 0.000001). */
  sebi_rate: number;
  gst: {
    /** GST rate on brokerage + exchange transaction charge + SEBI fee. */
    rate: number;
    /**
     * Whether the IPFT part of the exchange charge is in GST's base. Zerodha's contract notes
     * left it out until at least mid-2023 while showing it in the exchange charge.
     */
    base_includes_ipft: boolean;
  };
  stamp_duty: {
    /** Buy side only; a fraction of turnover. */
    rates: Record<ChargeSegment, number>;
    rounding: StampDutyRounding;
  };
}

/**
 * A schedule as a user writes it in config: `effective_from` and only the figures that change.
 * Everything left out is inherited from the schedule in force the day before (or, for a date
 * before the earliest built-in schedule, from that earliest one). A complete schedule is valid
 * too.
 */
export interface UserChargeSchedule {
  effective_from: string;
  source?: string;
  unconfirmed?: ScheduleFigure[];
  brokerage?: Partial<Record<ChargeSegment, BrokerageRule>>;
  transaction_tax?: Partial<Record<ChargeSegment, Partial<TransactionTaxRule>>>;
  exchange?: { ipft_included?: boolean; rates?: Partial<Record<ExchangeSegment, Partial<ExchangeRate>>> };
  sebi_rate?: number;
  gst?: Partial<ChargeSchedule['gst']>;
  stamp_duty?: { rates?: Partial<Record<ChargeSegment, number>>; rounding?: StampDutyRounding };
}

/**
 * Every figure of a complete schedule by its dotted path (`exchange.rates.NFO_FUT.rate`,
 * `brokerage.equity_options`, `stamp_duty.rounding`, ...), plus `effective_from`: the names
 * a schedule's `unconfirmed` list may use.
 */
export const SCHEDULE_FIGURES = [
  'effective_from',
  ...CHARGE_SEGMENTS.map((s) => `brokerage.${s}` as const),
  ...CHARGE_SEGMENTS.flatMap((s) =>
    (['type', 'buy', 'sell'] as const).map((f) => `transaction_tax.${s}.${f}` as const),
  ),
  'exchange.ipft_included',
  ...EXCHANGE_SEGMENTS.flatMap((x) => (['rate', 'ipft'] as const).map((f) => `exchange.rates.${x}.${f}` as const)),
  'sebi_rate',
  'gst.rate',
  'gst.base_includes_ipft',
  ...CHARGE_SEGMENTS.map((s) => `stamp_duty.rates.${s}` as const),
  'stamp_duty.rounding',
] as const;
export type ScheduleFigure = (typeof SCHEDULE_FIGURES)[number];

const FRACTION_HINT = 'a fraction of turnover (0.001 = 0.1%)';
/** A turnover rate: 0..0.01 (1%). Every real charge rate is far below 1%. */
const rate = z
  .number()
  .min(0, `must be ${FRACTION_HINT}, not negative`)
  .max(0.01, `must be ${FRACTION_HINT}: above 1% looks like a percentage written as a number`);
const amount = z.number().min(0).max(10_000);

/** TOML writes dates either as strings or as bare local dates (parsed to Date objects). */
const isoDate = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z.string().refine(isIsoDate, 'must be a date written YYYY-MM-DD'),
);

const brokerageRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('flat'), amount }).strict(),
  z.object({ kind: z.literal('rate_capped'), rate, cap: amount }).strict(),
]);
const taxRule = z.object({ type: z.enum(['stt', 'ctt', '']), buy: rate, sell: rate }).strict();
const exchangeRate = z.object({ rate, ipft: rate }).strict();
const segmentKey = z.enum(CHARGE_SEGMENTS);
const exchangeKey = z.enum(EXCHANGE_SEGMENTS);
const rounding = z.enum(['none', 'paise', 'rupee']);
const gstRate = z.number().min(0).max(1, 'must be a fraction (0.18 = 18%)');
const unconfirmed = z.array(z.enum(SCHEDULE_FIGURES));

/** A complete schedule (the built-in ones are checked against it in the tests). */
export const fullChargeScheduleSchema = z
  .object({
    effective_from: isoDate,
    source: z.string().optional(),
    unconfirmed: unconfirmed.optional(),
    brokerage: z.record(segmentKey, brokerageRule),
    transaction_tax: z.record(segmentKey, taxRule),
    exchange: z.object({ ipft_included: z.boolean(), rates: z.record(exchangeKey, exchangeRate) }).strict(),
    sebi_rate: rate,
    gst: z.object({ rate: gstRate, base_includes_ipft: z.boolean() }).strict(),
    stamp_duty: z.object({ rates: z.record(segmentKey, rate), rounding }).strict(),
  })
  .strict();

/**
 * A user-supplied schedule (config `[[costs.schedules]]`): `effective_from` plus any of the
 * complete schedule's fields, each optional down to single rates.
 */
export const chargeScheduleSchema = z
  .object({
    effective_from: isoDate,
    source: z.string().optional(),
    unconfirmed: unconfirmed.optional(),
    brokerage: z.partialRecord(segmentKey, brokerageRule).optional(),
    transaction_tax: z.partialRecord(segmentKey, taxRule.partial()).optional(),
    exchange: z
      .object({
        ipft_included: z.boolean().optional(),
        rates: z.partialRecord(exchangeKey, exchangeRate.partial()).optional(),
      })
      .strict()
      .optional(),
    sebi_rate: rate.optional(),
    gst: z.object({ rate: gstRate.optional(), base_includes_ipft: z.boolean().optional() }).strict().optional(),
    stamp_duty: z
      .object({ rates: z.partialRecord(segmentKey, rate).optional(), rounding: rounding.optional() })
      .strict()
      .optional(),
  })
  .strict();
