import { type Kysely, sql } from 'kysely';

/**
 * The books kept at the end of each day and between reconciliation rounds:
 * - `reconcile_discrepancies`: the differences between som's books and the broker's that the
 *   last full round found, each with how many consecutive rounds found it and when it was
 *   escalated (src/reconcile/persistence.ts), so a difference that survives a restart is still
 *   counted and reported until a round no longer finds it;
 * - `eod_reports`: the end-of-day report of each trading day, as the JSON `som report eod`
 *   prints, written once the day's end-of-day run finished (a later run replaces it).
 * Frozen: later changes go in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table reconcile_discrepancies (
      id text primary key,
      first_seen text not null,
      last_seen text not null,
      rounds integer not null check (rounds > 0),
      escalated_at text
    )`.execute(db);
  await sql`
    create table eod_reports (
      trading_day text primary key,
      generated_at text not null,
      report text not null
    )`.execute(db);
}
