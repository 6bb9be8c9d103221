import { type Kysely, sql } from 'kysely';

/**
 * Smart execution:
 * - `alerts` becomes `user_alerts` (its open-dedupe index is made again under the new name);
 * - `order_execution_analysis`: every market analysis som makes, with the depth it used, the
 *   arrival mid, spread, impact, liquidity, decision and reasons; linked from
 *   `orders.pre_execution_analysis_id` for the orders som sent;
 * - `held_orders` and `held_order_responses`: orders (or whole baskets) held for the user, the
 *   alert that asks, its deadline, and every answer with when and how long it took;
 * - `brackets` and `bracket_pairs`: an entry with a stop and a target to place as it fills, and
 *   each OCO pair placed for it, by tag, so that a restart neither loses nor repeats one.
 * Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index alerts_open_dedupe`.execute(db);
  await sql`alter table alerts rename to user_alerts`.execute(db);
  await sql`create unique index user_alerts_open_dedupe on user_alerts (dedupe_key) where resolved_at is null and dedupe_key is not null`.execute(
    db,
  );

  await sql`
    create table order_execution_analysis (
      id integer primary key autoincrement,
      at text not null,
      purpose text not null check (purpose in ('analyze', 'spread', 'impact', 'preview', 'trade', 'recheck', 'place')),
      strategy_id integer references strategies(id),
      tag text,
      order_id text,
      exchange text not null,
      tradingsymbol text not null,
      side text not null check (side in ('BUY', 'SELL')),
      quantity integer not null,
      product text,
      instrument_class text,
      depth_source text,
      depth_at text,
      depth text,
      last_price real,
      bid real,
      ask real,
      arrival_mid real,
      spread_abs real,
      spread_pct real,
      spread_ticks integer,
      spread_category text,
      impact_status text,
      impact_vwap real,
      impact_bps real,
      impact_bps_vs_touch real,
      levels_used integer,
      impact_filled_quantity integer,
      impact_unfilled_quantity integer,
      slippage real,
      liquidity_score real,
      liquidity_category text,
      decision text check (decision in ('EXECUTE_MARKET', 'EXECUTE_LIMIT', 'ALERT_USER_HIGH_COST', 'REQUIRE_APPROVAL')),
      hold integer check (hold in (0, 1)),
      limit_price real,
      reasons text not null default '[]',
      settings text not null default '{}',
      analysis text,
      error_code text,
      error_message text
    )`.execute(db);
  await sql`create index order_execution_analysis_tag on order_execution_analysis (tag)`.execute(db);
  await sql`create index order_execution_analysis_order on order_execution_analysis (order_id)`.execute(db);
  await sql`create index order_execution_analysis_at on order_execution_analysis (at)`.execute(db);

  await sql`
    create table held_orders (
      id integer primary key autoincrement,
      created_at text not null,
      strategy_id integer not null references strategies(id),
      state text not null check (state in ('held', 'cancelled', 'expired', 'sent', 'failed')),
      trade text not null,
      decision text not null,
      analysis_ids text not null,
      alert_id integer,
      asked_at text not null,
      expires_at text not null,
      times_asked integer not null default 1,
      outcome text,
      order_ids text not null default '[]',
      updated_at text not null
    )`.execute(db);
  await sql`create index held_orders_state on held_orders (state, expires_at)`.execute(db);
  await sql`create index held_orders_alert on held_orders (alert_id)`.execute(db);
  await sql`
    create table held_order_responses (
      id integer primary key autoincrement,
      held_order_id integer not null references held_orders(id),
      alert_id integer,
      at text not null,
      choice text not null check (choice in ('cancel', 'limit', 'proceed')),
      response_ms integer not null,
      outcome text not null
    )`.execute(db);
  await sql`create index held_order_responses_held on held_order_responses (held_order_id)`.execute(db);

  await sql`
    create table brackets (
      id integer primary key autoincrement,
      created_at text not null,
      strategy_id integer not null references strategies(id),
      entry_tag text not null unique,
      exchange text not null,
      tradingsymbol text not null,
      product text not null,
      side text not null check (side in ('BUY', 'SELL')),
      quantity integer not null,
      stop real not null,
      target real not null,
      state text not null check (state in ('open', 'done')),
      closed_reason text,
      updated_at text not null
    )`.execute(db);
  await sql`create index brackets_state on brackets (state)`.execute(db);
  await sql`
    create table bracket_pairs (
      id integer primary key autoincrement,
      bracket_id integer not null references brackets(id),
      quantity integer not null,
      stop_tag text not null unique,
      target_tag text not null unique,
      oco_group_id integer,
      grows integer not null default 0,
      alerted integer not null default 0 check (alerted in (0, 1)),
      created_at text not null,
      updated_at text not null
    )`.execute(db);
  await sql`create index bracket_pairs_bracket on bracket_pairs (bracket_id)`.execute(db);
}
