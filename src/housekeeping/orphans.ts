import { ocoDecisions } from './oco.js';
import {
  byStrategyThenOrder,
  indexPositions,
  isOpen,
  orderPositionKey,
  sideSign,
  youngestFirst,
} from './order-facts.js';
import type {
  HkOrder,
  HkPosition,
  HkSettings,
  OrphanAction,
  OrphanCorrection,
  OrphanDetection,
  OrphanReason,
  ProtectiveRole,
} from './types.js';

export type { OrphanAction, OrphanCorrection, OrphanDetection, OrphanReason } from './types.js';

/**
 * Orphaned protective orders: stop-loss and target orders (and GTT legs) that no longer
 * protect anything and would, if left, open a fresh position when they fire.
 *
 * A protective order is an open (working, something pending, not already being cancelled)
 * order whose role is `stop` or `target` (see roles.ts). Entries, exits and orders whose role
 * is not decided yet are never orphans. What a protective order on one side may protect, its
 * capacity, is the strategy's share of the position on the other side plus the pending
 * quantity of the strategy's entries working on that other side: a stop placed with its
 * entry protects the entry as it fills (pending protection).
 *
 * Each protective order gets at most one detection; the rules are applied in this order, and
 * the first that applies names the reason:
 * 1. INSTRUMENT_EXPIRED: its instrument has expired (`isExpired`). Cancel.
 * 2. OCO_FILLED: its OCO partner has fills (see `ocoDecisions`): cancel when nothing is left
 *    to protect, else reduce it to what is left. It comes before POSITION_CLOSED because the
 *    user linked the pair to say exactly this: when one fills, the other goes.
 * 3. POSITION_CLOSED: its capacity is zero: no position on the other side and no entry
 *    working there (the position closed, its entry was cancelled unfilled, or the position
 *    flipped to the order's own side). Cancel.
 * 4. EXCESS_QUANTITY: the open stops, or the open targets (each on its own: a stop and a
 *    target for the same 10 are normal), add up to more than the capacity. The excess comes
 *    off som's own orders first, then off orders placed by hand other than the newest, oldest
 *    first in each (the newer order is the more recent intent: a stop placed to replace one
 *    forgotten, a protection just asked of som): an order is reduced when that keeps something
 *    pending, else cancelled and the next one is taken. The newest order placed by hand is the
 *    user's current intent: it is never cancelled as excess, only reduced to what it can
 *    protect.
 *    A leg an OCO rule has just reduced counts with its new pending quantity, and an EXCESS
 *    decision replaces that reduce.
 * The strategy's settings then turn the correction into the action (see `orphanAction`).
 *
 * Results are sorted by strategy, then order id. One pass over the orders with hash maps:
 * cheap enough to run on every order update.
 */
