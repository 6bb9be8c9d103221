import type { Kysely, Selectable } from 'kysely';
import type { HoldChoice } from '../execution/placement.js';
import type { TradeSpec } from '../execution/trade.js';
import { type Alert, HELD_ORDER_ALERT, type NewAlert, raiseAlertIn, resolveAlerts } from './alerts.js';
import { appendAudit } from './audit.js';
import type { Database, HeldOrdersTable } from './schema.js';

/**
 * Orders (or whole baskets) held for the user: the trade as asked, the analyses the user is
 * shown, the alert that asks (type ORDER_HELD, keyed `held:<id>`), its deadline, and every answer
 * in `held_order_responses` with when and how long after the question it came. Each change is
 * one transaction with its alert and audit event.
 */

export type HeldState = HeldOrdersTable['state'];

export interface HeldOrder {
  id: number;
  created_at: string;
  strategy_id: number;
  state: HeldState;
  trade: TradeSpec;
  decision: string;
  analysis_ids: number[];
  alert_id: number | null;
  asked_at: string;
  expires_at: string;
  times_asked: number;
  outcome: string | null;
  order_ids: string[];
}

/** The alert text and detail of a question; som adds the key and the held order's id. */
export type HeldAlert = Pick<NewAlert, 'title' | 'message' | 'payload'>;

const heldKey = (id: number) => `held:${id}`;

function toHeld(r: Selectable<HeldOrdersTable>): HeldOrder {
  return {
    id: r.id,
    created_at: r.created_at,
    strategy_id: r.strategy_id,
    state: r.state,
    trade: JSON.parse(r.trade) as TradeSpec,
    decision: r.decision,
    analysis_ids: JSON.parse(r.analysis_ids) as number[],
    alert_id: r.alert_id,
    asked_at: r.asked_at,
    expires_at: r.expires_at,
    times_asked: r.times_asked,
    outcome: r.outcome,
    order_ids: JSON.parse(r.order_ids) as string[],
  };
}

async function raiseQuestion(
  trx: Kysely<Database>,
  held: { id: number; strategy_id: number },
  alert: HeldAlert,
  expiresAt: string,
  now: Date,
): Promise<Alert> {
  const { alert: raised } = await raiseAlertIn(
    trx,
    {
      type: HELD_ORDER_ALERT,
      priority: 'high',
      title: alert.title,
      message: alert.message,
      strategyId: held.strategy_id,
      payload: {
        ...alert.payload,
        held_order_id: held.id,
        expires_at: expiresAt,
        choices: ['cancel', 'limit', 'proceed'],
      },
      dedupeKey: heldKey(held.id),
    },
    now,
  );
  return raised;
}

/** Hold a trade: the held order, the alert that asks, and the audit event, in one transaction. */
export function holdTrade(
  db: Kysely<Database>,
  h: { trade: TradeSpec; decision: string; analysisIds: readonly number[]; expiresAt: Date; alert: HeldAlert },
  now: Date,
): Promise<{ held: HeldOrder; alert: Alert }> {
  const at = now.toISOString();
  const expiresAt = h.expiresAt.toISOString();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('held_orders')
      .values({
        created_at: at,
        strategy_id: h.trade.strategy_id,
        state: 'held',
        trade: JSON.stringify(h.trade),
        decision: h.decision,
        analysis_ids: JSON.stringify(h.analysisIds),
        alert_id: null,
        asked_at: at,
        expires_at: expiresAt,
        outcome: null,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const alert = await raiseQuestion(trx, { id, strategy_id: h.trade.strategy_id }, h.alert, expiresAt, now);
    await trx.updateTable('held_orders').set({ alert_id: alert.id }).where('id', '=', id).execute();
    await appendAudit(
      trx,
      {
        type: 'ORDER_HELD',
        strategyId: h.trade.strategy_id,
        payload: {
          held_order_id: id,
          alert_id: alert.id,
          decision: h.decision,
          analysis_ids: h.analysisIds,
          expires_at: expiresAt,
          trade: h.trade,
        },
      },
      now,
    );
    const row = await trx.selectFrom('held_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { held: toHeld(row), alert };
  });
}

/**
 * The held order an alert asks about. `current` is false when the alert is an earlier question
 * about it, replaced when the user was asked again.
 */
export async function heldByAlert(
  db: Kysely<Database>,
  alertId: number,
): Promise<{ held: HeldOrder; current: boolean } | undefined> {
  const row = await db.selectFrom('held_orders').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
  if (row) return { held: toHeld(row), current: true };
  const earlier = await db
    .selectFrom('held_order_responses as r')
    .innerJoin('held_orders as h', 'h.id', 'r.held_order_id')
    .selectAll('h')
    .where('r.alert_id', '=', alertId)
    .executeTakeFirst();
  return earlier ? { held: toHeld(earlier), current: false } : undefined;
}

export interface HeldAnswer {
  held: HeldOrder;
  choice: HoldChoice;
  /** From the question (asked_at) to the answer. */
  responseMs: number;
  outcome: string;
}

/**
 * Record an answer that settles the held order (`cancelled`, or `sent` before its orders go
 * out: a held order is sent once, whatever happens next), resolve its alert and audit it, in
 * one transaction. Returns false, writing nothing, when it is no longer held (answered or
 * expired meanwhile).
 */
export function settleHeld(
  db: Kysely<Database>,
  a: HeldAnswer & { state: 'cancelled' | 'sent' },
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('held_orders')
      .set({ state: a.state, outcome: a.outcome, updated_at: at })
      .where('id', '=', a.held.id)
      .where('state', '=', 'held')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await trx
      .insertInto('held_order_responses')
      .values({
        held_order_id: a.held.id,
        alert_id: a.held.alert_id,
        at,
        choice: a.choice,
        response_ms: Math.max(0, Math.round(a.responseMs)),
        outcome: a.outcome,
      })
      .execute();
    await resolveAlerts(trx, heldKey(a.held.id), now, a.outcome);
    await appendAudit(
      trx,
      {
        type: 'ORDER_HELD_RESPONDED',
        strategyId: a.held.strategy_id,
        payload: {
          held_order_id: a.held.id,
          alert_id: a.held.alert_id,
          choice: a.choice,
          response_ms: Math.round(a.responseMs),
          outcome: a.outcome,
        },
      },
      now,
    );
    return true;
  });
}

