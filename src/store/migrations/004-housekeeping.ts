import { type Kysely, sql } from 'kysely';

/**
 * Housekeeping: order roles (entry / stop / target, and how som decided), OCO groups, the
 * new per-strategy aging and overfill settings, and the housekeeping event log. Frozen: later
 * changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Existing strategies get the defaults of src/domain/strategy-settings.ts.
  for (const column of [
    'order_age_notify_minutes integer not null default 60 check (order_age_notify_minutes > 0)',
    'order_age_cancel_minutes integer not null default 240 check (order_age_cancel_minutes > 0)',
    'cancel_aged_orders integer not null default 0 check (cancel_aged_orders in (0, 1))',
    'order_age_archive_hours integer not null default 24 check (order_age_archive_hours > 0)',
    'flatten_on_overfill integer not null default 0 check (flatten_on_overfill in (0, 1))',
  ]) {
    await sql.raw(`alter table strategy_settings add column ${column}`).execute(db);
  }

  await sql`
    create table oco_groups (
      id integer primary key autoincrement,
      strategy_id integer not null references strategies(id),
      created_at text not null,
      created_by text not null check (created_by in ('som', 'user')),
      closed_at text,
      closed_reason text
    )`.execute(db);

  for (const column of [
    "role text check (role in ('entry', 'stop', 'target'))",
    'role_reason text',
    'oco_group_id integer references oco_groups(id)',
    'orphan_detected_at text',
    'orphan_action text',
    'archived_at text',
  ]) {
    await sql.raw(`alter table orders add column ${column}`).execute(db);
  }
  await sql`create index orders_oco on orders (oco_group_id) where oco_group_id is not null`.execute(db);

  // Positions in expired instruments are archived once, with their P&L at settlement, which
  // also lands in the owning strategy's realised P&L.
  await sql`alter table positions add column archived_at text`.execute(db);
  await sql`alter table positions add column settlement_pnl real`.execute(db);
  await sql`alter table strategies add column realised_pnl real not null default 0`.execute(db);

  await sql`
    create table housekeeping_events (
      id integer primary key autoincrement,
      at text not null,
      job text not null,
      strategy_id integer references strategies(id),
      order_id text,
      action text not null,
      reason text,
      result text not null,
      duration_ms real,
      detail text not null default '{}'
    )`.execute(db);
  await sql`create index housekeeping_events_at on housekeeping_events (at)`.execute(db);
  await sql`create index housekeeping_events_job on housekeeping_events (job, at)`.execute(db);
}
