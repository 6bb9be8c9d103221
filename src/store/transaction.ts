import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Run `work` inside `db` when it is a transaction already (the caller's, so the work commits or
 * rolls back with the caller's own writes), else inside a transaction of its own.
 */
export function inTransaction<T>(
  db: Kysely<Database> | Transaction<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}
