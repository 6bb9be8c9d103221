/**
 * The `[risk]` and `[pnl]` sections of the daemon's configuration: account-wide limits, the
 * warning level, the MIS square-off timetable per segment, how a square-off paces and prices
 * its exits, and the conventions of the P&L snapshots and their Greeks.
 *
 * Per-strategy limits are strategy settings (src/domain/strategy-settings.ts), not config.
 * config.example.toml documents every key with its default and why it was chosen.
 */
import { z } from 'zod';

/** `HH:MM`, an IST wall time. */
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * One step of the MIS timetable: a whole number of minutes before the broker's own
 * square-off that day (15: a quarter of an hour before Zerodha squares off), or a fixed IST
 * wall time `"HH:MM"`. Minutes follow the broker's time wherever it moves (MCX's close with
 * US daylight saving, a special session); a fixed time is for a user who wants a clock time.
 */
export const misStepSchema = z.union([
  z
    .number()
    .int()
    .min(1)
    .max(12 * 60),
  z.string().regex(HHMM, 'expected minutes before the broker\u2019s square-off, or "HH:MM"'),
]);
export type MisStep = z.infer<typeof misStepSchema>;

/**
 * The three steps of a segment's MIS square-off: alert, start squaring off, force what is left.
 *
 * Defaults: warn 15, start 10, force 5 minutes before the broker's own square-off, in every
 * segment. On an ordinary day that is equity 15:05 / 15:10 / 15:15 (Zerodha 15:20), F&O
 * 15:10 / 15:15 / 15:20 (Zerodha 15:25), currency 16:30 / 16:35 / 16:40 (Zerodha 16:45) and
 * MCX 22:50 / 22:55 / 23:00 in US daylight time, 23:15 / 23:20 / 23:25 otherwise (Zerodha 25
 * minutes before the 23:30 / 23:55 close). Five minutes from start to force lets exits work
 * at a protected price and be re-priced; five minutes from force to the broker is room for
 * escalated exits, retries after a rejection and the exchange's 10 orders a second on a large
 * book, and still ends 20 minutes before MCX's close should Zerodha's be 10 minutes before it.
 */
export const DEFAULT_MIS_MINUTES = { warn: 15, start: 10, force: 5 } as const;

export const misSegmentSchema = z
  .object({
    warn: misStepSchema.default(DEFAULT_MIS_MINUTES.warn),
    start: misStepSchema.default(DEFAULT_MIS_MINUTES.start),
    force: misStepSchema.default(DEFAULT_MIS_MINUTES.force),
  })
  .strict()
  .superRefine((s, ctx) => {
    // Steps of the same form must be in time order; mixed forms are ordered per day (see
    // src/risk/mis-timetable.ts), since a minute count's clock time depends on the day.
    const steps = [
      ['warn', s.warn],
      ['start', s.start],
      ['force', s.force],
    ] as const;
    for (let i = 1; i < steps.length; i++) {
      const [before, a] = steps[i - 1]!;
      const [name, b] = steps[i]!;
      const outOfOrder = typeof a === 'number' && typeof b === 'number' ? a < b : typeof a === typeof b && a > b;
      if (outOfOrder) ctx.addIssue({ code: 'custom', path: [name], message: `${name} must not come before ${before}` });
    }
  });
export type MisSegmentSteps = z.infer<typeof misSegmentSchema>;

const pct = z.number().finite().min(0).max(100);

export const riskConfigSchema = z
  .object({
    /** A limit warns once its value reaches this % of the limit. */
    warn_pct: z.number().finite().min(1).max(100).default(80),
    /** The account's loss today (realised + unrealised - charges, every strategy), rupees. */
    max_daily_loss: z.number().finite().min(0).default(100_000),
    /** New orders som may send for the account in any 60 seconds (Kite: 400). */
    max_orders_per_minute: z.number().int().min(1).max(400).default(300),
    /** New orders som may send for the account since IST midnight (Kite: 5,000 a day, rejected and cancelled included). */
    max_orders_per_day: z.number().int().min(1).max(5000).default(4000),
    /** MIS square-off steps per segment (see misStepSchema). */
    mis_equity: misSegmentSchema.prefault({}),
    mis_fno: misSegmentSchema.prefault({}),
    mis_currency: misSegmentSchema.prefault({}),
    mis_commodity: misSegmentSchema.prefault({}),
    /** Exit orders a square-off sends per second, all positions together (the exchange's limit: 10). */
    square_off_orders_per_second: z.number().int().min(1).max(10).default(10),
    /** A marketable exit is priced this % through the touch (the best bid for a sell). */
    square_off_protection_pct: pct.default(1),
    /** After the deadline, unfilled exits are re-priced this % through the touch. */
    square_off_escalation_protection_pct: pct.default(2.5),
    /** An unfilled exit is re-priced when it has rested this long, seconds. */
    square_off_reprice_seconds: z.number().finite().min(0.2).max(600).default(2),
    /** A loss-limit or kill-switch square-off escalates after this long, seconds (MIS: at its force step). */
    square_off_deadline_seconds: z.number().finite().min(1).max(3600).default(10),
    /** Modifications Kite accepts per order; one is kept back for the escalation. */
    max_modifications: z.number().int().min(2).max(100).default(25),
    /**
     * The risk check (cron, Asia/Kolkata): funds, settings and every share read again, every
     * limit evaluated, the trading day rolled over. Ticks and fills are evaluated as they come.
     */
    check_schedule: z.string().min(1).default('* * * * *'),
    /** When the MIS timetable is looked at (cron, Asia/Kolkata): each step is taken once, at its minute. */
    mis_schedule: z.string().min(1).default('* * * * *'),
  })
  .strict();
export type RiskConfig = z.infer<typeof riskConfigSchema>;

export const pnlConfigSchema = z
  .object({
    /**
     * Annual risk-free rate for Black-76 (discounting) and for carrying spot to a forward where
     * an option has no future of its expiry, as a fraction: 0.0525 = 5.25%, the RBI repo rate
     * as of February 2026 (reference section 6).
     */
    rate: z.number().finite().min(0).max(0.5).default(0.0525),
    /** P&L snapshots with Greeks are taken this often in each segment's market hours, minutes. */
    snapshot_interval_minutes: z.number().int().min(1).max(60).default(5),
  })
  .strict();
export type PnlConfig = z.infer<typeof pnlConfigSchema>;
