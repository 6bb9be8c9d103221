import { z } from 'zod';
import { chargeScheduleSchema } from '../costs/schedule-schema.js';
import { alertsConfigSchema } from './alerts.js';
import { auditConfigSchema } from './audit.js';
import { executionConfigSchema } from './execution.js';
import { reconcileConfigSchema } from './reconcile.js';
import { pnlConfigSchema, riskConfigSchema } from './risk.js';

/**
 * The daemon's configuration file (TOML). Every key has a default, so an empty or missing
 * file is a valid configuration; unknown keys are errors (a typo must not be silently
 * ignored). config.example.toml documents the same keys; a test keeps the two in step.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const configSchema = z
  .object({
    daemon: z
      .object({
        log_level: z.enum(LOG_LEVELS).default('info'),
        log_format: z.enum(['text', 'json']).default('text'),
      })
      .strict()
      .prefault({}),
    broker: z
      .object({
        /** auto: the real Kite when an api_key is configured, else the paper exchange. */
        mode: z.enum(['auto', 'paper', 'kite']).default('auto'),
        /** Kite Connect app key (public; the secret lives in a 0600 file, never here). */
        api_key: z.string().default(''),
        /** File holding the app's api_secret (mode 0600); relative paths are inside the state directory. */
        api_secret_file: z.string().min(1).default('kite_api_secret'),
        /**
         * Whose clock somd's rules run on: "broker" (the time in the broker's answers when it
         * differs from the host's by more than 2 s) or "system" (the host's). Paper mode always
         * runs on the paper market's clock.
         */
        clock: z.enum(['broker', 'system']).default('broker'),
        /** Kite Connect's REST root. */
        rest_root: z.url().default('https://api.kite.trade'),
        /** Kite's WebSocket root. */
        ws_root: z.url().default('wss://ws.kite.trade'),
        /** Kite's login page (the api_key is appended). */
        login_url: z.url().default('https://kite.zerodha.com/connect/login'),
        /** How long a REST call may take before it counts as timed out, milliseconds. */
        timeout_ms: z.number().int().min(500).max(60_000).default(7000),
        /** Safety-net refresh of orders, trades and positions over REST, seconds. */
        refresh_seconds: z.number().int().min(1).max(3600).default(30),
        /** A subscribed feed with no tick for this long during market hours is reported stale, seconds. */
        stale_ticks_seconds: z.number().int().min(1).max(3600).default(30),
        /** Health check schedule (cron, Asia/Kolkata). */
        health_schedule: z.string().min(1).default('* * * * *'),
        /** Instrument master download schedule (cron, Asia/Kolkata; Kite publishes it early each morning). */
        instruments_schedule: z.string().min(1).default('30 8 * * *'),
        /** A REST call slower than this fails the latency check, milliseconds. */
        max_api_latency_ms: z.number().int().min(1).default(3000),
        /** Median order placement latency above this fails the order-latency check, milliseconds. */
        max_order_latency_ms: z.number().int().min(1).default(2000),
      })
      .strict()
      .prefault({}),
    housekeeping: z
      .object({
        /** Orphan sweep over every open order (cron, Asia/Kolkata); updates trigger checks at once regardless. */
        sweep_schedule: z.string().min(1).default('* * * * *'),
        /** Cancel orders on expired instruments, archive expired positions: trading days. */
        expiry_schedule: z.string().min(1).default('0 9 * * *'),
        /** Order aging: notify, cancel (where allowed) and archive old open orders. */
        aging_schedule: z.string().min(1).default('*/15 * * * *'),
        /** End of day: owed jobs, reconciliation, a last sweep and the day's report: trading days, after the close. */
        eod_schedule: z.string().min(1).default('35 15 * * *'),
      })
      .strict()
      .prefault({}),
    paper: z
      .object({
        /** Same seed, same market: prices, depth and order ids repeat exactly. */
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .default(1),
        /** "auto", "real" or an ISO instant with offset (see src/paper/clock.ts). */
        clock: z.union([z.enum(['auto', 'real']), z.iso.datetime({ offset: true })]).default('auto'),
        /** Paper seconds per wall second. */
        speed: z.number().positive().max(10_000).default(1),
        /** Loopback port for the paper exchange's REST and WebSocket roots; 0 picks a free one. */
        port: z.number().int().min(0).max(65_535).default(0),
        /** The paper exchange's api_secret (it accepts any api_key with it); not a real secret. */
        api_secret: z.string().min(1).default('paper'),
        /** Cash the paper account opens with, rupees. */
        opening_balance: z.number().min(0).default(1_000_000),
        /** How often ticks are streamed, milliseconds (Kite streams about once a second). */
        tick_interval_ms: z.number().int().min(50).max(60_000).default(1000),
      })
      .strict()
      .prefault({}),
    costs: z
      .object({
        /**
         * Charge schedules beyond the built-in ones (src/costs/schedules.ts): each takes effect
         * from its `effective_from` and gives only the rates that change.
         */
        schedules: z.array(chargeScheduleSchema).default([]),
        /**
         * Warn (CHARGES_HIGH) when a leg's round-trip charges, entry plus exit, exceed this
         * percentage of its order value (price x quantity x multiplier: the premium, for options).
         */
        charges_warning_pct: z.number().min(0).max(100).default(5),
      })
      .strict()
      .prefault({}),
    execution: executionConfigSchema,
    risk: riskConfigSchema.prefault({}),
    pnl: pnlConfigSchema.prefault({}),
    audit: auditConfigSchema,
    reconcile: reconcileConfigSchema,
    alerts: alertsConfigSchema,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** The broker mode a configuration selects, before command-line flags. */
export function configuredMode(config: Config): 'paper' | 'kite' {
  if (config.broker.mode === 'auto') return config.broker.api_key ? 'kite' : 'paper';
  return config.broker.mode;
}
