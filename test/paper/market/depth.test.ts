import { describe, expect, it } from 'vitest';
import type { Depth } from '../../../src/domain/quote.js';
import { buildDepth, DEPTH_LEVELS, type DepthInput, touchTicks } from '../../../src/paper/market/depth.js';
import { uniformAt } from '../../../src/paper/market/rng.js';
import { TickGrid } from '../../../src/paper/market/tick.js';

const grid = new TickGrid(0.05);
const rand = (k: number) => uniformAt(99, k);

function input(over: Partial<DepthInput> = {}): DepthInput {
  return {
    fairTicks: 150.87 / 0.05,
    spreadTicks: 2,
    maxGapTicks: 3,
    meanLevelUnits: 20,
    meanOrderUnits: 3,
    unitSize: 75,
    lowerTicks: 0,
    upperTicks: Infinity,
    consumedBid: 0,
    consumedAsk: 0,
    ...over,
  };
}

function expectWellFormed(depth: Depth, unit: number): void {
  expect(depth.buy).toHaveLength(DEPTH_LEVELS);
  expect(depth.sell).toHaveLength(DEPTH_LEVELS);
  const bids = depth.buy.filter((l) => l.quantity > 0);
  const asks = depth.sell.filter((l) => l.quantity > 0);
  for (let i = 1; i < bids.length; i++) expect(bids[i]!.price).toBeLessThan(bids[i - 1]!.price);
  for (let i = 1; i < asks.length; i++) expect(asks[i]!.price).toBeGreaterThan(asks[i - 1]!.price);
  if (bids[0] && asks[0]) expect(bids[0].price).toBeLessThan(asks[0].price);
  for (const l of [...bids, ...asks]) {
    expect(grid.isOnTick(l.price)).toBe(true);
    expect(l.quantity % unit).toBe(0);
    expect(l.orders).toBeGreaterThanOrEqual(1);
    expect(l.orders).toBeLessThanOrEqual(l.quantity / unit);
  }
  // Empty levels come last and are all zero.
  for (const side of [depth.buy, depth.sell]) {
    const firstEmpty = side.findIndex((l) => l.quantity === 0);
    if (firstEmpty >= 0)
      for (const l of side.slice(firstEmpty)) expect(l).toEqual({ price: 0, quantity: 0, orders: 0 });
  }
}

describe('touchTicks', () => {
  it('brackets the fair price with the spread', () => {
    // fair 3017.4 ticks, spread 2: bid = floor(3017.4 - 1 + 0.5) = 3016, ask = 3018
    expect(touchTicks(3017.4, 2)).toEqual({ bid: 3016, ask: 3018 });
    // spread 1: bid = floor(3017.4) = 3017, ask = 3018
    expect(touchTicks(3017.4, 1)).toEqual({ bid: 3017, ask: 3018 });
    // nothing bids below one tick
    expect(touchTicks(0.01, 3)).toEqual({ bid: 1, ask: 4 });
  });
});

describe('buildDepth', () => {
  it('builds five ordered levels a side, on the tick, in whole lots', () => {
    const { depth, buyQuantity, sellQuantity } = buildDepth(input(), grid, rand);
    expectWellFormed(depth, 75);
    expect(depth.buy[0]!.price).toBe(150.8);
    expect(depth.sell[0]!.price).toBe(150.9);
    // Totals cover the whole book built, more than the five levels shown.
    const shown = depth.buy.reduce((s, l) => s + l.quantity, 0);
    expect(buyQuantity).toBeGreaterThan(shown);
    expect(sellQuantity % 75).toBe(0);
  });

  it('is a pure function of its inputs and random source', () => {
    expect(buildDepth(input(), grid, rand)).toEqual(buildDepth(input(), grid, rand));
    expect(buildDepth(input(), grid, rand)).not.toEqual(buildDepth(input(), grid, (k) => uniformAt(100, k)));
  });

  it('shifts the book when the top is consumed', () => {
    const before = buildDepth(input(), grid, rand);
    const top = before.depth.sell[0]!;
    const second = before.depth.sell[1]!;
    const after = buildDepth(input({ consumedAsk: top.quantity + 75 }), grid, rand);
    // The whole first level and one lot of the second are gone.
    expect(after.depth.sell[0]!.price).toBe(second.price);
    expect(after.depth.sell[0]!.quantity).toBe(second.quantity - 75);
    expect(after.sellQuantity).toBe(before.sellQuantity - top.quantity - 75);
    expect(after.depth.buy).toEqual(before.depth.buy);
    expectWellFormed(after.depth, 75);
  });

  it('shows no offers above the upper circuit and no bids below the lower', () => {
    const upper = grid.roundTicks(151);
    const atUpper = buildDepth(
      input({ fairTicks: upper, upperTicks: upper, lowerTicks: grid.roundTicks(120) }),
      grid,
      rand,
    );
    for (const l of atUpper.depth.sell) expect(l.price === 0 || l.price <= 151).toBe(true);
    expect(atUpper.depth.sell.every((l) => l.quantity === 0)).toBe(true);
    expect(atUpper.depth.buy[0]!.price).toBeLessThanOrEqual(151);
    expectWellFormed(atUpper.depth, 75);
  });

  it('keeps at least one unit a level when depth is dried up', () => {
    const thin = buildDepth(input({ meanLevelUnits: 0.01 }), grid, rand);
    for (const l of thin.depth.buy) expect(l.quantity).toBe(75);
  });
});
