import type { TransactionType } from '../domain/order.js';
import { type Book, takenLevels } from './book.js';

/**
 * What an order would pay walking the visible book now. Costs are signed so that a cost is
 * positive for both sides: a BUY above the mid and a SELL below it both cost.
 */
export interface Impact {
  /** FILLED: the five levels cover the quantity; BOOK_INSUFFICIENT: they do not. */
  status: 'FILLED' | 'BOOK_INSUFFICIENT';
  /** Volume-weighted average price of what the visible book fills (all of it, or what there is). */
  vwap: number;
  /** The best price on the side taken: the best ask for a BUY, the best bid for a SELL. */
  touch: number;
  /** The last (worst) price the walk reaches. */
  worst_price: number;
  /** Cost against the mid, basis points: (vwap - mid) / mid x 10,000, x -1 for a SELL. */
  bps: number;
  /** Cost against the touch, basis points: what walking past the best level adds. */
  bps_vs_touch: number;
  levels_used: number;
  filled_quantity: number;
  /** Quantity the visible book cannot fill (0 when FILLED). */
  unfilled_quantity: number;
  /**
   * Estimated slippage, rupees: (vwap - mid) x filled quantity x multiplier, x -1 for a SELL.
   * With BOOK_INSUFFICIENT it covers the visible fill only, a lower bound: the rest has no price.
   */
  slippage: number;
}

/** Internal detail the limit price needs: the worst level reached, in ticks. */
export interface ImpactWalk extends Impact {
  worst_ticks: number;
}

/**
 * Walk the levels on the side the order takes (a BUY takes the asks, best first), filling as
 * much of `quantity` at each as rests there. When the five levels run out first the result says
 * BOOK_INSUFFICIENT with the unfilled quantity: it never pretends the rest fills.
 *
 * Averages and costs are computed on tick counts (sum of ticks x quantity is an exact integer)
 * with one rounding at the end. The book must have the side populated and `quantity` must be
 * positive (book.ts checks both).
 */
export function estimateImpact(book: Book, side: TransactionType, quantity: number): ImpactWalk {
  const levels = takenLevels(book, side);
  const sign = side === 'BUY' ? 1 : -1;
  let filled = 0;
  let tickQuantity = 0;
  let used = 0;
  let worstTicks = levels[0]!.ticks;
  for (const level of levels) {
    if (filled === quantity) break;
    const take = Math.min(level.quantity, quantity - filled);
    filled += take;
    tickQuantity += level.ticks * take;
    worstTicks = level.ticks;
    used++;
  }
  const touchTicks = levels[0]!.ticks;
  const midTwice = book.bids[0]!.ticks + book.asks[0]!.ticks;
  // (vwap - mid) x filled, in half ticks: 2 x sum(ticks x q) - (bid + ask) x filled.
  const overMidHalfTicks = 2 * tickQuantity - midTwice * filled;
  return {
    status: filled < quantity ? 'BOOK_INSUFFICIENT' : 'FILLED',
    vwap: book.grid.price(tickQuantity, filled),
    touch: levels[0]!.price,
    worst_price: book.grid.price(worstTicks),
    worst_ticks: worstTicks,
    // + 0: a SELL at no cost is 0, not -0.
    bps: ((sign * overMidHalfTicks) / (midTwice * filled)) * 10_000 + 0,
    bps_vs_touch: ((sign * (tickQuantity - touchTicks * filled)) / (touchTicks * filled)) * 10_000 + 0,
    levels_used: used,
    filled_quantity: filled,
    unfilled_quantity: quantity - filled,
    slippage: sign * book.grid.price(overMidHalfTicks, 2) * book.snapshot.multiplier + 0,
  };
}
