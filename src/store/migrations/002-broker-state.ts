import { type Kysely, sql } from 'kysely';

/**
 * The account as the broker knows it: the instrument master, orders (every order the account
 * has, wherever it was placed), their trades, net positions, the intents som records before
 * it sends an order, and user alerts. Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table instruments (
      instrument_token integer primary key,
      exchange_token integer not null,
      tradingsymbol text not null,
      name text not null,
      last_price real not null,
      expiry text,
      strike real not null,
      tick_size real not null check (tick_size >= 0),
      lot_size integer not null check (lot_size >= 0),
      instrument_type text not null,
      segment text not null,
      exchange text not null,
      unique (exchange, tradingsymbol)
    )`.execute(db);
  await sql`create index instruments_name on instruments (name)`.execute(db);
  await sql`
    create table instrument_downloads (
      id integer primary key autoincrement,
      at text not null,
      trading_day text not null,
      count integer not null,
      source text not null
    )`.execute(db);

  // One row per (intent) tag, written before the order is sent: after a crash or time-out
  // the broker's order book is searched for the tag before anything is resent.
  await sql`
    create table order_intents (
      tag text primary key,
      strategy_id integer not null references strategies(id),
      request text not null,
      state text not null check (state in ('pending', 'placed', 'failed', 'unknown')),
      order_id text,
      error text,
      attempts integer not null default 0,
      created_at text not null,
      updated_at text not null
    )`.execute(db);
  await sql`create index order_intents_state on order_intents (state)`.execute(db);

  await sql`
    create table orders (
      order_id text primary key,
      strategy_id integer not null references strategies(id),
      source text not null check (source in ('som', 'external')),
      tag text,
      exchange text not null,
      tradingsymbol text not null,
      instrument_token integer not null,
      transaction_type text not null check (transaction_type in ('BUY', 'SELL')),
      order_type text not null,
      product text not null,
      variety text not null,
      validity text not null,
      quantity real not null,
      price real not null,
      trigger_price real not null,
      average_price real not null,
      filled_quantity real not null,
      pending_quantity real not null,
      cancelled_quantity real not null,
      status text not null,
      status_message text,
      parent_order_id text,
      exchange_order_id text,
      placed_by text,
      order_timestamp text,
      exchange_timestamp text,
      exchange_update_timestamp text,
      broker_json text not null,
      pre_execution_analysis_id integer,
      cost_breakdown_id integer,
      is_orphaned integer not null default 0 check (is_orphaned in (0, 1)),
      orphaned_reason text,
      parent_position_id integer references positions(id),
      created_at text not null,
      updated_at text not null
    )`.execute(db);
  await sql`create index orders_strategy on orders (strategy_id, status)`.execute(db);
  await sql`create index orders_tag on orders (tag)`.execute(db);
  await sql`create index orders_instrument on orders (exchange, tradingsymbol, product)`.execute(db);

  await sql`
    create table trades (
      trade_id text not null,
      order_id text not null,
      exchange text not null,
      tradingsymbol text not null,
      instrument_token integer not null,
      product text not null,
      transaction_type text not null check (transaction_type in ('BUY', 'SELL')),
      quantity real not null,
      average_price real not null,
      exchange_order_id text,
      fill_timestamp text,
      exchange_timestamp text,
      recorded_at text not null,
      primary key (exchange, trade_id)
    )`.execute(db);
  await sql`create index trades_order on trades (order_id)`.execute(db);

  // The account's net positions, one row per instrument and product, kept after they go
  // flat so orders can name the position they protected (orders.parent_position_id).
  await sql`
    create table positions (
      id integer primary key autoincrement,
      exchange text not null,
      tradingsymbol text not null,
      instrument_token integer not null,
      product text not null,
      quantity real not null,
      overnight_quantity real not null,
      multiplier real not null,
      average_price real not null,
      last_price real not null,
      pnl real not null,
      realised real not null,
      unrealised real not null,
      m2m real not null,
      buy_quantity real not null,
      sell_quantity real not null,
      broker_json text not null,
      updated_at text not null,
      unique (exchange, tradingsymbol, product)
    )`.execute(db);

  await sql`
    create table alerts (
      id integer primary key autoincrement,
      at text not null,
      type text not null,
      priority text not null check (priority in ('low', 'normal', 'high', 'critical')),
      strategy_id integer references strategies(id),
      order_id text,
      title text not null,
      message text not null,
      payload text not null default '{}',
      dedupe_key text,
      read_at text,
      resolved_at text
    )`.execute(db);
  // An open alert about the same thing is not raised twice (the token stays expired all night).
  await sql`create unique index alerts_open_dedupe on alerts (dedupe_key) where resolved_at is null and dedupe_key is not null`.execute(
    db,
  );
}
