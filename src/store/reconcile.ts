import type { Kysely } from 'kysely';
import type { NewAuditEvent } from '../domain/audit.js';
import type { BrokerOrder, BrokerPosition } from '../domain/order.js';
import type { PositionShare } from '../domain/position-shares.js';
import { istDayStart } from '../market/ist.js';
import type { PersistenceEntry, PersistenceState } from '../reconcile/persistence.js';
import { positionKey } from '../reconcile/positions.js';
import type { ChangedSince, RoundReport } from '../reconcile/round.js';
import { tradeKey } from '../reconcile/trades.js';
import type { DiscrepancyKind, Heal, SomOrder, SomPosition, SomTrade } from '../reconcile/types.js';
import { raiseAlertIn, resolveAlerts } from './alerts.js';
import { appendAudit } from './audit.js';
import { recordHousekeepingEvent } from './housekeeping.js';
import { orderWorks } from './open-orders.js';
import { loadShares } from './position-shares.js';
import { upsertPositionRow } from './positions.js';
import type { Database } from './schema.js';

/**
 * What a reconciliation round reads of som's books and writes back: the heals of fills and
 * positions (an order's heal is an order update: src/store/order-updates.ts), each with its
 * RECONCILE_HEALED audit entry in the same transaction, and the round's record (the
 * persistence of differences, the housekeeping log line, escalation alerts) at once. The rules
 * are in src/reconcile.
 */

/** som's books as a round compares them, and what changed in them since the broker's were read. */
export interface LoadedBooks {
  orders: SomOrder[];
  trades: SomTrade[];
  positions: SomPosition[];
  shares: PositionShare[];
  changedSince: ChangedSince;
}

/**
 * som's books for a round on the IST day of `now`: every order still open or stamped that day
 * (or never stamped), the fills of that day, every position row, every share. Records written
 * at or after `readAt` (when the broker's books were asked for) are named in `changedSince`.
 */
export async function loadReconcileBooks(db: Kysely<Database>, now: Date, readAt: Date): Promise<LoadedBooks> {
  const dayStart = istDayStart(now).toISOString();
  const since = readAt.toISOString();
  const orderRows = await db
    .selectFrom('orders')
    .select(['order_id', 'strategy_id', 'status', 'broker_json', 'updated_at'])
    .where((eb) =>
      eb.or([
        orderWorks,
        eb('order_timestamp', '>=', dayStart),
        eb.and([eb('order_timestamp', 'is', null), eb('exchange_timestamp', 'is', null)]),
      ]),
    )
    .execute();
  const orders = orderRows.map(
    (r): SomOrder => ({ ...(JSON.parse(r.broker_json) as BrokerOrder), status: r.status, strategy_id: r.strategy_id }),
  );
  const tradeRows = await db
    .selectFrom('trades')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb(eb.fn.coalesce('fill_timestamp', 'exchange_timestamp'), '>=', dayStart),
        eb.and([eb('fill_timestamp', 'is', null), eb('exchange_timestamp', 'is', null)]),
      ]),
    )
    .execute();
  const trades = tradeRows.map(({ recorded_at: _, ...t }): SomTrade => t);
  const positionRows = await db.selectFrom('positions').selectAll().execute();
  const positions = positionRows.map(
    (r): SomPosition => ({ ...(JSON.parse(r.broker_json) as BrokerPosition), quantity: r.quantity }),
  );
  return {
    orders,
    trades,
    positions,
    shares: await loadShares(db),
    changedSince: {
      orders: new Set(orderRows.filter((r) => r.updated_at >= since).map((r) => r.order_id)),
      trades: new Set(tradeRows.filter((r) => r.recorded_at >= since).map(tradeKey)),
      positions: new Set(positionRows.filter((r) => r.updated_at >= since).map(positionKey)),
    },
  };
}

/** The RECONCILE_HEALED entry for a heal: what changed, before and after, and what it resolves. */
export function healEvent(heal: Pick<Heal, 'record' | 'key' | 'action' | 'before' | 'after' | 'resolves'>): {
  type: 'RECONCILE_HEALED';
  payload: Record<string, unknown>;
} {
  return {
    type: 'RECONCILE_HEALED',
    payload: {
      record: heal.record,
      key: heal.key,
      action: heal.action,
      before: heal.before,
      after: heal.after,
      resolves: heal.resolves,
    },
  };
}

