import { TERMINAL_STATUSES } from '../domain/order.js';
import { isOpen, sideOf, sideSign } from './order-facts.js';
import type { HkOrder, HkPosition, HkSettings } from './types.js';

/**
 * One-cancels-other groups: a stop and a target protecting the same quantity. When one leg
 * fills, the other must shrink by as much; when the fills reach the protected quantity, the
 * other is cancelled; when both legs fill past it (the cancel arrived too late), the position
 * has crossed to the other side and som must say so at once.
 */

/** Cancel the other leg: the group's quantity is all filled. */
export interface OcoCancel {
  kind: 'cancel';
  order_id: string;
  strategy_id: number;
  reason: 'OCO_FILLED';
  explanation: string;
}

/** Shrink the other leg. `quantity` is the new TOTAL quantity for Kite's modify (filled + pending). */
export interface OcoReduce {
  kind: 'reduce';
  order_id: string;
  strategy_id: number;
  quantity: number;
  reason: 'OCO_FILLED';
  explanation: string;
}

/**
 * Both legs filled past the protected quantity. `excess` is by how much; `quantity` is what to
 * flatten: the excess, capped by the position actually standing on the exit side (0 when the
 * position did not cross, e.g. it was larger than what the group protected). `side` is the
 * transaction type of the flattening order. The alert is high priority either way.
 */
export interface OcoOverfill {
  kind: 'overfill';
  oco_group_id: number | null;
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  order_ids: [string, string];
  excess: number;
  quantity: number;
  side: 'BUY' | 'SELL';
  /** Place the flattening order (settings.flatten_on_overfill, and something to flatten). */
  flatten: boolean;
  priority: 'high';
  explanation: string;
}

/** The group is not a pair of exits on one instrument: nothing was decided. */
export interface OcoGroupError {
  kind: 'error';
  code: 'OCO_GROUP_SIZE' | 'OCO_GROUP_MISMATCH';
  message: string;
}

export type OcoDecision = OcoCancel | OcoReduce | OcoOverfill | OcoGroupError;

/**
 * What an OCO group needs now, given its two orders (in any state) and the strategy's position
 * in their instrument (null when unknown).
 *
 * The group protects Q = the larger of the two orders' quantities (a leg som has shrunk is the
 * smaller one). With F = the two legs' filled quantities added up:
 * - F = 0: nothing to do (a position closed by other means is the orphan rules' business);
 * - the quantity still to protect is R = Q - F, and no more than the position on the entry side
 *   when the position is known;
 * - each open leg whose pending quantity exceeds R is reduced to R pending (new total
 *   quantity = its filled + R), or cancelled when R = 0; a leg is never increased;
 * - F > Q: an overfill (see `OcoOverfill`).
 * This covers the cases that occur: one leg filled fully (R = 0: cancel the other), one partly
 * (R = what is left: reduce the other), both (overfill, and cancel what still rests).
 */
