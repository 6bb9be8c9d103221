import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { SomError } from '../protocol/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

/** An open som database: kysely for queries, the raw handle for pragmas and close. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly path: string;
  schemaVersion(): number;
  sizeBytes(): number;
  /**
   * A mark that moves whenever a row changes, through this handle or another connection to the
   * file; null while a transaction is open (what it writes is not known yet). Two equal marks
   * mean a read taken at the first would return the same rows at the second, so a read kept in
   * memory under its mark may stand in for reading again.
   */
  changeMark(): string | null;
  close(): Promise<void>;
}

/**
 * Open (creating if needed) the SQLite file, set the pragmas som relies on and apply pending
 * migrations, each in its own transaction. A file written by a newer som is refused rather
 * than risked.
 */
export async function openStore(path: string): Promise<Store> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path);
  } catch (err) {
    throw new SomError('STORE_ERROR', `cannot open database ${path}: ${(err as Error).message}`);
  }
  try {
    sqlite.pragma('journal_mode = WAL');
    // FULL: an order intent must be on disk before the order leaves for the broker.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
  } catch (err) {
    sqlite.close();
    throw new SomError('STORE_ERROR', `database ${path} is not usable: ${(err as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  try {
    await migrate(db as unknown as Kysely<unknown>, sqlite, path);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // total_changes counts rows this handle changed (committed or not); data_version moves when
  // another connection commits.
  const marks = sqlite.prepare('select total_changes() as c, (select data_version from pragma_data_version()) as v');
  return {
    db,
    path,
    changeMark: () => {
      if (sqlite.inTransaction) return null;
      const m = marks.get() as { c: number; v: number };
      return `${m.c}:${m.v}`;
    },
    schemaVersion: () => sqlite.pragma('user_version', { simple: true }) as number,
    sizeBytes: () => fileSize(path) + fileSize(`${path}-wal`),
    close: () => db.destroy(),
  };
}

/** Read from the database once; rejects when it cannot be read (a damaged file, a lost disk). */
export async function probeStore(db: Kysely<Database>): Promise<void> {
  await db.selectFrom('strategies').select('id').limit(1).execute();
}

async function migrate(db: Kysely<unknown>, sqlite: BetterSqlite3.Database, path: string): Promise<void> {
  const current = sqlite.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw new SomError(
      'STORE_ERROR',
      `database ${path} has schema version ${current}, written by a newer som; this som knows up to ${LATEST_SCHEMA_VERSION}. ` +
        'Upgrade som, or point --home at another state directory.',
      { schemaVersion: current, supported: LATEST_SCHEMA_VERSION },
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    try {
      await db.transaction().execute(async (trx) => {
        await m.up(trx);
        await sql.raw(`pragma user_version = ${m.version}`).execute(trx);
      });
    } catch (err) {
      throw new SomError(
        'STORE_ERROR',
        `migration ${m.version} (${m.name}) failed on ${path}: ${(err as Error).message}`,
      );
    }
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
