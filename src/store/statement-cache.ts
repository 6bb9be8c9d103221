import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared: somd's queries are a few hundred shapes, `IN` lists aside. */
export const STATEMENT_CACHE_SIZE = 512;

/**
 * The database as kysely's SQLite dialect sees it, with each SQL text prepared once. kysely
 * prepares every query it runs, and on a breach's path (state, alerts, square-off, audit, the
 * exit's intent) preparing was a good part of each write's cost. A statement is reused only
 * after its run has returned: som never streams a query (`iterate`), so none is left busy.
 * The least recently used text goes when the cache is full (queries with `IN` lists of every
 * length would otherwise grow it without end).
 */
export function withStatementCache(
  database: { prepare(sql: string): SqliteStatement; close(): unknown },
  size = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const prepared = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      let statement = prepared.get(sql);
      if (statement) {
        // Most recently used last: the first key is the one to drop.
        prepared.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (prepared.size >= size) prepared.delete(prepared.keys().next().value as string);
      }
      prepared.set(sql, statement);
      return statement;
    },
    close(): void {
      prepared.clear();
      database.close();
    },
  };
}
