/**
 * Margin in use, as the `max_margin_utilization_pct` limit measures it: for one fund segment,
 * the margin blocked (Kite's `utilised.debits`) as a % of the segment's whole margin (blocked +
 * Kite's `net`, what is left). Equity and commodity funds are separate at Zerodha; the account's
 * figure is the higher of the two, since either running out stops trading in it.
 */
import type { SegmentMargin } from '../broker/broker.js';

export interface SegmentUse {
  /** Blocked: Kite's `utilised.debits`. */
  used: number;
  /** Free: Kite's `net`. */
  available: number;
}

/** A segment's figures from GET /user/margins, or null when the segment is missing or disabled. */
export function segmentUse(m: SegmentMargin | undefined): SegmentUse | null {
  if (!m || m.enabled === false) return null;
  const used = m.utilised?.debits;
  return {
    used: typeof used === 'number' && Number.isFinite(used) ? used : 0,
    available: Number.isFinite(m.net) ? m.net : 0,
  };
}

/** used / (used + available) x 100, or null when the segment has no margin at all. */
export function utilisationPct(s: SegmentUse, required = 0): number | null {
  const total = s.used + s.available;
  return total > 0 ? ((s.used + required) / total) * 100 : null;
}

/** The highest utilisation among the segments known (null when none is). */
export function accountUtilisationPct(segments: readonly (SegmentUse | null)[]): number | null {
  let worst: number | null = null;
  for (const s of segments) {
    const u = s ? utilisationPct(s) : null;
    if (u !== null && (worst === null || u > worst)) worst = u;
  }
  return worst;
}
