import type { Kysely, Transaction } from 'kysely';
import type { AuditType } from '../domain/audit.js';
import type { RiskStatus } from '../domain/strategy.js';
import type { AlertSpec, RiskDecisions } from '../risk/assess.js';
import type { MisRunStart, MisStepDue, MisWarning } from '../risk/mis-plan.js';
import type { RiskState, StateReason } from '../risk/trading-state.js';
import type { LimitKey, LimitStatus } from '../risk/types.js';
import { raiseAlertIn } from './alerts.js';
import { appendAudit } from './audit.js';
import { recordHousekeepingEvent } from './housekeeping.js';
import { orderWorks } from './open-orders.js';
import type { Database } from './schema.js';
import { type FirstExitPlanner, recordFirstExits } from './square-off.js';

/**
 * The risk engine's state: trading states (strategies and the account), breaches, square-off
 * runs and their exits, the MIS steps taken. Every write that carries a decision of the rules
 * (src/risk) happens here, in one transaction with its audit events, alerts and log lines.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** The key of a strategy's state, or the account's. */
export function riskScope(strategyId: number | null): string {
  return strategyId === null ? 'account' : `strategy:${strategyId}`;
}

export interface StoredRiskState {
  strategy_id: number | null;
  state: RiskState;
  limits: LimitStatus[];
  margin_basis: number;
  margin_basis_day: string | null;
}

/** Every stored state, by scope (`account`, `strategy:<id>`). */
export async function loadRiskStates(db: Db): Promise<Map<string, StoredRiskState>> {
  const rows = await db.selectFrom('risk_states').selectAll().execute();
  return new Map(
    rows.map((r) => [
      r.scope,
      {
        strategy_id: r.strategy_id,
        state: {
          state: r.state,
          reason: r.reason as StateReason | null,
          trading_day: r.trading_day,
          since: r.since,
          acknowledged: JSON.parse(r.acknowledged) as LimitKey[],
          note: r.note,
        },
        limits: JSON.parse(r.limits) as LimitStatus[],
        margin_basis: r.margin_basis,
        margin_basis_day: r.margin_basis_day,
      },
    ]),
  );
}

async function upsertState(
  trx: Db,
  strategyId: number | null,
  state: RiskState,
  limits: readonly LimitStatus[] | null,
  at: string,
): Promise<void> {
  const row = {
    state: state.state,
    reason: state.reason,
    trading_day: state.trading_day,
    since: state.since,
    acknowledged: JSON.stringify(state.acknowledged),
    note: state.note,
    updated_at: at,
    ...(limits ? { limits: JSON.stringify(limits) } : {}),
  };
  await trx
    .insertInto('risk_states')
    .values({ scope: riskScope(strategyId), strategy_id: strategyId, ...row })
    .onConflict((oc) => oc.column('scope').doUpdateSet(row))
    .execute();
}

async function setRiskStatus(trx: Db, strategyId: number | null, status: RiskStatus): Promise<void> {
  if (strategyId === null) return;
  await trx.updateTable('strategies').set({ risk_status: status }).where('id', '=', strategyId).execute();
}

/** A square-off to open (or to widen an open one of the same strategy). */
export interface SquareOffStart {
  strategy_id: number;
  cause: 'loss_limit' | 'kill_switch' | 'mis_start' | 'mis_force';
  /** Only these products (null: every product). */
  products: readonly string[] | null;
  /** Only these exchanges (null: every exchange). */
  exchanges: readonly string[] | null;
  escalate_at: Date;
}

/**
 * Open a square-off run, or widen the strategy's running one: one run per strategy at a time,
 * so two causes never plan the same position twice. Widening takes the union of the scopes and
 * the earlier escalation. Audited SQUARE_OFF_STARTED. Returns the run's id.
 */
