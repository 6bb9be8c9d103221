import { type Kysely, sql, type Transaction } from 'kysely';
import type { AlertsTable, Database } from './schema.js';

export type AlertPriority = AlertsTable['priority'];

/** A user alert as stored, with its strategy's name for display. */
export interface Alert {
  id: number;
  at: string;
  type: string;
  priority: AlertPriority;
  strategy_id: number | null;
  strategy: string | null;
  order_id: string | null;
  title: string;
  message: string;
  payload: Record<string, unknown>;
  dedupe_key: string | null;
  read_at: string | null;
  resolved_at: string | null;
}

export interface NewAlert {
  type: string;
  priority: AlertPriority;
  title: string;
  message: string;
  strategyId?: number | null | undefined;
  orderId?: string | null | undefined;
  payload?: Record<string, unknown> | undefined;
  /**
   * What the alert is about ("token-expired", "orphan:251125000000001"): while an alert
   * with this key is unresolved, raising it again returns that one instead of a second.
   */
  dedupeKey?: string | null | undefined;
}

type AlertsWrittenListener = () => void;
const alertsWrittenListeners = new Set<AlertsWrittenListener>();

/**
 * Be told whenever an alert may have been raised, read or resolved: every write to the alerts
 * goes through this module, so this is the one place they all pass. The call can come inside a
 * transaction, before it commits: read the alerts through the store's own handle afterwards
 * (its single connection serves a read only once the transaction has let go of it). Returns
 * the function that stops the telling.
 */
export function onAlertsWritten(listener: AlertsWrittenListener): () => void {
  alertsWrittenListeners.add(listener);
  return () => alertsWrittenListeners.delete(listener);
}

function alertsWritten(): void {
  for (const listener of alertsWrittenListeners) listener();
}

/**
 * Raise an alert, unless an unresolved one with the same dedupeKey exists: then that one is
 * returned with created false (its text is not changed; the first report stands). The
 * database's partial unique index on open dedupe keys backs the rule.
 */
export async function raiseAlert(
  db: Kysely<Database>,
  alert: NewAlert,
  now: Date,
): Promise<{ alert: Alert; created: boolean }> {
  return db.transaction().execute((trx) => raiseAlertIn(trx, alert, now));
}

/** {@link raiseAlert} inside the caller's transaction. */
export async function raiseAlertIn(
  trx: Kysely<Database> | Transaction<Database>,
  alert: NewAlert,
  now: Date,
): Promise<{ alert: Alert; created: boolean }> {
  const dedupeKey = alert.dedupeKey ?? null;
  if (dedupeKey !== null) {
    const open = await selectAlerts(trx)
      .where('a.dedupe_key', '=', dedupeKey)
      .where('a.resolved_at', 'is', null)
      .executeTakeFirst();
    if (open) return { alert: toAlert(open), created: false };
  }
  const { id } = await trx
    .insertInto('user_alerts')
    .values({
      at: now.toISOString(),
      type: alert.type,
      priority: alert.priority,
      strategy_id: alert.strategyId ?? null,
      order_id: alert.orderId ?? null,
      title: alert.title,
      message: alert.message,
      payload: JSON.stringify(alert.payload ?? {}),
      dedupe_key: dedupeKey,
      read_at: null,
      resolved_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await selectAlerts(trx).where('a.id', '=', id).executeTakeFirstOrThrow();
  alertsWritten();
  return { alert: toAlert(row), created: true };
}

/** Alerts with an id above `afterId`, oldest first: those raised since the last one seen. */
export async function alertsAfter(db: Kysely<Database>, afterId: number, limit = 1000): Promise<Alert[]> {
  const rows = await selectAlerts(db).where('a.id', '>', afterId).orderBy('a.id', 'asc').limit(limit).execute();
  return rows.map(toAlert);
}

/** The highest alert id there is (0 with none). */
export async function latestAlertId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('user_alerts')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export interface AlertFilter {
  /** Only alerts not yet marked read. */
  unreadOnly?: boolean | undefined;
  /** Only alerts not yet resolved. */
  openOnly?: boolean | undefined;
  limit?: number | undefined;
}

/** The type of the alert that asks about a held order (its payload has `expires_at` and the choices). */
export const HELD_ORDER_ALERT = 'ORDER_HELD';

/** Held orders still waiting for an answer first (they expire), then newest first. */
export async function listAlerts(db: Kysely<Database>, filter: AlertFilter = {}): Promise<Alert[]> {
  let q = selectAlerts(db);
  if (filter.unreadOnly) q = q.where('a.read_at', 'is', null);
  if (filter.openOnly) q = q.where('a.resolved_at', 'is', null);
  q = q
    .orderBy((eb) =>
      eb
        .case()
        .when(eb.and([eb('a.type', '=', HELD_ORDER_ALERT), eb('a.resolved_at', 'is', null)]))
        .then(0)
        .else(1)
        .end(),
    )
    .orderBy('a.id', 'desc');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return (await q.execute()).map(toAlert);
}

export async function getAlert(db: Kysely<Database>, id: number): Promise<Alert | undefined> {
  const row = await selectAlerts(db).where('a.id', '=', id).executeTakeFirst();
  return row && toAlert(row);
}

/**
 * Mark an alert read; the first read time is kept. Returns false when there is no such alert.
 */
export async function markRead(db: Kysely<Database>, id: number, now: Date): Promise<boolean> {
  await db
    .updateTable('user_alerts')
    .set({ read_at: now.toISOString() })
    .where('id', '=', id)
    .where('read_at', 'is', null)
    .execute();
  const found = await db.selectFrom('user_alerts').select('id').where('id', '=', id).executeTakeFirst();
  if (found) alertsWritten();
  return found !== undefined;
}

/**
 * Resolve every open alert with this dedupeKey (the condition has cleared: the token was
 * renewed, the orphan cancelled). `resolution`, when given, says how it ended and is kept in
 * the alert's payload as `resolution`. Returns how many were resolved; a later raise with the
 * same key creates a new alert.
 */
export async function resolveAlerts(
  db: Kysely<Database>,
  dedupeKey: string,
  now: Date,
  resolution?: string,
): Promise<number> {
  const result = await db
    .updateTable('user_alerts')
    .set({
      resolved_at: now.toISOString(),
      ...(resolution === undefined ? {} : { payload: sql<string>`json_set(payload, '$.resolution', ${resolution})` }),
    })
    .where('dedupe_key', '=', dedupeKey)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  const resolved = Number(result.numUpdatedRows);
  if (resolved > 0) alertsWritten();
  return resolved;
}

function selectAlerts(db: Kysely<Database> | Transaction<Database>) {
  return db
    .selectFrom('user_alerts as a')
    .leftJoin('strategies as s', 's.id', 'a.strategy_id')
    .selectAll('a')
    .select('s.name as strategy');
}

type AlertRow = Awaited<ReturnType<ReturnType<typeof selectAlerts>['executeTakeFirstOrThrow']>>;

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    at: row.at,
    type: row.type,
    priority: row.priority,
    strategy_id: row.strategy_id,
    strategy: row.strategy,
    order_id: row.order_id,
    title: row.title,
    message: row.message,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    dedupe_key: row.dedupe_key,
    read_at: row.read_at,
    resolved_at: row.resolved_at,
  };
}
