import { SerialQueue } from '../util/serial-queue.js';
import { BrokerError } from './errors.js';

/** Kite's rate-limit classes: each endpoint counts against exactly one. */
export type RateClass = 'order' | 'quote' | 'historical' | 'other';

/** At most `max` requests in any `windowMs` milliseconds. */
export interface RateRule {
  windowMs: number;
  max: number;
}

/**
 * Kite Connect's published limits (kite.trade/docs/connect/v3/exceptions and the API limits
 * table in reference/india-markets.md §3), per api_key and user:
 * - quote endpoints (/quote, /quote/ohlc, /quote/ltp): 1 request/s;
 * - historical candles: 3 requests/s;
 * - order place / modify / cancel: 10 requests/s, 400/min, and 5,000 orders a day (rejected
 *   and cancelled ones count). Kite's day is the trading day; this table can only say "any 24
 *   hours", which is stricter, never looser;
 * - every other endpoint: 10 requests/s.
 * Over a limit Kite answers HTTP 429, and repeated excess can get an app blocked by RMS, so som
 * stays under the limits rather than relying on 429 and retries.
 */
export const KITE_RATE_LIMITS: Readonly<Record<RateClass, readonly RateRule[]>> = {
  order: [
    { windowMs: 1_000, max: 10 },
    { windowMs: 60_000, max: 400 },
    { windowMs: 86_400_000, max: 5_000 },
  ],
  quote: [{ windowMs: 1_000, max: 1 }],
  historical: [{ windowMs: 1_000, max: 3 }],
  other: [{ windowMs: 1_000, max: 10 }],
};

/** Where the limiter gets time from; tests pass a fake one so nothing really waits. */
export interface LimiterTime {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: LimiterTime = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiterOptions {
  limits?: Readonly<Record<RateClass, readonly RateRule[]>>;
  time?: LimiterTime;
  /**
   * Added to every window. A request leaves here when the window allows it but reaches Kite a
   * few milliseconds later, and network jitter can bring two requests sent a full window apart
   * closer together on arrival; the margin keeps them apart at Kite too. Default 50 ms.
   */
  guardMs?: number;
  /**
   * The longest a request may wait for its turn once it is at the head of the queue; beyond
   * that it is refused with a `rate_limit` BrokerError instead of being sent much later (a day
   * limit would otherwise hold an order until tomorrow). Default 65 s: a full minute window
   * plus margin, so only the day limit ever refuses.
   */
  maxWaitMs?: number;
}

/**
 * A client-side limiter that QUEUES: `acquire(cls)` resolves when a request of that class may
 * be sent now without breaking any of its class's rules. Waiters are served first come, first
 * served within a class; classes do not wait for each other. Sliding windows over the times
 * requests were let through.
 */
export class RateLimiter {
  readonly #limits: Readonly<Record<RateClass, readonly RateRule[]>>;
  readonly #time: LimiterTime;
  readonly #guardMs: number;
  readonly #maxWaitMs: number;
  /** Times (ms) requests of each class were let through, oldest first. */
  readonly #sent = new Map<RateClass, number[]>();
  /** Each class's waiters, first come, first served. */
  readonly #queues = new Map<RateClass, SerialQueue>();

  constructor(options: RateLimiterOptions = {}) {
    this.#limits = options.limits ?? KITE_RATE_LIMITS;
    this.#time = options.time ?? realTime;
    this.#guardMs = options.guardMs ?? 50;
    this.#maxWaitMs = options.maxWaitMs ?? 65_000;
  }

  /** Wait for this request's turn (FIFO within the class). Rejects only past `maxWaitMs`. */
  acquire(cls: RateClass): Promise<void> {
    let queue = this.#queues.get(cls);
    if (!queue) {
      queue = new SerialQueue();
      this.#queues.set(cls, queue);
    }
    return queue.run(() => this.#waitForRoom(cls));
  }

  /** Run `fn` once its class allows it. */
  async run<T>(cls: RateClass, fn: () => Promise<T>): Promise<T> {
    await this.acquire(cls);
    return fn();
  }

  async #waitForRoom(cls: RateClass): Promise<void> {
    const rules = this.#limits[cls];
    const sent = this.#sent.get(cls) ?? [];
    this.#sent.set(cls, sent);
    const longest = Math.max(0, ...rules.map((r) => r.windowMs + this.#guardMs));
    for (;;) {
      const now = this.#time.now();
      // Forget what no window can see any more.
      let drop = 0;
      while (drop < sent.length && sent[drop]! <= now - longest) drop++;
      if (drop > 0) sent.splice(0, drop);

      let wait = 0;
      for (const rule of rules) {
        const window = rule.windowMs + this.#guardMs;
        const inWindow = countAfter(sent, now - window);
        if (inWindow >= rule.max) {
          // Room appears when the oldest request that keeps the window full leaves it.
          const blocking = sent[sent.length - rule.max]!;
          wait = Math.max(wait, blocking + window - now);
        }
      }
      if (wait <= 0) {
        sent.push(now);
        return;
      }
      if (wait > this.#maxWaitMs) {
        throw new BrokerError(
          'rate_limit',
          `Kite's ${cls} request limit is used up for the next ${Math.ceil(wait / 1000)} s; not sending this request`,
        );
      }
      await this.#time.sleep(wait);
    }
  }
}

/** How many of the ascending `times` are later than `after`. */
function countAfter(times: readonly number[], after: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > after) hi = mid;
    else lo = mid + 1;
  }
  return times.length - lo;
}