/**
 * The market got worse after the user looked: record their answer, resolve the question, and
 * ask again with a new alert and a new deadline, in one transaction. Returns the new alert, or
 * null, writing nothing, when the order is no longer held.
 */
export function askAgain(
  db: Kysely<Database>,
  a: HeldAnswer & { decision: string; analysisIds: readonly number[]; expiresAt: Date; alert: HeldAlert },
  now: Date,
): Promise<{ held: HeldOrder; alert: Alert } | null> {
  const at = now.toISOString();
  const expiresAt = a.expiresAt.toISOString();
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('held_orders')
      .selectAll()
      .where('id', '=', a.held.id)
      .where('state', '=', 'held')
      .executeTakeFirst();
    if (!current) return null;
    await trx
      .insertInto('held_order_responses')
      .values({
        held_order_id: a.held.id,
        alert_id: current.alert_id,
        at,
        choice: a.choice,
        response_ms: Math.max(0, Math.round(a.responseMs)),
        outcome: a.outcome,
      })
      .execute();
    await resolveAlerts(trx, heldKey(a.held.id), now, a.outcome);
    const alert = await raiseQuestion(trx, current, a.alert, expiresAt, now);
    await trx
      .updateTable('held_orders')
      .set((eb) => ({
        alert_id: alert.id,
        asked_at: at,
        expires_at: expiresAt,
        times_asked: eb('times_asked', '+', 1),
        decision: a.decision,
        analysis_ids: JSON.stringify(a.analysisIds),
        updated_at: at,
      }))
      .where('id', '=', a.held.id)
      .execute();
    await appendAudit(
      trx,
      {
        type: 'ORDER_HELD_RESPONDED',
        strategyId: a.held.strategy_id,
        payload: {
          held_order_id: a.held.id,
          alert_id: current.alert_id,
          choice: a.choice,
          response_ms: Math.round(a.responseMs),
          outcome: a.outcome,
          asked_again: { alert_id: alert.id, expires_at: expiresAt, decision: a.decision, analysis_ids: a.analysisIds },
        },
      },
      now,
    );
    const row = await trx.selectFrom('held_orders').selectAll().where('id', '=', a.held.id).executeTakeFirstOrThrow();
    return { held: toHeld(row), alert };
  });
}

/** After a sent held order's legs went out: the orders it became, and `failed` when a leg was refused. */
export async function finishHeld(
  db: Kysely<Database>,
  id: number,
  f: { orderIds: readonly string[]; outcome: string; failed: boolean },
  now: Date,
): Promise<void> {
  await db
    .updateTable('held_orders')
    .set({
      order_ids: JSON.stringify(f.orderIds),
      outcome: f.outcome,
      ...(f.failed ? { state: 'failed' as const } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Expire every held order whose deadline has passed: cancelled, never sent; its alert resolved
 * and the expiry audited, in one transaction. Returns the orders expired.
 */
export function expireHeld(db: Kysely<Database>, now: Date): Promise<HeldOrder[]> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('held_orders')
      .selectAll()
      .where('state', '=', 'held')
      .where('expires_at', '<=', at)
      .execute();
    for (const r of due) {
      const outcome = `expired unanswered at ${r.expires_at}: cancelled, never sent`;
      await trx
        .updateTable('held_orders')
        .set({ state: 'expired', outcome, updated_at: at })
        .where('id', '=', r.id)
        .execute();
      await resolveAlerts(trx, heldKey(r.id), now, outcome);
      await appendAudit(
        trx,
        {
          type: 'ORDER_HELD_EXPIRED',
          strategyId: r.strategy_id,
          payload: { held_order_id: r.id, alert_id: r.alert_id, expires_at: r.expires_at },
        },
        now,
      );
    }
    return due.map((r) => toHeld({ ...r, state: 'expired' }));
  });
}

/** How many orders are held now (the expiry check has nothing to do without one). */
export async function countHeld(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('held_orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'held')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
