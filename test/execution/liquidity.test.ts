import { describe, expect, it } from 'vitest';
import type { TransactionType } from '../../src/domain/order.js';
import { readBook } from '../../src/execution/book.js';
import type { DepthSnapshot } from '../../src/execution/depth.js';
import { isExecutionError } from '../../src/execution/errors.js';
import { DEFAULT_LIQUIDITY_BOUNDS, liquidityCategory, scoreLiquidity } from '../../src/execution/liquidity.js';
import { DEFAULT_SPREAD_RULES, measureSpread } from '../../src/execution/spread.js';
import { type L, ladder, snap } from './books.js';

function score(s: DepthSnapshot, side: TransactionType, quantity: number) {
  const b = readBook(s);
  if (isExecutionError(b)) throw new Error(b.message);
  const spread = measureSpread(b, DEFAULT_SPREAD_RULES).category;
  return scoreLiquidity(b, side, quantity, spread, DEFAULT_LIQUIDITY_BOUNDS);
}

/** A share: bids at 499.95, 499.90, 499.85; asks 500.05 x 100 and 500.10 x 150. */
const SHARE = snap(
  [
    [499.95, 100],
    [499.9, 100],
    [499.85, 100],
  ],
  [
    [500.05, 100],
    [500.1, 150],
  ],
  { instrument_class: 'equity', volume: 100_000 },
);

describe('the liquidity score', () => {
  it('weighs depth, spread, levels and activity as documented', () => {
    const l = score(SHARE, 'BUY', 100);
    // depth: 250 visible asks / 100 ordered = 2.5, / 5 = 0.5.
    // spread: 0.10 on 500 = 0.02%, TIGHT for equity: 1.
    // levels: 3 + 2 of 10 = 0.5.
    // activity: volume 100,000 / 100 = 1,000: log10(1000) / 3 = 1.
    expect(l.components).toEqual({ depth: 0.5, spread: 1, levels: 0.5, activity: 1 });
    // 40 x 0.5 + 30 x 1 + 15 x 0.5 + 15 x 1 = 20 + 30 + 7.5 + 15 = 72.5: MEDIUM (50 to 75).
    expect(l.score).toBeCloseTo(72.5, 9);
    expect(l.category).toBe('MEDIUM');
  });

  it('shares the activity weight out when neither volume nor open interest is known', () => {
    const l = score({ ...SHARE, volume: null, oi: null }, 'BUY', 100);
    expect(l.components.activity).toBeNull();
    // (20 + 30 + 7.5) / 85 points x 100 = 67.647.
    expect(l.score).toBeCloseTo(67.647059, 5);
  });

  it('uses the larger of volume and open interest, on a log scale', () => {
    // Open interest 10,000 on 100 ordered: log10(100) / 3 = 2/3 (volume 0 is known and smaller).
    const l = score({ ...SHARE, volume: 0, oi: 10_000 }, 'BUY', 100);
    expect(l.components.activity).toBeCloseTo(2 / 3, 12);
  });

  it('scores a deep, tight, busy book 100 (HIGH) and a thin wide one ILLIQUID', () => {
    const deep = snap(ladder(119.95, -1, 1500), ladder(120.05, 1, 1500), { oi: 5_000_000 });
    expect(score(deep, 'BUY', 750)).toMatchObject({ score: 100, category: 'HIGH' });
    // One ask of 75 for an order of 750, 2.00 wide on 101 (VERY_WIDE), 2 levels, OI 1,000:
    // depth 75 / 750 / 5 = 0.02; spread 0; levels 0.2; activity log10(1000 / 750) / 3 = 0.0416.
    // 40 x 0.02 + 0 + 15 x 0.2 + 15 x 0.0416 = 0.8 + 3 + 0.62 = 4.4: ILLIQUID (under 25).
    const thin = snap([[100, 75]], [[102, 75]], { oi: 1000 });
    const l = score(thin, 'BUY', 750);
    expect(l.score).toBeCloseTo(4.4247, 3);
    expect(l.category).toBe('ILLIQUID');
  });

  it('places the category bounds inclusively: 75 is HIGH, 74.99 MEDIUM, 25 LOW, 24.99 ILLIQUID', () => {
    const b = DEFAULT_LIQUIDITY_BOUNDS;
    expect(liquidityCategory(75, b)).toBe('HIGH');
    expect(liquidityCategory(74.99, b)).toBe('MEDIUM');
    expect(liquidityCategory(50, b)).toBe('MEDIUM');
    expect(liquidityCategory(25, b)).toBe('LOW');
    expect(liquidityCategory(24.99, b)).toBe('ILLIQUID');
  });
});

