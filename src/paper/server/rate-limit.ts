import type { RateClass } from './router.js';

/**
 * Kite Connect's published limits (reference/india-markets.md §3; kite.trade/docs/connect/v3
 * exceptions page): quote 1/s, historical 3/s, order place/modify/cancel 10/s and 400/min,
 * everything else 10/s. Over a limit Kite answers HTTP 429.
 */
export const KITE_RATE_LIMITS: Record<Exclude<RateClass, 'none'>, { windowMs: number; max: number }[]> = {
  quote: [{ windowMs: 1000, max: 1 }],
  historical: [{ windowMs: 1000, max: 3 }],
  order: [
    { windowMs: 1000, max: 10 },
    { windowMs: 60_000, max: 400 },
  ],
  other: [{ windowMs: 1000, max: 10 }],
};

/**
 * Sliding-window counters per (api_key, class). Time comes from the caller so the limiter
 * follows the exchange's clock in tests. Rejected requests do not count.
 */
export class RateLimiter {
  readonly #hits = new Map<string, number[]>();
  #enabled: boolean;

  constructor(enabled = true) {
    this.#enabled = enabled;
  }

  set enabled(on: boolean) {
    this.#enabled = on;
  }

  /** True when the request may go ahead (and is counted); false for a 429. */
  allow(apiKey: string, cls: RateClass, nowMs: number): boolean {
    if (!this.#enabled || cls === 'none') return true;
    const rules = KITE_RATE_LIMITS[cls];
    const key = `${apiKey}\u0000${cls}`;
    const longest = Math.max(...rules.map((r) => r.windowMs));
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > nowMs - longest);
    for (const rule of rules) {
      const inWindow = hits.filter((t) => t > nowMs - rule.windowMs).length;
      if (inWindow >= rule.max) {
        this.#hits.set(key, hits);
        return false;
      }
    }
    hits.push(nowMs);
    this.#hits.set(key, hits);
    return true;
  }
}
