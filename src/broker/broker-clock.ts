import type { Clock } from '../market/clock.js';

/**
 * somd keeps time by its broker. Every REST answer carries the server's clock in its HTTP
 * `Date` header; when the host's clock and the broker's disagree by more than the header's
 * resolution can explain, the broker's wins. Against the real Kite this corrects a host clock
 * that drifted (the MIS square-off, the session's 06:00 expiry and the trading day are the
 * exchange's, not the host's); against a paper exchange whose market runs on another day
 * (`som paper serve` starts at the next session when the market is shut) it puts somd on the
 * paper market's day, so both agree on which fills are today's.
 *
 * The offset changes only by jumps larger than `toleranceMs`: the header has whole seconds,
 * and a clock that wobbled by a second with every answer would run backwards now and then.
 */
export class BrokerClock implements Clock {
  readonly #wall: () => number;
  readonly #toleranceMs: number;
  #offsetMs = 0;
  #observedAt: number | null = null;

  constructor(options: { toleranceMs?: number; wall?: () => number } = {}) {
    this.#wall = options.wall ?? Date.now;
    this.#toleranceMs = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  }

  now(): Date {
    return new Date(this.#wall() + this.#offsetMs);
  }

  /** How far the broker's clock is ahead of the host's (negative: behind), as adopted. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Host time of the last answer that carried the broker's clock, or null before the first. */
  get observedAt(): Date | null {
    return this.#observedAt === null ? null : new Date(this.#observedAt);
  }

  /**
   * An answer arrived with this `Date` header at host time `receivedAtMs`. Returns the new
   * offset when it was adopted (a jump), else null.
   */
  observe(dateHeader: string | undefined, receivedAtMs = this.#wall()): number | null {
    if (!dateHeader) return null;
    const serverMs = Date.parse(dateHeader);
    if (Number.isNaN(serverMs)) return null;
    this.#observedAt = receivedAtMs;
    // The header truncates to the second: the server's time lies within the following second.
    const estimate = serverMs + 500 - receivedAtMs;
    if (Math.abs(estimate - this.#offsetMs) <= this.#toleranceMs) return null;
    this.#offsetMs = Math.abs(estimate) <= this.#toleranceMs ? 0 : estimate;
    return this.#offsetMs;
  }
}

/** Whole seconds in the header, plus the request's own latency: differences within this are noise. */
export const DEFAULT_TOLERANCE_MS = 2_000;