export function detectOrphans(input: {
  orders: readonly HkOrder[];
  positions: readonly HkPosition[];
  settingsFor: (strategyId: number) => HkSettings;
  isExpired: (exchange: string, tradingsymbol: string) => boolean;
  now: Date;
}): OrphanDetection[] {
  const { orders, settingsFor, now } = input;
  const positions = indexPositions(input.positions);
  const decided = new Map<string, Finding>();
  /** Pending quantity after the decisions so far (an OCO reduce lowers it). */
  const pending = new Map<string, number>();

  const expiredCache = new Map<string, boolean>();
  const isExpired = (o: HkOrder): boolean => {
    const k = `${o.exchange}:${o.tradingsymbol}`;
    let v = expiredCache.get(k);
    if (v === undefined) {
      v = input.isExpired(o.exchange, o.tradingsymbol);
      expiredCache.set(k, v);
    }
    return v;
  };

  // Protective orders and working entries by position, and OCO groups (with their terminal
  // members: a filled partner is what the OCO rule looks for).
  const protective = new Map<string, HkOrder[]>();
  const entries = new Map<string, HkOrder[]>();
  const groups = new Map<number, HkOrder[]>();
  for (const o of orders) {
    if (o.oco_group_id !== null) push(groups, o.oco_group_id, o);
    if (o.role === 'entry' && isOpen(o)) push(entries, orderPositionKey(o), o);
    if (!isProtective(o)) continue;
    push(protective, orderPositionKey(o), o);
    pending.set(o.order_id, o.pending_quantity);
    if (isExpired(o)) {
      decided.set(o.order_id, {
        order: o,
        reason: 'INSTRUMENT_EXPIRED',
        proposed: { kind: 'cancel' },
        rule: `${o.exchange}:${o.tradingsymbol} has expired`,
      });
    }
  }

  for (const group of groups.values()) {
    const first = group[0];
    if (!first || !group.some((o) => pending.has(o.order_id) && !decided.has(o.order_id))) continue;
    const position = positions.get(orderPositionKey(first)) ?? flat(first);
    for (const d of ocoDecisions({ group, position, settings: settingsFor(first.strategy_id) })) {
      if (d.kind !== 'cancel' && d.kind !== 'reduce') continue;
      const o = group.find((g) => g.order_id === d.order_id);
      if (!o || !pending.has(o.order_id) || decided.has(o.order_id)) continue;
      if (d.kind === 'reduce') pending.set(o.order_id, d.quantity - o.filled_quantity);
      decided.set(o.order_id, {
        order: o,
        reason: 'OCO_FILLED',
        proposed: d.kind === 'reduce' ? { kind: 'reduce', quantity: d.quantity } : { kind: 'cancel' },
        rule: d.explanation,
      });
    }
  }

  for (const [key, list] of protective) {
    const q = positions.get(key)?.quantity ?? 0;
    const working = entries.get(key) ?? [];
    const live = list.filter((o) => decided.get(o.order_id)?.proposed.kind !== 'cancel');
    for (const side of ['BUY', 'SELL'] as const) {
      const exits = live.filter((o) => o.transaction_type === side);
      if (exits.length === 0) continue;
      const cap = capacity(side, q, working);
      if (cap.total === 0) {
        for (const o of exits) {
          if (decided.has(o.order_id)) continue;
          decided.set(o.order_id, {
            order: o,
            reason: 'POSITION_CLOSED',
            proposed: { kind: 'cancel' },
            rule: closedRule(o, q),
          });
        }
        continue;
      }
      for (const role of ['stop', 'target'] as const) {
        trimExcess(
          exits.filter((o) => o.role === role),
          cap,
          role,
          pending,
          decided,
        );
      }
    }
  }

  const at = now.toISOString();
  const out: OrphanDetection[] = [];
  for (const f of decided.values()) {
    const o = f.order;
    const settings = settingsFor(o.strategy_id);
    const role = o.role === 'target' ? 'target' : 'stop';
    const { action, why } = settingsAction(f.reason, role, f.proposed, settings);
    out.push({
      order_id: o.order_id,
      strategy_id: o.strategy_id,
      reason: f.reason,
      parent_position_id: o.parent_position_id ?? positions.get(orderPositionKey(o))?.position_id ?? null,
      action,
      proposed: f.proposed,
      notify: settings.notify_on_orphan_detection,
      explanation: `${f.reason}: ${f.rule}; ${why}`,
      detected_at: at,
      gtt: o.gtt ?? null,
    });
  }
  return out.sort(byStrategyThenOrder);
}

/** What exits on `side` may protect: the holding on the other side and the entries working there. */
interface Capacity {
  total: number;
  text: string;
}

function capacity(side: 'BUY' | 'SELL', q: number, working: readonly HkOrder[]): Capacity {
  const against = -sideSign(side);
  const held = Math.sign(q) === against ? Math.abs(q) : 0;
  const entering = working
    .filter((e) => sideSign(e.transaction_type) === against)
    .reduce((sum, e) => sum + e.pending_quantity, 0);
  const text =
    entering === 0
      ? `a position of ${held}`
      : `a position of ${held} and ${entering} more being entered (pending protection)`;
  return { total: held + entering, text };
}

function closedRule(o: HkOrder, q: number): string {
  const where = `${o.exchange}:${o.tradingsymbol} ${o.product}`;
  if (q === 0) return `the position in ${where} is flat and no entry is working`;
  return `the position in ${where} is now ${q}, on the ${o.transaction_type} side itself`;
}

/**
 * What the strategy's settings allow for a correction:
 * - allow_orphaned_orders (strict mode off): report, always;
 * - auto_cleanup_enabled off: report;
 * - POSITION_CLOSED of a stop with cleanup_sl_on_exit off, or of a target with
 *   cleanup_target_on_exit off: report;
 * - otherwise the correction itself.
 */
export function orphanAction(
  reason: OrphanReason,
  role: ProtectiveRole,
  proposed: OrphanCorrection,
  settings: HkSettings,
): OrphanAction {
  return settingsAction(reason, role, proposed, settings).action;
}

/**
 * A detection for an order the user marks as orphaned by hand (reason MANUAL): the correction
 * is a cancel, subject to the same settings as any other (a caller with `--force` uses
 * `proposed`). `positionId` is the account position row it belonged to, if known.
 */
