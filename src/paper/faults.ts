import { z } from 'zod';
import { hashSeed, Rng } from './market/rng.js';

/**
 * Fault injection: what a real Kite does to a client on a bad day, on demand. Set through the
 * admin endpoint (POST /paper/admin/faults) or the paper config; every random decision comes
 * from a seeded generator so a fault test fails the same way every run.
 */
export const FAULT_KINDS = ['429', '500', '502', '503', '504', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultSettingsSchema = z
  .object({
    /** Added to every REST response, milliseconds. */
    latency_ms: z.number().int().min(0).max(60_000).default(0),
    /**
     * Per-endpoint error injection: a path prefix (e.g. "/orders", "/quote", "*") to the
     * kind of failure and the share of requests it hits (0..1).
     */
    errors: z
      .array(
        z
          .object({
            path: z.string().min(1),
            method: z.enum(['GET', 'POST', 'PUT', 'DELETE', '*']).default('*'),
            kind: z.enum(FAULT_KINDS),
            rate: z.number().min(0).max(1).default(1),
            /** How many requests this rule may still hit; absent for no limit. */
            count: z.number().int().positive().optional(),
          })
          .strict(),
      )
      .default([]),
    /** Reject the next N orders placed, with Kite's RMS rejection. */
    reject_next_orders: z.number().int().min(0).default(0),
    /**
     * The next N order placements are accepted by the exchange, then the HTTP connection is
     * reset before the answer: the client cannot know the order exists (the duplicate-order trap).
     */
    drop_after_accept: z.number().int().min(0).default(0),
    /** Stop sending ticks (the socket stays up: a stalled feed, not a dropped one). */
    stall_ticks: z.boolean().default(false),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export type FaultDecision = { kind: 'none' } | { kind: FaultKind; status: number; message: string; errorType: string };

/** Kite's own answers for each injected failure (messages as its gateway and API send them). */
const FAULT_RESPONSES: Record<Exclude<FaultKind, 'reset'>, { status: number; errorType: string; message: string }> = {
  '429': { status: 429, errorType: 'NetworkException', message: 'Too many requests' },
  '500': { status: 500, errorType: 'GeneralException', message: 'Internal server error' },
  '502': { status: 502, errorType: 'NetworkException', message: 'Request failed (kitetrade-oms).' },
  '503': { status: 503, errorType: 'NetworkException', message: 'Service unavailable' },
  '504': { status: 504, errorType: 'NetworkException', message: 'Gateway timeout' },
};

export class Faults {
  #settings: FaultSettings;
  readonly #rng: Rng;

  constructor(seed: number, settings: Partial<FaultSettings> = {}) {
    this.#rng = new Rng(hashSeed(seed));
    this.#settings = faultSettingsSchema.parse(settings);
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** Replace the fault settings (admin endpoint); values are validated. */
  set(settings: unknown): FaultSettings {
    this.#settings = faultSettingsSchema.parse(settings);
    return this.#settings;
  }

  clear(): void {
    this.#settings = faultSettingsSchema.parse({});
  }

  /** Whether this request fails, and how. Consumes counted rules. */
  decide(method: string, path: string): FaultDecision {
    for (const rule of this.#settings.errors) {
      if (rule.method !== '*' && rule.method !== method) continue;
      if (rule.path !== '*' && !path.startsWith(rule.path)) continue;
      if (rule.count !== undefined && rule.count <= 0) continue;
      // uniform() is in (0, 1): a rule at rate 1 always hits, one at rate 0 never does.
      if (this.#rng.uniform() >= rule.rate) continue;
      if (rule.count !== undefined) rule.count--;
      if (rule.kind === 'reset') return { kind: 'reset', status: 0, message: 'connection reset', errorType: '' };
      return { kind: rule.kind, ...FAULT_RESPONSES[rule.kind] };
    }
    return { kind: 'none' };
  }

  /** True (and counted) when the next order must be rejected by injection. */
  takeOrderRejection(): boolean {
    if (this.#settings.reject_next_orders <= 0) return false;
    this.#settings.reject_next_orders--;
    return true;
  }

  /** True (and counted) when this placement must be accepted and its answer dropped. */
  takeDropAfterAccept(): boolean {
    if (this.#settings.drop_after_accept <= 0) return false;
    this.#settings.drop_after_accept--;
    return true;
  }
}
