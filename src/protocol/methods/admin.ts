import { z } from 'zod';

const empty = z.object({}).strict().default({});

/** What started a job's run: its cron schedule, `som admin run`, or daemon start-up. */
export const jobTriggerSchema = z.enum(['schedule', 'manual', 'start']);
export type JobTrigger = z.infer<typeof jobTriggerSchema>;

/** One scheduled job as `som admin jobs` shows it. Instants are ISO strings on the daemon's clock. */
export const jobStatusSchema = z.object({
  name: z.string(),
  /** Cron pattern (5 fields, or 6 with seconds first), read as Asia/Kolkata wall time. */
  schedule: z.string(),
  description: z.string(),
  /** Occurrences on days NSE does not trade (weekends, exchange holidays) are skipped. */
  tradingDaysOnly: z.boolean(),
  runAtStart: z.boolean(),
  /** A run is in progress now. */
  busy: z.boolean(),
  lastRunAt: z.string().nullable(),
  lastTrigger: jobTriggerSchema.nullable(),
  /** Wall-clock milliseconds the last run took. */
  durationMs: z.number().nullable(),
  /** What the last run returned, or `error: <message>` when it threw. */
  lastResult: z.string().nullable(),
  /** Null when the pattern has no further occurrence (or none on a trading day). */
  nextRunAt: z.string().nullable(),
  runs: z.number().int(),
  failures: z.number().int(),
  /** Scheduled occurrences dropped because the previous run had not finished. */
  skippedWhileBusy: z.number().int(),
  /** Scheduled occurrences folded into one run because the clock jumped past them. */
  coalesced: z.number().int(),
});
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** The outcome of one run started by `admin.run`. */
export const jobRunResultSchema = z.object({
  job: z.string(),
  /** False when the job threw; `result` then reads `error: <message>`. */
  ok: z.boolean(),
  result: z.string(),
  durationMs: z.number(),
  /** When the run started, on the daemon's clock. */
  at: z.string(),
});
export type JobRunResult = z.infer<typeof jobRunResultSchema>;

export const adminMethods = {
  /** Every scheduled job with its last and next run. */
  'admin.jobs': {
    params: empty,
    result: z.object({ jobs: z.array(jobStatusSchema) }),
  },
  /** Run one job now, outside its schedule, and wait for its result. */
  'admin.run': {
    params: z.object({ job: z.string().min(1) }).strict(),
    result: jobRunResultSchema,
  },
} as const;