export function manualOrphan(
  order: HkOrder,
  settings: HkSettings,
  now: Date,
  positionId: number | null = null,
  note = 'marked orphaned by the user',
): OrphanDetection {
  const role = order.role === 'target' ? 'target' : 'stop';
  const proposed: OrphanCorrection = { kind: 'cancel' };
  const gtt = order.gtt ?? null;
  const { action, why } = settingsAction('MANUAL', role, proposed, settings);
  return {
    order_id: order.order_id,
    strategy_id: order.strategy_id,
    reason: 'MANUAL',
    parent_position_id: order.parent_position_id ?? positionId,
    action,
    proposed,
    notify: settings.notify_on_orphan_detection,
    explanation: `MANUAL: ${note}; ${why}`,
    detected_at: now.toISOString(),
    gtt,
  };
}

interface Finding {
  order: HkOrder;
  reason: OrphanReason;
  proposed: OrphanCorrection;
  /** Why the rule fired, for the explanation. */
  rule: string;
}

/** An open stop or target (GTT legs included). */
export function isProtective(o: HkOrder): boolean {
  return (o.role === 'stop' || o.role === 'target') && isOpen(o);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function flat(o: HkOrder): HkPosition {
  return {
    strategy_id: o.strategy_id,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    product: o.product,
    quantity: 0,
    position_id: null,
  };
}

/**
 * Take the excess of one side's protective quantity over its capacity off som's own orders
 * first, then off orders placed by hand other than the newest, oldest first in each; the
 * newest placed by hand is only ever reduced.
 */
function trimExcess(
  side: HkOrder[],
  cap: Capacity,
  role: 'stop' | 'target',
  pending: Map<string, number>,
  decided: Map<string, Finding>,
): void {
  let total = 0;
  for (const o of side) total += pending.get(o.order_id) ?? 0;
  let excess = total - cap.total;
  if (excess <= 0) return;
  const rule = `open ${role}s add up to ${total} against ${cap.text}`;
  const oldest = [...side].sort((a, b) => youngestFirst(b, a));
  const newestByHand = oldest.findLast((o) => o.source === 'external');
  const order = [
    ...oldest.filter((o) => o.source === 'som'),
    ...oldest.filter((o) => o.source === 'external' && o !== newestByHand),
    ...(newestByHand ? [newestByHand] : []),
  ];
  for (const o of order) {
    if (excess <= 0) break;
    const p = pending.get(o.order_id) ?? 0;
    const who =
      o.source === 'som' ? "som's" : o === newestByHand ? 'the newest placed by hand' : 'an older one placed by hand';
    if (p > excess) {
      const keep = p - excess;
      decided.set(o.order_id, {
        order: o,
        reason: 'EXCESS_QUANTITY',
        proposed: { kind: 'reduce', quantity: o.filled_quantity + keep },
        rule: `${rule}; ${o.order_id} (${who}) keeps ${keep} of its ${p} pending`,
      });
      excess = 0;
    } else if (o !== newestByHand) {
      decided.set(o.order_id, {
        order: o,
        reason: 'EXCESS_QUANTITY',
        proposed: { kind: 'cancel' },
        rule: `${rule}; ${o.order_id} (${who}, ${p} pending) goes`,
      });
      excess -= p;
    }
  }
}

function settingsAction(
  reason: OrphanReason,
  role: 'stop' | 'target',
  proposed: OrphanCorrection,
  s: HkSettings,
): { action: OrphanAction; why: string } {
  const would = proposed.kind === 'cancel' ? 'cancel' : `reduce to quantity ${proposed.quantity}`;
  if (s.allow_orphaned_orders)
    return { action: { kind: 'report' }, why: `strict mode off (allow_orphaned_orders): report, would ${would}` };
  if (!s.auto_cleanup_enabled)
    return { action: { kind: 'report' }, why: `auto_cleanup_enabled is off: report, would ${would}` };
  if (reason === 'POSITION_CLOSED' && role === 'stop' && !s.cleanup_sl_on_exit) {
    return { action: { kind: 'report' }, why: `cleanup_sl_on_exit is off: report, would ${would}` };
  }
  if (reason === 'POSITION_CLOSED' && role === 'target' && !s.cleanup_target_on_exit) {
    return { action: { kind: 'report' }, why: `cleanup_target_on_exit is off: report, would ${would}` };
  }
  return { action: proposed, why: would };
}
