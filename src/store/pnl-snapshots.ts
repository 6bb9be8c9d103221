import type { Kysely } from 'kysely';
import type { GreeksReport } from '../pnl/greeks.js';
import type { PnlSnapshot, SnapshotPositionRow } from '../pnl/snapshot.js';
import type { Database, PnlSnapshotsTable } from './schema.js';

/** P&L snapshots (src/pnl/snapshot.ts), written together and read back by day. */

export interface StoredSnapshot {
  id: number;
  at: string;
  trading_day: string;
  strategy_id: number | null;
  trigger: PnlSnapshotsTable['trigger'];
  realised: number;
  unrealised: number;
  charges: number;
  net: number;
  margin_used: number | null;
  open_orders: number;
  positions: SnapshotPositionRow[];
  greeks: GreeksReport;
}

/** Store snapshots taken at one instant, in one transaction. */
export async function insertSnapshots(
  db: Kysely<Database>,
  snapshots: readonly PnlSnapshot[],
  taken: { at: Date; trading_day: string; trigger: PnlSnapshotsTable['trigger'] },
): Promise<void> {
  if (snapshots.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const s of snapshots) {
      await trx
        .insertInto('pnl_snapshots')
        .values({
          at: taken.at.toISOString(),
          trading_day: taken.trading_day,
          strategy_id: s.strategy_id,
          trigger: taken.trigger,
          realised: s.realised,
          unrealised: s.unrealised,
          charges: s.charges,
          net: s.net,
          margin_used: s.margin_used,
          open_orders: s.open_orders,
          positions: JSON.stringify(s.positions),
          greeks: JSON.stringify(s.greeks),
          net_delta: s.greeks.net.delta,
          net_gamma: s.greeks.net.gamma,
          net_theta: s.greeks.net.theta,
          net_vega: s.greeks.net.vega,
        })
        .execute();
    }
  });
}

/** A day's snapshots of one strategy (or the account: null), oldest first. */
export async function listSnapshots(
  db: Kysely<Database>,
  filter: { trading_day: string; strategy_id: number | null },
): Promise<StoredSnapshot[]> {
  let q = db.selectFrom('pnl_snapshots').selectAll().where('trading_day', '=', filter.trading_day);
  q =
    filter.strategy_id === null ? q.where('strategy_id', 'is', null) : q.where('strategy_id', '=', filter.strategy_id);
  const rows = await q.orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    trading_day: r.trading_day,
    strategy_id: r.strategy_id,
    trigger: r.trigger,
    realised: r.realised,
    unrealised: r.unrealised,
    charges: r.charges,
    net: r.net,
    margin_used: r.margin_used,
    open_orders: r.open_orders,
    positions: JSON.parse(r.positions) as SnapshotPositionRow[],
    greeks: JSON.parse(r.greeks) as GreeksReport,
  }));
}
