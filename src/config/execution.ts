import { z } from 'zod';
import type { ExecutionRules } from '../execution/analyze.js';
import type { InstrumentClass } from '../execution/instrument-class.js';
import { DEFAULT_LIQUIDITY_BOUNDS } from '../execution/liquidity.js';
import { DEFAULT_SPREAD_RULES, type SpreadThresholds } from '../execution/spread.js';

/**
 * The `[execution]` section: the smart-execution rules' own parameters. The strategy settings
 * (max_order_spread_pct, min_liquidity_score, max_market_impact_bps,
 * require_user_approval_high_impact) are per strategy and live with the strategy, not here.
 * Defaults are the rules' own (src/execution), so the two cannot drift apart.
 */
function thresholds(d: SpreadThresholds) {
  const pct = z.number().positive().max(100);
  return z
    .object({
      tight_pct: pct.default(d.tight_pct),
      normal_pct: pct.default(d.normal_pct),
      wide_pct: pct.default(d.wide_pct),
    })
    .strict()
    .refine((t) => t.tight_pct < t.normal_pct && t.normal_pct < t.wide_pct, {
      message: 'expected tight_pct < normal_pct < wide_pct',
    })
    .prefault({});
}

const spread = DEFAULT_SPREAD_RULES.classes;
const score = z.number().min(0).max(100);

export const executionConfigSchema = z
  .object({
    /** Depth older than this is never used (a fresh tick or one quote call is fetched), milliseconds. */
    max_depth_age_ms: z.number().int().min(100).max(60_000).default(2000),
    /** A held order not answered within this is cancelled, never sent, seconds. */
    held_order_expiry_seconds: z.number().int().min(10).max(3600).default(120),
    /** After subscribing an instrument on demand, wait this long for its first full-mode tick before one quote call, milliseconds. */
    depth_wait_ms: z.number().int().min(0).max(10_000).default(1000),
    /**
     * `som order place` sends what it is told and records an analysis too: the analysis may delay
     * the order this long at most (a fresh tick is instant; else one quote call), milliseconds.
     * Without depth in time the order goes out and the analysis records why there is none.
     */
    plain_order_depth_ms: z.number().int().min(0).max(10_000).default(1000),
    /**
     * On "Use LIMIT" or "Proceed" the market is analysed again; a rise of the expected cost
     * against the mid by more than this asks the user again, basis points.
     */
    reask_cost_bps: z.number().min(0).max(10_000).default(5),
    /** ... or the quantity the visible book cannot fill grew by more than this % of the order. */
    reask_unfilled_pct: z.number().min(0).max(100).default(10),
    spread_index_options: thresholds(spread.index_options),
    spread_stock_options: thresholds(spread.stock_options),
    spread_commodity_options: thresholds(spread.commodity_options),
    spread_futures: thresholds(spread.futures),
    spread_commodity: thresholds(spread.commodity),
    spread_equity: thresholds(spread.equity),
    /** A spread of at most this many ticks is TIGHT whatever its %. */
    spread_tight_max_ticks: z.number().int().min(1).max(100).default(DEFAULT_SPREAD_RULES.tight_max_ticks),
    /** A spread of at most this many ticks is at worst NORMAL whatever its %. */
    spread_normal_max_ticks: z.number().int().min(1).max(100).default(DEFAULT_SPREAD_RULES.normal_max_ticks),
    /** Lowest liquidity score of HIGH, MEDIUM and LOW; below liquidity_low is ILLIQUID. */
    liquidity_high: score.default(DEFAULT_LIQUIDITY_BOUNDS.high),
    liquidity_medium: score.default(DEFAULT_LIQUIDITY_BOUNDS.medium),
    liquidity_low: score.default(DEFAULT_LIQUIDITY_BOUNDS.low),
    /** Ticks a limit price goes beyond the last level it needs (never past the impact limit). */
    limit_buffer_ticks: z.number().int().min(0).max(100).default(0),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.spread_normal_max_ticks < c.spread_tight_max_ticks) {
      ctx.addIssue({
        code: 'custom',
        path: ['spread_normal_max_ticks'],
        message: 'expected at least spread_tight_max_ticks',
      });
    }
    if (!(c.liquidity_low < c.liquidity_medium && c.liquidity_medium < c.liquidity_high)) {
      ctx.addIssue({
        code: 'custom',
        path: ['liquidity_medium'],
        message: 'expected liquidity_low < liquidity_medium < liquidity_high',
      });
    }
  })
  .prefault({});

export type ExecutionConfig = z.infer<typeof executionConfigSchema>;

/** The section's defaults (an empty `[execution]`). */
export const EXECUTION_DEFAULTS: ExecutionConfig = executionConfigSchema.parse({});

/** The rules' parameters from the section. */
export function executionRules(c: ExecutionConfig): ExecutionRules {
  const classes: Record<InstrumentClass, SpreadThresholds> = {
    index_options: c.spread_index_options,
    stock_options: c.spread_stock_options,
    commodity_options: c.spread_commodity_options,
    futures: c.spread_futures,
    commodity: c.spread_commodity,
    equity: c.spread_equity,
  };
  return {
    spread: { classes, tight_max_ticks: c.spread_tight_max_ticks, normal_max_ticks: c.spread_normal_max_ticks },
    liquidity: { high: c.liquidity_high, medium: c.liquidity_medium, low: c.liquidity_low },
    limit_buffer_ticks: c.limit_buffer_ticks,
  };
}
