/**
 * A strategy's position in one instrument and product for today's P&L, from its share and the
 * fills that moved the share today (`position_allocations`, each with the fill's price).
 *
 * The part of the share held before today (a position carried from an earlier day) opens the
 * day at the previous close, as Kite's day P&L (m2m) values an overnight position; today's
 * moves are then applied in order with average-cost accounting:
 * - a move on the side of the position (or from flat) adds to it at a new average price;
 * - a move against it closes up to the open quantity and books
 *   closed x (price - average) x sign(position) x multiplier as realised;
 * - whatever is left of a move larger than the position opens the other side at the move's price.
 * A move without a price (a share adopted from the broker's positions: no fill explains it)
 * is taken at `fallback_price`, the broker's average price of the position.
 *
 * So realised + quantity x multiplier x (last - average) is the share's P&L since the day
 * began, whatever happened before. Rupees are unrounded.
 */

/** One move of the share today, in the order it happened. */
export interface ShareMove {
  /** Signed: positive bought, negative sold. */
  quantity: number;
  /** The fill's price; null for an adoption. */
  price: number | null;
}

export interface DayPositionInput {
  /** The share now (signed). */
  quantity: number;
  /** Today's moves, oldest first. Their sum is what today changed; the rest was carried in. */
  moves: readonly ShareMove[];
  /** The price the carried part opens the day at: the previous close (Kite's `close_price`). */
  opening_price: number;
  /** The price of a move that has none (the broker's average price of the position). */
  fallback_price: number;
  /** Rupees per unit of price per unit of quantity. */
  multiplier: number;
}

export interface DayPosition {
  /** The share now. */
  quantity: number;
  /** The quantity carried in from before today. */
  opening_quantity: number;
  /** Average price of the open quantity (0 when flat). */
  average_price: number;
  /** Booked today, rupees. */
  realised: number;
}

/** Today's position and realised P&L of one share (see the module comment). */
export function dayPosition(input: DayPositionInput): DayPosition {
  let moved = 0;
  for (const m of input.moves) moved += m.quantity;
  const opening = input.quantity - moved;
  let quantity = opening;
  let average = opening === 0 ? 0 : input.opening_price;
  let realised = 0;
  for (const m of input.moves) {
    if (m.quantity === 0) continue;
    const price = m.price ?? input.fallback_price;
    if (quantity === 0 || Math.sign(quantity) === Math.sign(m.quantity)) {
      const next = quantity + m.quantity;
      average = (quantity * average + m.quantity * price) / next;
      quantity = next;
      continue;
    }
    const closed = Math.min(Math.abs(m.quantity), Math.abs(quantity));
    realised += closed * (price - average) * Math.sign(quantity) * input.multiplier;
    const next = quantity + m.quantity;
    if (next === 0) average = 0;
    else if (Math.sign(next) !== Math.sign(quantity)) average = price;
    quantity = next;
  }
  return { quantity, opening_quantity: opening, average_price: average, realised };
}
