import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/store/statement-cache.js';

describe('withStatementCache', () => {
  it('prepares each SQL text once, and a reused statement answers with the new parameters', () => {
    const sqlite = new BetterSqlite3(':memory:');
    let prepares = 0;
    const counted = {
      prepare: (sql: string) => {
        prepares++;
        return sqlite.prepare(sql);
      },
      close: () => sqlite.close(),
    };
    const db = withStatementCache(counted);
    db.prepare('create table t (a integer)').run([]);
    for (let i = 0; i < 3; i++) db.prepare('insert into t (a) values (?)').run([i]);
    expect(db.prepare('select a from t where a >= ? order by a').all([1])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(db.prepare('select a from t where a >= ? order by a').all([2])).toEqual([{ a: 2 }]);
    expect(prepares).toBe(3);
    db.close();
  });

  it('keeps at most its size, dropping the text used longest ago', () => {
    const sqlite = new BetterSqlite3(':memory:');
    const seen: string[] = [];
    const db = withStatementCache(
      {
        prepare: (sql: string) => {
          seen.push(sql);
          return sqlite.prepare(sql);
        },
        close: () => sqlite.close(),
      },
      2,
    );
    db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1'); // used again: select 2 is now the oldest
    db.prepare('select 3'); // full: select 2 goes
    db.prepare('select 1');
    db.prepare('select 2');
    expect(seen).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
    db.close();
  });
});