export async function openSquareOff(trx: Db, start: SquareOffStart, now: Date): Promise<number> {
  const running = await trx
    .selectFrom('square_off_runs')
    .selectAll()
    .where('strategy_id', '=', start.strategy_id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  const escalateAt = start.escalate_at.toISOString();
  let id: number;
  if (running) {
    id = running.id;
    const union = (stored: string | null, added: readonly string[] | null): string | null =>
      stored === null || added === null
        ? null
        : JSON.stringify([...new Set([...(JSON.parse(stored) as string[]), ...added])]);
    await trx
      .updateTable('square_off_runs')
      .set({
        products: union(running.products, start.products),
        exchanges: union(running.exchanges, start.exchanges),
        escalate_at: [escalateAt, running.escalate_at].sort()[0]!,
      })
      .where('id', '=', id)
      .execute();
  } else {
    const row = await trx
      .insertInto('square_off_runs')
      .values({
        strategy_id: start.strategy_id,
        cause: start.cause,
        products: start.products ? JSON.stringify(start.products) : null,
        exchanges: start.exchanges ? JSON.stringify(start.exchanges) : null,
        started_at: now.toISOString(),
        escalate_at: escalateAt,
        status: 'running',
        finished_at: null,
        note: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  }
  await appendAudit(
    trx,
    {
      type: 'SQUARE_OFF_STARTED',
      strategyId: start.strategy_id,
      payload: {
        run_id: id,
        cause: start.cause,
        products: start.products,
        exchanges: start.exchanges,
        escalate_at: escalateAt,
        merged_into_running: running !== undefined,
      },
    },
    now,
  );
  return id;
}

/**
 * Everything a breach writes, in one transaction before its square-off sends anything (kept
 * short: the first exit waits for it): the new states that stop new orders (with
 * `strategies.risk_status`; memory refuses at once, this keeps it over a restart) and their
 * RISK_STATE_CHANGED, the square-offs with their SQUARE_OFF_STARTED, and for each breach its
 * alert, its risk_breaches row naming the square-off it started, its RISK_BREACH audit event
 * and its housekeeping event; with `firstExits`, the square-offs' first exits too (their rows,
 * intents and ORDER_CREATED), so they leave right after this one commit. A somd that dies
 * after this has lost nothing of the breach. Returns the runs opened, by strategy. The rest of
 * the evaluation (warnings, every scope's limits) follows with {@link writeRiskRecord}.
 */
export async function writeRiskActions(
  db: Kysely<Database>,
  decisions: RiskDecisions,
  context: { trading_day: string; escalate_at: Date },
  now: Date,
  firstExits?: FirstExitPlanner,
): Promise<Map<number, number>> {
  const runs = new Map<number, number>();
  const changed = decisions.scopes.filter((d) => d.state_changed);
  const breaching = decisions.scopes.filter((d) => d.events.some((e) => e.level === 'breach'));
  if (changed.length === 0 && breaching.length === 0 && decisions.square_off.length === 0) return runs;
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    for (const strategyId of decisions.square_off) {
      const start: SquareOffStart = {
        strategy_id: strategyId,
        cause: 'loss_limit',
        products: null,
        exchanges: null,
        escalate_at: context.escalate_at,
      };
      runs.set(strategyId, await openSquareOff(trx, start, now));
    }
    for (const d of changed) {
      await upsertState(trx, d.strategy_id, d.next, d.limits, at);
      await setRiskStatus(trx, d.strategy_id, d.risk_status);
      await appendAudit(
        trx,
        {
          type: 'RISK_STATE_CHANGED',
          strategyId: d.strategy_id,
          payload: { scope: riskScope(d.strategy_id), state: d.next.state, reason: d.next.reason },
        },
        now,
      );
    }
    for (const d of breaching) {
      const run = d.strategy_id === null ? null : (runs.get(d.strategy_id) ?? null);
      for (const [i, e] of d.events.entries()) {
        if (e.level !== 'breach') continue;
        const alert = d.alerts[i];
        if (alert) await raise(trx, alert, d.strategy_id, now);
        await recordLevel(trx, d, e, run, context.trading_day, at, now);
        await recordHousekeepingEvent(
          trx,
          {
            job: 'risk',
            strategyId: d.strategy_id,
            action: 'breach',
            reason: e.key,
            result: e.action,
            detail: { limit: e.limit, value: e.value, subject: e.subject ?? null, square_off_run_id: run },
          },
          now,
        );
      }
    }
    if (firstExits && runs.size > 0) await recordFirstExits(trx, [...runs.values()], firstExits, now);
  });
  return runs;
}

/**
 * The rest of one evaluation (src/risk/assess.ts), in one transaction, after
 * {@link writeRiskActions}: every scope's state and limits as evaluated (and
 * `strategies.risk_status`), and each warning (its alert, a risk_breaches row, a RISK_WARNING
 * audit event).
 */
export async function writeRiskRecord(
  db: Kysely<Database>,
  decisions: RiskDecisions,
  context: { trading_day: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    for (const d of decisions.scopes) {
      await upsertState(trx, d.strategy_id, d.next, d.limits, at);
      await setRiskStatus(trx, d.strategy_id, d.risk_status);
      for (const [i, e] of d.events.entries()) {
        if (e.level === 'breach') continue;
        const alert = d.alerts[i];
        if (alert) await raise(trx, alert, d.strategy_id, now);
        await recordLevel(trx, d, e, null, context.trading_day, at, now);
      }
    }
  });
}

