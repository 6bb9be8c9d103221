import { type Kysely, sql } from 'kysely';

/**
 * What each order som places was expected to cost (kind `estimate`, computed before it was
 * sent and linked from orders.cost_breakdown_id) and what its fills did cost (kind `actual`,
 * recomputed on every fill; the strategy's brokerage and tax totals move by the difference).
 * Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table order_cost_breakdown (
      id integer primary key autoincrement,
      kind text not null check (kind in ('estimate', 'actual')),
      strategy_id integer not null references strategies(id),
      tag text,
      order_id text,
      trade_date text not null,
      exchange text not null,
      tradingsymbol text not null,
      side text not null check (side in ('BUY', 'SELL')),
      product text not null,
      quantity real not null,
      price real not null,
      order_value real not null,
      brokerage real not null,
      transaction_tax real not null,
      transaction_tax_type text not null,
      exchange_turnover_charge real not null,
      sebi_turnover_charge real not null,
      stamp_duty real not null,
      gst real not null,
      total real not null,
      margin_required real,
      margin_available real,
      created_at text not null,
      updated_at text not null
    )`.execute(db);
  await sql`create index order_cost_breakdown_order on order_cost_breakdown (order_id, kind)`.execute(db);
  await sql`create unique index order_cost_breakdown_actual on order_cost_breakdown (order_id) where kind = 'actual'`.execute(
    db,
  );
}
