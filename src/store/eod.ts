import type { Kysely } from 'kysely';
import { TERMINAL_STATUSES } from '../domain/order.js';
import type { EodInputs } from '../eod/report.js';
import type { EodProtection, EodReport } from '../eod/types.js';
import { addDays, istInstant } from '../market/ist.js';
import { appendAudit } from './audit.js';
import { recordHousekeepingEvent } from './housekeeping.js';
import { orderWorks } from './open-orders.js';
import type { Database } from './schema.js';

/**
 * What the end-of-day report is built from (src/eod/report.ts), and the report kept: the day's
 * share moves, charges, orders, orphans, alerts and reconciliation rounds, the shares and
 * protective orders at the close; then the report stored with the day's completed orders
 * archived, in one transaction.
 */

/** The reasons an order is an orphan (housekeeping log lines with one of these are orphans handled). */
const ORPHAN_REASONS = ['POSITION_CLOSED', 'EXCESS_QUANTITY', 'INSTRUMENT_EXPIRED', 'OCO_FILLED', 'MANUAL'];

/** The UTC instants bounding an IST trading day: [from, to). */
function dayRange(day: string): { from: string; to: string } {
  return { from: istInstant(day, '00:00').toISOString(), to: istInstant(addDays(day, 1), '00:00').toISOString() };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Everything the report of `day` needs, but the broker's order book (the caller's, if it read one). */
export async function loadEodInputs(
  db: Kysely<Database>,
  day: string,
  options: { generatedAt: Date; preliminary: boolean; brokerOrderIds: ReadonlySet<string> | null },
): Promise<EodInputs & { archivable: string[] }> {
  const { from, to } = dayRange(day);
  const strategies = await db.selectFrom('strategies').select(['id', 'name']).orderBy('id').execute();
  const moves = await db
    .selectFrom('position_allocations')
    .select(['at', 'strategy_id', 'order_id', 'exchange', 'tradingsymbol', 'product', 'quantity', 'price'])
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('id')
    .execute();
  const shares = await db
    .selectFrom('strategy_positions')
    .select(['strategy_id', 'exchange', 'tradingsymbol', 'product', 'quantity'])
    .where('quantity', '!=', 0)
    .orderBy('strategy_id')
    .orderBy('exchange')
    .orderBy('tradingsymbol')
    .orderBy('product')
    .execute();
  const positions = await db
    .selectFrom('positions')
    .select(['exchange', 'tradingsymbol', 'product', 'multiplier', 'last_price', 'broker_json'])
    .execute();
  const marks = positions.map((p) => ({
    exchange: p.exchange,
    tradingsymbol: p.tradingsymbol,
    product: p.product,
    multiplier: p.multiplier,
    last_price: p.last_price,
    close_price: num(parseObject(p.broker_json).close_price),
  }));
  const charges = await db
    .selectFrom('order_cost_breakdown')
    .select([
      'strategy_id',
      'order_id',
      'updated_at as at',
      'brokerage',
      'transaction_tax',
      'exchange_turnover_charge',
      'sebi_turnover_charge',
      'stamp_duty',
      'gst',
      'total',
    ])
    .where('kind', '=', 'actual')
    .where('trade_date', '=', day)
    .orderBy('id')
    .execute();
  const orderRows = await db
    .selectFrom('orders')
    .select(['order_id', 'strategy_id', 'source', 'status', 'cost_breakdown_id', 'archived_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('order_timestamp', '>=', from), eb('order_timestamp', '<', to)]),
        eb.and([eb('order_timestamp', 'is', null), eb('created_at', '>=', from), eb('created_at', '<', to)]),
      ]),
    )
    .orderBy('order_id')
    .execute();
  const orphanRows = await db
    .selectFrom('housekeeping_events')
    .select(['at', 'strategy_id', 'order_id', 'reason', 'action', 'result'])
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('order_id', 'is not', null)
    .where('reason', 'in', ORPHAN_REASONS)
    .orderBy('id')
    .execute();
  const alerts = await db
    .selectFrom('user_alerts')
    .select(['at', 'type', 'priority', 'strategy_id', 'title'])
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('id')
    .execute();
  const runs = await db
    .selectFrom('housekeeping_events')
    .select('detail')
    .where('job', '=', 'reconcile')
    .where('action', '=', 'run')
    .where('strategy_id', 'is', null)
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('id')
    .execute();
  return {
    tradingDay: day,
    generatedAt: options.generatedAt.toISOString(),
    preliminary: options.preliminary,
    strategies,
    moves,
    shares,
    marks,
    charges,
    orders: orderRows.map((o) => ({
      order_id: o.order_id,
      strategy_id: o.strategy_id,
      source: o.source,
      has_cost_breakdown: o.cost_breakdown_id !== null,
    })),
    brokerOrderIds: options.brokerOrderIds,
    archivable: options.preliminary
      ? []
      : orderRows.filter((o) => TERMINAL_STATUSES.has(o.status) && o.archived_at === null).map((o) => o.order_id),
    archived: 0,
    orphans: orphanRows.map((o) => ({ ...o, order_id: o.order_id ?? '' })),
    alerts,
    reconcileRuns: runs.map((r) => {
      const d = parseObject(r.detail);
      const counts = parseObject(JSON.stringify(d.counts ?? {}));
      return {
        counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, num(v)])),
        found: num(d.found),
        healed: num(d.healed),
        unhealed: num(d.unhealed),
        unhealed_ids: Array.isArray(d.unhealed_ids) ? d.unhealed_ids.map(String) : [],
      };
    }),
    protection: await loadProtection(db),
    snapshots: await loadPnlSnapshots(db, day),
    marginChecks: [],
  };
}

