import type { DepthLevel } from '../domain/quote.js';
import type { DepthSnapshot } from './depth.js';
import type { ExecutionError } from './errors.js';
import { type TickGrid, tickGrid } from './tick-grid.js';

/** A populated level, with its price in whole ticks. */
export interface BookLevel extends DepthLevel {
  ticks: number;
}

/**
 * A book the rules can read: both sides populated, best first, in price order, on the grid,
 * not crossed. The touch and the mid are exact on the grid (see tick-grid.ts).
 */
export interface Book {
  snapshot: DepthSnapshot;
  grid: TickGrid;
  /** Populated bid levels, best (highest) first. */
  bids: BookLevel[];
  /** Populated ask levels, best (lowest) first. */
  asks: BookLevel[];
  bid: number;
  ask: number;
  /** (bid + ask) / 2. */
  mid: number;
}

type Side = 'buy' | 'sell';

function levelsOf(levels: readonly DepthLevel[], side: Side, grid: TickGrid): { levels: BookLevel[] } | ExecutionError {
  const out: BookLevel[] = [];
  for (const [i, level] of levels.entries()) {
    const where = `${side} level ${i + 1} (price ${level.price}, quantity ${level.quantity})`;
    const numbers = [level.price, level.quantity, level.orders];
    if (!numbers.every((n) => Number.isFinite(n) && n >= 0) || !Number.isInteger(level.quantity)) {
      return { code: 'BOOK_INVALID_LEVEL', message: `${where} is not a valid depth level` };
    }
    // Kite pads a side to five levels with zeros; a price with nothing resting is as empty.
    if (level.quantity === 0) continue;
    if (level.price === 0) return { code: 'BOOK_INVALID_LEVEL', message: `${where} has a quantity but no price` };
    const ticks = grid.onGrid(level.price);
    if (ticks === null) {
      return { code: 'BOOK_OFF_TICK', message: `${where} is not a multiple of the tick size ${grid.tick}` };
    }
    const previous = out[out.length - 1];
    if (previous && (side === 'buy' ? ticks >= previous.ticks : ticks <= previous.ticks)) {
      return {
        code: 'BOOK_INVALID_LEVEL',
        message: `${where} is out of order: ${side === 'buy' ? 'bids must fall' : 'asks must rise'} level by level`,
      };
    }
    out.push({ price: level.price, quantity: level.quantity, orders: level.orders, ticks });
  }
  return { levels: out };
}

/**
 * Read a snapshot into a {@link Book}, or refuse it with a code (errors.ts): an instrument with
 * a bad tick size, lot size or multiplier, a depth without a valid time, a malformed or
 * off-grid level, an empty, one-sided or crossed book. Levels with no quantity are skipped.
 */
export function readBook(snapshot: DepthSnapshot): Book | ExecutionError {
  const grid = tickGrid(snapshot.tick_size);
  if ('code' in grid) return grid;
  for (const [name, value] of [
    ['lot size', snapshot.lot_size],
    ['multiplier', snapshot.multiplier],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0)) {
      return { code: 'INVALID_INSTRUMENT', message: `${name} ${value} is not a positive number` };
    }
  }
  if (!Number.isFinite(snapshot.at.getTime())) {
    return { code: 'BOOK_NO_TIME', message: 'the depth has no valid time, so its age cannot be judged' };
  }
  const bids = levelsOf(snapshot.depth.buy, 'buy', grid);
  if ('code' in bids) return bids;
  const asks = levelsOf(snapshot.depth.sell, 'sell', grid);
  if ('code' in asks) return asks;
  const bestBid = bids.levels[0];
  const bestAsk = asks.levels[0];
  if (!bestBid && !bestAsk) return { code: 'BOOK_EMPTY', message: 'the market depth is empty: no bids and no asks' };
  if (!bestBid || !bestAsk) {
    return {
      code: 'BOOK_ONE_SIDED',
      message: `the market depth has ${bestBid ? 'bids' : 'asks'} only: there is no mid price to judge the spread against`,
    };
  }
  if (bestBid.ticks >= bestAsk.ticks) {
    return {
      code: 'BOOK_CROSSED',
      message: `the best bid ${bestBid.price} is at or above the best ask ${bestAsk.price}: the book is crossed`,
    };
  }
  return {
    snapshot,
    grid,
    bids: bids.levels,
    asks: asks.levels,
    bid: bestBid.price,
    ask: bestAsk.price,
    mid: grid.price(bestBid.ticks + bestAsk.ticks, 2),
  };
}

/** The levels an order takes: a BUY takes the asks, a SELL the bids. */
export function takenLevels(book: Book, side: 'BUY' | 'SELL'): BookLevel[] {
  return side === 'BUY' ? book.asks : book.bids;
}

/**
 * Check an order's quantity against the instrument: a positive whole number and a multiple of
 * the lot size (Kite's units: NFO quantities are units, whole lots of them).
 */
export function checkQuantity(quantity: number, lotSize: number): ExecutionError | null {
  if (!(Number.isInteger(quantity) && quantity > 0)) {
    return { code: 'INVALID_ORDER', message: `quantity ${quantity} is not a positive whole number` };
  }
  if (quantity % lotSize !== 0) {
    return { code: 'INVALID_ORDER', message: `quantity ${quantity} is not a multiple of the lot size ${lotSize}` };
  }
  return null;
}
