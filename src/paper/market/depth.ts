/**
 * Five levels a side of market depth, built around the model's fair price.
 *
 * The touch is placed deterministically from the fair price and the spread (so trades the
 * model prints at the touch agree with the book), and the ladder behind it is drawn from a
 * counter-based random source: level gaps of 1..maxGap ticks, quantities around the mean
 * (growing slightly with distance), and order counts from the mean order size. More levels
 * than the five shown are built, so that when an order has eaten the top of one side the
 * book shifts and still shows five. Quantities are whole multiples of the unit (lot size).
 */
import type { Depth, DepthLevel } from '../../domain/quote.js';
import type { TickGrid } from './tick.js';

/** Levels a side Kite shows. */
export const DEPTH_LEVELS = 5;
/** Levels a side built behind the scenes (the rest of the book that refills the top five). */
export const BOOK_LEVELS = 20;

export interface DepthInput {
  /** Fair price in (fractional) ticks. */
  fairTicks: number;
  /** Spread between best bid and best ask, in whole ticks, at least 1. */
  spreadTicks: number;
  /** Largest gap between adjacent levels, in ticks. */
  maxGapTicks: number;
  /** Mean resting units (lots, or shares for cash) per level; may be fractional. */
  meanLevelUnits: number;
  /** Mean units per resting order. */
  meanOrderUnits: number;
  /** Shares per unit: the lot size (1 for cash). */
  unitSize: number;
  /** Band in ticks: levels outside [lowerTicks, upperTicks] are not shown; 0 and Infinity for none. */
  lowerTicks: number;
  upperTicks: number;
  /** Quantity (shares) already taken from the top of the bid / ask side and not yet refilled. */
  consumedBid: number;
  consumedAsk: number;
}

export interface DepthResult {
  depth: Depth;
  /** Total resting quantity on each side of the book built (Kite's buy_quantity / sell_quantity). */
  buyQuantity: number;
  sellQuantity: number;
}

/** An empty level, as Kite shows one. */
export function emptyLevel(): DepthLevel {
  return { price: 0, quantity: 0, orders: 0 };
}

/** Five empty levels a side: the depth of an index, or of a contract past expiry. */
export function emptyDepth(): Depth {
  return { buy: padLevels([]), sell: padLevels([]) };
}

function padLevels(levels: DepthLevel[]): DepthLevel[] {
  const out = levels.slice(0, DEPTH_LEVELS);
  while (out.length < DEPTH_LEVELS) out.push(emptyLevel());
  return out;
}

/**
 * Best bid and best ask, in ticks, for a fair price and spread: bid <= fair <= ask, except
 * that the bid never goes below one tick (a contract worth almost nothing is still bid at
 * the minimum price, and offered `spread` ticks above it).
 */
export function touchTicks(fairTicks: number, spreadTicks: number): { bid: number; ask: number } {
  const s = Math.max(1, Math.round(spreadTicks));
  const bid = Math.max(1, Math.floor(fairTicks - s / 2 + 0.5));
  return { bid, ask: bid + s };
}

interface RawLevel {
  ticks: number;
  units: number;
  orders: number;
}

function ladder(
  input: DepthInput,
  bestTicks: number,
  direction: 1 | -1,
  side: number,
  rand: (k: number) => number,
): RawLevel[] {
  const out: RawLevel[] = [];
  let ticks = bestTicks;
  const mean = Math.max(input.meanLevelUnits, 0);
  for (let i = 0; i < BOOK_LEVELS; i++) {
    const key = side * 1000 + i * 4;
    if (i > 0) ticks += direction * (1 + Math.floor(rand(key) * Math.max(1, input.maxGapTicks)));
    const units = Math.max(1, Math.round(mean * (0.35 + 1.3 * rand(key + 1)) * (1 + 0.1 * i)));
    const orders = Math.min(
      units,
      Math.max(1, Math.round((units / Math.max(input.meanOrderUnits, 1e-9)) * (0.6 + 0.8 * rand(key + 2)))),
    );
    out.push({ ticks, units, orders });
  }
  return out;
}

/** Takes `quantity` shares (rounded to whole units) off the top of a ladder; returns what is left. */
function consume(levels: RawLevel[], quantity: number, unitSize: number): RawLevel[] {
  let units = Math.round(quantity / unitSize);
  if (units <= 0) return levels;
  const out: RawLevel[] = [];
  for (const level of levels) {
    if (units >= level.units) {
      units -= level.units;
      continue;
    }
    if (units > 0) {
      const left = level.units - units;
      out.push({
        ticks: level.ticks,
        units: left,
        orders: Math.max(1, Math.min(left, Math.round((level.orders * left) / level.units))),
      });
      units = 0;
    } else {
      out.push(level);
    }
  }
  return out;
}

/**
 * Builds the depth. `rand(k)` must be a pure function of `k` for one snapshot (the model
 * keys it by seed, token and refresh epoch), giving values in (0, 1).
 */
export function buildDepth(input: DepthInput, grid: TickGrid, rand: (k: number) => number): DepthResult {
  const { bid, ask } = touchTicks(input.fairTicks, input.spreadTicks);
  const lower = Math.max(1, input.lowerTicks);
  const upper = input.upperTicks > 0 ? input.upperTicks : Infinity;
  const bids = consume(ladder(input, bid, -1, 1, rand), input.consumedBid, input.unitSize).filter(
    (l) => l.ticks >= lower && l.ticks <= upper,
  );
  const asks = consume(ladder(input, ask, 1, 2, rand), input.consumedAsk, input.unitSize).filter(
    (l) => l.ticks >= lower && l.ticks <= upper,
  );
  const toLevel = (l: RawLevel): DepthLevel => ({
    price: grid.price(l.ticks),
    quantity: l.units * input.unitSize,
    orders: l.orders,
  });
  let buyQuantity = 0;
  for (const l of bids) buyQuantity += l.units * input.unitSize;
  let sellQuantity = 0;
  for (const l of asks) sellQuantity += l.units * input.unitSize;
  return {
    depth: {
      buy: padLevels(bids.slice(0, DEPTH_LEVELS).map(toLevel)),
      sell: padLevels(asks.slice(0, DEPTH_LEVELS).map(toLevel)),
    },
    buyQuantity,
    sellQuantity,
  };
}
