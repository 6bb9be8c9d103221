import { type Kysely, sql } from 'kysely';

/**
 * Indexes for the reads the risk engine and the square-off engine make on tables that grow
 * with every order and fill and are kept for years. Without them each read scanned the whole
 * history: at 100,000 allocations the last fill of one instrument took about 7 ms to find, on
 * the path from a breaching tick to its first exit.
 * - `position_allocations` by instrument (the last fill a square-off plans on, and one
 *   instrument's moves after a fill) and by time (the day's moves the risk book loads);
 * - `square_off_exits` by instrument (other square-offs' exits still able to fill);
 * - `order_intents` by time (the day's new orders, for the order-rate limits);
 * - `order_cost_breakdown` by trade date (the day's charges, read again after each fill) and by
 *   tag (the estimate each placed order is linked to);
 * - `orders` still working (partial): the sweep, the streamed instruments after each position
 *   refresh, open orders per strategy, a strategy's working entries. Its condition names the
 *   statuses as literals, as the reads do (src/store/open-orders.ts): SQLite takes a partial
 *   index only for the same condition.
 * Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index position_allocations_instrument on position_allocations (exchange, tradingsymbol, product, at)`.execute(
    db,
  );
  await sql`create index position_allocations_at on position_allocations (at)`.execute(db);
  await sql`create index square_off_exits_instrument on square_off_exits (exchange, tradingsymbol, product)`.execute(
    db,
  );
  await sql`create index order_intents_created on order_intents (created_at)`.execute(db);
  await sql`create index order_cost_breakdown_day on order_cost_breakdown (trade_date, kind)`.execute(db);
  await sql`create index order_cost_breakdown_tag on order_cost_breakdown (tag)`.execute(db);
  await sql`
    create index orders_open on orders (strategy_id, instrument_token)
    where "status" not in ('COMPLETE', 'CANCELLED', 'REJECTED')`.execute(db);
}
