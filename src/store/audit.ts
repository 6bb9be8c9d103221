import type { Kysely } from 'kysely';
import type { AuditEvent, NewAuditEvent } from '../domain/audit.js';
import type { Database } from './schema.js';

/** Append one event to the audit trail. */
export async function appendAudit(db: Kysely<Database>, event: NewAuditEvent, at: Date): Promise<number> {
  const row = await db
    .insertInto('audit_events')
    .values({
      at: at.toISOString(),
      type: event.type,
      strategy_id: event.strategyId ?? null,
      order_id: event.orderId ?? null,
      payload: JSON.stringify(event.payload ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface AuditFilter {
  strategyId?: number | undefined;
  orderId?: string | undefined;
  type?: string | undefined;
  /** ISO instant; events at or after it. */
  since?: string | undefined;
  limit: number;
}

/** Newest first. */
export async function listAudit(db: Kysely<Database>, filter: AuditFilter): Promise<AuditEvent[]> {
  let q = db
    .selectFrom('audit_events as e')
    .leftJoin('strategies as s', 's.id', 'e.strategy_id')
    .select(['e.id', 'e.at', 'e.type', 's.name as strategy', 'e.order_id', 'e.payload']);
  if (filter.strategyId !== undefined) q = q.where('e.strategy_id', '=', filter.strategyId);
  if (filter.orderId !== undefined) q = q.where('e.order_id', '=', filter.orderId);
  if (filter.type !== undefined) q = q.where('e.type', '=', filter.type.toUpperCase());
  if (filter.since !== undefined) q = q.where('e.at', '>=', new Date(filter.since).toISOString());
  const rows = await q.orderBy('e.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    type: r.type,
    strategy: r.strategy,
    order_id: r.order_id,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
}
