import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { istInstant } from '../../src/market/ist.js';
import { linkCostEstimate } from '../../src/store/cost-breakdowns.js';
import { openStore } from '../../src/store/database.js';
import { loadHousekeeping } from '../../src/store/housekeeping-state.js';
import { watchedInstruments } from '../../src/store/orders.js';
import { intentTimes, workingEntries } from '../../src/store/risk.js';
import { chargesByStrategy, instrumentsByKey, loadSharesForPnl, openOrderCounts } from '../../src/store/risk-book.js';
import type { Database } from '../../src/store/schema.js';
import { loadRunPosition, runPositions, type SquareOffRun } from '../../src/store/square-off.js';

/**
 * Tables that gain rows with every order, fill and exit and are kept for years, and the
 * instrument list (about 100,000 rows from Kite).
 */
const HISTORY = [
  'instruments',
  'position_allocations',
  'square_off_exits',
  'square_off_runs',
  'order_intents',
  'order_cost_breakdown',
  'orders',
  'trades',
];

const DAY = '2026-11-25';
const AT = istInstant(DAY, '11:00');

/**
 * The reads a breach, a square-off's planning and each fill's risk update make must find their
 * rows through an index: a scan of years of history on the path from a breaching tick to its
 * exit costs milliseconds per read (about 7 ms at 100,000 allocations).
 */
describe('the risk and square-off reads on a store with history', () => {
  let dir: string;
  let sqlite: BetterSqlite3.Database;
  let db: Kysely<Database>;
  let statements: { sql: string; parameters: readonly unknown[] }[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-history-'));
    const path = join(dir, 'som.db');
    await (await openStore(path)).close();
    sqlite = new BetterSqlite3(path);
    statements = [];
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        if (event.level === 'query') statements.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Each statement's plan steps that read a history table whole: a SCAN, or a SEARCH that uses
   * no index (SQLite's min/max shortcut shows as one when it has no index to take).
   */
  const scans = () =>
    statements.flatMap(({ sql, parameters }) => {
      const partial = new Set(
        sqlite
          .prepare(`select name from sqlite_master where type = 'index' and sql like '% where %'`)
          .all()
          .map((row) => (row as { name: string }).name),
      );
      const tableOf = new Map(HISTORY.map((t) => [t, t]));
      for (const [, table, alias] of sql.matchAll(/"(\w+)" as "(\w+)"/g)) {
        if (HISTORY.includes(table!)) tableOf.set(alias!, table!);
      }
      const plan = sqlite
        .prepare(`explain query plan ${sql}`)
        .all(...(parameters as unknown[]))
        .map((row) => (row as { detail: string }).detail);
      return plan
        .filter((detail) => {
          const step = /^(SCAN|SEARCH) (\w+)/.exec(detail);
          if (!step || !tableOf.has(step[2]!)) return false;
          // A walk of a partial index reads only the rows it holds (working orders, say).
          const index = / USING (?:COVERING )?INDEX (\w+)/.exec(detail)?.[1];
          if (index !== undefined && partial.has(index)) return false;
          return step[1] === 'SCAN' || !detail.includes(' USING ');
        })
        .map((detail) => `${detail}: ${sql}`);
    });

  it('plan a square-off position through indexes', async () => {
    const run: SquareOffRun = {
      id: 1,
      strategy_id: 1,
      cause: 'loss_limit',
      products: null,
      exchanges: null,
      started_at: AT.toISOString(),
      escalate_at: AT.toISOString(),
      status: 'running',
      finished_at: null,
      note: null,
    };
    const where = { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS' };
    await runPositions(db, run);
    await loadRunPosition(db, run, where);
    expect(statements.length).toBeGreaterThan(4);
    expect(scans()).toEqual([]);
  });

  it("load the day's moves, charges, new orders and instruments through indexes", async () => {
    // A share with no broker position: its instrument token is looked up by symbol.
    sqlite.prepare(`insert into strategies (name, profile, created_at) values ('s', 'default', ?)`).run(DAY);
    sqlite
      .prepare(
        `insert into strategy_positions (strategy_id, exchange, tradingsymbol, product, quantity, entry_seq, updated_at)
         values (1, 'NSE', 'SBIN', 'MIS', 10, 1, ?)`,
      )
      .run(DAY);
    const since = istInstant(DAY, '00:00').toISOString();
    await loadSharesForPnl(db, since);
    await loadSharesForPnl(db, since, { exchange: 'NSE', tradingsymbol: 'SBIN' });
    await chargesByStrategy(db, DAY);
    await intentTimes(db, since);
    await instrumentsByKey(db, ['NFO:NIFTY26DECFUT', 'NSE:SBIN']);
    expect(statements.some((s) => s.sql.includes('from "instruments"'))).toBe(true);
    expect(statements.length).toBeGreaterThan(5);
    expect(scans()).toEqual([]);
  });

  it('find working orders through the index of working orders', async () => {
    await watchedInstruments(db);
    await openOrderCounts(db);
    await workingEntries(db, [1, 2]);
    await loadHousekeeping(db);
    expect(statements.filter((s) => s.sql.includes('from "orders"')).length).toBeGreaterThan(3);
    expect(scans()).toEqual([]);
  });

  it('link a placed order to its cost estimate through an index', async () => {
    await linkCostEstimate(db, 's1-abc', '250101000000001');
    expect(statements.length).toBeGreaterThan(0);
    expect(scans()).toEqual([]);
  });

  it('name a scan when there is one (the check itself)', async () => {
    await db.selectFrom('position_allocations').select('id').where('explanation', '=', 'x').execute();
    expect(scans()).toHaveLength(1);
  });
});