/** Carry out a heal of a fill or a position, with its audit entry, in one transaction. */
export async function writeRecordHeal(db: Kysely<Database>, heal: Heal, now: Date): Promise<void> {
  if (heal.record === 'order') throw new Error('an order is healed as an order update (writeOrderUpdate)');
  await db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    let orderId: string | null = null;
    if (heal.record === 'trade') {
      const [exchange = '', ...rest] = heal.key.split(':');
      const tradeId = rest.join(':');
      if (heal.action === 'remove') {
        orderId = (heal.before?.order_id as string | undefined) ?? null;
        await trx.deleteFrom('trades').where('exchange', '=', exchange).where('trade_id', '=', tradeId).execute();
      } else {
        const t = heal.row;
        orderId = t.order_id;
        const columns = {
          order_id: t.order_id,
          tradingsymbol: t.tradingsymbol,
          instrument_token: t.instrument_token,
          product: t.product,
          transaction_type: t.transaction_type,
          quantity: t.quantity,
          average_price: t.average_price,
          exchange_order_id: t.exchange_order_id,
          fill_timestamp: t.fill_timestamp,
          exchange_timestamp: t.exchange_timestamp,
        };
        await trx
          .insertInto('trades')
          .values({ ...columns, exchange, trade_id: tradeId, recorded_at: at })
          .onConflict((oc) => oc.columns(['exchange', 'trade_id']).doUpdateSet(columns))
          .execute();
      }
    } else if (heal.record === 'position') {
      await upsertPositionRow(trx, heal.row, now);
    }
    const event: NewAuditEvent = { ...healEvent(heal), strategyId: heal.strategy_id, orderId };
    await appendAudit(trx, event, now);
  });
}

/** The persistence of differences the last full rounds kept. */
export async function loadReconcilePersistence(db: Kysely<Database>): Promise<PersistenceState> {
  const rows = await db.selectFrom('reconcile_discrepancies').selectAll().execute();
  return Object.fromEntries(
    rows.map((r): [string, PersistenceEntry] => [
      r.id,
      { first_seen: r.first_seen, last_seen: r.last_seen, rounds: r.rounds, escalated_at: r.escalated_at },
    ]),
  );
}

/** The dedupe key of the alert that stands for an escalated difference. */
export const escalationKey = (id: string) => `reconcile:${id}`;

export interface RoundRecord {
  trigger: string;
  strategyId: number | null;
  report: RoundReport;
  durationMs: number;
  /** The discrepancies' messages, by id (for the alerts). */
  messages: ReadonlyMap<string, string>;
}

/**
 * The round's record, at once: the persistence state replaced (a full round), the housekeeping
 * log line (job `reconcile`, with the counts per kind), a high alert and an audit entry for
 * each difference escalated this round, and the alerts of those no longer found resolved.
 */
export async function finishReconcileRound(db: Kysely<Database>, round: RoundRecord, now: Date): Promise<void> {
  const { report } = round;
  await db.transaction().execute(async (trx) => {
    if (report.persistence !== null) {
      await trx.deleteFrom('reconcile_discrepancies').execute();
      for (const [id, e] of Object.entries(report.persistence)) {
        await trx
          .insertInto('reconcile_discrepancies')
          .values({
            id,
            first_seen: e.first_seen,
            last_seen: e.last_seen,
            rounds: e.rounds,
            escalated_at: e.escalated_at,
          })
          .execute();
      }
    }
    const unhealed = report.discrepancies.filter((d) => !d.healed).map((d) => d.id);
    await recordHousekeepingEvent(
      trx,
      {
        job: 'reconcile',
        strategyId: round.strategyId,
        action: 'run',
        result: roundSummary(report),
        durationMs: round.durationMs,
        detail: {
          trigger: round.trigger,
          counts: report.counts,
          found: report.discrepancies.length,
          healed: report.healed,
          unhealed: report.unhealed,
          unhealed_ids: unhealed.slice(0, 100),
          escalated: report.escalate,
          open: report.open,
        },
      },
      now,
    );
    for (const id of report.escalate) {
      const e = report.persistence?.[id];
      const message = round.messages.get(id) ?? id;
      await raiseAlertIn(
        trx,
        {
          type: 'RECONCILE_DISCREPANCY',
          priority: 'high',
          title: `som's books differ from the broker's: ${id}`,
          message: `${message}; found in ${e?.rounds ?? '?'} rounds in a row since ${e?.first_seen ?? '?'}. som keeps adopting the broker's records; look at it in Kite and \`som reconcile --data\`.`,
          payload: { id, rounds: e?.rounds ?? null, first_seen: e?.first_seen ?? null },
          dedupeKey: escalationKey(id),
        },
        now,
      );
      await appendAudit(trx, { type: 'RECONCILE_ESCALATED', payload: { id, message, rounds: e?.rounds ?? null } }, now);
    }
    for (const r of report.resolved) {
      if (r.escalated) await resolveAlerts(trx, escalationKey(r.id), now, 'no longer found by reconciliation');
    }
  });
}

/** `3 found (MISSING 2, QTY_MISMATCH 1), 3 healed, 0 unhealed`. */
export function roundSummary(report: Pick<RoundReport, 'counts' | 'healed' | 'unhealed'>): string {
  const kinds = (Object.entries(report.counts) as [DiscrepancyKind, number][])
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  const found = report.healed + report.unhealed;
  return `${found} found${kinds.length ? ` (${kinds.join(', ')})` : ''}, ${report.healed} healed, ${report.unhealed} unhealed`;
}