type ScopeDecision = RiskDecisions['scopes'][number];

/** One warning or breach: its risk_breaches row and its RISK_WARNING or RISK_BREACH audit event. */
async function recordLevel(
  trx: Db,
  d: ScopeDecision,
  e: ScopeDecision['events'][number],
  run: number | null,
  tradingDay: string,
  at: string,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('risk_breaches')
    .values({
      at,
      trading_day: tradingDay,
      strategy_id: d.strategy_id,
      limit_key: e.key,
      level: e.level,
      limit_value: e.limit,
      value: e.value,
      subject: e.subject ?? null,
      action: e.action,
      square_off_run_id: run,
    })
    .execute();
  await appendAudit(
    trx,
    {
      type: e.level === 'breach' ? 'RISK_BREACH' : 'RISK_WARNING',
      strategyId: d.strategy_id,
      payload: { ...e, state: d.next.state, square_off_run_id: run },
    },
    now,
  );
}

async function raise(trx: Db, a: AlertSpec | MisWarning, strategyId: number | null, now: Date): Promise<void> {
  const priority = 'priority' in a ? a.priority : 'normal';
  const type = 'type' in a ? a.type : 'MIS_SQUARE_OFF';
  await raiseAlertIn(
    trx,
    { type, priority, title: a.title, message: a.message, strategyId, dedupeKey: a.dedupeKey, payload: a.payload },
    now,
  );
}

/** Keep a strategy's limits (as evaluated now) and risk status without a decision to record. */
export async function saveRiskLimits(
  db: Kysely<Database>,
  rows: readonly { strategy_id: number | null; state: RiskState; limits: readonly LimitStatus[]; status: RiskStatus }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const r of rows) {
      await upsertState(trx, r.strategy_id, r.state, r.limits, now.toISOString());
      await setRiskStatus(trx, r.strategy_id, r.status);
    }
  });
}

/** `som halt` or `som resume` of one scope: the state, its audit event, and the square-off it starts. */
export interface ManualStateChange {
  strategy_id: number | null;
  next: RiskState;
  status: RiskStatus;
  type: Extract<AuditType, 'RISK_HALTED' | 'RISK_RESUMED'>;
  payload: Record<string, unknown>;
}

/** Write halts or resumes and the square-offs they start, in one transaction. Returns the runs opened. */
export async function writeManualStates(
  db: Kysely<Database>,
  changes: readonly ManualStateChange[],
  squareOffs: readonly SquareOffStart[],
  now: Date,
): Promise<Map<number, number>> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const runs = new Map<number, number>();
    for (const s of squareOffs) runs.set(s.strategy_id, await openSquareOff(trx, s, now));
    for (const c of changes) {
      await upsertState(trx, c.strategy_id, c.next, null, at);
      await setRiskStatus(trx, c.strategy_id, c.status);
      await appendAudit(
        trx,
        {
          type: c.type,
          strategyId: c.strategy_id,
          payload: { scope: riskScope(c.strategy_id), state: c.next.state, reason: c.next.reason, ...c.payload },
        },
        now,
      );
      await recordHousekeepingEvent(
        trx,
        {
          job: 'risk',
          strategyId: c.strategy_id,
          action: c.type === 'RISK_HALTED' ? 'halt' : 'resume',
          reason: c.next.reason,
          result: c.next.state,
          detail: c.payload,
        },
        now,
      );
    }
    return runs;
  });
}

/** The largest margin a strategy blocked today (the % loss limit's basis), and what it blocks now. */
export async function recordMarginBlocked(
  db: Kysely<Database>,
  strategyId: number,
  blocked: number,
  day: string,
  now: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('risk_states')
      .select(['margin_basis', 'margin_basis_day'])
      .where('scope', '=', riskScope(strategyId))
      .executeTakeFirst();
    const peak = row && row.margin_basis_day === day ? Math.max(row.margin_basis, blocked) : blocked;
    await trx
      .updateTable('risk_states')
      .set({ margin_basis: peak, margin_basis_day: day, updated_at: now.toISOString() })
      .where('scope', '=', riskScope(strategyId))
      .execute();
    await trx.updateTable('strategies').set({ total_margin_blocked: blocked }).where('id', '=', strategyId).execute();
    return peak;
  });
}

