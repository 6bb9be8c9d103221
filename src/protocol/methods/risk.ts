import { z } from 'zod';
import { parseCalendarDate } from '../../domain/parse/date.js';
import { parsedBy } from '../parsed.js';
import { strategyRefSchema } from './strategies.js';

const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;

/** One limit evaluated: the figures `som risk` shows. */
export const limitViewSchema = z.object({
  key: z.string(),
  /** The limit as configured (rupees, %, units or orders, as the key says). */
  limit: z.number(),
  /** The measured value in the same unit. */
  value: z.number(),
  /** Room left, % of the limit (0-100). */
  headroom_pct: z.number(),
  /** ok, warn (from `[risk] warn_pct` % of the limit) or breach. */
  level: z.enum(['ok', 'warn', 'breach']),
  /** What the value is about where it is the worst of several (`EXCHANGE:SYMBOL` for position size). */
  subject: z.string().optional(),
});
export type LimitView = z.infer<typeof limitViewSchema>;

const pnlSchema = z.object({ realised: z.number(), unrealised: z.number(), charges: z.number(), net: z.number() });

/** A strategy (or the account: `strategy` null) with its trading state, limits and P&L today. */
export const riskScopeSchema = z.object({
  strategy: z.string().nullable(),
  state: z.enum(TRADING_STATES),
  /** The limit that moved the state, `manual` for `som halt`, null while ACTIVE. */
  reason: z.string().nullable(),
  since: z.string(),
  note: z.string().nullable(),
  /** Loss limits a forced resume acknowledged for the rest of the trading day. */
  acknowledged: z.array(z.string()),
  /** OK, WARNING, BREACHED or HALTED: the summary kept in strategies.risk_status. */
  risk_status: z.string(),
  pnl: pnlSchema,
  limits: z.array(limitViewSchema),
});
export type RiskScopeView = z.infer<typeof riskScopeSchema>;

export const breachViewSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  /** null: the account. */
  strategy: z.string().nullable(),
  key: z.string(),
  level: z.enum(['warn', 'breach']),
  limit: z.number(),
  value: z.number(),
  subject: z.string().nullable(),
  /** What som did (HALTED; square-off started, ...). */
  action: z.string(),
  square_off_run_id: z.number().int().nullable(),
});

export const squareOffViewSchema = z.object({
  id: z.number().int(),
  strategy: z.string(),
  cause: z.enum(['loss_limit', 'kill_switch', 'mis_start', 'mis_force']),
  status: z.enum(['running', 'done']),
  started_at: z.string(),
  escalate_at: z.string(),
  finished_at: z.string().nullable(),
  note: z.string().nullable(),
});

