import { isOpen, orderTimeMs, sideSign } from './order-facts.js';
import type { HkOrder, OrderRole } from './types.js';

/** A role decided for an order, and why (the daemon records both). */
export interface RoleJudgement {
  order_id: string;
  role: OrderRole;
  reason: string;
}

/** What the market said when an order was first seen (only an exit's judgement needs it). */
export interface FirstSight {
  /** Last traded price when the order was first seen, if streamed. */
  lastPrice?: number;
}

/**
 * Judge the roles of one strategy's open orders in one instrument and product, against the
 * strategy's share of the position (`share`, signed) and the entries still working.
 *
 * Roles are a function of the current state, judged again on every change (a fill, an order
 * update, a position change, start-up), except that a protective role, once given, stays for
 * the order's life: a stop whose position closed is an orphan, not an entry. The rule:
 *
 * - The direction being protected is the side of the position when there is one; otherwise
 *   the side of the group's anchor: its oldest working order that is not protective, a LIMIT
 *   or MARKET before an SL (an SL alone is as often a breakout entry as a stop). The anchor is
 *   the entry; no position and no other working order: no direction.
 * - An order on the side of that direction, or with no direction, opens or adds: `entry`.
 * - An order on the other side closes or protects:
 *   - MARKET, or a LIMIT at or through the last price when first seen (Kite also turns a MARKET
 *     order into a LIMIT tagged `mktp`): `exit`, the user's own exit, never touched;
 *   - SL or SL-M: `stop`;
 *   - LIMIT: `target`;
 *   - anything else: `entry` (som never cancels what it does not understand).
 *   A stop or target may be larger than what it protects: the orphan rules trim the excess.
 *   A stop placed while its entry still rests protects that entry as it fills (pending
 *   protection): it is judged protective at once.
 *
 * Orders are judged oldest first, each seeing the judgements before it. Returns a judgement
 * for every open order whose role is new or changed (an order already protective or an exit
 * is left as it is), and for an order first seen already filled (a MARKET exit fills at once),
 * judged against the share before its own fills. `firstSight` gives the market at first sight
 * for orders judged now for the first time (role null).
 */
export function judgeRoles(
  orders: readonly HkOrder[],
  share: number,
  firstSight: (order: HkOrder) => FirstSight = () => ({}),
): RoleJudgement[] {
  const open = orders.filter((o) => isOpen(o)).sort(oldestFirst);
  const roles = new Map<string, OrderRole | null>(open.map((o) => [o.order_id, o.role]));
  const out: RoleJudgement[] = [];
  for (const o of open) {
    const current = roles.get(o.order_id) ?? null;
    if (current !== null && current !== 'entry') continue;
    const judged = judgeOne(o, share, open, roles, current === null ? firstSight(o) : null);
    roles.set(o.order_id, judged.role);
    if (judged.role !== current) out.push({ order_id: o.order_id, ...judged });
  }
  for (const o of orders) {
    if (o.role !== null || isOpen(o) || o.filled_quantity === 0) continue;
    const before = share - sideSign(o.transaction_type) * o.filled_quantity;
    out.push({ order_id: o.order_id, ...judgeOne(o, before, [], roles, firstSight(o)) });
  }
  return out;
}

function judgeOne(
  o: HkOrder,
  share: number,
  open: readonly HkOrder[],
  roles: ReadonlyMap<string, OrderRole | null>,
  sight: FirstSight | null,
): { role: OrderRole; reason: string } {
  const what = `${o.order_type} ${o.transaction_type} ${o.quantity}`;
  const direction = directionOf(o, share, open, roles);
  if (direction.sign === 0 || direction.sign === sideSign(o.transaction_type)) {
    return { role: 'entry', reason: `${what} with ${direction.text}: opens or adds to a position` };
  }
  const against = `against ${direction.text}`;
  if (o.order_type === 'MARKET' || o.tags?.some(isMarketProtectionTag)) {
    return { role: 'exit', reason: `${what} ${against}: a market exit, the user's own, never touched` };
  }
  switch (o.order_type) {
    case 'SL':
    case 'SL-M':
      return { role: 'stop', reason: `${what} ${against}: a stop-loss` };
    case 'LIMIT': {
      const ltp = sight?.lastPrice;
      const marketable = ltp !== undefined && (o.transaction_type === 'SELL' ? o.price <= ltp : o.price >= ltp);
      if (marketable) {
        return {
          role: 'exit',
          reason: `${what} at ${o.price} ${against}: at or through the last price ${ltp} when placed, an immediate exit`,
        };
      }
      return { role: 'target', reason: `${what} at ${o.price} ${against}: a resting exit (target)` };
    }
    default:
      return { role: 'entry', reason: `${what} ${against}: an order type som does not judge, left alone as an entry` };
  }
}

/**
 * The side being protected: the position's; with no position, the side of the group's anchor,
 * the oldest working order that is not protective, a LIMIT or MARKET before an SL (an SL alone
 * is as often a breakout entry as a stop).
 */
function directionOf(
  o: HkOrder,
  share: number,
  open: readonly HkOrder[],
  roles: ReadonlyMap<string, OrderRole | null>,
): { sign: number; text: string } {
  if (share !== 0) {
    return { sign: Math.sign(share), text: `a ${share > 0 ? 'long' : 'short'} position of ${Math.abs(share)}` };
  }
  const candidates = open.filter((x) => {
    const role = roles.get(x.order_id) ?? null;
    return role === null || role === 'entry';
  });
  const anchor = candidates.find((x) => !isStopType(x)) ?? candidates[0];
  if (!anchor) return { sign: 0, text: 'no position and no working entry' };
  if (anchor.order_id === o.order_id) return { sign: 0, text: 'no position and no other working entry' };
  return {
    sign: sideSign(anchor.transaction_type),
    text: `no position yet and entry ${anchor.order_id} (${anchor.transaction_type} ${anchor.pending_quantity}) working`,
  };
}

/** Kite's tag on a MARKET order it placed as a protected LIMIT (`mktp`, `mktp:...`). */
export function isMarketProtectionTag(tag: string): boolean {
  return tag === 'mktp' || tag.startsWith('mktp:');
}

function isStopType(o: HkOrder): boolean {
  return o.order_type === 'SL' || o.order_type === 'SL-M';
}

/** Oldest first by placement time (an order without one counts as newest), then by order id. */
function oldestFirst(a: HkOrder, b: HkOrder): number {
  const ta = orderTimeMs(a);
  const tb = orderTimeMs(b);
  const ka = Number.isNaN(ta) ? Number.POSITIVE_INFINITY : ta;
  const kb = Number.isNaN(tb) ? Number.POSITIVE_INFINITY : tb;
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.order_id < b.order_id ? -1 : a.order_id > b.order_id ? 1 : 0;
}
