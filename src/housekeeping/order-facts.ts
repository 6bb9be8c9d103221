import { TERMINAL_STATUSES } from '../domain/order.js';
import type { HkOrder, HkPosition } from './types.js';

/**
 * Small facts about orders and positions that every housekeeping rule asks: is the order still
 * live, which way does it trade, which position does it belong to, which of two is younger.
 */

/** Kite's status while a cancel request is on its way: the order is already leaving. */
export const CANCEL_PENDING = 'CANCEL PENDING';

/** Still working or waiting at the broker: not COMPLETE, CANCELLED or REJECTED, and something pending. */
export function isLive(order: HkOrder): boolean {
  return !TERMINAL_STATUSES.has(order.status) && order.pending_quantity > 0;
}

/**
 * Live and not already being cancelled. Only such an order needs a decision: one in CANCEL
 * PENDING is leaving, and a second cancel would only be refused.
 */
export function isOpen(order: HkOrder): boolean {
  return isLive(order) && order.status !== CANCEL_PENDING;
}

export { sideSign } from '../domain/position-shares.js';

/** The transaction type that trades in the direction of `sign` (> 0 BUY, < 0 SELL). */
export function sideOf(sign: number): 'BUY' | 'SELL' {
  return sign > 0 ? 'BUY' : 'SELL';
}

/** The key of a strategy's position in one instrument and product. */
export function positionKey(strategyId: number, exchange: string, tradingsymbol: string, product: string): string {
  return `${strategyId}|${exchange}|${tradingsymbol}|${product}`;
}

/** The position key an order's fills go to. */
export function orderPositionKey(o: Pick<HkOrder, 'strategy_id' | 'exchange' | 'tradingsymbol' | 'product'>): string {
  return positionKey(o.strategy_id, o.exchange, o.tradingsymbol, o.product);
}

/** Positions by `positionKey`. A later duplicate replaces an earlier one. */
export function indexPositions(positions: readonly HkPosition[]): Map<string, HkPosition> {
  const out = new Map<string, HkPosition>();
  for (const p of positions) out.set(positionKey(p.strategy_id, p.exchange, p.tradingsymbol, p.product), p);
  return out;
}

/**
 * Epoch milliseconds of the order's timestamp, or NaN when it has none or it does not parse.
 * Kite moves order_timestamp on every modification, so this is "placed or last modified".
 */
export function orderTimeMs(order: HkOrder): number {
  return order.order_timestamp === null ? Number.NaN : Date.parse(order.order_timestamp);
}

/** Kite's order ids grow with time; compare them as numbers written in decimal. */
export function compareOrderIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Youngest first: later order_timestamp first; an order without a timestamp counts as the
 * youngest (it has only just been seen); ties broken by the larger order id.
 */
export function youngestFirst(a: HkOrder, b: HkOrder): number {
  const ta = orderTimeMs(a);
  const tb = orderTimeMs(b);
  const ka = Number.isNaN(ta) ? Number.POSITIVE_INFINITY : ta;
  const kb = Number.isNaN(tb) ? Number.POSITIVE_INFINITY : tb;
  if (ka !== kb) return kb > ka ? 1 : -1;
  return compareOrderIds(b.order_id, a.order_id);
}

/** Strategy, then order id: the order results are listed in. */
export function byStrategyThenOrder(
  a: { strategy_id: number; order_id: string },
  b: { strategy_id: number; order_id: string },
): number {
  return a.strategy_id - b.strategy_id || compareOrderIds(a.order_id, b.order_id);
}