export function ocoDecisions(input: {
  group: readonly HkOrder[];
  position: HkPosition | null;
  settings: Pick<HkSettings, 'flatten_on_overfill'>;
}): OcoDecision[] {
  const { group, position, settings } = input;
  const [a, b] = group;
  if (group.length !== 2 || !a || !b) {
    return [
      { kind: 'error', code: 'OCO_GROUP_SIZE', message: `an OCO group has 2 orders, this one has ${group.length}` },
    ];
  }
  const mismatch = pairMismatch(a, b);
  if (mismatch) return [{ kind: 'error', code: 'OCO_GROUP_MISMATCH', message: mismatch }];

  const filled = a.filled_quantity + b.filled_quantity;
  if (filled === 0) return [];
  const protectedQty = Math.max(a.quantity, b.quantity);
  const exitSign = sideSign(a.transaction_type);
  const entrySign = -exitSign;
  const held = position === null ? null : position.quantity;
  const onEntrySide = held === null ? Number.POSITIVE_INFINITY : Math.sign(held) === entrySign ? Math.abs(held) : 0;
  const remaining = Math.max(0, Math.min(protectedQty - filled, onEntrySide));
  const fillText = `${a.order_id} filled ${a.filled_quantity}, ${b.order_id} filled ${b.filled_quantity} of ${protectedQty} protected`;
  const positionText = held === null ? '' : `; position ${held}`;

  const out: OcoDecision[] = [];
  for (const leg of [a, b]) {
    if (!isOpen(leg) || leg.pending_quantity <= remaining) continue;
    if (remaining === 0) {
      out.push({
        kind: 'cancel',
        order_id: leg.order_id,
        strategy_id: leg.strategy_id,
        reason: 'OCO_FILLED',
        explanation: `OCO group ${a.oco_group_id ?? '?'}: ${fillText}${positionText}; nothing left to protect, cancel ${leg.order_id}`,
      });
    } else {
      out.push({
        kind: 'reduce',
        order_id: leg.order_id,
        strategy_id: leg.strategy_id,
        quantity: leg.filled_quantity + remaining,
        reason: 'OCO_FILLED',
        explanation: `OCO group ${a.oco_group_id ?? '?'}: ${fillText}${positionText}; ${remaining} left to protect, reduce ${leg.order_id} from ${leg.pending_quantity} to ${remaining} pending (quantity ${leg.filled_quantity + remaining})`,
      });
    }
  }

  const excess = filled - protectedQty;
  if (excess > 0) {
    const onExitSide = held === null ? excess : Math.sign(held) === exitSign ? Math.abs(held) : 0;
    const quantity = Math.min(excess, onExitSide);
    const side = sideOf(entrySign);
    out.push({
      kind: 'overfill',
      oco_group_id: a.oco_group_id,
      strategy_id: a.strategy_id,
      exchange: a.exchange,
      tradingsymbol: a.tradingsymbol,
      product: a.product,
      order_ids: [a.order_id, b.order_id],
      excess,
      quantity,
      side,
      flatten: settings.flatten_on_overfill && quantity > 0,
      priority: 'high',
      explanation:
        quantity > 0
          ? `OCO group ${a.oco_group_id ?? '?'} overfilled: ${fillText}${positionText}; ${side} ${quantity} flattens the unwanted position`
          : `OCO group ${a.oco_group_id ?? '?'} overfilled by ${excess}: ${fillText}${positionText}; the position did not cross, nothing to flatten`,
    });
  }
  return out;
}

/** The fields the pairing rule reads. */
export type OcoCandidate = Pick<
  HkOrder,
  'order_id' | 'strategy_id' | 'exchange' | 'tradingsymbol' | 'product' | 'transaction_type' | 'order_type' | 'status'
> & { oco_group_id: number | null };

/**
 * Whether two orders make an OCO pair: two different open orders, one stop (SL or SL-M) and
 * one target (LIMIT), exits on the same side of one strategy's position in one instrument and
 * product, neither already in a group. Returns which is which, or why not.
 */
export function ocoPair(
  a: OcoCandidate,
  b: OcoCandidate,
): { stop: OcoCandidate; target: OcoCandidate } | { error: string } {
  if (a.order_id === b.order_id) return { error: 'an OCO pair needs two different orders' };
  for (const o of [a, b]) {
    if (TERMINAL_STATUSES.has(o.status))
      return { error: `order ${o.order_id} is ${o.status}: only open orders can be linked` };
    if (o.oco_group_id !== null) return { error: `order ${o.order_id} is already in OCO group ${o.oco_group_id}` };
  }
  const mismatch = pairMismatch(a, b);
  if (mismatch) return { error: mismatch };
  const stop = [a, b].find((o) => o.order_type === 'SL' || o.order_type === 'SL-M');
  const target = [a, b].find((o) => o.order_type === 'LIMIT');
  if (!stop || !target) return { error: 'an OCO pair is one stop (SL or SL-M) and one target (LIMIT)' };
  return { stop, target };
}

function pairMismatch(a: OcoCandidate, b: OcoCandidate): string | null {
  if (a.exchange !== b.exchange || a.tradingsymbol !== b.tradingsymbol || a.product !== b.product) {
    return `orders ${a.order_id} and ${b.order_id} are on different instruments or products: an OCO pair protects one position`;
  }
  if (a.transaction_type !== b.transaction_type) {
    return `orders ${a.order_id} and ${b.order_id} are on opposite sides: an OCO pair is two exits on the same side`;
  }
  if (a.strategy_id !== b.strategy_id) return `orders ${a.order_id} and ${b.order_id} belong to different strategies`;
  return null;
}
