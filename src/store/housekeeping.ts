import type { Kysely, Transaction } from 'kysely';
import type { AuditType } from '../domain/audit.js';
import { parseGttLegId } from '../housekeeping/gtt.js';
import type { AlertSpec } from '../housekeeping/outcomes.js';
import type { RoleJudgement } from '../housekeeping/roles.js';
import { raiseAlertIn, resolveAlerts } from './alerts.js';
import { appendAudit } from './audit.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

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

export async function recordHousekeepingEvent(
  db: Kysely<Database> | Transaction<Database>,
  e: NewHousekeepingEvent,
  at: Date,
): Promise<void> {
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

/**
 * Write roles judged by the rules (src/housekeeping/roles.ts), each with why, and audit each
 * change. An order already protective or an exit keeps its role: only a new or an `entry`
 * role is replaced.
 */
export async function writeRoleJudgements(
  trx: Kysely<Database> | Transaction<Database>,
  judgements: readonly (RoleJudgement & { strategy_id: number; previous: string | null })[],
  at: Date,
): Promise<void> {
  for (const j of judgements) {
    const result = await trx
      .updateTable('orders')
      .set({ role: j.role, role_reason: j.reason })
      .where('order_id', '=', j.order_id)
      .where((eb) => eb.or([eb('role', 'is', null), eb('role', '=', 'entry')]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) continue;
    await appendAudit(
      trx,
      {
        type: 'ROLE_JUDGED',
        strategyId: j.strategy_id,
        orderId: j.order_id,
        payload: { role: j.role, previous: j.previous, reason: j.reason },
      },
      at,
    );
  }
}

/** Set a role that som decided itself (the legs of an OCO pair it placed or the user linked). */
export async function assignOrderRole(
  trx: Kysely<Database> | Transaction<Database>,
  orderId: string,
  role: 'stop' | 'target',
  reason: string,
): Promise<void> {
  await trx.updateTable('orders').set({ role, role_reason: reason }).where('order_id', '=', orderId).execute();
}

/** One orphan's handling, as the rules described it (src/housekeeping/outcomes.ts). */
export interface OrphanOutcomeWrite {
  orderId: string;
  strategyId: number;
  reason: string;
  parentPositionId: number | null;
  explanation: string;
  job: string;
  durationMs: number | null;
  /** First time this detection is recorded: also audit ORPHAN_DETECTED. */
  first: boolean;
  log: { action: string; result: string; reason: string };
  audit: { type: AuditType; payload: Record<string, unknown> } | null;
  raise: readonly AlertSpec[];
  resolve: readonly string[];
  retry: { attempts: number; nextAt: string; lastError: string } | null;
  orphanAction: string;
}

/**
 * Record an orphan's handling in one transaction: the order (or GTT) marked orphaned with
 * what was done, the housekeeping log, the audit trail, the alerts and the retry state.
 */
export async function recordOrphanOutcome(db: Kysely<Database>, w: OrphanOutcomeWrite, at: Date): Promise<void> {
  const now = at.toISOString();
  const gtt = parseGttLegId(w.orderId);
  await db.transaction().execute(async (trx) => {
    const retry = {
      cleanup_attempts: w.retry?.attempts ?? 0,
      cleanup_next_at: w.retry?.nextAt ?? null,
      cleanup_last_error: w.retry?.lastError || null,
    };
    // An order cancelled for its age is not an orphan: only its retry state is kept.
    const mark =
      w.reason === 'AGED'
        ? retry
        : { ...retry, is_orphaned: 1, orphaned_reason: w.reason, orphan_action: w.orphanAction };
    if (gtt) {
      const row = await trx
        .selectFrom('gtts')
        .select('orphan_detected_at')
        .where('gtt_id', '=', gtt.gttId)
        .executeTakeFirst();
      // A GTT som deleted is gone at once (the broker's list says so at the next read anyway).
      const deleted = w.orphanAction === 'delete: deleted' ? { status: 'deleted', updated_at: now } : {};
      await trx
        .updateTable('gtts')
        .set(w.reason === 'AGED' ? mark : { ...mark, ...deleted, orphan_detected_at: row?.orphan_detected_at ?? now })
        .where('gtt_id', '=', gtt.gttId)
        .execute();
    } else {
      const row = await trx
        .selectFrom('orders')
        .select('orphan_detected_at')
        .where('order_id', '=', w.orderId)
        .executeTakeFirst();
      await trx
        .updateTable('orders')
        .set(
          w.reason === 'AGED'
            ? mark
            : { ...mark, parent_position_id: w.parentPositionId, orphan_detected_at: row?.orphan_detected_at ?? now },
        )
        .where('order_id', '=', w.orderId)
        .execute();
    }
    const orderId = gtt ? null : w.orderId;
    await trx.updateTable('strategies').set({ last_housekeeping_run: now }).where('id', '=', w.strategyId).execute();
    if (w.first && w.reason !== 'AGED') {
      await appendAudit(
        trx,
        {
          type: 'ORPHAN_DETECTED',
          strategyId: w.strategyId,
          orderId,
          payload: { reason: w.reason, explanation: w.explanation, job: w.job, ...(gtt ? { gtt_id: gtt.gttId } : {}) },
        },
        at,
      );
    }
    await recordHousekeepingEvent(
      trx,
      {
        job: w.job,
        strategyId: w.strategyId,
        orderId: w.orderId,
        action: w.log.action,
        reason: w.log.reason,
        result: w.log.result,
        durationMs: w.durationMs,
      },
      at,
    );
    if (w.audit) {
      await appendAudit(
        trx,
        {
          type: w.audit.type,
          strategyId: w.strategyId,
          orderId,
          payload: { ...w.audit.payload, job: w.job, ...(gtt ? { gtt_id: gtt.gttId } : {}) },
        },
        at,
      );
    }
    for (const key of w.resolve) await resolveAlerts(trx, key, at);
    for (const a of w.raise) {
      const { alert, created } = await raiseAlertIn(trx, { ...a, strategyId: w.strategyId, orderId: orderId }, at);
      if (created) {
        await appendAudit(
          trx,
          { type: 'ALERT_RAISED', strategyId: w.strategyId, orderId, payload: { alert_id: alert.id, type: a.type } },
          at,
        );
      }
    }
  });
}

/** Orphans whose danger ended without som (filled, cancelled elsewhere, position back): clear their retries and failure alerts. */
export async function clearOrphanDanger(
  db: Kysely<Database>,
  ids: readonly string[],
  resolveKeys: (id: string) => string[],
  at: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const id of ids) {
      const gtt = parseGttLegId(id);
      const clear = { cleanup_attempts: 0, cleanup_next_at: null, cleanup_last_error: null };
      if (gtt) await trx.updateTable('gtts').set(clear).where('gtt_id', '=', gtt.gttId).execute();
      else await trx.updateTable('orders').set(clear).where('order_id', '=', id).execute();
      for (const key of resolveKeys(id)) await resolveAlerts(trx, key, at);
    }
  });
}