/** A recorded warning or breach, newest first in {@link recentBreaches}. */
export interface BreachView {
  id: number;
  at: string;
  strategy: string | null;
  key: string;
  level: 'warn' | 'breach';
  limit: number;
  value: number;
  subject: string | null;
  action: string;
  square_off_run_id: number | null;
}

/** The newest warnings and breaches. */
export async function recentBreaches(db: Db, limit: number): Promise<BreachView[]> {
  const rows = await db
    .selectFrom('risk_breaches as b')
    .leftJoin('strategies as s', 's.id', 'b.strategy_id')
    .select([
      'b.id',
      'b.at',
      's.name as strategy',
      'b.limit_key',
      'b.level',
      'b.limit_value',
      'b.value',
      'b.subject',
      'b.action',
      'b.square_off_run_id',
    ])
    .orderBy('b.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    strategy: r.strategy,
    key: r.limit_key,
    level: r.level,
    limit: r.limit_value,
    value: r.value,
    subject: r.subject,
    action: r.action,
    square_off_run_id: r.square_off_run_id,
  }));
}

/** Working entry orders (role `entry`) of these strategies: what a halt cancels. */
export async function workingEntries(
  db: Db,
  strategyIds: readonly number[],
): Promise<{ order_id: string; variety: string; strategy_id: number; parent_order_id: string | null }[]> {
  if (strategyIds.length === 0) return [];
  return db
    .selectFrom('orders')
    .select(['order_id', 'variety', 'strategy_id', 'parent_order_id'])
    .where('strategy_id', 'in', [...strategyIds])
    .where('role', '=', 'entry')
    .where(orderWorks)
    .where('archived_at', 'is', null)
    .execute();
}

/** When each of today's new orders was recorded (order intents since `sinceIso`), by strategy. */
export async function intentTimes(db: Db, sinceIso: string): Promise<{ strategy_id: number; at: string }[]> {
  const rows = await db
    .selectFrom('order_intents')
    .select(['strategy_id', 'created_at'])
    .where('created_at', '>=', sinceIso)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ strategy_id: r.strategy_id, at: r.created_at }));
}

// --- MIS timetable ----------------------------------------------------------------------

/** The steps taken on a date, as `date:segment:step`. */
export async function misStepsTaken(db: Db, date: string): Promise<Set<string>> {
  const rows = await db.selectFrom('mis_steps').select(['date', 'segment', 'step']).where('date', '=', date).execute();
  return new Set(rows.map((r) => `${r.date}:${r.segment}:${r.step}`));
}

/**
 * Record the MIS steps taken now, with their warnings (alerts) and the square-offs they start,
 * each step audited MIS_STEP; one transaction. Returns the runs opened, by strategy.
 */
export async function writeMisSteps(
  db: Kysely<Database>,
  plan: { steps: readonly MisStepDue[]; warnings: readonly MisWarning[]; runs: readonly MisRunStart[] },
  runScope: (r: MisRunStart) => SquareOffStart,
  now: Date,
): Promise<Map<number, number>> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const runs = new Map<number, number>();
    for (const r of plan.runs) runs.set(r.strategy_id, await openSquareOff(trx, runScope(r), now));
    for (const w of plan.warnings) await raise(trx, w, null, now);
    for (const s of plan.steps) {
      const started = plan.runs.filter((r) => r.segment === s.segment && r.step === s.step);
      const summary =
        s.step === 'warn'
          ? 'warned'
          : started.length === 0
            ? 'nothing to square off'
            : `square-off of ${started.length} strateg${started.length === 1 ? 'y' : 'ies'}`;
      await trx
        .insertInto('mis_steps')
        .values({ date: s.date, segment: s.segment, step: s.step, taken_at: at, summary })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await appendAudit(
        trx,
        {
          type: 'MIS_STEP',
          payload: {
            segment: s.segment,
            date: s.date,
            step: s.step,
            due_at: s.at.toISOString(),
            summary,
            runs: started.map((r) => ({ strategy_id: r.strategy_id, run_id: runs.get(r.strategy_id) ?? null })),
          },
        },
        now,
      );
      await recordHousekeepingEvent(
        trx,
        { job: 'mis-square-off', action: s.step, reason: s.segment, result: summary, detail: { date: s.date } },
        now,
      );
    }
    return runs;
  });
}
