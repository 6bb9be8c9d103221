import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TransactionType } from '../../src/domain/order.js';
import { analyzeExecution, type ExecutionAnalysis } from '../../src/execution/analyze.js';
import type { ExecutionSettings } from '../../src/execution/decision.js';
import { type DepthSnapshot, depthSnapshot } from '../../src/execution/depth.js';
import { isExecutionError } from '../../src/execution/errors.js';
import { AGGRESSIVE, CONSERVATIVE, DEFAULT, type L, ladder, snap } from './books.js';

function analyze(
  s: DepthSnapshot,
  side: TransactionType,
  quantity: number,
  settings: ExecutionSettings = DEFAULT,
): ExecutionAnalysis {
  const a = analyzeExecution({ snapshot: s, side, quantity, settings });
  if (isExecutionError(a)) throw new Error(a.message);
  return a;
}

const codes = (a: ExecutionAnalysis) => a.reasons.map((r) => r.code);
const OI = { oi: 5_000_000 };

/** A liquid NIFTY option: 119.95 / 120.05 (2 ticks, 0.083%), 1,500 on each of five levels a side. */
const LIQUID = snap(ladder(119.95, -1, 1500), ladder(120.05, 1, 1500), OI);

describe('decisions', () => {
  it('EXECUTE_MARKET: a tight spread, the touch fills it all, high liquidity', () => {
    const a = analyze(LIQUID, 'BUY', 750);
    expect(a.decision).toBe('EXECUTE_MARKET');
    expect(a.hold).toBe(false);
    expect(codes(a)).toEqual(['SPREAD_TIGHT', 'IMPACT_AT_TOUCH', 'LIQUIDITY_HIGH']);
    // depth 7,500 / 750 / 5 = 2, capped at 1; TIGHT; 10 levels; OI 5,000,000 / 750 > 1,000: 100.
    expect(a.liquidity).toMatchObject({ score: 100, category: 'HIGH' });
    expect(a.limit_price).toBe(120.05);
  });

  it('EXECUTE_LIMIT: a normal spread (99.80 / 100.20: 0.4%) under the default profile', () => {
    const a = analyze(snap(ladder(99.8, -1, 1500), ladder(100.2, 1, 1500), OI), 'BUY', 750);
    expect(a.spread).toMatchObject({ ticks: 8, category: 'NORMAL' });
    expect(a.decision).toBe('EXECUTE_LIMIT');
    expect(a.hold).toBe(false);
    expect(a.limit_price).toBe(100.2);
    expect(codes(a)[0]).toBe('SPREAD_NORMAL');
    expect(codes(a)).toContain('LIMIT_PRICE');
  });

  it('EXECUTE_LIMIT: an order that walks past the best level, within the impact limit', () => {
    // Kite's sample tick (INFY, 0.30 wide on 1,573.55: 0.019%, TIGHT). BUY 200: 172 @ 1573.70 and 28 @ 1573.75,
    // VWAP 314,741.40 / 200 = 1573.707, 0.04 bps past the touch: the second level makes it a LIMIT at 1573.75.
    const tick = JSON.parse(readFileSync(new URL('../fixtures/kite/ticker_full.json', import.meta.url), 'utf8'));
    const s = depthSnapshot(
      tick,
      { tick_size: 0.05, lot_size: 1, multiplier: 1, instrument_class: 'equity' },
      new Date(tick.timestamp),
      'ticks',
    );
    const a = analyze(s, 'BUY', 200);
    expect(a.impact.vwap).toBeCloseTo(1573.707, 9);
    expect(a.impact.levels_used).toBe(2);
    expect(a.decision).toBe('EXECUTE_LIMIT');
    expect(a.limit_price).toBe(1573.75);
    expect(codes(a)[0]).toBe('IMPACT_WALKS_BOOK');
  });

  it('ALERT_USER_HIGH_COST: a wide spread (99.60 / 100.40: 0.8%) above the default 0.5%, held for approval', () => {
    const a = analyze(snap(ladder(99.6, -1, 1500), ladder(100.4, 1, 1500), OI), 'BUY', 750);
    expect(a.spread.category).toBe('WIDE');
    expect(a.decision).toBe('ALERT_USER_HIGH_COST');
    expect(a.hold).toBe(true);
    expect(a.reasons[0]).toMatchObject({ code: 'SPREAD_ABOVE_LIMIT' });
    expect(a.reasons[0]!.message).toMatch(/0\.8% of the mid\) is above the strategy's 0\.5%/);
  });

  it('REQUIRE_APPROVAL: a very wide spread (99.20 / 100.80: 1.6%)', () => {
    const a = analyze(snap(ladder(99.2, -1, 1500), ladder(100.8, 1, 1500), OI), 'BUY', 750);
    expect(a.decision).toBe('REQUIRE_APPROVAL');
    expect(a.hold).toBe(true);
    expect(codes(a)[0]).toBe('SPREAD_VERY_WIDE');
  });

  it('REQUIRE_APPROVAL: a book too thin for the quantity, whatever the profile', () => {
    // Asks 100.05, 100.10, 100.15 x 100 each: 300 visible for an order of 500.
    const thin = snap(ladder(99.95, -1, 1000), ladder(100.05, 1, 100).slice(0, 3), OI);
    for (const settings of [CONSERVATIVE, DEFAULT, AGGRESSIVE]) {
      const a = analyze(thin, 'BUY', 500, settings);
      expect(a.decision).toBe('REQUIRE_APPROVAL');
      expect(a.hold).toBe(true);
      expect(a.impact).toMatchObject({ filled_quantity: 300, unfilled_quantity: 200 });
      expect(a.reasons[0]).toMatchObject({ code: 'BOOK_INSUFFICIENT' });
      expect(a.reasons[0]!.message).toMatch(/fills 300 of 500: 200 have no visible price/);
    }
  });

  it('REQUIRE_APPROVAL: an illiquid book', () => {
    // One bid and one ask of 75, 0.40 wide on 10.20 (3.9%, 8 ticks: VERY_WIDE), no activity known: for 75,
    // depth 75 / 75 / 5 = 0.2, spread 0, levels 0.2: (8 + 0 + 3) / 85 = 12.9: ILLIQUID.
    const a = analyze(snap([[10, 75]], [[10.4, 75]]), 'BUY', 75, AGGRESSIVE);
    expect(a.liquidity.category).toBe('ILLIQUID');
    expect(a.liquidity.score).toBeCloseTo(12.941, 3);
    expect(a.decision).toBe('REQUIRE_APPROVAL');
    expect(codes(a).slice(0, 2).sort()).toEqual(['LIQUIDITY_ILLIQUID', 'SPREAD_VERY_WIDE']);
  });

  it('a 2-rupee option quoted one tick wide (2.00 / 2.05) executes at market when the book is deep', () => {
    const a = analyze(snap(ladder(2, -1, 15_000), ladder(2.05, 1, 15_000), OI), 'BUY', 1500);
    expect(a.spread).toMatchObject({ ticks: 1, category: 'TIGHT' });
    expect(a.spread.pct).toBeCloseTo(2.469, 3);
    expect(a.decision).toBe('EXECUTE_MARKET');
    expect(a.reasons[0]!.message).toMatch(/1 tick is as tight as the tick size allows/);
  });

  it('refuses crossed and empty books with a clear code instead of a decision', () => {
    const crossed = analyzeExecution({
      snapshot: snap([[100.1, 10]], [[100, 10]]),
      side: 'BUY',
      quantity: 10,
      settings: DEFAULT,
    });
    expect(crossed).toMatchObject({ code: 'BOOK_CROSSED' });
    expect(analyzeExecution({ snapshot: snap([], []), side: 'SELL', quantity: 10, settings: DEFAULT })).toMatchObject({
      code: 'BOOK_EMPTY',
    });
    expect(
      analyzeExecution({
        snapshot: snap(...ONE_LOT_BOOK, { lot_size: 75 }),
        side: 'BUY',
        quantity: 10,
        settings: DEFAULT,
      }),
    ).toMatchObject({ code: 'INVALID_ORDER' });
  });

  it('lists the reasons most severe first', () => {
    const a = analyze(snap(ladder(99.2, -1, 1500), ladder(100.8, 1, 100).slice(0, 2), OI), 'BUY', 500);
    // VERY_WIDE spread and BOOK_INSUFFICIENT ask for approval; they come before the rest.
    expect(codes(a).slice(0, 2)).toEqual(['SPREAD_VERY_WIDE', 'BOOK_INSUFFICIENT']);
  });
});

