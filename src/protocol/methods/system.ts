import { z } from 'zod';

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
        detail: z.string(),
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