/** Open stops and targets, and the stop and target legs of active GTTs, by strategy and instrument. */
async function loadProtection(db: Kysely<Database>) {
  const orders = await db
    .selectFrom('orders')
    .select([
      'order_id',
      'strategy_id',
      'exchange',
      'tradingsymbol',
      'product',
      'role',
      'order_type',
      'transaction_type',
      'pending_quantity',
      'price',
      'trigger_price',
    ])
    .where(orderWorks)
    .where('role', 'in', ['stop', 'target'])
    .orderBy('order_id')
    .execute();
  const out: ({ strategy_id: number; exchange: string; tradingsymbol: string; product: string } & EodProtection)[] =
    orders.map((o) => ({
      kind: 'order',
      order_id: o.order_id,
      strategy_id: o.strategy_id,
      exchange: o.exchange,
      tradingsymbol: o.tradingsymbol,
      product: o.product,
      role: o.role ?? 'stop',
      order_type: o.order_type,
      side: o.transaction_type,
      quantity: o.pending_quantity,
      price: o.price || null,
      trigger_price: o.trigger_price || null,
    }));
  const gtts = await db
    .selectFrom('gtts')
    .select(['gtt_id', 'strategy_id', 'exchange', 'tradingsymbol', 'product', 'transaction_type', 'quantity'])
    .select(['roles', 'trigger_values', 'broker_json'])
    .where('status', '=', 'active')
    .orderBy('gtt_id')
    .execute();
  for (const g of gtts) {
    const roles = JSON.parse(g.roles) as string[];
    const triggers = JSON.parse(g.trigger_values) as number[];
    const legs = (parseObject(g.broker_json).orders ?? []) as { price?: number }[];
    roles.forEach((role, i) => {
      if (role !== 'stop' && role !== 'target') return;
      out.push({
        kind: 'gtt',
        order_id: `gtt:${g.gtt_id}:${i}`,
        strategy_id: g.strategy_id,
        exchange: g.exchange,
        tradingsymbol: g.tradingsymbol,
        product: g.product,
        role,
        order_type: 'GTT',
        side: g.transaction_type,
        quantity: g.quantity,
        price: legs[i]?.price ?? null,
        trigger_price: triggers[i] ?? null,
      });
    });
  }
  return out;
}

/**
 * The day's P&L snapshots (net P&L per strategy through the day). This store keeps none: the
 * report reckons the day's M2M at each fill instead (src/eod/report.ts `m2mFromFills`).
 */
export async function loadPnlSnapshots(
  _db: Kysely<Database>,
  _day: string,
): Promise<{ at: string; strategy_id: number; pnl: number }[]> {
  return [];
}

/**
 * Keep the day's report, archive the day's completed orders (`archivable`), and record the run
 * in the audit trail and the housekeeping log, in one transaction. A later run replaces the
 * report.
 */
export async function storeEodReport(
  db: Kysely<Database>,
  report: EodReport,
  archivable: readonly string[],
  summary: string,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < archivable.length; i += 500) {
      await trx
        .updateTable('orders')
        .set({ archived_at: at })
        .where('order_id', 'in', archivable.slice(i, i + 500))
        .where('archived_at', 'is', null)
        .execute();
    }
    await trx
      .insertInto('eod_reports')
      .values({ trading_day: report.trading_day, generated_at: report.generated_at, report: JSON.stringify(report) })
      .onConflict((oc) =>
        oc.column('trading_day').doUpdateSet({ generated_at: report.generated_at, report: JSON.stringify(report) }),
      )
      .execute();
    await appendAudit(
      trx,
      {
        type: 'EOD_REPORTED',
        payload: {
          trading_day: report.trading_day,
          net: report.totals.net,
          charges: report.totals.charges.total,
          trades: report.totals.trades,
          archived: archivable.length,
          discrepancies_at_eod: report.metrics.discrepancies_at_eod.value,
        },
      },
      now,
    );
    await recordHousekeepingEvent(trx, { job: 'eod', action: 'report', result: summary }, now);
    await trx.updateTable('strategies').set({ last_housekeeping_run: at }).execute();
  });
}

/** The stored report of a trading day, or undefined when its end-of-day run has not stored one. */
export async function getEodReport(db: Kysely<Database>, day: string): Promise<EodReport | undefined> {
  const row = await db.selectFrom('eod_reports').select('report').where('trading_day', '=', day).executeTakeFirst();
  return row ? (JSON.parse(row.report) as EodReport) : undefined;
}
