import type { Kysely } from 'kysely';
import { parseGttLegId } from '../housekeeping/gtt.js';
import type { OrphanDetection } from '../housekeeping/types.js';
import type { OrphanView } from '../protocol/methods/housekeeping.js';
import type { Database } from './schema.js';

/**
 * Orphans as `som orphans` shows them: the order's (or GTT's) own fields, and why and what.
 */

interface Row {
  order_id: string;
  strategy: string;
  exchange: string;
  tradingsymbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  pending_quantity: number;
  order_type: string;
  role: string | null;
  orphaned_reason: string | null;
  parent_position_id: number | null;
  orphan_detected_at: string | null;
  orphan_action: string | null;
  status: string;
}

async function orderRows(db: Kysely<Database>, ids: readonly string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('orders as o')
    .innerJoin('strategies as s', 's.id', 'o.strategy_id')
    .select([
      'o.order_id',
      's.name as strategy',
      'o.exchange',
      'o.tradingsymbol',
      'o.transaction_type as side',
      'o.quantity',
      'o.pending_quantity',
      'o.order_type',
      'o.role',
      'o.orphaned_reason',
      'o.parent_position_id',
      'o.orphan_detected_at',
      'o.orphan_action',
      'o.status',
    ])
    .where('o.order_id', 'in', [...ids])
    .execute();
}

async function gttRows(db: Kysely<Database>, legIds: readonly string[]): Promise<Row[]> {
  const legs = legIds.map(parseGttLegId).filter((l): l is NonNullable<typeof l> => l !== null);
  if (legs.length === 0) return [];
  const rows = await db
    .selectFrom('gtts as g')
    .innerJoin('strategies as s', 's.id', 'g.strategy_id')
    .select([
      'g.gtt_id',
      's.name as strategy',
      'g.exchange',
      'g.tradingsymbol',
      'g.transaction_type',
      'g.quantity',
      'g.roles',
      'g.orphaned_reason',
      'g.orphan_detected_at',
      'g.orphan_action',
      'g.status',
    ])
    .where('g.gtt_id', 'in', [...new Set(legs.map((l) => l.gttId))])
    .execute();
  return legs.flatMap((l) => {
    const r = rows.find((x) => x.gtt_id === l.gttId);
    if (!r) return [];
    const roles = JSON.parse(r.roles) as string[];
    return [
      {
        order_id: `gtt:${l.gttId}:${l.leg}`,
        strategy: r.strategy,
        exchange: r.exchange,
        tradingsymbol: r.tradingsymbol,
        side: r.transaction_type,
        quantity: r.quantity,
        pending_quantity: r.status === 'active' ? r.quantity : 0,
        order_type: 'GTT',
        role: roles[l.leg] ?? null,
        orphaned_reason: r.orphaned_reason,
        parent_position_id: null,
        orphan_detected_at: r.orphan_detected_at,
        orphan_action: r.orphan_action,
        status: r.status.toUpperCase(),
      },
    ];
  });
}

async function rowsFor(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Row>> {
  const orders = ids.filter((id) => parseGttLegId(id) === null);
  const gtts = ids.filter((id) => parseGttLegId(id) !== null);
  const rows = [...(await orderRows(db, orders)), ...(await gttRows(db, gtts))];
  return new Map(rows.map((r) => [r.order_id, r]));
}

function view(
  r: Row,
  why: Pick<OrphanView, 'reason' | 'parent_position_id' | 'detected_at' | 'action' | 'explanation'>,
): OrphanView {
  return {
    order_id: r.order_id,
    strategy: r.strategy,
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    side: r.side,
    quantity: r.quantity,
    pending_quantity: r.pending_quantity,
    order_type: r.order_type,
    role: r.role,
    ...why,
  };
}

/** Detections as views, in the detections' order (what the rules say now, and what som did if it acted). */
export async function orphanViews(db: Kysely<Database>, detections: readonly OrphanDetection[]): Promise<OrphanView[]> {
  const rows = await rowsFor(
    db,
    detections.map((d) => d.order_id),
  );
  return detections.flatMap((d) => {
    const r = rows.get(d.order_id);
    if (!r) return [];
    const planned = d.action.kind === 'reduce' ? `reduce to ${d.action.quantity}` : d.action.kind;
    return [
      view(r, {
        reason: d.reason,
        parent_position_id: d.parent_position_id,
        detected_at: r.orphan_detected_at ?? d.detected_at,
        action: r.orphan_action ?? planned,
        explanation: d.explanation,
      }),
    ];
  });
}

/**
 * Orphans som dealt with since `since` (ISO instant) that the rules no longer see as open
 * orphans: cancelled, reduced and now protecting, deleted, or ended by the exchange, each with
 * what was done and its result.
 */
export async function handledOrphans(
  db: Kysely<Database>,
  filter: { since: string; strategyId?: number | undefined; except: ReadonlySet<string> },
): Promise<OrphanView[]> {
  let orders = db
    .selectFrom('orders')
    .select('order_id')
    .where('is_orphaned', '=', 1)
    .where('orphan_detected_at', '>=', filter.since);
  let gtts = db
    .selectFrom('gtts')
    .select(['gtt_id', 'roles'])
    .where('is_orphaned', '=', 1)
    .where('orphan_detected_at', '>=', filter.since);
  if (filter.strategyId !== undefined) {
    orders = orders.where('strategy_id', '=', filter.strategyId);
    gtts = gtts.where('strategy_id', '=', filter.strategyId);
  }
  const ids = [
    ...(await orders.execute()).map((r) => r.order_id),
    ...(await gtts.execute()).flatMap((g) =>
      (JSON.parse(g.roles) as string[]).flatMap((role, leg) => (role === 'entry' ? [] : [`gtt:${g.gtt_id}:${leg}`])),
    ),
  ].filter((id) => !filter.except.has(id));
  const rows = await rowsFor(db, ids);
  return [...rows.values()]
    .sort((a, b) => (b.orphan_detected_at ?? '').localeCompare(a.orphan_detected_at ?? ''))
    .map((r) =>
      view(r, {
        reason: (r.orphaned_reason ?? 'MANUAL') as OrphanView['reason'],
        parent_position_id: r.parent_position_id,
        detected_at: r.orphan_detected_at!,
        action: r.orphan_action ?? 'report',
        explanation: `now ${r.status}${r.orphan_action?.startsWith('reduce') && r.status !== 'CANCELLED' ? ': reduced, protecting what is left' : ''}`,
      }),
    );
}