/** An open position whose first loss-limit exit is armed: its tag is on disk, ready to be sent on a breach. */
export const armedExitViewSchema = z.object({
  strategy: z.string(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  product: z.string(),
  tag: z.string(),
  armed_at: z.string(),
});

/** One MIS segment's timetable today. */
export const misSegmentViewSchema = z.object({
  segment: z.enum(['equity', 'fno', 'currency', 'commodity']),
  date: z.string(),
  /** closed (no session today), before, warn, start, force, after (the broker's own square-off). */
  phase: z.enum(['closed', 'before', 'warn', 'start', 'force', 'after']),
  warn: z.string().nullable(),
  start: z.string().nullable(),
  force: z.string().nullable(),
  broker: z.string().nullable(),
});

const stateResultSchema = z.object({
  scope: z.string(),
  state: z.enum(TRADING_STATES),
  reason: z.string().nullable(),
  since: z.string(),
  note: z.string().nullable(),
});

const snapshotPointSchema = z.object({
  at: z.string(),
  trigger: z.enum(['interval', 'fill', 'manual', 'live']),
  realised: z.number(),
  unrealised: z.number(),
  charges: z.number(),
  net: z.number(),
  margin_used: z.number().nullable(),
  delta: z.number(),
  gamma: z.number(),
  theta: z.number(),
  vega: z.number(),
});

const extremeSchema = z.object({ net: z.number(), at: z.string() });

/** One option position's Greeks with the inputs it was valued on (`som greeks --json`). */
export const greeksRowSchema = z.object({
  symbol: z.string(),
  quantity: z.number(),
  option_type: z.enum(['CE', 'PE']),
  strike: z.number(),
  /** The option's price used. */
  price: z.number(),
  /** The future's price the option was valued on (or spot carried to expiry). */
  underlying_price: z.number(),
  /** 0.15 = 15%; null at expiry. */
  iv: z.number().nullable(),
  t_years: z.number(),
  /** 0.065 = 6.5%. */
  rate: z.number(),
  delta: z.number(),
  gamma: z.number(),
  /** Rupees per unit per calendar day. */
  theta: z.number(),
  /** Rupees per unit per volatility point. */
  vega: z.number(),
});
export type GreeksRow = z.infer<typeof greeksRowSchema>;

const netGreeksSchema = z.object({ delta: z.number(), gamma: z.number(), theta: z.number(), vega: z.number() });

export const riskMethods = {
  /** `som risk`: states, limits and headroom per strategy and for the account, recent breaches and square-offs, the MIS timetable. */
  'risk.status': {
    params: z.object({}).strict().default({}),
    result: z.object({
      account: riskScopeSchema,
      strategies: z.array(riskScopeSchema),
      breaches: z.array(breachViewSchema),
      square_offs: z.array(squareOffViewSchema),
      armed_exits: z.array(armedExitViewSchema),
      mis: z.array(misSegmentViewSchema),
    }),
  },
  /** `som halt`: HALTED, working entries cancelled, and with `flatten` every position squared off. No strategy: the account. */
  'risk.halt': {
    params: z
      .object({
        strategy: strategyRefSchema.optional(),
        flatten: z.boolean().default(false),
        reason: z.string().max(500).optional(),
      })
      .strict(),
    result: stateResultSchema.extend({
      cancelled: z.array(z.string()),
      square_off_runs: z.array(z.number().int()),
    }),
  },
  /**
   * `som resume`: back to ACTIVE. No strategy: the account and every strategy not ACTIVE. A halt
   * by a loss limit lifts only with `force` on its own trading day.
   */
  'risk.resume': {
    params: z.object({ strategy: strategyRefSchema.optional(), force: z.boolean().default(false) }).strict(),
    result: z.object({
      resumed: z.array(stateResultSchema),
      refused: z.array(z.object({ scope: z.string(), reason: z.string() })),
    }),
  },
  /** `som pnl`: the day's M2M from the P&L snapshots, its highest, lowest and largest drawdown. */
  'pnl.show': {
    params: z
      .object({
        strategy: strategyRefSchema.optional(),
        date: parsedBy<string, string>((v) => parseCalendarDate(v)).optional(),
      })
      .strict()
      .default({}),
    result: z.object({
      date: z.string(),
      /** null: the account. */
      strategy: z.string().nullable(),
      points: z.array(snapshotPointSchema),
      max: extremeSchema.nullable(),
      min: extremeSchema.nullable(),
      drawdown: z.object({ amount: z.number(), from: extremeSchema, to: extremeSchema }).nullable(),
    }),
  },
  /** `som greeks`: per option position and net, with the inputs used. */
  'pnl.greeks': {
    params: z.object({ strategy: strategyRefSchema.optional() }).strict().default({}),
    result: z.object({
      at: z.string(),
      strategy: z.string().nullable(),
      positions: z.array(greeksRowSchema),
      net: netGreeksSchema,
      skipped: z.array(z.object({ symbol: z.string(), code: z.string(), message: z.string() })),
    }),
  },
} as const;

/** `som status`'s risk section: each scope's state and its smallest headroom. */
export const riskStatusSummarySchema = z.object({
  account: z.object({
    state: z.enum(TRADING_STATES),
    reason: z.string().nullable(),
    headroom_pct: z.number(),
    limits: z.array(limitViewSchema),
  }),
  strategies: z.array(
    z.object({
      strategy: z.string(),
      state: z.enum(TRADING_STATES),
      reason: z.string().nullable(),
      headroom_pct: z.number(),
      limits: z.array(limitViewSchema),
    }),
  ),
});