describe('the score is monotone', () => {
  /** A small deterministic generator (LCG), so the property runs on the same books every time. */
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
      return s / 2 ** 31;
    };
  }

  const BASES: { name: string; bids: L[]; asks: L[]; extra?: Partial<DepthSnapshot> }[] = [
    { name: 'thin option', bids: [[10, 75]], asks: [[10.4, 75]], extra: { oi: 20_000 } },
    {
      name: 'liquid option',
      bids: ladder(120, -1, 900),
      asks: ladder(120.1, 1, 600),
      extra: { oi: 2_000_000, volume: 900_000 },
    },
    {
      name: 'cheap option',
      bids: [[1.95, 1500]],
      asks: [
        [2.1, 300],
        [2.2, 900],
      ],
    },
    {
      name: 'share',
      bids: ladder(499.9, -1, 40).slice(0, 3),
      asks: ladder(500.1, 1, 25).slice(0, 2),
      extra: { volume: 5000 },
    },
  ];

  type Book = { bids: L[]; asks: L[] };
  const clone = (b: Book): Book => ({ bids: b.bids.map((l) => [...l] as L), asks: b.asks.map((l) => [...l] as L) });

  /** More depth: more quantity on a level, or a new level behind the last. */
  function deeper(b: Book, r: () => number): Book {
    const out = clone(b);
    const levels = r() < 0.5 ? out.bids : out.asks;
    const falling = levels === out.bids;
    if (levels.length < 5 && r() < 0.5) {
      const last = levels[levels.length - 1]!;
      levels.push([Math.round((last[0] + (falling ? -0.05 : 0.05)) * 100) / 100, 1 + Math.floor(r() * 500)]);
    } else {
      const level = levels[Math.floor(r() * levels.length)]!;
      level[1] += 1 + Math.floor(r() * 500);
    }
    return out;
  }

  /** A tighter spread: the best bid or the best ask a tick nearer the other side, when there is room. */
  function tighter(b: Book, r: () => number): Book | null {
    const out = clone(b);
    const bid = out.bids[0]!;
    const ask = out.asks[0]!;
    if (Math.round((ask[0] - bid[0]) / 0.05) <= 1) return null;
    if (r() < 0.5) bid[0] = Math.round((bid[0] + 0.05) * 100) / 100;
    else ask[0] = Math.round((ask[0] - 0.05) * 100) / 100;
    return out;
  }

  for (const base of BASES) {
    it(`${base.name}: more depth or a tighter spread never lowers the score (BUY and SELL)`, () => {
      const r = random(base.name.length * 7919);
      let checked = 0;
      for (let trial = 0; trial < 100; trial++) {
        let current: Book = { bids: base.bids, asks: base.asks };
        for (let step = 0; step < 6; step++) {
          const next = r() < 0.5 ? deeper(current, r) : tighter(current, r);
          if (!next) continue;
          for (const side of ['BUY', 'SELL'] as const) {
            const qty = 75;
            const before = score(snap(current.bids, current.asks, base.extra), side, qty).score;
            const after = score(snap(next.bids, next.asks, base.extra), side, qty).score;
            expect(after).toBeGreaterThanOrEqual(before);
            checked++;
          }
          current = next;
        }
      }
      expect(checked).toBeGreaterThan(500);
    });
  }
});