const ONE_LOT_BOOK: [L[], L[]] = [[[99.95, 750]], [[100.05, 750]]];

describe('the profiles draw the lines differently on the same book', () => {
  type Outcome = [ExecutionAnalysis['decision'], boolean];
  const outcome = (s: DepthSnapshot, side: TransactionType, qty: number, settings: ExecutionSettings): Outcome => {
    const a = analyze(s, side, qty, settings);
    return [a.decision, a.hold];
  };
  const BOOKS: { name: string; book: DepthSnapshot; side: TransactionType; qty: number; expect: Outcome[] }[] = [
    {
      // 0.4% spread: above conservative's 0.3%, within default's 0.5% and aggressive's 1.0%.
      name: 'normal spread',
      book: snap(ladder(99.8, -1, 1500), ladder(100.2, 1, 1500), OI),
      side: 'BUY',
      qty: 750,
      expect: [
        ['ALERT_USER_HIGH_COST', true],
        ['EXECUTE_LIMIT', false],
        ['EXECUTE_LIMIT', false],
      ],
    },
    {
      // 0.8% spread: above 0.3% and 0.5%, within aggressive's 1.0%.
      name: 'wide spread',
      book: snap(ladder(99.6, -1, 1500), ladder(100.4, 1, 1500), OI),
      side: 'SELL',
      qty: 750,
      expect: [
        ['ALERT_USER_HIGH_COST', true],
        ['ALERT_USER_HIGH_COST', true],
        ['EXECUTE_LIMIT', false],
      ],
    },
    {
      // BUY 200: 50 @ 100.05 and 150 @ 100.50: VWAP 20,077.50 / 200 = 100.3875, (100.3875 - 100.05) / 100.05
      // = 33.7 bps past the touch: above conservative's 30, within 50. The worst level, 100.50, is 45 bps out.
      name: 'impact 33.7 bps',
      book: snap(
        ladder(99.95, -1, 500),
        [
          [100.05, 50],
          [100.5, 150],
          [100.55, 1000],
          [100.6, 1000],
          [100.65, 1000],
        ],
        { oi: 1_000_000 },
      ),
      side: 'BUY',
      qty: 200,
      expect: [
        ['ALERT_USER_HIGH_COST', true],
        ['EXECUTE_LIMIT', false],
        ['EXECUTE_LIMIT', false],
      ],
    },
    {
      // BUY 150, one tick wide: depth 300 / 150 / 5 = 0.4 (16 points), TIGHT (30), 3 of 10 levels (4.5),
      // OI 150,000 / 150 = 1,000 (15): 65.5, MEDIUM: below conservative's 70, above 60 and 40.
      name: 'liquidity 65.5',
      book: snap(
        [[100, 300]],
        [
          [100.05, 150],
          [100.1, 150],
        ],
        { oi: 150_000 },
      ),
      side: 'BUY',
      qty: 150,
      expect: [
        ['ALERT_USER_HIGH_COST', true],
        ['EXECUTE_LIMIT', false],
        ['EXECUTE_LIMIT', false],
      ],
    },
    {
      // BUY 600: 100 @ 100.05 and 500 @ 101.00: VWAP 60,505 / 600 = 100.8417, 79 bps past the touch, above
      // every profile's limit; aggressive does not ask for approval, so its order is sent as a LIMIT.
      name: 'impact 79 bps',
      book: snap(
        ladder(99.95, -1, 5000),
        [
          [100.05, 100],
          [101, 5000],
        ],
        OI,
      ),
      side: 'BUY',
      qty: 600,
      expect: [
        ['ALERT_USER_HIGH_COST', true],
        ['ALERT_USER_HIGH_COST', true],
        ['ALERT_USER_HIGH_COST', false],
      ],
    },
  ];

  for (const b of BOOKS) {
    it(`${b.name}: conservative, default, aggressive`, () => {
      expect([CONSERVATIVE, DEFAULT, AGGRESSIVE].map((s) => outcome(b.book, b.side, b.qty, s))).toEqual(b.expect);
    });
  }
});

