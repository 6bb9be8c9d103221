import { EXCHANGES, type Exchange } from '../domain/instrument.js';
import { sessionAt } from '../market/sessions.js';
import type { HkOrder } from './types.js';

/**
 * When som acts on an orphan, and when it leaves it alone:
 * - An orphan stands while it is live: som keeps trying to cancel (or reduce) it, backing off
 *   between failed attempts, and never gives up while the danger stands. The minute sweep
 *   tries again whatever the backoff says, and so does a user's `som orphans cleanup` or
 *   `som orphans mark`.
 * - The exchange ends a regular order at the close (DAY orders are cancelled, IOC orders long
 *   before): outside the exchange's sessions such an order is the exchange's to end, and a
 *   cancel would only be refused. AMO orders (waiting for the next session) and GTT triggers
 *   live on, and are acted on at any hour.
 */

/** Wait after the n-th failed attempt (n = 1, 2, ...); the last value repeats. */
export const CLEANUP_BACKOFF_SECONDS: readonly number[] = [1, 2, 5, 10, 30, 60];

/** How long to wait after `attempts` failed attempts before the next. */
export function cleanupBackoffMs(attempts: number, table: readonly number[] = CLEANUP_BACKOFF_SECONDS): number {
  if (attempts <= 0) return 0;
  const seconds = table[Math.min(attempts, table.length) - 1] ?? 60;
  return seconds * 1000;
}

/** After this many failed attempts the alert tells the user to act themselves. */
export const CLEANUP_ATTEMPTS_BEFORE_CRITICAL = 3;

/**
 * Why som does not act on an orphan now, or null when it should: the exchange ends it at the
 * close, a failed attempt's backoff, or a square-off that is cancelling the position's orders itself.
 */
export type Deferral =
  | { kind: 'exchange-ends'; message: string }
  | { kind: 'backoff'; message: string; until: string }
  | { kind: 'square-off'; message: string };

/**
 * Whether to act on an orphan now. `trigger` is what asked: an order update or a scheduled
 * job respects the backoff; the minute sweep and a user's command do not.
 */
export function cleanupDeferral(
  order: Pick<HkOrder, 'exchange' | 'variety' | 'gtt'>,
  retry: { attempts: number; nextAt: string | null },
  now: Date,
  trigger: 'event' | 'sweep' | 'user',
): Deferral | null {
  if (exchangeEndsIt(order, now)) {
    return {
      kind: 'exchange-ends',
      message: `${order.exchange} is closed: the exchange ends regular orders at the close, nothing to cancel`,
    };
  }
  if (trigger === 'event' && retry.nextAt !== null && Date.parse(retry.nextAt) > now.getTime()) {
    return {
      kind: 'backoff',
      message: `attempt ${retry.attempts + 1} is due at ${retry.nextAt}`,
      until: retry.nextAt,
    };
  }
  return null;
}

/** A regular order (not an AMO, not a GTT) while its exchange is outside every session of the day. */
export function exchangeEndsIt(order: Pick<HkOrder, 'exchange' | 'variety' | 'gtt'>, now: Date): boolean {
  if (order.gtt || order.variety !== 'regular') return false;
  if (!(EXCHANGES as readonly string[]).includes(order.exchange)) return false;
  return sessionAt(now, order.exchange as Exchange).phase === 'closed';
}
