import { type Kysely, sql } from 'kysely';

/**
 * The risk engine:
 * - `risk_states`: the trading state of each strategy and of the account (ACTIVE, REDUCING,
 *   HALTED), why, since when, the loss limits a forced resume acknowledged, the last
 *   evaluation of its limits, and the peak margin a strategy blocked today (the % loss basis);
 * - `risk_breaches`: every limit that reached its warning level or breached, and what som did;
 * - `square_off_runs` and `square_off_exits`: each square-off (loss limit, kill switch, MIS
 *   timetable) and every exit order it recorded before sending it, by tag;
 * - `mis_steps`: the MIS timetable steps taken each day, so each is taken once;
 * - `pnl_snapshots`: P&L per strategy and for the account with positions, Greeks and the
 *   inputs they were valued on;
 * - the strategy setting `auto_square_off_mis` (on: som squares off MIS before the broker).
 * Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table strategy_settings add column
      auto_square_off_mis integer not null default 1 check (auto_square_off_mis in (0, 1))`.execute(db);

  await sql`
    create table risk_states (
      scope text primary key,
      strategy_id integer references strategies(id),
      state text not null check (state in ('ACTIVE', 'REDUCING', 'HALTED')),
      reason text,
      trading_day text not null,
      since text not null,
      acknowledged text not null default '[]',
      note text,
      limits text not null default '[]',
      margin_basis real not null default 0,
      margin_basis_day text,
      updated_at text not null,
      check ((scope = 'account' and strategy_id is null) or scope = 'strategy:' || strategy_id)
    )`.execute(db);

  await sql`
    create table risk_breaches (
      id integer primary key autoincrement,
      at text not null,
      trading_day text not null,
      strategy_id integer references strategies(id),
      limit_key text not null,
      level text not null check (level in ('warn', 'breach')),
      limit_value real not null,
      value real not null,
      subject text,
      action text not null,
      square_off_run_id integer references square_off_runs(id)
    )`.execute(db);
  await sql`create index risk_breaches_at on risk_breaches (at)`.execute(db);

  await sql`
    create table square_off_runs (
      id integer primary key autoincrement,
      strategy_id integer not null references strategies(id),
      cause text not null check (cause in ('loss_limit', 'kill_switch', 'mis_start', 'mis_force')),
      products text,
      exchanges text,
      started_at text not null,
      escalate_at text not null,
      status text not null check (status in ('running', 'done')),
      finished_at text,
      note text
    )`.execute(db);
  await sql`create index square_off_runs_status on square_off_runs (status, strategy_id)`.execute(db);

  await sql`
    create table square_off_exits (
      tag text primary key,
      run_id integer not null references square_off_runs(id),
      strategy_id integer not null references strategies(id),
      exchange text not null,
      tradingsymbol text not null,
      product text not null,
      transaction_type text not null check (transaction_type in ('BUY', 'SELL')),
      order_type text not null,
      quantity integer not null check (quantity > 0),
      price real,
      state text not null check (state in ('intent', 'sent', 'unknown', 'failed')),
      order_id text,
      modifications integer not null default 0,
      error text,
      created_at text not null,
      updated_at text not null
    )`.execute(db);
  await sql`create index square_off_exits_run on square_off_exits (run_id)`.execute(db);
  await sql`create index square_off_exits_order on square_off_exits (order_id)`.execute(db);

  await sql`
    create table mis_steps (
      date text not null,
      segment text not null check (segment in ('equity', 'fno', 'currency', 'commodity')),
      step text not null check (step in ('warn', 'start', 'force')),
      taken_at text not null,
      summary text not null,
      primary key (date, segment, step)
    )`.execute(db);

  await sql`
    create table pnl_snapshots (
      id integer primary key autoincrement,
      at text not null,
      trading_day text not null,
      strategy_id integer references strategies(id),
      trigger text not null check (trigger in ('interval', 'fill', 'manual')),
      realised real not null,
      unrealised real not null,
      charges real not null,
      net real not null,
      margin_used real,
      open_orders integer not null,
      positions text not null,
      greeks text not null,
      net_delta real not null,
      net_gamma real not null,
      net_theta real not null,
      net_vega real not null
    )`.execute(db);
  await sql`create index pnl_snapshots_day on pnl_snapshots (trading_day, strategy_id, at)`.execute(db);
}
