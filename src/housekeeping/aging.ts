import { EXCHANGES, type Exchange } from '../domain/instrument.js';
import { sessionAt } from '../market/sessions.js';
import { byStrategyThenOrder, CANCEL_PENDING, isLive, orderTimeMs } from './order-facts.js';
import type { HkOrder, HkSettings } from './types.js';

/**
 * Order aging: open orders that have waited too long. Thresholds are the strategy's
 * settings (by default: notify after 1 hour, cancel after 4 if allowed, archive
 * after a day).
 *
 * Choices:
 * - Age runs from order_timestamp, which Kite moves on every modification: an order the user
 *   just modified is being looked after, so its clock restarts.
 * - An AMO (variety `amo`) ages from the first normal session that opens after it was placed:
 *   an order placed on Friday evening for Monday's open is not stale on Sunday. One still
 *   parked (AMO REQ RECEIVED) therefore does not age at all.
 * - Entries and protective orders do not age alike. An entry left unfilled is what aging is
 *   for: notify, cancel (if the strategy allows), archive. A stop or target is meant to rest
 *   as long as its position is open; cancelling it for its age would leave the position
 *   unprotected, and its end is the orphan rules' business. So stops and targets are only
 *   archived when stale. An order whose role is not decided yet is notified and archived but
 *   never cancelled, since it may be a stop.
 * - An order already being cancelled (CANCEL PENDING) is only archived when stale.
 * - "Older than N" means at least N: a sweep at exactly the threshold acts.
 * - At most one decision per order, the strongest: archive, else cancel, else notify. Archive
 *   wins because a regular Kite order lives one day at most: one som still holds open after
 *   the archive threshold is stale data, and a cancel for it would only be refused. A notify
 *   goes out once per order (`alreadyNotified`, kept by the caller).
 * - An order without a usable order_timestamp has no age and gets no decision.
 */

export type AgingDecisionKind = 'notify' | 'cancel' | 'archive';

export interface AgingDecision {
  kind: AgingDecisionKind;
  order_id: string;
  strategy_id: number;
  /** Whole minutes since the order started aging. */
  age_minutes: number;
  /** The threshold that was reached, in minutes. */
  threshold_minutes: number;
  explanation: string;
}

const MINUTE_MS = 60_000;

/**
 * The aging decisions for `openOrders` at `now` (orders that are not live are skipped).
 * Results are sorted by strategy, then order id.
 */
export function agingDecisions(
  openOrders: readonly HkOrder[],
  now: Date,
  settingsFor: (strategyId: number) => HkSettings,
  alreadyNotified: ReadonlySet<string> = new Set(),
): AgingDecision[] {
  const nowMs = now.getTime();
  const out: AgingDecision[] = [];
  for (const o of openOrders) {
    if (!isLive(o)) continue;
    const start = agingStartMs(o);
    if (Number.isNaN(start)) continue;
    const ageMs = nowMs - start;
    const age = Math.floor(ageMs / MINUTE_MS);
    const s = settingsFor(o.strategy_id);
    const archiveMin = s.order_age_archive_hours * 60;
    const cancelMin = s.order_age_cancel_minutes;
    const notifyMin = s.order_age_notify_minutes;
    const reached = (minutes: number): boolean =>
      Number.isFinite(minutes) && minutes > 0 && ageMs >= minutes * MINUTE_MS;
    const what = `${o.order_type} ${o.transaction_type} ${o.quantity} ${o.exchange}:${o.tradingsymbol} (${o.role ?? 'role undecided'})`;
    const decide = (kind: AgingDecisionKind, threshold: number, text: string): void => {
      out.push({
        kind,
        order_id: o.order_id,
        strategy_id: o.strategy_id,
        age_minutes: age,
        threshold_minutes: threshold,
        explanation: `${what}: ${text}`,
      });
    };

    if (reached(archiveMin)) {
      decide('archive', archiveMin, `open for ${age} minutes, past ${s.order_age_archive_hours} hours: stale, archive`);
      continue;
    }
    if (o.status === CANCEL_PENDING) continue;
    const protective = o.role === 'stop' || o.role === 'target';
    if (protective) continue;
    if (o.role === 'entry' && s.cancel_aged_orders && reached(cancelMin)) {
      decide('cancel', cancelMin, `open for ${age} minutes, past ${cancelMin}: cancel`);
      continue;
    }
    if (reached(notifyMin) && !alreadyNotified.has(o.order_id)) {
      decide('notify', notifyMin, `open for ${age} minutes, past ${notifyMin}`);
    }
  }
  return out.sort(byStrategyThenOrder);
}

/**
 * When the order started aging, epoch ms (NaN when unknown): its order_timestamp, or for an
 * AMO placed outside the normal session the next normal session's open on its exchange.
 */
export function agingStartMs(o: HkOrder): number {
  const placed = orderTimeMs(o);
  if (Number.isNaN(placed) || o.variety !== 'amo' || !isExchange(o.exchange)) return placed;
  const state = sessionAt(new Date(placed), o.exchange);
  return state.phase === 'normal' ? placed : state.nextOpen.getTime();
}

function isExchange(x: string): x is Exchange {
  return (EXCHANGES as readonly string[]).includes(x);
}