/** The fields of two orders the OCO pairing rule reads (src/housekeeping/oco.ts `ocoPair`). */
export async function loadOcoCandidates(db: Kysely<Database>, orderIds: readonly string[]) {
  return db
    .selectFrom('orders')
    .select([
      'order_id',
      'strategy_id',
      'exchange',
      'tradingsymbol',
      'product',
      'transaction_type',
      'order_type',
      'status',
      'oco_group_id',
    ])
    .where('order_id', 'in', [...orderIds])
    .execute();
}

/**
 * Link a stop and a target as an OCO group, in one transaction (the caller's, when `db` is one):
 * the group, both legs' roles (with who decided), and the audit event. Returns the group id.
 */
export async function linkOcoPair(
  db: Kysely<Database>,
  pair: { strategyId: number; stop: string; target: string; by: 'som' | 'user' },
  at: Date,
): Promise<number> {
  const write = async (trx: Kysely<Database>): Promise<number> => {
    const { id } = await trx
      .insertInto('oco_groups')
      .values({
        strategy_id: pair.strategyId,
        created_at: at.toISOString(),
        created_by: pair.by,
        closed_at: null,
        closed_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('orders')
      .set({ oco_group_id: id })
      .where('order_id', 'in', [pair.stop, pair.target])
      .execute();
    const who = pair.by === 'som' ? 'placed by som' : 'linked by the user';
    await assignOrderRole(trx, pair.stop, 'stop', `${who} as the stop of an OCO pair`);
    await assignOrderRole(trx, pair.target, 'target', `${who} as the target of an OCO pair`);
    await appendAudit(
      trx,
      {
        type: 'OCO_LINKED',
        strategyId: pair.strategyId,
        payload: { group: id, stop: pair.stop, target: pair.target, by: pair.by },
      },
      at,
    );
    return id;
  };
  // Inside the caller's transaction when given one (a bracket records its pair's group with it).
  return inTransaction(db, write);
}

export async function closeOcoGroup(
  db: Kysely<Database> | Transaction<Database>,
  id: number,
  reason: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('oco_groups')
    .set({ closed_at: at.toISOString(), closed_reason: reason })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .execute();
}

/** A pass's decisions that need no broker: roles judged and OCO groups finished, in one transaction. */
export async function writeHousekeepingPass(
  db: Kysely<Database>,
  pass: {
    roles: readonly (RoleJudgement & { strategy_id: number; previous: string | null })[];
    finishedGroups: readonly number[];
  },
  at: Date,
): Promise<void> {
  if (pass.roles.length === 0 && pass.finishedGroups.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await writeRoleJudgements(trx, pass.roles, at);
    for (const id of pass.finishedGroups) await closeOcoGroup(trx, id, 'both legs done', at);
  });
}

/** A job's run: every strategy's last housekeeping time, the log line and the audit event, at once. */
export async function finishHousekeepingRun(
  db: Kysely<Database>,
  run: { job: string; summary: string },
  at: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('strategies').set({ last_housekeeping_run: at.toISOString() }).execute();
    await recordHousekeepingEvent(trx, { job: run.job, action: 'run', result: run.summary }, at);
    await appendAudit(trx, { type: 'HOUSEKEEPING_RUN', payload: { job: run.job, result: run.summary } }, at);
  });
}

