import { BrokerError } from './errors.js';

export interface RetryOptions {
  /** Tries in all, the first included. Default 4. */
  attempts: number;
  /** Backoff cap of the first retry (doubled for each later one). Default 200 ms. */
  baseMs: number;
  /** Backoff cap never exceeds this. Default 3 s. */
  maxMs: number;
  /** Uniform in [0, 1). Default Math.random. */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Defaults for reads against Kite: four tries spread over at most ~1.4 s of backoff (caps
 * 200 + 400 + 800 ms), enough to ride out a 429 from a shared limit or a brief 5xx burst, short
 * enough that a caller with a deadline (a square-off) is told quickly that Kite is down.
 */
export const DEFAULT_RETRY: RetryOptions = {
  attempts: 4,
  baseMs: 200,
  maxMs: 3_000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Whether a failed READ may be tried again: no answer, a time-out, a 429, or Kite's
 * GeneralException (its 5xx "something unexpected went wrong"). Never a token, input, order,
 * margin, holding, permission or data error: those answer the same way every time.
 */
export function isRetryableRead(err: unknown): boolean {
  return err instanceof BrokerError && (err.retryable || err.kind === 'general');
}

/**
 * Run a read, retrying transient broker failures with exponential backoff and full jitter:
 * before retry n (0-based) wait `random() * min(maxMs, baseMs * 2^n)`. Full jitter spreads the
 * retries of many callers instead of having them hit Kite again in step. For READS only: a
 * write that failed ambiguously may have been carried out (see order-placement.ts).
 * Rethrows the last error when the tries run out, and any other error at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: Partial<RetryOptions> = {}): Promise<T> {
  const o = { ...DEFAULT_RETRY, ...options };
  const attempts = Math.max(1, Math.floor(o.attempts));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt + 1 >= attempts || !isRetryableRead(err)) throw err;
      const cap = Math.min(o.maxMs, o.baseMs * 2 ** attempt);
      await o.sleep(o.random() * cap);
    }
  }
}
