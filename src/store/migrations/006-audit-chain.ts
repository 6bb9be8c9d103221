import { type Kysely, sql } from 'kysely';
import { type AuditChainRow, eventHash, GENESIS_HASH } from '../../audit/chain.js';

/**
 * The audit trail becomes a hash chain (src/audit/chain.ts): `prev_hash` and `hash` on every
 * event, the existing events chained in id order from the genesis hash. Events are never
 * updated, and deleted only by the retention prune: the prune's transaction writes the one
 * row of `audit_retention_unlock` naming the last id it removes, deletes, and removes the
 * row again; a delete at any other time, or beyond that id, is refused. This replaces the
 * fixed 7-year delete rule of migration 1 (the retention is configurable now). Frozen: later
 * changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger audit_events_no_update`.execute(db);
  await sql`drop trigger audit_events_retention`.execute(db);
  // Nullable: a row written around som (without the chain) is stored, and verification names it.
  await sql`alter table audit_events add column prev_hash text`.execute(db);
  await sql`alter table audit_events add column hash text`.execute(db);

  let prev = GENESIS_HASH;
  let after = 0;
  for (;;) {
    const { rows } = await sql<Omit<AuditChainRow, 'prev_hash' | 'hash'>>`
      select id, at, type, strategy_id, order_id, payload from audit_events
      where id > ${after} order by id limit 1000`.execute(db);
    if (rows.length === 0) break;
    for (const row of rows) {
      after = row.id;
      const h = eventHash(prev, row);
      // A payload that is not JSON was not written by som: left unchained, verification names it.
      if (!h.ok) continue;
      await sql`update audit_events set prev_hash = ${prev}, hash = ${h.hash} where id = ${row.id}`.execute(db);
      prev = h.hash;
    }
  }

  // Two events can never follow the same one: a second writer would fork the chain.
  await sql`create unique index audit_events_prev_hash on audit_events (prev_hash)`.execute(db);
  await sql`create index audit_events_type on audit_events (type, id)`.execute(db);

  await sql`
    create table audit_retention_unlock (
      id integer primary key check (id = 1),
      through_id integer not null
    )`.execute(db);
  await sql`
    create trigger audit_events_no_update before update on audit_events
    begin select raise(abort, 'audit_events is append-only: events are never changed'); end`.execute(db);
  await sql`
    create trigger audit_events_no_delete before delete on audit_events
    when not exists (select 1 from audit_retention_unlock where id = 1 and old.id <= through_id)
    begin select raise(abort, 'audit events are removed only by the retention prune'); end`.execute(db);
}
