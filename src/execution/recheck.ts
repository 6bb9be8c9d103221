import type { ExecutionAnalysis } from './analyze.js';
import { decisionSeverity } from './decision.js';
import { sig } from './format.js';
import { compare } from './tolerance.js';

/** What of an analysis the user saw and agreed to: the parts a re-check compares. */
export type ShownAnalysis = Pick<ExecutionAnalysis, 'decision' | 'limit_price' | 'quantity'> & {
  impact: Pick<ExecutionAnalysis['impact'], 'bps' | 'unfilled_quantity'>;
};

/** How much worse the market may get before the user is asked again (config `[execution]`). */
export interface RecheckTolerance {
  /** reask_cost_bps: a rise of the expected cost against the mid, basis points. */
  cost_bps: number;
  /** reask_unfilled_pct: growth of the quantity without a visible price, % of the order. */
  unfilled_pct: number;
}

/** Why the market is worse now than when the user looked. */
export interface Worsening {
  code: 'DECISION_WORSE' | 'COST_HIGHER' | 'BOOK_THINNER' | 'NO_LIMIT_PRICE';
  message: string;
}

/**
 * Whether the market got worse between the analysis the user was shown and one made as they
 * answered "Use LIMIT" or "Proceed": then they are asked again instead of the order going out.
 *
 * Worse means any of:
 * - the decision is more severe (EXECUTE_LIMIT -> ALERT_USER_HIGH_COST, ...);
 * - the expected cost against the mid (impact bps: half the spread plus walking the book) rose by
 *   more than `tolerance.cost_bps` (config execution.reask_cost_bps): a cost is relative to the mid, so
 *   the market merely moving is not a worsening, a wider or thinner book is;
 * - the quantity with no visible price grew by more than `tolerance.unfilled_pct` % of the order
 *   (config execution.reask_unfilled_pct): depth is redrawn tick by tick, a few shares either
 *   way are the book breathing;
 * - for "Use LIMIT": no valid limit price now.
 * A book that moved in the user's favour is never worse. Returns every worsening found (empty:
 * not worse).
 */
export function worsenings(
  shown: ShownAnalysis,
  fresh: ShownAnalysis,
  choice: 'limit' | 'proceed',
  tolerance: RecheckTolerance,
): Worsening[] {
  const out: Worsening[] = [];
  if (decisionSeverity(fresh.decision) > decisionSeverity(shown.decision)) {
    out.push({ code: 'DECISION_WORSE', message: `the decision is now ${fresh.decision}, was ${shown.decision}` });
  }
  if (compare(fresh.impact.bps - shown.impact.bps, tolerance.cost_bps) > 0) {
    out.push({
      code: 'COST_HIGHER',
      message: `the expected cost against the mid rose from ${sig(shown.impact.bps)} to ${sig(fresh.impact.bps)} bps`,
    });
  }
  const grew = fresh.impact.unfilled_quantity - shown.impact.unfilled_quantity;
  if (grew > 0 && compare(grew, (shown.quantity * tolerance.unfilled_pct) / 100) > 0) {
    out.push({
      code: 'BOOK_THINNER',
      message: `${fresh.impact.unfilled_quantity} of the quantity have no visible price now, ${shown.impact.unfilled_quantity} before`,
    });
  }
  if (choice === 'limit' && fresh.limit_price === null) {
    out.push({ code: 'NO_LIMIT_PRICE', message: 'no valid limit price exists now' });
  }
  return out;
}