describe('the result', () => {
  it('carries the keys of `som analyze --json` (the daemon adds analysis_id and symbol)', () => {
    const a = JSON.parse(JSON.stringify(analyze(LIQUID, 'SELL', 750)));
    expect(Object.keys(a)).toEqual(
      expect.arrayContaining([
        'side',
        'quantity',
        'quote',
        'depth',
        'spread',
        'impact',
        'liquidity',
        'decision',
        'limit_price',
        'reasons',
      ]),
    );
    expect(a.quote).toEqual({
      bid: 119.95,
      ask: 120.05,
      mid: 120,
      last_price: 119.95,
      at: '2026-11-25T04:30:00.000Z',
      source: 'ticks',
    });
    expect(a.depth.buy).toHaveLength(5);
    expect(a.depth.buy[0]).toEqual({ price: 119.95, quantity: 1500, orders: 1 });
    expect(Object.keys(a.spread)).toEqual(expect.arrayContaining(['abs', 'pct', 'ticks', 'category']));
    expect(Object.keys(a.impact)).toEqual(
      expect.arrayContaining([
        'vwap',
        'bps',
        'bps_vs_touch',
        'levels_used',
        'filled_quantity',
        'unfilled_quantity',
        'slippage',
      ]),
    );
    expect(Object.keys(a.liquidity)).toEqual(expect.arrayContaining(['score', 'category']));
    for (const r of a.reasons) expect(Object.keys(r).sort()).toEqual(['code', 'message']);
  });
});
