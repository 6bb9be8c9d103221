/**
 * Walking a quote's market depth. The engine keeps one working copy of each instrument's depth
 * and takes fills out of it, so that liquidity one order used is not there for the next.
 */
import type { Depth, DepthLevel } from '../../domain/quote.js';
import type { TransactionType } from './order.js';
import { priceAbove, priceBelow } from './ticks.js';

/** A quote's depth as the engine works on it: non-empty levels, best first, quantities live. */
export interface WorkingBook {
  buy: DepthLevel[];
  sell: DepthLevel[];
}

/** One slice of an order filled at one depth level. */
export interface LevelFill {
  price: number;
  quantity: number;
}

/**
 * Liquidity the engine has taken from the book, reported so that the market model can thin
 * its own depth. `side` is the depth side consumed: a BUY order takes from `sell`.
 */
export interface DepthConsumption {
  instrument_token: number;
  side: 'buy' | 'sell';
  price: number;
  quantity: number;
}

/** Implemented by the market model: remove consumed liquidity from the instrument's book. */
export type DepthConsumer = (consumed: DepthConsumption) => void;

/** A working copy of `depth`: empty levels dropped, bids high to low, asks low to high. */
export function workingBook(depth: Depth): WorkingBook {
  const live = (l: DepthLevel): boolean => l.price > 0 && l.quantity > 0;
  return {
    buy: depth.buy
      .filter(live)
      .map((l) => ({ ...l }))
      .sort((a, b) => b.price - a.price),
    sell: depth.sell
      .filter(live)
      .map((l) => ({ ...l }))
      .sort((a, b) => a.price - b.price),
  };
}

/**
 * Fill up to `quantity` for a `side` order against the opposite side of `book`, level by level,
 * never past `limit` (null: no limit). Takes the filled quantity out of the book.
 */
export function walkBook(
  book: WorkingBook,
  side: TransactionType,
  quantity: number,
  limit: number | null,
): LevelFill[] {
  const levels = side === 'BUY' ? book.sell : book.buy;
  const fills: LevelFill[] = [];
  let left = quantity;
  for (const level of levels) {
    if (left <= 0) break;
    if (level.quantity <= 0) continue;
    if (limit !== null) {
      if (side === 'BUY' && priceAbove(level.price, limit)) break;
      if (side === 'SELL' && priceBelow(level.price, limit)) break;
    }
    const q = Math.min(left, level.quantity);
    level.quantity -= q;
    left -= q;
    fills.push({ price: level.price, quantity: q });
  }
  return fills;
}
