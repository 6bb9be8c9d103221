/**
 * A day's mark-to-market series (the P&L snapshots of a strategy or the account): its highest
 * and lowest net P&L, and its largest drawdown, each with when it happened.
 *
 * The drawdown is the largest fall of net P&L from a running peak to a later point: with
 * snapshots 0, +3,000, +1,000, +4,000, -500 it is 4,500 (from +4,000 to -500), not 3,500. A
 * series that never falls has a drawdown of 0, from and to its first point.
 */

export interface M2mPoint {
  /** ISO-8601 instant. */
  at: string;
  net: number;
}

export interface M2mExtreme {
  net: number;
  at: string;
}

export interface M2mDrawdown {
  /** The fall, rupees (0 or more). */
  amount: number;
  /** The peak it fell from. */
  from: M2mExtreme;
  /** The lowest point after that peak. */
  to: M2mExtreme;
}

export interface M2mSummary {
  max: M2mExtreme | null;
  min: M2mExtreme | null;
  drawdown: M2mDrawdown | null;
  last: M2mExtreme | null;
}

/** Highest, lowest, largest drawdown and last point of a series in time order (nulls when empty). */
export function m2mSummary(points: readonly M2mPoint[]): M2mSummary {
  const first = points[0];
  if (!first) return { max: null, min: null, drawdown: null, last: null };
  let max: M2mExtreme = { net: first.net, at: first.at };
  let min: M2mExtreme = { net: first.net, at: first.at };
  let peak: M2mExtreme = max;
  let drawdown: M2mDrawdown = { amount: 0, from: peak, to: peak };
  for (const p of points) {
    const here = { net: p.net, at: p.at };
    if (p.net > max.net) max = here;
    if (p.net < min.net) min = here;
    if (p.net > peak.net) peak = here;
    const fall = peak.net - p.net;
    if (fall > drawdown.amount) drawdown = { amount: fall, from: peak, to: here };
  }
  const last = points[points.length - 1]!;
  return { max, min, drawdown, last: { net: last.net, at: last.at } };
}
