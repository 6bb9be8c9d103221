/**
 * Pacing order requests under a per-second rate (the exchange's 10 orders a second): when
 * each of a list of requests may go out, given the requests already sent in the last second.
 */

/** The rate's window. */
export const PACE_WINDOW_MS = 1000;

/**
 * Send times (epoch milliseconds) for `count` requests in order, at most `perSecond` in any
 * 1,000 ms, counting the requests at `recentMs`: those sent in the last second and those already
 * scheduled for later (a sender that asks one request at a time hands back the times it was
 * given). The first ones that fit go at `nowMs`; each later one when the request `perSecond`
 * places before it leaves the window.
 */
export function paceRequests(count: number, perSecond: number, recentMs: readonly number[], nowMs: number): number[] {
  const rate = Math.max(1, Math.floor(perSecond));
  // Every send time that can still hold a later request back, past or scheduled, in order.
  const sent = recentMs.filter((t) => t > nowMs - PACE_WINDOW_MS).sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const blocker = sent.length >= rate ? sent[sent.length - rate] : undefined;
    const at = blocker === undefined ? nowMs : Math.max(nowMs, blocker + PACE_WINDOW_MS);
    sent.push(at);
    out.push(at);
  }
  return out;
}
