import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/domain/strategy-settings.js';
import { raiseAlert } from '../../src/store/alerts.js';
import { appendAudit, listAudit } from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/database.js';
import { getEodReport, loadEodInputs } from '../../src/store/eod.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations/index.js';
import { readSettings, updateSettings } from '../../src/store/settings.js';
import { createStrategy, ensureDefaultStrategy, findStrategy, listStrategies } from '../../src/store/strategies.js';

const AT = new Date('2026-11-25T04:00:00.000Z');

describe('store', () => {
  let dir: string;
  let path: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-store-'));
    path = join(dir, 'som.db');
    store = await openStore(path);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies migrations and sets WAL, foreign keys and full sync', () => {
    expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it("the change mark stands while nothing changes and moves on any write, this handle's or another connection's", async () => {
    await ensureDefaultStrategy(store.db, AT);
    const first = store.changeMark();
    expect(first).not.toBeNull();
    await listStrategies(store.db);
    expect(store.changeMark()).toBe(first);
    // An update that changes no row leaves it where it was.
    await store.db.updateTable('strategies').set({ name: 'x' }).where('id', '=', -1).execute();
    expect(store.changeMark()).toBe(first);
    await createStrategy(store.db, 'swing', 'default', AT);
    const second = store.changeMark();
    expect(second).not.toBe(first);
    await store.db.deleteFrom('strategies').where('name', '=', 'swing').execute();
    const third = store.changeMark();
    expect(third).not.toBe(second);
    const other = new BetterSqlite3(path);
    other.prepare("update strategies set name = 'other' where name = 'default'").run();
    other.close();
    expect(store.changeMark()).not.toBe(third);
  });

  it('the change mark is null while a transaction is open: its writes are not known yet', async () => {
    const marks: (string | null)[] = [];
    await store.db.transaction().execute(async (trx) => {
      marks.push(store.changeMark());
      await trx.selectFrom('strategies').select('id').execute();
      marks.push(store.changeMark());
    });
    expect(marks).toEqual([null, null]);
    expect(store.changeMark()).not.toBeNull();
  });

  it('reopening an up-to-date store changes nothing', async () => {
    await createStrategy(store.db, 'a', 'default', AT);
    await store.close();
    store = await openStore(path);
    expect((await listStrategies(store.db)).map((s) => s.name)).toEqual(['a']);
  });

  it('refuses a store written by a newer version, and leaves it untouched', async () => {
    await store.close();
    const raw = new BetterSqlite3(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    await expect(openStore(path)).rejects.toMatchObject({ code: 'STORE_ERROR', message: /newer som/ });
    const check = new BetterSqlite3(path);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    check.close();
    store = await openStore(join(dir, 'other.db'));
  });

  it('ensureDefaultStrategy creates default once', async () => {
    expect(await ensureDefaultStrategy(store.db, AT)).not.toBeNull();
    expect(await ensureDefaultStrategy(store.db, AT)).toBeNull();
    expect((await listStrategies(store.db)).filter((s) => s.name === 'default')).toHaveLength(1);
  });

  it('stores each profile and reads it back exactly, found by name in any case or by id', async () => {
    const row = await createStrategy(store.db, 'Swing', 'conservative', AT);
    expect(await readSettings(store.db, row.id)).toEqual(PROFILES.conservative);
    expect((await findStrategy(store.db, 'swing')).id).toBe(row.id);
    expect((await findStrategy(store.db, row.id)).name).toBe('Swing');
    await expect(findStrategy(store.db, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(createStrategy(store.db, 'SWING', 'default', AT)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('updates settings and reports only real changes', async () => {
    const row = await createStrategy(store.db, 's', 'default', AT);
    const r = await updateSettings(store.db, row.id, { margin_buffer_pct: 12.5, auto_cleanup_enabled: true }, AT);
    expect(r.changed).toEqual([{ key: 'margin_buffer_pct', from: 10, to: 12.5 }]);
    expect((await readSettings(store.db, row.id)).margin_buffer_pct).toBe(12.5);
  });

  it('CHECK constraints keep nonsense out even when written around the schema', async () => {
    const row = await createStrategy(store.db, 's', 'default', AT);
    await expect(
      store.db
        .updateTable('strategy_settings')
        .set({ max_orders_per_minute: 0 })
        .where('strategy_id', '=', row.id)
        .execute(),
    ).rejects.toThrow(/CHECK/);
    await expect(
      store.db
        .updateTable('strategy_settings')
        .set({ auto_cleanup_enabled: 2 })
        .where('strategy_id', '=', row.id)
        .execute(),
    ).rejects.toThrow(/CHECK/);
  });

  it('the audit trail is append-only: no update, and no delete outside the retention prune', async () => {
    const row = await createStrategy(store.db, 's', 'default', AT);
    const id = await appendAudit(
      store.db,
      { type: 'SETTINGS_UPDATED', strategyId: row.id, orderId: 'O1', payload: { a: 1 } },
      AT,
    );
    await expect(
      store.db.updateTable('audit_events').set({ type: 'X' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('audit_events').where('id', '=', id).execute()).rejects.toThrow(/retention prune/);
    // However old: only the prune removes events (test/store/audit-chain.test.ts).
    const old = await appendAudit(store.db, { type: 'DAEMON_STARTED' }, new Date('2018-01-01T00:00:00Z'));
    await expect(store.db.deleteFrom('audit_events').where('id', '=', old).execute()).rejects.toThrow(
      /retention prune/,
    );
    const events = await listAudit(store.db, { orderId: 'O1', limit: 10 });
    expect(events).toEqual([
      { id, at: AT.toISOString(), type: 'SETTINGS_UPDATED', strategy: 's', order_id: 'O1', payload: { a: 1 } },
    ]);
  });

  it('filters the audit trail by strategy, type and time, newest first', async () => {
    const a = await createStrategy(store.db, 'a', 'default', AT);
    const b = await createStrategy(store.db, 'b', 'default', AT);
    await appendAudit(store.db, { type: 'STRATEGY_CREATED', strategyId: a.id }, new Date('2026-11-25T04:00:00Z'));
    await appendAudit(store.db, { type: 'SETTINGS_UPDATED', strategyId: a.id }, new Date('2026-11-25T05:00:00Z'));
    await appendAudit(store.db, { type: 'SETTINGS_UPDATED', strategyId: b.id }, new Date('2026-11-25T06:00:00Z'));
    expect((await listAudit(store.db, { strategyId: a.id, limit: 10 })).map((e) => e.type)).toEqual([
      'SETTINGS_UPDATED',
      'STRATEGY_CREATED',
    ]);
    expect((await listAudit(store.db, { type: 'settings_updated', limit: 10 })).map((e) => e.strategy)).toEqual([
      'b',
      'a',
    ]);
    expect(
      (await listAudit(store.db, { since: '2026-11-25T10:30:00+05:30', limit: 10 })).map((e) => e.strategy),
    ).toEqual(['b', 'a']);
    expect(await listAudit(store.db, { limit: 1 })).toHaveLength(1);
  });
});

describe('migrations', () => {
  it('are numbered 1, 2, 3, ... without gaps; the latest is the last', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it("bring a store of every earlier version up to the latest: user_alerts, held orders, the books' tables", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-upgrade-'));
    try {
      for (let from = 1; from < LATEST_SCHEMA_VERSION; from++) {
        const path = join(dir, `v${from}.db`);
        const raw = new BetterSqlite3(path);
        const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
        for (const m of MIGRATIONS.filter((x) => x.version <= from)) {
          await db.transaction().execute(async (trx) => {
            await m.up(trx);
            await sql.raw(`pragma user_version = ${m.version}`).execute(trx);
          });
        }
        await db.destroy();
        const store = await openStore(path);
        try {
          expect(store.schemaVersion(), `from ${from}`).toBe(LATEST_SCHEMA_VERSION);
          const tables = (
            await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(store.db)
          ).rows.map((r) => r.name);
          expect(tables, `from ${from}`).toEqual(
            expect.arrayContaining(['user_alerts', 'held_orders', 'reconcile_discrepancies', 'eod_reports']),
          );
          expect(tables, `from ${from}`).not.toContain('alerts');
        } finally {
          await store.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the end of day reads the day's alerts from user_alerts", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-eod-alerts-'));
    const store = await openStore(join(dir, 'som.db'));
    try {
      await raiseAlert(store.db, { type: 'LOGIN_REQUIRED', priority: 'high', title: 'log in', message: 'm' }, AT);
      const inputs = await loadEodInputs(store.db, '2026-11-25', {
        generatedAt: AT,
        preliminary: true,
        brokerOrderIds: null,
      });
      expect(inputs.alerts).toEqual([
        { at: AT.toISOString(), type: 'LOGIN_REQUIRED', priority: 'high', strategy_id: null, title: 'log in' },
      ]);
      expect(await getEodReport(store.db, '2026-11-25')).toBeUndefined();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
