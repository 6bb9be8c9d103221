import { describe, expect, it } from 'vitest';
import { type ShownAnalysis, worsenings } from '../../src/execution/recheck.js';

/** What the user saw: a LIMIT decision, 12 bps against the mid, 100 of 1,000 without a price. */
const SHOWN: ShownAnalysis = {
  decision: 'ALERT_USER_HIGH_COST',
  limit_price: 100.4,
  quantity: 1000,
  impact: { bps: 12, unfilled_quantity: 100 },
};
const TOLERANCE = { cost_bps: 5, unfilled_pct: 10 };
const codes = (fresh: Partial<ShownAnalysis>, choice: 'limit' | 'proceed' = 'proceed') =>
  worsenings(SHOWN, { ...SHOWN, ...fresh, impact: { ...SHOWN.impact, ...fresh.impact } }, choice, TOLERANCE).map(
    (w) => w.code,
  );

describe('is the market worse than when the user looked', () => {
  it('the same market, or a better one, is not', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ decision: 'EXECUTE_LIMIT', impact: { bps: 3, unfilled_quantity: 0 } })).toEqual([]);
  });

  it('a more severe decision is', () => {
    expect(codes({ decision: 'REQUIRE_APPROVAL' })).toEqual(['DECISION_WORSE']);
  });

  it('a cost against the mid up by more than the tolerance is; up to it is not', () => {
    // 12 + 5 = 17 bps is the most that passes.
    expect(codes({ impact: { bps: 17, unfilled_quantity: 100 } })).toEqual([]);
    expect(codes({ impact: { bps: 17.5, unfilled_quantity: 100 } })).toEqual(['COST_HIGHER']);
  });

  it('more quantity without a visible price, beyond the tolerance, is', () => {
    // 10% of 1,000 = 100 more may go unpriced: 200 passes, 201 does not.
    expect(codes({ impact: { bps: 12, unfilled_quantity: 200 } })).toEqual([]);
    expect(codes({ impact: { bps: 12, unfilled_quantity: 201 } })).toEqual(['BOOK_THINNER']);
  });

  it('Use LIMIT without a valid limit price now is; Proceed does not need one', () => {
    expect(codes({ limit_price: null }, 'limit')).toEqual(['NO_LIMIT_PRICE']);
    expect(codes({ limit_price: null }, 'proceed')).toEqual([]);
  });
});
