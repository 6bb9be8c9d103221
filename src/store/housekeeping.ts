import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** One line of the housekeeping log (`som admin logs`). */
export interface HousekeepingEvent {
  id: number;
  at: string;
  job: string;
  strategy: string | null;
  order_id: string | null;
  action: string;
  reason: string | null;
  result: string;
  duration_ms: number | null;
  detail: Record<string, unknown>;
}

export interface NewHousekeepingEvent {
  job: string;
  strategyId?: number | null;
  orderId?: string | null;
  action: string;
  reason?: string | null;
  result: string;
  durationMs?: number | null;
  detail?: Record<string, unknown>;
}

export async function recordHousekeepingEvent(db: Kysely<Database>, e: NewHousekeepingEvent, at: Date): Promise<void> {
  await db
    .insertInto('housekeeping_events')
    .values({
      at: at.toISOString(),
      job: e.job,
      strategy_id: e.strategyId ?? null,
      order_id: e.orderId ?? null,
      action: e.action,
      reason: e.reason ?? null,
      result: e.result,
      duration_ms: e.durationMs ?? null,
      detail: JSON.stringify(e.detail ?? {}),
    })
    .execute();
}

/** Newest first. */
export async function listHousekeepingEvents(
  db: Kysely<Database>,
  filter: { job?: string | undefined; since?: string | undefined; limit: number },
): Promise<HousekeepingEvent[]> {
  let q = db
    .selectFrom('housekeeping_events as h')
    .leftJoin('strategies as s', 's.id', 'h.strategy_id')
    .select([
      'h.id',
      'h.at',
      'h.job',
      's.name as strategy',
      'h.order_id',
      'h.action',
      'h.reason',
      'h.result',
      'h.duration_ms',
      'h.detail',
    ]);
  if (filter.job) q = q.where('h.job', '=', filter.job);
  if (filter.since) q = q.where('h.at', '>=', new Date(filter.since).toISOString());
  const rows = await q.orderBy('h.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

/** Record an order's role and how som decided it (never overwrites a role already set). */
export async function setOrderRole(
  db: Kysely<Database>,
  orderId: string,
  role: 'entry' | 'stop' | 'target',
  reason: string,
): Promise<void> {
  await db
    .updateTable('orders')
    .set({ role, role_reason: reason })
    .where('order_id', '=', orderId)
    .where('role', 'is', null)
    .execute();
}

/** Mark an order orphaned (first detection time kept) with its reason, position and the action taken or pending. */
export async function markOrphan(
  db: Kysely<Database>,
  orderId: string,
  mark: { reason: string; parentPositionId: number | null; action: string },
  at: Date,
): Promise<void> {
  const current = await db
    .selectFrom('orders')
    .select(['orphan_detected_at'])
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  await db
    .updateTable('orders')
    .set({
      is_orphaned: 1,
      orphaned_reason: mark.reason,
      parent_position_id: mark.parentPositionId,
      orphan_action: mark.action,
      orphan_detected_at: current?.orphan_detected_at ?? at.toISOString(),
    })
    .where('order_id', '=', orderId)
    .execute();
}

export async function createOcoGroup(
  db: Kysely<Database>,
  strategyId: number,
  orderIds: readonly string[],
  createdBy: 'som' | 'user',
  at: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('oco_groups')
      .values({
        strategy_id: strategyId,
        created_at: at.toISOString(),
        created_by: createdBy,
        closed_at: null,
        closed_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('orders')
      .set({ oco_group_id: id })
      .where('order_id', 'in', [...orderIds])
      .execute();
    return id;
  });
}

export async function closeOcoGroup(db: Kysely<Database>, id: number, reason: string, at: Date): Promise<void> {
  await db
    .updateTable('oco_groups')
    .set({ closed_at: at.toISOString(), closed_reason: reason })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .execute();
}

export async function archiveOrder(db: Kysely<Database>, orderId: string, at: Date): Promise<void> {
  await db
    .updateTable('orders')
    .set({ archived_at: at.toISOString() })
    .where('order_id', '=', orderId)
    .where('archived_at', 'is', null)
    .execute();
}

export async function touchHousekeepingRun(
  db: Kysely<Database>,
  strategyIds: readonly number[],
  at: Date,
): Promise<void> {
  if (strategyIds.length === 0) return;
  await db
    .updateTable('strategies')
    .set({ last_housekeeping_run: at.toISOString() })
    .where('id', 'in', [...strategyIds])
    .execute();
}
