import { type Kysely, sql } from 'kysely';

/**
 * The position basis and protection that holds across days:
 * - `strategy_positions`: each strategy's share of the account's net position per instrument
 *   and product (see src/domain/position-shares.ts), moved only by fills and by adoptions of
 *   what the broker reports; `position_allocations` records every move and why.
 * - `orders.allocated_quantity`: how much of the order's fills is already in the shares, so a
 *   fill is allocated once whatever the order of updates, restarts included.
 * - order roles gain `exit` (the user's own MARKET or marketable exit, never touched), and
 *   the housekeeping retry state of an order's cleanup.
 * - `gtts`: the account's GTT triggers, judged as protective orders.
 * Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table strategy_positions (
      strategy_id integer not null references strategies(id),
      exchange text not null,
      tradingsymbol text not null,
      product text not null,
      quantity integer not null,
      entry_seq integer not null,
      updated_at text not null,
      primary key (strategy_id, exchange, tradingsymbol, product)
    )`.execute(db);
  await sql`create index strategy_positions_instrument on strategy_positions (exchange, tradingsymbol, product)`.execute(
    db,
  );
  await sql`
    create table position_allocations (
      id integer primary key autoincrement,
      at text not null,
      strategy_id integer not null references strategies(id),
      exchange text not null,
      tradingsymbol text not null,
      product text not null,
      quantity integer not null,
      price real,
      order_id text,
      reason text not null check (reason in ('own', 'adds', 'hand-exit', 'reversal', 'adopted')),
      explanation text not null
    )`.execute(db);
  await sql`create index position_allocations_order on position_allocations (order_id)`.execute(db);
  await sql`create index position_allocations_strategy on position_allocations (strategy_id, at)`.execute(db);

  // SQLite cannot change a check constraint in place: the orders table is rebuilt from its own
  // definition with `exit` added to the roles, and its indexes made again.
  const { rows } = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = 'orders'`.execute(db);
  const definition = rows[0]?.sql;
  const oldCheck = "check (role in ('entry', 'stop', 'target'))";
  if (!definition?.includes(oldCheck)) throw new Error('the orders table does not have the expected role check');
  const rebuilt = definition
    .replace(oldCheck, "check (role in ('entry', 'stop', 'target', 'exit'))")
    .replace(/^CREATE TABLE "?orders"?/i, 'CREATE TABLE orders_rebuilt');
  await sql.raw(rebuilt).execute(db);
  await sql`insert into orders_rebuilt select * from orders`.execute(db);
  await sql`drop table orders`.execute(db);
  await sql`alter table orders_rebuilt rename to orders`.execute(db);
  await sql`create index orders_strategy on orders (strategy_id, status)`.execute(db);
  await sql`create index orders_tag on orders (tag)`.execute(db);
  await sql`create index orders_instrument on orders (exchange, tradingsymbol, product)`.execute(db);
  await sql`create index orders_oco on orders (oco_group_id) where oco_group_id is not null`.execute(db);

  for (const column of [
    'allocated_quantity integer not null default 0',
    'cleanup_attempts integer not null default 0',
    'cleanup_next_at text',
    'cleanup_last_error text',
  ]) {
    await sql.raw(`alter table orders add column ${column}`).execute(db);
  }
  // The shares start as the sum of every fill som has recorded, by the order's strategy; what
  // that does not explain is adopted from the broker's positions at the next refresh.
  await sql`
    insert into strategy_positions (strategy_id, exchange, tradingsymbol, product, quantity, entry_seq, updated_at)
    select strategy_id, exchange, tradingsymbol, product,
           sum(case when transaction_type = 'BUY' then filled_quantity else -filled_quantity end), 0,
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    from orders where filled_quantity > 0
    group by strategy_id, exchange, tradingsymbol, product
    having sum(case when transaction_type = 'BUY' then filled_quantity else -filled_quantity end) != 0`.execute(db);
  await sql`update orders set allocated_quantity = filled_quantity`.execute(db);

  await sql`
    create table gtts (
      gtt_id integer primary key,
      strategy_id integer not null references strategies(id),
      type text not null check (type in ('single', 'two-leg')),
      status text not null,
      exchange text not null,
      tradingsymbol text not null,
      instrument_token integer not null,
      product text not null,
      transaction_type text not null check (transaction_type in ('BUY', 'SELL')),
      quantity integer not null,
      trigger_values text not null,
      last_price real not null,
      broker_json text not null,
      roles text not null,
      role_reason text,
      is_orphaned integer not null default 0 check (is_orphaned in (0, 1)),
      orphaned_reason text,
      orphan_detected_at text,
      orphan_action text,
      cleanup_attempts integer not null default 0,
      cleanup_next_at text,
      cleanup_last_error text,
      created_at text not null,
      updated_at text not null
    )`.execute(db);
}
