import { describe, expect, it } from 'vitest';
import { decideExecution, spreadVerdict, type Verdict } from '../../src/execution/decision.js';
import type { Spread } from '../../src/execution/spread.js';
import { DEFAULT_SPREAD_RULES } from '../../src/execution/spread.js';
import { AGGRESSIVE, CONSERVATIVE, DEFAULT } from './books.js';

const spread = (over: Partial<Spread>): Spread => ({
  abs: 0.1,
  pct: 0.1,
  ticks: 2,
  category: 'TIGHT',
  pct_category: 'TIGHT',
  capped_by_ticks: false,
  ...over,
});

describe('the spread verdict', () => {
  it("never holds a spread of one or two ticks against the strategy's % line", () => {
    // A 2.00 / 2.10 option: 2 ticks, 4.88%: NORMAL by the tick rule, above every profile's max %.
    const twoTicks = spread({
      ticks: 2,
      pct: 4.88,
      category: 'NORMAL',
      pct_category: 'VERY_WIDE',
      capped_by_ticks: true,
    });
    for (const s of [CONSERVATIVE, DEFAULT, AGGRESSIVE]) {
      expect(spreadVerdict(twoTicks, s, DEFAULT_SPREAD_RULES)).toMatchObject({
        decision: 'EXECUTE_LIMIT',
        reason: { code: 'SPREAD_NORMAL' },
      });
    }
  });

  it("a strategy's max % above the class's VERY_WIDE line accepts the spread as a LIMIT", () => {
    const veryWide = spread({ ticks: 30, pct: 1.5, category: 'VERY_WIDE', pct_category: 'VERY_WIDE' });
    expect(spreadVerdict(veryWide, { ...DEFAULT, max_order_spread_pct: 2 }, DEFAULT_SPREAD_RULES)).toMatchObject({
      decision: 'EXECUTE_LIMIT',
      reason: { code: 'SPREAD_ACCEPTED' },
    });
    expect(spreadVerdict(veryWide, DEFAULT, DEFAULT_SPREAD_RULES).decision).toBe('REQUIRE_APPROVAL');
  });

  it("a strategy's max % below the TIGHT line alerts even on a tight spread", () => {
    const tight = spread({ ticks: 4, pct: 0.15, category: 'TIGHT' });
    expect(spreadVerdict(tight, { ...DEFAULT, max_order_spread_pct: 0.1 }, DEFAULT_SPREAD_RULES)).toMatchObject({
      decision: 'ALERT_USER_HIGH_COST',
      reason: { code: 'SPREAD_ABOVE_LIMIT' },
    });
  });
});

describe('combining verdicts', () => {
  const v = (decision: Verdict['decision'], code: Verdict['reason']['code']): Verdict => ({
    decision,
    reason: { code, message: code },
  });

  it('the most severe wins; ALERT is held only when the strategy requires approval', () => {
    const verdicts = [
      v('EXECUTE_MARKET', 'SPREAD_TIGHT'),
      v('ALERT_USER_HIGH_COST', 'IMPACT_HIGH'),
      v('EXECUTE_LIMIT', 'LIQUIDITY_MEDIUM'),
    ];
    expect(decideExecution(verdicts, DEFAULT)).toMatchObject({ decision: 'ALERT_USER_HIGH_COST', hold: true });
    expect(decideExecution(verdicts, AGGRESSIVE)).toMatchObject({ decision: 'ALERT_USER_HIGH_COST', hold: false });
    expect(decideExecution(verdicts, DEFAULT).reasons.map((r) => r.code)).toEqual([
      'IMPACT_HIGH',
      'LIQUIDITY_MEDIUM',
      'SPREAD_TIGHT',
    ]);
  });

  it('REQUIRE_APPROVAL is held whatever the strategy says', () => {
    const d = decideExecution([v('REQUIRE_APPROVAL', 'BOOK_INSUFFICIENT')], AGGRESSIVE);
    expect(d).toMatchObject({ decision: 'REQUIRE_APPROVAL', hold: true });
  });

  it('leaves the limit price out of a MARKET decision and keeps it for a LIMIT one', () => {
    const market = decideExecution([v('EXECUTE_MARKET', 'SPREAD_TIGHT'), v('EXECUTE_MARKET', 'LIMIT_PRICE')], DEFAULT);
    expect(market.reasons.map((r) => r.code)).toEqual(['SPREAD_TIGHT']);
    const limit = decideExecution([v('EXECUTE_LIMIT', 'SPREAD_NORMAL'), v('EXECUTE_MARKET', 'LIMIT_PRICE')], DEFAULT);
    expect(limit.reasons.map((r) => r.code)).toEqual(['SPREAD_NORMAL', 'LIMIT_PRICE']);
  });
});
