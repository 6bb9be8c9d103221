import type { TransactionType } from '../domain/order.js';
import { type Book, takenLevels } from './book.js';
import type { ImpactWalk } from './impact.js';
import type { PriceProtection } from './price-protection.js';

/** What set a limit price: the depth it needs, the strategy's impact limit, a price band, a circuit. */
export type LimitBound = 'depth' | 'impact_limit' | 'price_protection' | 'circuit_limit';

export interface LimitPrice {
  /** On the tick grid; null when no price satisfies the bands (see `problem`). */
  price: number | null;
  bound_by: LimitBound | null;
  /** How much of the order the visible book fills at this price now (at most the order). */
  reachable_quantity: number;
  /** Why there is no price. */
  problem: string | null;
}

export interface LimitPriceInput {
  book: Book;
  side: TransactionType;
  quantity: number;
  walk: ImpactWalk;
  /** The strategy's max_market_impact_bps: how far past the touch the price may go. */
  max_impact_bps: number;
  /** Ticks beyond the last level needed, to absorb a book that moves before the order lands. */
  buffer_ticks: number;
  protection: PriceProtection;
}

/**
 * The limit price for an order, on the tick grid (tick counts throughout: no float noise).
 *
 * A BUY's limit is the highest it may pay, the least of:
 * - depth: the last ask level the quantity needs (all five when the book is too thin), plus
 *   `buffer_ticks`;
 * - impact_limit: the best ask x (1 + max_impact_bps / 10,000), rounded down to the grid;
 * - price_protection: the exchange's and the broker's bands (price-protection.ts), rounded down;
 * - circuit_limit: the upper circuit.
 * A SELL's is the lowest it may accept, the greatest of the mirror images (best bid x (1 -
 * bps / 10,000) rounded up, bands' bottoms rounded up, the lower circuit), and never below one
 * tick. When two bounds give the same price the first listed is named. No price exists when
 * the result falls outside the circuit on the other side (a BUY below the lower circuit): the
 * exchange would refuse any.
 */
export function limitPrice(input: LimitPriceInput): LimitPrice {
  const { book, side, quantity, walk, protection } = input;
  const grid = book.grid;
  const buy = side === 'BUY';
  const touch = takenLevels(book, side)[0]!.price;
  const factor = buy ? 1 + input.max_impact_bps / 10_000 : 1 - input.max_impact_bps / 10_000;
  const band = buy ? protection.buy_max : protection.sell_min;
  const circuit = buy ? protection.upper_circuit : protection.lower_circuit;
  const toGrid = (price: number) => (buy ? grid.floor(price) : grid.ceil(price));
  const bounds: [LimitBound, number | null][] = [
    ['depth', buy ? walk.worst_ticks + input.buffer_ticks : Math.max(1, walk.worst_ticks - input.buffer_ticks)],
    ['impact_limit', toGrid(touch * factor)],
    ['price_protection', band === null ? null : toGrid(band)],
    ['circuit_limit', circuit === null ? null : toGrid(circuit)],
  ];
  let boundBy: LimitBound = 'depth';
  let ticks = bounds[0]![1]!;
  for (const [name, value] of bounds) {
    if (value === null) continue;
    if (buy ? value < ticks : value > ticks) {
      boundBy = name;
      ticks = value;
    }
  }
  if (!buy) ticks = Math.max(1, ticks);
  const opposite = buy ? protection.lower_circuit : protection.upper_circuit;
  const outside =
    (buy && ticks < 1) || (opposite !== null && (buy ? ticks < grid.ceil(opposite) : ticks > grid.floor(opposite)));
  if (outside) {
    return {
      price: null,
      bound_by: null,
      reachable_quantity: 0,
      problem: `no ${side} price satisfies both the ${boundBy.replace('_', ' ')} (${grid.price(ticks)}) and the ${
        buy ? 'lower' : 'upper'
      } circuit ${opposite}`,
    };
  }
  let reachable = 0;
  for (const level of takenLevels(book, side)) {
    if (buy ? level.ticks > ticks : level.ticks < ticks) break;
    reachable += level.quantity;
  }
  return {
    price: grid.price(ticks),
    bound_by: boundBy,
    reachable_quantity: Math.min(reachable, quantity),
    problem: null,
  };
}
