import { describe, expect, it } from 'vitest';
import type { TransactionType } from '../../src/domain/order.js';
import { analyzeExecution, type ExecutionAnalysis } from '../../src/execution/analyze.js';
import type { ExecutionSettings } from '../../src/execution/decision.js';
import type { DepthSnapshot } from '../../src/execution/depth.js';
import { isExecutionError } from '../../src/execution/errors.js';
import {
  type LegRequest,
  orderForChoice,
  placeLeg,
  planAnswer,
  planTrade,
  sendingOrder,
} from '../../src/execution/placement.js';
import { AGGRESSIVE, DEFAULT, ladder, snap } from './books.js';

function analyze(s: DepthSnapshot, side: TransactionType, quantity: number, settings: ExecutionSettings = DEFAULT) {
  const a = analyzeExecution({ snapshot: s, side, quantity, settings });
  if (isExecutionError(a)) throw new Error(a.message);
  return a;
}

const OI = { oi: 5_000_000 };
/** 119.95 / 120.05, 1,500 a level: BUY 750 fills at the touch. EXECUTE_MARKET. */
const LIQUID = snap(ladder(119.95, -1, 1500), ladder(120.05, 1, 1500), OI);
/** 99.80 / 100.20 (0.4%, NORMAL): EXECUTE_LIMIT at 100.20 for BUY 750. */
const NORMAL = snap(ladder(99.8, -1, 1500), ladder(100.2, 1, 1500), OI);
/** 99.60 / 100.40 (0.8%, WIDE): ALERT_USER_HIGH_COST under the default 0.5% (limit 100.40 for BUY 750). */
const WIDE = snap(ladder(99.6, -1, 1500), ladder(100.4, 1, 1500), OI);
/** Asks 100.05..100.15 x 100: 300 visible for BUY 500. REQUIRE_APPROVAL. */
const THIN = snap(ladder(99.95, -1, 1000), ladder(100.05, 1, 100).slice(0, 3), OI);

const leg = (type: LegRequest['type'], price: number | null = null, side: TransactionType = 'BUY'): LegRequest => ({
  side,
  quantity: 750,
  type,
  price,
});

describe('how a leg of som trade is placed', () => {
  it('EXECUTE_MARKET: auto and MARKET go as MARKET with protection, LIMIT at the user’s price', () => {
    const a = analyze(LIQUID, 'BUY', 750);
    expect(placeLeg(leg('auto'), a)).toMatchObject({
      hold: false,
      order: { order_type: 'MARKET', market_protection: -1 },
      high_cost_notice: false,
    });
    expect(placeLeg(leg('MARKET'), a).order).toEqual({ order_type: 'MARKET', market_protection: -1 });
    expect(placeLeg(leg('LIMIT', 120), a).order).toEqual({ order_type: 'LIMIT', price: 120 });
  });

  it('EXECUTE_LIMIT: auto goes as LIMIT at the computed price; an explicit MARKET stays MARKET', () => {
    const a = analyze(NORMAL, 'BUY', 750);
    expect(a.decision).toBe('EXECUTE_LIMIT');
    expect(placeLeg(leg('auto'), a)).toMatchObject({ hold: false, order: { order_type: 'LIMIT', price: 100.2 } });
    expect(placeLeg(leg('MARKET'), a).order).toEqual({ order_type: 'MARKET', market_protection: -1 });
  });

  it('ALERT_USER_HIGH_COST: held when the strategy asks for approval, else a LIMIT at the computed price and a notice', () => {
    const held = analyze(WIDE, 'BUY', 750);
    expect(held).toMatchObject({ decision: 'ALERT_USER_HIGH_COST', hold: true });
    expect(placeLeg(leg('auto'), held)).toMatchObject({ hold: true, order: null });
    const sent = analyze(WIDE, 'BUY', 750, { ...DEFAULT, require_user_approval_high_impact: false });
    expect(sent.hold).toBe(false);
    expect(placeLeg(leg('auto'), sent)).toMatchObject({
      hold: false,
      order: { order_type: 'LIMIT', price: 100.4 },
      high_cost_notice: true,
    });
    // A costly MARKET is exactly what smart placement prevents: it goes as a LIMIT too.
    expect(placeLeg(leg('MARKET'), sent).order).toEqual({ order_type: 'LIMIT', price: 100.4 });
    expect(placeLeg(leg('LIMIT', 100.3), sent)).toMatchObject({
      order: { order_type: 'LIMIT', price: 100.3 },
      high_cost_notice: true,
    });
  });

  it('REQUIRE_APPROVAL: held whatever was asked, even with approval off', () => {
    const a = analyze(THIN, 'BUY', 500, AGGRESSIVE);
    expect(a.decision).toBe('REQUIRE_APPROVAL');
    for (const type of ['auto', 'MARKET', 'LIMIT'] as const) {
      expect(placeLeg({ side: 'BUY', quantity: 500, type, price: type === 'LIMIT' ? 100 : null }, a)).toMatchObject({
        hold: true,
        order: null,
      });
    }
  });

  it('a risk exit is never held: priced at the computed limit', () => {
    const a = analyze(THIN, 'BUY', 500);
    // The walk reaches 100.15, the last of the three ask levels.
    expect(placeLeg({ side: 'BUY', quantity: 500, type: 'auto', price: null }, a, { neverHold: true })).toMatchObject({
      hold: false,
      order: { order_type: 'LIMIT', price: 100.15 },
    });
  });
});

