import { z } from 'zod';
import { riskStatusSummarySchema } from './risk.js';

export const brokerModeSchema = z.enum(['paper', 'kite']);
export type BrokerMode = z.infer<typeof brokerModeSchema>;

const empty = z.object({}).strict().default({});

export const systemMethods = {
  /** Identity of the daemon, so the CLI can refuse a mismatched one. */
  'system.hello': {
    params: empty,
    result: z.object({
      version: z.string(),
      protocol: z.number().int(),
      mode: brokerModeSchema,
      startedAt: z.string(),
      pid: z.number().int(),
    }),
  },
  /** Health of every part of the daemon; grows as capabilities arrive. */
  'system.status': {
    params: empty,
    result: z.object({
      version: z.string(),
      protocol: z.number().int(),
      mode: brokerModeSchema,
      pid: z.number().int(),
      startedAt: z.string(),
      uptimeSeconds: z.number(),
      now: z.string(),
      socket: z.string(),
      home: z.string(),
      config: z.object({ path: z.string().nullable(), loadedAt: z.string() }),
      store: z.object({
        ok: z.boolean(),
        path: z.string(),
        schemaVersion: z.number().int(),
        sizeBytes: z.number().int(),
        error: z.string().optional(),
      }),
      broker: z.object({
        mode: brokerModeSchema,
        state: z.enum(['not_configured', 'connecting', 'connected', 'degraded', 'disconnected']),
        /**
         * The clock somd's rules run on: the paper market's, the broker's (learnt from its
         * answers; `offset_ms` ahead of the host's) or the host's.
         */
        clock: z.object({
          source: z.enum(['paper', 'broker', 'system']),
          offset_ms: z.number(),
          observed_at: z.string().nullable(),
        }),
        detail: z.string(),
        session: z.object({
          state: z.enum(['none', 'valid', 'expired', 'invalid']),
          detail: z.string(),
          user_id: z.string().nullable(),
          login_time: z.string().nullable(),
          /** Kite tokens die at 06:00 IST the day after login. */
          expires_at: z.string().nullable(),
        }),
        /** Paused while the session or the link cannot be trusted; resumes by itself. */
        placement: z.object({ paused: z.boolean(), reason: z.string().nullable() }),
        /** Each health check's last result (api, session, websocket, ticks, order_latency). */
        checks: z.array(
          z.object({
            name: z.string(),
            ok: z.boolean(),
            detail: z.string(),
            at: z.string(),
            latencyMs: z.number().nullable(),
          }),
        ),
        ticker: z.object({
          state: z.string(),
          detail: z.string(),
          subscribed: z.number().int(),
          lastTickAt: z.string().nullable(),
          reconnects: z.number().int(),
        }),
        account: z.object({
          lastRefreshAt: z.string().nullable(),
          lastUpdateAt: z.string().nullable(),
          updatesApplied: z.number().int(),
          updatesRefused: z.number().int(),
        }),
      }),
      instruments: z.object({
        count: z.number().int(),
        downloadedAt: z.string().nullable(),
        tradingDay: z.string().nullable(),
      }),
      scheduler: z.object({
        running: z.boolean(),
        jobs: z.array(
          z.object({
            name: z.string(),
            schedule: z.string(),
            lastRunAt: z.string().nullable(),
            lastResult: z.string().nullable(),
            nextRunAt: z.string().nullable(),
          }),
        ),
      }),
      /** Trading state and the smallest headroom of any limit, per strategy and for the account. */
      risk: riskStatusSummarySchema.optional(),
      connections: z.number().int(),
      requestsServed: z.number().int(),
      /** Present in paper mode: where the built-in paper exchange listens, and its market time. */
      paper: z
        .object({
          restRoot: z.string(),
          wsRoot: z.string(),
          now: z.string(),
          speed: z.number(),
          seed: z.number().int(),
          instruments: z.number().int(),
        })
        .optional(),
    }),
  },
} as const;
