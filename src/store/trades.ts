import { type Kysely, sql } from 'kysely';
import type { BrokerTrade } from '../domain/order.js';
import type { Database } from './schema.js';

/** A fill as stored: the broker's trade plus when som first recorded it. */
export type StoredTrade = BrokerTrade & { recorded_at: string };

/** Rows per INSERT: 12 columns each keeps a statement far below SQLite's bound-parameter limit. */
const INSERT_BATCH = 500;

/**
 * Record fills. A trade is identified by (exchange, trade_id), so the same fill seen again
 * (WebSocket, then GET /trades, then GET /orders/:id/trades) is stored once. Returns the
 * trades that were new, in the order given, so the caller audits and books each fill once.
 */
export async function insertTrades(
  db: Kysely<Database>,
  trades: readonly BrokerTrade[],
  now: Date,
): Promise<BrokerTrade[]> {
  if (trades.length === 0) return [];
  const at = now.toISOString();
  const inserted = new Set<string>();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < trades.length; i += INSERT_BATCH) {
      const rows = trades.slice(i, i + INSERT_BATCH).map((t) => ({
        trade_id: t.trade_id,
        order_id: t.order_id,
        exchange: t.exchange,
        tradingsymbol: t.tradingsymbol,
        instrument_token: t.instrument_token,
        product: t.product,
        transaction_type: t.transaction_type,
        quantity: t.quantity,
        average_price: t.average_price,
        exchange_order_id: t.exchange_order_id,
        fill_timestamp: t.fill_timestamp,
        exchange_timestamp: t.exchange_timestamp,
        recorded_at: at,
      }));
      // SQLite returns only the rows an upsert actually inserted.
      const added = await trx
        .insertInto('trades')
        .values(rows)
        .onConflict((oc) => oc.columns(['exchange', 'trade_id']).doNothing())
        .returning(['exchange', 'trade_id'])
        .execute();
      for (const r of added) inserted.add(tradeKey(r));
    }
  });
  // A trade repeated within `trades` is reported once, at its first position.
  const reported = new Set<string>();
  return trades.filter((t) => {
    const key = tradeKey(t);
    if (!inserted.has(key) || reported.has(key)) return false;
    reported.add(key);
    return true;
  });
}

function tradeKey(t: { exchange: string; trade_id: string }): string {
  return `${t.exchange}\u0000${t.trade_id}`;
}

export interface TradeFilter {
  orderId?: string | undefined;
}

/** Oldest first: by fill time, then in the order som recorded them. */
export async function listTrades(db: Kysely<Database>, filter: TradeFilter = {}): Promise<StoredTrade[]> {
  let q = db.selectFrom('trades').selectAll();
  if (filter.orderId !== undefined) q = q.where('order_id', '=', filter.orderId);
  const rows = await q
    .orderBy((eb) => eb.fn.coalesce('fill_timestamp', 'recorded_at'))
    .orderBy(sql`rowid`)
    .execute();
  return rows.map((r) => ({
    trade_id: r.trade_id,
    order_id: r.order_id,
    exchange_order_id: r.exchange_order_id,
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    instrument_token: r.instrument_token,
    product: r.product,
    transaction_type: r.transaction_type,
    quantity: r.quantity,
    average_price: r.average_price,
    fill_timestamp: r.fill_timestamp,
    exchange_timestamp: r.exchange_timestamp,
    recorded_at: r.recorded_at,
  }));
}
