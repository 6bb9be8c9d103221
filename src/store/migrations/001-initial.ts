import { type Kysely, sql } from 'kysely';

/**
 * Strategies, their settings (one typed column per key, so a bad value cannot be stored),
 * and the append-only audit trail. Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('strategies')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // NOCASE: `Swing` and `swing` are one strategy, found either way.
    .addColumn('name', 'text', (c) => c.notNull().unique().modifyEnd(sql`collate nocase`))
    .addColumn('profile', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('total_brokerage_paid', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('total_taxes_paid', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('total_margin_blocked', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('risk_status', 'text', (c) =>
      c.notNull().defaultTo('OK').check(sql`risk_status in ('OK', 'WARNING', 'BREACHED', 'HALTED')`),
    )
    .addColumn('last_housekeeping_run', 'text')
    .execute();

  const flag = (name: string) => sql.raw(`${name} integer not null check (${name} in (0, 1))`);
  const real = (name: string) => sql.raw(`${name} real not null check (${name} >= 0)`);
  const positiveInt = (name: string) => sql.raw(`${name} integer not null check (${name} > 0)`);
  await sql`
    create table strategy_settings (
      strategy_id integer primary key references strategies(id) on delete cascade,
      ${flag('auto_cleanup_enabled')},
      ${flag('cleanup_sl_on_exit')},
      ${flag('cleanup_target_on_exit')},
      ${flag('allow_orphaned_orders')},
      ${flag('notify_on_orphan_detection')},
      ${real('max_order_spread_pct')},
      ${real('min_liquidity_score')},
      ${flag('require_user_approval_high_impact')},
      ${real('max_market_impact_bps')},
      ${real('margin_buffer_pct')},
      ${real('max_margin_utilization_pct')},
      ${real('max_loss_per_strategy_pct')},
      ${real('max_loss_per_strategy_abs')},
      ${flag('auto_square_off_on_loss_limit')},
      ${positiveInt('max_position_size_per_instrument')},
      ${positiveInt('max_orders_per_minute')},
      updated_at text not null
    )`.execute(db);

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('strategy_id', 'integer', (c) => c.references('strategies.id'))
    .addColumn('order_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema.createIndex('audit_events_strategy').on('audit_events').columns(['strategy_id', 'at']).execute();
  await db.schema.createIndex('audit_events_order').on('audit_events').columns(['order_id', 'at']).execute();

  // The trail is append-only: no update ever, and no delete of an event younger than the
  // 7-year retention (a retention job may remove older ones).
  await sql`
    create trigger audit_events_no_update before update on audit_events
    begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
  await sql`
    create trigger audit_events_retention before delete on audit_events
    when old.at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-7 years')
    begin select raise(abort, 'audit events are kept for 7 years'); end`.execute(db);
}
