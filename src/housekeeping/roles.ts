import { sideSign } from './order-facts.js';
import type { HkOrder, OrderRole } from './types.js';

/**
 * Which role an order placed outside som plays, decided once, when som first sees it.
 *
 * The rule (issue 6): an order that reduces an existing position is protective, one that opens
 * or adds is an entry. Precisely:
 * - on the opposite side of the strategy's position and not larger than it:
 *   - SL or SL-M: a `stop`;
 *   - LIMIT: a `target`, a resting exit. When the caller passes the last price and the LIMIT is
 *     marketable (a sell at or below it, a buy at or above it), it is an exit that fills at
 *     once, not a resting order: treated as MARKET below;
 *   - MARKET (and a marketable LIMIT): an `entry`. It is an exit, but not a protective resting
 *     order: it fills within moments, and the orphan rules must never cancel or shrink an
 *     order the user sent to execute now (a MARKET AMO waiting for the open to exit a position
 *     would otherwise count as a second stop and be cancelled as excess). `entry` is the role
 *     the housekeeping rules leave alone; `reason` records that it is an exit.
 * - on the opposite side but larger than the position: an `entry` (it reverses the position,
 *   opening the other side);
 * - on the same side, or with no position: an `entry`.
 * An order type Kite does not document is an `entry`: never cancel what we do not understand.
 *
 * `positionQuantityBefore` is the strategy's signed position in the order's instrument and
 * product before this order's own fills. `reason` says how the role was decided; the daemon
 * records it.
 */
export function inferRole(
  order: HkOrder,
  positionQuantityBefore: number,
  market: { lastPrice?: number } = {},
): { role: OrderRole; reason: string } {
  const side = order.transaction_type;
  const pos = positionQuantityBefore;
  const held = Math.abs(pos);
  const posText = pos === 0 ? 'no position' : `a ${pos > 0 ? 'long' : 'short'} position of ${held}`;
  const what = `${order.order_type} ${side} ${order.quantity}`;

  if (pos === 0 || Math.sign(pos) === sideSign(side)) {
    return { role: 'entry', reason: `${what} with ${posText}: opens or adds to a position` };
  }
  if (order.quantity > held) {
    return { role: 'entry', reason: `${what} against ${posText}: larger than the position, so it reverses it` };
  }
  switch (order.order_type) {
    case 'SL':
    case 'SL-M':
      return { role: 'stop', reason: `${what} against ${posText}: a stop-loss exit` };
    case 'LIMIT': {
      const ltp = market.lastPrice;
      const marketable = ltp !== undefined && (side === 'SELL' ? order.price <= ltp : order.price >= ltp);
      if (marketable) {
        return {
          role: 'entry',
          reason: `${what} at ${order.price} against ${posText}: marketable at last price ${ltp}, an immediate exit, not a resting target`,
        };
      }
      return { role: 'target', reason: `${what} at ${order.price} against ${posText}: a resting limit exit (target)` };
    }
    case 'MARKET':
      return { role: 'entry', reason: `${what} against ${posText}: a market exit, not a resting protective order` };
    default:
      return { role: 'entry', reason: `${what} against ${posText}: unknown order type, left alone as an entry` };
  }
}
