import { describe, expect, it } from 'vitest';
import { type Book, readBook } from '../../src/execution/book.js';
import type { DepthSnapshot } from '../../src/execution/depth.js';
import { isExecutionError } from '../../src/execution/errors.js';
import { DEFAULT_SPREAD_RULES, measureSpread, type Spread } from '../../src/execution/spread.js';
import { snap } from './books.js';

function book(s: DepthSnapshot): Book {
  const b = readBook(s);
  if (isExecutionError(b)) throw new Error(b.message);
  return b;
}

/** The spread of a one-level book: bid and ask, 100 each. */
function spreadOf(bid: number, ask: number, extra: Partial<DepthSnapshot> = {}): Spread {
  return measureSpread(book(snap([[bid, 100]], [[ask, 100]], extra)), DEFAULT_SPREAD_RULES);
}

describe('spread of an index option (thresholds 0.2%, 0.5%, 1.0%)', () => {
  it('tight: 99.95 / 100.05 is 0.10, 2 ticks, 0.1% of the mid 100', () => {
    const s = spreadOf(99.95, 100.05);
    expect(s).toMatchObject({ abs: 0.1, ticks: 2, category: 'TIGHT' });
    expect(s.pct).toBeCloseTo(0.1, 12);
  });

  it('normal: 99.80 / 100.20 is 0.40, 8 ticks, 0.4%', () => {
    const s = spreadOf(99.8, 100.2);
    expect(s).toMatchObject({ abs: 0.4, ticks: 8, category: 'NORMAL' });
    expect(s.pct).toBeCloseTo(0.4, 12);
  });

  it('wide: 99.60 / 100.40 is 0.80, 16 ticks, 0.8%', () => {
    expect(spreadOf(99.6, 100.4)).toMatchObject({ abs: 0.8, ticks: 16, category: 'WIDE' });
  });

  it('very wide: 99.20 / 100.80 is 1.60, 32 ticks, 1.6%', () => {
    expect(spreadOf(99.2, 100.8)).toMatchObject({ abs: 1.6, ticks: 32, category: 'VERY_WIDE', capped_by_ticks: false });
  });

  it('bounds: exactly 0.2% is NORMAL ("< 0.2%" is tight), 0.5% WIDE, exactly 1.0% still WIDE ("> 1.0%")', () => {
    // 99.90 / 100.10: 0.20 on a mid of 100 = 0.2%; 99.75 / 100.25: 0.5%; 99.50 / 100.50: 1.0%.
    expect(spreadOf(99.9, 100.1).category).toBe('NORMAL');
    expect(spreadOf(99.75, 100.25).category).toBe('WIDE');
    expect(spreadOf(99.5, 100.5).category).toBe('WIDE');
  });
});

describe('a spread of one or two ticks is judged by its ticks, not its %', () => {
  it('a 2-rupee option one tick wide (2.00 / 2.05: 2.47% of 2.025) is TIGHT, not VERY_WIDE', () => {
    const s = spreadOf(2, 2.05);
    // 0.05 / 2.025 x 100 = 2.469%: VERY_WIDE by % alone.
    expect(s.pct).toBeCloseTo(2.469136, 5);
    expect(s).toMatchObject({ ticks: 1, pct_category: 'VERY_WIDE', category: 'TIGHT', capped_by_ticks: true });
  });

  it('two ticks (2.00 / 2.10: 4.88%) is at worst NORMAL', () => {
    expect(spreadOf(2, 2.1)).toMatchObject({ ticks: 2, category: 'NORMAL', capped_by_ticks: true });
  });

  it('three ticks (2.00 / 2.15: 7.2%) is judged by its % again: VERY_WIDE', () => {
    expect(spreadOf(2, 2.15)).toMatchObject({ ticks: 3, category: 'VERY_WIDE', capped_by_ticks: false });
  });

  it('the tick rule never makes a spread worse: 2 ticks at 0.1% stays TIGHT', () => {
    expect(spreadOf(99.95, 100.05)).toMatchObject({ ticks: 2, category: 'TIGHT', capped_by_ticks: false });
  });
});

describe('other classes keep their own thresholds', () => {
  it('a NIFTY future 5 ticks wide on 25,000 (0.002%) is TIGHT', () => {
    const s = spreadOf(25000, 25000.5, { instrument_class: 'futures', tick_size: 0.1 });
    expect(s).toMatchObject({ ticks: 5, category: 'TIGHT' });
  });

  it('a stock future 1.00 wide on 1,400.50 (0.0714%) is WIDE (futures: 0.02%, 0.05%, 0.1%)', () => {
    expect(spreadOf(1400, 1401, { instrument_class: 'futures', tick_size: 0.1 }).category).toBe('WIDE');
  });

  it('a share 0.30 wide on 100.15 (0.2996%) is WIDE (equity: 0.05%, 0.2%, 0.5%); the same as an option is NORMAL', () => {
    expect(spreadOf(100, 100.3, { instrument_class: 'equity' }).category).toBe('WIDE');
    expect(spreadOf(100, 100.3, { instrument_class: 'index_options' }).category).toBe('NORMAL');
  });

  it('crude oil 3 ticks wide on 6,001.50 (0.05%) is NORMAL (commodity: 0.03%, 0.08%, 0.15%)', () => {
    expect(spreadOf(6000, 6003, { instrument_class: 'commodity', tick_size: 1 }).category).toBe('NORMAL');
  });

  it('a class threshold from config changes the category', () => {
    const b = book(snap([[99.8, 100]], [[100.2, 100]]));
    const rules = {
      ...DEFAULT_SPREAD_RULES,
      classes: { ...DEFAULT_SPREAD_RULES.classes, index_options: { tight_pct: 0.5, normal_pct: 1, wide_pct: 2 } },
    };
    // 0.4% is below the configured tight_pct 0.5.
    expect(measureSpread(b, rules).category).toBe('TIGHT');
  });
});
