/**
 * What an order would do to the strategy's position: the one definition of "reduces" that
 * the pre-trade gate and the square-off share.
 *
 * An order REDUCES a position when it is for the same instrument and product (exchange,
 * trading symbol, product), on the opposite side, for no more than the open quantity
 * (SELL 40 against +100 MIS; BUY 100 against -100). Orders already working are not counted:
 * a stop resting against the position does not make an exit "more than the position", since
 * an exit is never blocked (housekeeping trims protective orders the position no longer needs).
 *
 * Everything else adds risk: OPEN (no position in that instrument and product), ADD (same
 * side) or REVERSE (opposite side, more than the position: SELL 150 against +100 closes 100
 * and opens -50). A reversing order is judged as a whole, like an opening one; to exit under a
 * halt, send the reducing part alone.
 */
import type { PositionQuantity, Side } from './types.js';

export type OrderEffect = 'reduce' | 'open' | 'add' | 'reverse';

/** The parts of an order its effect depends on. */
export interface OrderShape {
  exchange: string;
  tradingsymbol: string;
  product: string;
  transaction_type: Side;
  quantity: number;
}

export interface OrderEffectResult {
  effect: OrderEffect;
  /** The signed position in the order's instrument and product before it (0 if none). */
  before: number;
  /** The signed position once the order has filled completely. */
  after: number;
}

/** +1 for BUY, -1 for SELL. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'BUY' ? 1 : -1;
}

/** The side of an order that closes a signed position (SELL for a long), or null when flat. */
export function exitSide(quantity: number): Side | null {
  if (quantity > 0) return 'SELL';
  if (quantity < 0) return 'BUY';
  return null;
}

/** The signed quantity held in one instrument and product (0 when none of `positions` matches). */
export function positionIn(
  positions: readonly PositionQuantity[],
  key: Pick<PositionQuantity, 'exchange' | 'tradingsymbol' | 'product'>,
): number {
  let q = 0;
  for (const p of positions) {
    if (p.exchange === key.exchange && p.tradingsymbol === key.tradingsymbol && p.product === key.product) {
      q += p.quantity;
    }
  }
  return q;
}

/** What `order` does to the position in its instrument and product (see the module comment). */
export function orderEffect(order: OrderShape, positions: readonly PositionQuantity[]): OrderEffectResult {
  const before = positionIn(positions, order);
  const after = before + sideSign(order.transaction_type) * order.quantity;
  let effect: OrderEffect;
  if (before === 0) effect = 'open';
  else if (exitSide(before) !== order.transaction_type) effect = 'add';
  else effect = order.quantity <= Math.abs(before) ? 'reduce' : 'reverse';
  return { effect, before, after };
}
