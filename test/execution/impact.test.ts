import { describe, expect, it } from 'vitest';
import { type Book, readBook } from '../../src/execution/book.js';
import type { DepthSnapshot } from '../../src/execution/depth.js';
import { isExecutionError } from '../../src/execution/errors.js';
import { estimateImpact } from '../../src/execution/impact.js';
import { snap } from './books.js';

function book(s: DepthSnapshot): Book {
  const b = readBook(s);
  if (isExecutionError(b)) throw new Error(b.message);
  return b;
}

/** Mid 100.00: bids 99.95 x 100, 99.90 x 200, 99.85 x 300; asks the mirror image above. */
const MIRROR = book(
  snap(
    [
      [99.95, 100],
      [99.9, 200],
      [99.85, 300],
    ],
    [
      [100.05, 100],
      [100.1, 200],
      [100.15, 300],
    ],
  ),
);

describe('walking the book', () => {
  it('a BUY that the best ask fills: VWAP the ask, no cost past the touch, half the spread against the mid', () => {
    const i = estimateImpact(MIRROR, 'BUY', 60);
    expect(i).toMatchObject({ status: 'FILLED', vwap: 100.05, touch: 100.05, levels_used: 1, unfilled_quantity: 0 });
    expect(i.bps_vs_touch).toBe(0);
    // (100.05 - 100) / 100 x 10,000 = 5 bps; slippage 0.05 x 60 = 3 rupees.
    expect(i.bps).toBeCloseTo(5, 9);
    expect(i.slippage).toBeCloseTo(3, 9);
  });

  it('a BUY of 450 walks three ask levels', () => {
    const i = estimateImpact(MIRROR, 'BUY', 450);
    // 100 @ 100.05 + 200 @ 100.10 + 150 @ 100.15 = 10,005 + 20,020 + 15,022.50 = 45,047.50; / 450 = 100.10556.
    expect(i.vwap).toBeCloseTo(100.105556, 6);
    expect(i).toMatchObject({ levels_used: 3, filled_quantity: 450, unfilled_quantity: 0, worst_price: 100.15 });
    // Against the mid 100: 0.105556 / 100 x 10,000 = 10.5556 bps.
    expect(i.bps).toBeCloseTo(10.5556, 4);
    // Against the touch 100.05: 0.055556 / 100.05 x 10,000 = 5.5528 bps.
    expect(i.bps_vs_touch).toBeCloseTo(5.5528, 4);
    // (VWAP - mid) x quantity = 45,047.50 - 45,000 = 47.50 rupees.
    expect(i.slippage).toBeCloseTo(47.5, 9);
  });

  it('a SELL of 450 walks three bid levels; its cost is positive too', () => {
    const i = estimateImpact(MIRROR, 'SELL', 450);
    // 100 @ 99.95 + 200 @ 99.90 + 150 @ 99.85 = 9,995 + 19,980 + 14,977.50 = 44,952.50; / 450 = 99.89444.
    expect(i.vwap).toBeCloseTo(99.894444, 6);
    expect(i).toMatchObject({ touch: 99.95, worst_price: 99.85, levels_used: 3 });
    // Against the mid: (100 - 99.89444) / 100 x 10,000 = 10.5556 bps; against the touch 99.95: 5.5583 bps.
    expect(i.bps).toBeCloseTo(10.5556, 4);
    expect(i.bps_vs_touch).toBeCloseTo(5.5583, 4);
    // mid x quantity - proceeds = 45,000 - 44,952.50 = 47.50 rupees.
    expect(i.slippage).toBeCloseTo(47.5, 9);
  });

  it('a book too thin for the quantity says BOOK_INSUFFICIENT and never pretends the rest fills', () => {
    const i = estimateImpact(MIRROR, 'BUY', 800);
    // The three asks hold 100 + 200 + 300 = 600.
    expect(i).toMatchObject({
      status: 'BOOK_INSUFFICIENT',
      filled_quantity: 600,
      unfilled_quantity: 200,
      levels_used: 3,
    });
    // VWAP of what is there: (10,005 + 20,020 + 30,045) / 600 = 60,070 / 600 = 100.11667.
    expect(i.vwap).toBeCloseTo(100.116667, 6);
    // Slippage over the visible 600 only: 60,070 - 60,000 = 70 rupees, a lower bound.
    expect(i.slippage).toBeCloseTo(70, 9);
  });

  it('counts rupees with the contract multiplier: 3 lots of crude oil (100 barrels a lot)', () => {
    const crude = book(
      snap(
        [[5999, 4]],
        [
          [6001, 2],
          [6002, 5],
        ],
        { instrument_class: 'commodity', tick_size: 1, multiplier: 100 },
      ),
    );
    const i = estimateImpact(crude, 'BUY', 3);
    // Mid 6000. 2 lots @ 6001 + 1 @ 6002 = 18,004 over 3 lots: VWAP 6001.333.
    expect(i.vwap).toBeCloseTo(6001.333333, 6);
    // (18,004 - 3 x 6,000) x 100 barrels = 400 rupees.
    expect(i.slippage).toBeCloseTo(400, 9);
  });
});