/** Both legs of an OCO group filled: the alert, the audit, the log, and the group closed, at once. Returns whether it was new. */
export async function recordOverfill(
  db: Kysely<Database>,
  o: {
    groupId: number;
    strategyId: number;
    alert: { title: string; message: string; payload: Record<string, unknown> };
    detail: Record<string, unknown>;
  },
  at: Date,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const { alert, created } = await raiseAlertIn(
      trx,
      {
        type: 'OCO_OVERFILL',
        priority: 'high',
        strategyId: o.strategyId,
        ...o.alert,
        dedupeKey: `oco-overfill:${o.groupId}`,
      },
      at,
    );
    if (!created) return false;
    await appendAudit(
      trx,
      {
        type: 'OCO_OVERFILL',
        strategyId: o.strategyId,
        payload: { group: o.groupId, ...o.detail, alert_id: alert.id },
      },
      at,
    );
    await closeOcoGroup(trx, o.groupId, 'overfill', at);
    return true;
  });
}

/** What flattening an overfill did. */
export async function recordFlatten(
  db: Kysely<Database>,
  f: { groupId: number; strategyId: number; orderId: string | null; result: string; detail: Record<string, unknown> },
  at: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (f.orderId) {
      await appendAudit(
        trx,
        {
          type: 'POSITION_FLATTENED',
          strategyId: f.strategyId,
          orderId: f.orderId,
          payload: { group: f.groupId, ...f.detail },
        },
        at,
      );
    }
    await recordHousekeepingEvent(
      trx,
      {
        job: 'oco',
        strategyId: f.strategyId,
        action: 'overfill',
        reason: 'OCO_FILLED',
        result: f.result,
        detail: { group: f.groupId, ...f.detail },
      },
      at,
    );
  });
}

/** Orders som has already told the user about for their age (an ORDER_AGED alert, open or not). */
export async function agedNotifiedOrders(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('user_alerts').select('order_id').where('type', '=', 'ORDER_AGED').execute();
  return new Set(rows.map((r) => r.order_id).filter((id): id is string => id !== null));
}

/** An old open order: its alert, audit and log line, at once. */
export async function recordAgingNotice(
  db: Kysely<Database>,
  n: {
    job: string;
    strategyId: number;
    orderId: string;
    ageMinutes: number;
    thresholdMinutes: number;
    explanation: string;
  },
  at: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await raiseAlertIn(
      trx,
      {
        type: 'ORDER_AGED',
        priority: 'normal',
        strategyId: n.strategyId,
        orderId: n.orderId,
        title: `Order ${n.orderId} open for ${n.ageMinutes} minutes`,
        message: n.explanation,
        dedupeKey: `aged:${n.orderId}`,
      },
      at,
    );
    await appendAudit(
      trx,
      {
        type: 'ORDER_AGED',
        strategyId: n.strategyId,
        orderId: n.orderId,
        payload: { age_minutes: n.ageMinutes, threshold_minutes: n.thresholdMinutes },
      },
      at,
    );
    await recordHousekeepingEvent(
      trx,
      {
        job: n.job,
        strategyId: n.strategyId,
        orderId: n.orderId,
        action: 'notify',
        reason: 'AGED',
        result: 'alert raised',
        detail: { age_minutes: n.ageMinutes },
      },
      at,
    );
  });
}

/** A stale open order archived: the mark, the audit and the log line, at once. */
export async function recordOrderArchived(
  db: Kysely<Database>,
  a: { job: string; strategyId: number; orderId: string; ageMinutes: number; explanation: string },
  at: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('orders')
      .set({ archived_at: at.toISOString() })
      .where('order_id', '=', a.orderId)
      .where('archived_at', 'is', null)
      .execute();
    await appendAudit(
      trx,
      {
        type: 'ORDER_ARCHIVED',
        strategyId: a.strategyId,
        orderId: a.orderId,
        payload: { age_minutes: a.ageMinutes, explanation: a.explanation },
      },
      at,
    );
    await recordHousekeepingEvent(
      trx,
      {
        job: a.job,
        strategyId: a.strategyId,
        orderId: a.orderId,
        action: 'archive',
        reason: 'AGED',
        result: 'archived',
      },
      at,
    );
  });
}

/** The broker's last word on a GTT (to modify it: Kite's modify takes the whole definition). */
export async function getGttBrokerJson(db: Kysely<Database>, gttId: number): Promise<unknown> {
  const row = await db.selectFrom('gtts').select('broker_json').where('gtt_id', '=', gttId).executeTakeFirst();
  return row ? (JSON.parse(row.broker_json) as unknown) : null;
}