describe('a trade of several legs', () => {
  it('one held leg holds the whole basket, and names it', () => {
    const plan = planTrade(
      [leg('auto'), { side: 'BUY', quantity: 500, type: 'auto', price: null }],
      [analyze(LIQUID, 'BUY', 750), analyze(THIN, 'BUY', 500)],
    );
    expect(plan).toMatchObject({ hold: true, decision: 'REQUIRE_APPROVAL', holding: [1] });
    // The first leg alone would have gone as MARKET: the basket waits whole.
    expect(plan.legs[0]).toMatchObject({ hold: false, order: { order_type: 'MARKET' } });
  });

  it('buy legs go before sell legs, each side in the order given', () => {
    const sides: { side: TransactionType }[] = [{ side: 'SELL' }, { side: 'BUY' }, { side: 'SELL' }, { side: 'BUY' }];
    expect(sendingOrder(sides)).toEqual([1, 3, 0, 2]);
  });
});

describe('the answer to a held trade', () => {
  const shownOf = (a: ExecutionAnalysis) => a;
  const tolerance = { cost_bps: 5, unfilled_pct: 10 };

  it('Use LIMIT sends a LIMIT at the price computed now; Proceed sends what was asked', () => {
    const now = analyze(THIN, 'BUY', 500);
    const request: LegRequest = { side: 'BUY', quantity: 500, type: 'auto', price: null };
    expect(orderForChoice(request, now, 'limit')).toEqual({ order_type: 'LIMIT', price: 100.15 });
    expect(orderForChoice(request, now, 'proceed')).toEqual({ order_type: 'MARKET', market_protection: -1 });
    expect(orderForChoice({ ...request, type: 'LIMIT', price: 100.1 }, now, 'proceed')).toEqual({
      order_type: 'LIMIT',
      price: 100.1,
    });
  });

  it('the same market: sent', () => {
    const a = analyze(THIN, 'BUY', 500);
    const plan = planAnswer(
      'limit',
      [{ side: 'BUY', quantity: 500, type: 'auto', price: null }],
      [shownOf(a)],
      [a],
      tolerance,
    );
    expect(plan).toEqual({ kind: 'send', orders: [{ order_type: 'LIMIT', price: 100.15 }], sending: [0] });
  });

  it('a worse market: asked again, saying how', () => {
    // Shown: 300 of 500 visible. Now: 100 of 500 (asks 100.05 x 100 only): 200 more without a
    // price, above 10% of 500 (50).
    const shown = analyze(THIN, 'BUY', 500);
    const worse = analyze(snap(ladder(99.95, -1, 1000), [[100.05, 100]], OI), 'BUY', 500);
    const plan = planAnswer(
      'proceed',
      [{ side: 'BUY', quantity: 500, type: 'auto', price: null }],
      [shown],
      [worse],
      tolerance,
    );
    expect(plan.kind).toBe('ask_again');
    if (plan.kind !== 'ask_again') return;
    expect(plan.holding).toEqual([0]);
    expect(plan.worse.join('; ')).toMatch(/400 of the quantity have no visible price now, 200 before/);
  });
});
