import { describe, expect, it } from 'vitest';
import { dayPosition } from '../../src/pnl/day-position.js';

describe("a share's position and realised P&L today", () => {
  it('adds at a new average, books what it closes, keeps the average of what stays open', () => {
    // BUY 100 @ 960, BUY 50 @ 963: average (100 x 960 + 50 x 963) / 150 = 961.
    // SELL 60 @ 970: realised 60 x (970 - 961) = 540; 90 left at 961.
    const p = dayPosition({
      quantity: 90,
      moves: [
        { quantity: 100, price: 960 },
        { quantity: 50, price: 963 },
        { quantity: -60, price: 970 },
      ],
      opening_price: 0,
      fallback_price: 0,
      multiplier: 1,
    });
    expect(p).toEqual({ quantity: 90, opening_quantity: 0, average_price: 961, realised: 540 });
  });

  it('a short gains as the price falls; a move past the position opens the other side at its price', () => {
    // SELL 65 @ 120, BUY 100 @ 100: closes 65, realised 65 x (100 - 120) x -1 = 1,300; long 35 at 100.
    const p = dayPosition({
      quantity: 35,
      moves: [
        { quantity: -65, price: 120 },
        { quantity: 100, price: 100 },
      ],
      opening_price: 0,
      fallback_price: 0,
      multiplier: 1,
    });
    expect(p).toEqual({ quantity: 35, opening_quantity: 0, average_price: 100, realised: 1300 });
  });

  it('a position carried in opens the day at the previous close (as Kite values an overnight position)', () => {
    // The share is 1 lot now and 1 was sold today, so 2 were carried in. CRUDEOIL, 100 barrels
    // a lot: the 2 open the day at the previous close 6,000; SELL 1 @ 6,030:
    // realised 1 x (6,030 - 6,000) x 100 = 3,000; 1 left at 6,000.
    const p = dayPosition({
      quantity: 1,
      moves: [{ quantity: -1, price: 6030 }],
      opening_price: 6000,
      fallback_price: 5900,
      multiplier: 100,
    });
    expect(p).toEqual({ quantity: 1, opening_quantity: 2, average_price: 6000, realised: 3000 });
  });

  it('an adoption (no fill price) is taken at the broker’s average; flat leaves only what was booked', () => {
    // Adopted +10 at the broker's average 500, SELL 10 @ 490: realised 10 x (490 - 500) = -100.
    const p = dayPosition({
      quantity: 0,
      moves: [
        { quantity: 10, price: null },
        { quantity: -10, price: 490 },
      ],
      opening_price: 480,
      fallback_price: 500,
      multiplier: 1,
    });
    expect(p).toEqual({ quantity: 0, opening_quantity: 0, average_price: 0, realised: -100 });
  });
});
