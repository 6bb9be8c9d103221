import type { Kysely } from 'kysely';
import type { ExpiryPosition, PositionArchive } from '../housekeeping/expiry.js';
import { appendAudit } from './audit.js';
import { recordHousekeepingEvent } from './housekeeping.js';
import { applyShareAllocations, loadShares } from './position-shares.js';
import type { Database } from './schema.js';

/**
 * The expiry job's reads and writes. By 09:00 the broker has settled and dropped an expired
 * contract, so each position is taken from the broker's last description of it (kept in
 * `positions.broker_json`): its average price, multiplier and last price (the settlement
 * price, on expiry day's close). Each strategy's share of it is archived with its P&L.
 */

/** Open (not archived) positions as strategies' shares, with the broker's last average, multiplier and price. */
export async function loadExpiryPositions(
  db: Kysely<Database>,
): Promise<{ positions: ExpiryPosition[]; lastPrice: Map<string, number> }> {
  const rows = await db
    .selectFrom('positions')
    .select(['id', 'exchange', 'tradingsymbol', 'product', 'broker_json'])
    .where('archived_at', 'is', null)
    .execute();
  const shares = await loadShares(db);
  const positions: ExpiryPosition[] = [];
  const lastPrice = new Map<string, number>();
  for (const r of rows) {
    const last = JSON.parse(r.broker_json) as { average_price?: number; last_price?: number; multiplier?: number };
    lastPrice.set(`${r.exchange}:${r.tradingsymbol}`, last.last_price ?? 0);
    for (const s of shares) {
      if (s.exchange !== r.exchange || s.tradingsymbol !== r.tradingsymbol || s.product !== r.product) continue;
      if (s.quantity === 0) continue;
      positions.push({
        strategy_id: s.strategy_id,
        exchange: r.exchange,
        tradingsymbol: r.tradingsymbol,
        product: r.product,
        quantity: s.quantity,
        position_id: r.id,
        average_price: last.average_price ?? 0,
        multiplier: last.multiplier ?? 1,
      });
    }
  }
  return { positions, lastPrice };
}

/** Instruments with an expiry date, by `EXCHANGE:SYMBOL`. */
export async function loadInstrumentExpiries(db: Kysely<Database>): Promise<Map<string, { expiry: string | null }>> {
  const rows = await db
    .selectFrom('instruments')
    .select(['exchange', 'tradingsymbol', 'expiry'])
    .where('expiry', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [`${r.exchange}:${r.tradingsymbol}`, { expiry: r.expiry }]));
}

/**
 * Archive one strategy's share of an expired position, at once: the position row archived
 * (its settlement P&L the sum of the shares'), the strategy's realised P&L moved, the share
 * closed, the audit and the log line.
 */
export async function archiveExpiredShare(
  db: Kysely<Database>,
  job: string,
  d: PositionArchive,
  at: Date,
): Promise<void> {
  const pnl = d.realised_pnl ?? 0;
  await db.transaction().execute(async (trx) => {
    if (d.position_id !== null) {
      const row = await trx
        .selectFrom('positions')
        .select('settlement_pnl')
        .where('id', '=', d.position_id)
        .executeTakeFirst();
      await trx
        .updateTable('positions')
        .set({ archived_at: at.toISOString(), settlement_pnl: (row?.settlement_pnl ?? 0) + pnl })
        .where('id', '=', d.position_id)
        .execute();
    }
    await trx
      .updateTable('strategies')
      .set((eb) => ({ realised_pnl: eb('realised_pnl', '+', pnl) }))
      .where('id', '=', d.strategy_id)
      .execute();
    if (d.quantity !== 0) {
      await applyShareAllocations(
        trx,
        [
          {
            strategy_id: d.strategy_id,
            exchange: d.exchange,
            tradingsymbol: d.tradingsymbol,
            product: d.product,
            quantity: -d.quantity,
            reason: 'adopted',
            explanation: `expired ${d.expiry}, settled at ${d.settlement_price ?? 'an unknown price'}`,
          },
        ],
        null,
        at,
      );
    }
    await appendAudit(trx, { type: 'POSITION_ARCHIVED', strategyId: d.strategy_id, payload: { ...d } }, at);
    await recordHousekeepingEvent(
      trx,
      {
        job,
        strategyId: d.strategy_id,
        action: 'archive position',
        reason: 'INSTRUMENT_EXPIRED',
        result:
          d.realised_pnl === null ? 'archived (no settlement price)' : `archived, settlement P&L ${d.realised_pnl}`,
        detail: { ...d },
      },
      at,
    );
  });
}
