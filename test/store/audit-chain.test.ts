import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../../src/audit/chain.js';
import { parseExport } from '../../src/audit/export.js';
import { planAuditPrune, retentionCutoff } from '../../src/audit/retention.js';
import { AUDIT_PRUNED } from '../../src/audit/trail-events.js';
import { verifyChain } from '../../src/audit/verify.js';
import {
  appendAudit,
  exportAudit,
  lastAuditExport,
  lastAuditPrune,
  prunableAudit,
  pruneAudit,
  recordAuditExport,
  verifyAuditTrail,
} from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/database.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations/index.js';

const AT = new Date('2026-11-25T04:00:00.000Z');
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);

interface RawRow {
  id: number;
  at: string;
  type: string;
  strategy_id: number | null;
  order_id: string | null;
  payload: string;
  prev_hash: string | null;
  hash: string | null;
}

describe('the audit trail as a hash chain in SQLite', () => {
  let dir: string;
  let path: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-audit-'));
    path = join(dir, 'som.db');
    store = await openStore(path);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function appendSome(n: number, from = 0): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(
        await appendAudit(
          store.db,
          { type: 'SETTINGS_UPDATED', strategyId: null, orderId: `O${from + i}`, payload: { i: from + i, x: 0.1 } },
          minutes(from + i),
        ),
      );
    }
    return ids;
  }

  /** Edit the file as an attacker would: another connection, the triggers dropped first. */
  async function tamper(statements: (raw: BetterSqlite3.Database) => void): Promise<void> {
    await store.close();
    const raw = new BetterSqlite3(path);
    raw.exec('drop trigger audit_events_no_update; drop trigger audit_events_no_delete;');
    statements(raw);
    raw.close();
    store = await openStore(path);
  }

  const rawRows = (): RawRow[] => {
    const raw = new BetterSqlite3(path, { readonly: true });
    const rows = raw.prepare('select * from audit_events order by id').all() as RawRow[];
    raw.close();
    return rows;
  };

  it('each event records the hash before it and its own, computed over its stored fields', async () => {
    await appendSome(3);
    const rows = rawRows();
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (i > 0) expect(r.prev_hash).toBe(rows[i - 1]!.hash);
      expect(eventHash(r.prev_hash!, r)).toEqual({ ok: true, hash: r.hash });
    }
    // The payload is stored as canonical JSON.
    expect(rows[0]!.payload).toBe('{"i":0,"x":0.1}');
    expect(await verifyAuditTrail(store.db)).toEqual({
      intact: true,
      start: { kind: 'genesis' },
      rows: 3,
      head: { id: 3, hash: rows[2]!.hash },
    });
  });

  it('events appended at the same time still form one chain', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => appendAudit(store.db, { type: 'HEALTH_RECOVERED', payload: { i } }, AT)),
    );
    expect(await verifyAuditTrail(store.db)).toMatchObject({ intact: true, rows: 40 });
  });

  it('several events appended in one transaction chain one after another, and the chain goes on after it', async () => {
    await appendSome(2);
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) await appendAudit(trx, { type: 'HEALTH_RECOVERED', payload: { in: i } }, AT);
    });
    await appendSome(1);
    const rows = rawRows();
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(await verifyAuditTrail(store.db)).toMatchObject({ intact: true, rows: 6 });
  });

  it("an event appended in a caller's transaction is rolled back with it, and the chain goes on", async () => {
    await appendSome(1);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { type: 'ORDER_PLACED', orderId: 'X' }, AT);
        throw new Error('the caller fails');
      }),
    ).rejects.toThrow('the caller fails');
    await appendSome(1, 1);
    expect(rawRows().map((r) => r.order_id)).toEqual(['O0', 'O1']);
    expect(await verifyAuditTrail(store.db)).toMatchObject({ intact: true, rows: 2 });
  });

  it('refuses UPDATE and DELETE, even from another connection', async () => {
    await appendSome(2);
    const raw = new BetterSqlite3(path);
    expect(() => raw.prepare("update audit_events set payload = '{}' where id = 1").run()).toThrow(/append-only/);
    expect(() => raw.prepare('delete from audit_events where id = 1').run()).toThrow(/retention prune/);
    raw.close();
  });

  describe('verify names the first broken event after an edit with the sqlite3 library', () => {
    beforeEach(async () => {
      await appendSome(5);
    });

    it('an edited event: changed', async () => {
      await tamper((raw) => raw.prepare(`update audit_events set payload = '{"i":2,"x":0.2}' where id = 3`).run());
      expect(await verifyAuditTrail(store.db)).toEqual({
        intact: false,
        problem: 'changed',
        id: 3,
        message: 'event 3 was edited: its content does not match its hash',
        rows: 2,
      });
    });

    it('a deleted event: deleted', async () => {
      await tamper((raw) => raw.prepare('delete from audit_events where id = 3').run());
      expect(await verifyAuditTrail(store.db)).toMatchObject({
        intact: false,
        problem: 'deleted',
        id: 3,
        missing: { from: 3, to: 3 },
      });
    });

    it('an inserted event: inserted', async () => {
      await tamper((raw) =>
        raw
          .prepare(
            "insert into audit_events (at, type, payload) values ('2026-11-25T04:03:30.000Z', 'ORDER_PLACED', '{}')",
          )
          .run(),
      );
      expect(await verifyAuditTrail(store.db)).toMatchObject({ intact: false, problem: 'inserted', id: 6 });
      // som goes on chaining from its own last event; the inserted one is still named.
      await appendSome(1, 5);
      expect(await verifyAuditTrail(store.db)).toMatchObject({
        problem: 'inserted',
        id: 6,
        message: 'event 6 has no chain fields: som did not write it',
      });
    });

    it('an event inserted with a copied chain: inserted', async () => {
      // Two events cannot record the same predecessor while the unique index stands.
      const refused = new BetterSqlite3(path);
      const copy = `insert into audit_events (at, type, payload, prev_hash, hash)
        select at, 'ORDER_CANCELLED', payload, prev_hash, hash from audit_events where id = 5`;
      expect(() => refused.prepare(copy).run()).toThrow(/UNIQUE constraint failed: audit_events.prev_hash/);
      refused.close();
      await tamper((raw) =>
        raw
          .exec('drop index audit_events_prev_hash')
          .prepare(
            `insert into audit_events (at, type, payload, prev_hash, hash)
             select at, 'ORDER_CANCELLED', payload, prev_hash, hash from audit_events where id = 5`,
          )
          .run(),
      );
      // Event 6 carries event 5's prev_hash (event 4's hash), not event 5's hash.
      expect(await verifyAuditTrail(store.db)).toMatchObject({ problem: 'inserted', id: 6 });
    });
  });

  describe('retention', () => {
    // Events from 2018 and from 2026; at 2026-11-25 with 7 years' retention the cutoff is
    // 2019-11-25 00:00 IST, so the 2018 ones (ids 1 to 3) are due to go.
    const now = new Date('2026-11-25T12:30:00Z');
    const cutoff = retentionCutoff(now, 7);

    beforeEach(async () => {
      for (let i = 0; i < 3; i++) {
        await appendAudit(store.db, { type: 'ORDER_PLACED', orderId: `OLD${i}` }, new Date(Date.UTC(2018, 5, 1 + i)));
      }
      await appendSome(3);
    });

    const plan = async () =>
      planAuditPrune({
        now,
        cutoff,
        prunable: await prunableAudit(store.db, cutoff),
        lastPruneAt: await lastAuditPrune(store.db),
        lastExport: await lastAuditExport(store.db),
      });

    it('exports, prunes the old run and leaves an anchor: the rest of the chain verifies', async () => {
      expect(cutoff.toISOString()).toBe('2019-11-24T18:30:00.000Z');
      expect(await plan()).toMatchObject({ action: 'export', from_id: 1, through_id: 3 });

      let file = '';
      const summary = await exportAudit(store.db, { format: 'jsonl' }, (chunk) => {
        file += chunk;
      });
      expect(summary).toMatchObject({ from_id: 1, through_id: 6, count: 6 });
      const exportId = await recordAuditExport(
        store.db,
        { format: 'jsonl', ...summary, since: null, until: null, destination: join(dir, 'audit.jsonl') },
        now,
      );
      expect(exportId).toBe(7);

      const p = await plan();
      expect(p).toEqual({
        action: 'prune',
        cutoff: '2019-11-24T18:30:00.000Z',
        through_id: 3,
        count: 3,
        export_id: 7,
        message: 'remove 3 events (1 to 3) older than 2019-11-24T18:30:00.000Z, exported by event 7',
      });
      if (p.action !== 'prune') throw new Error('expected a prune');
      const lastPrunedHash = rawRows()[2]!.hash;
      const result = await pruneAudit(store.db, p, now);
      expect(result).toEqual({
        pruned: 3,
        anchor_id: 8,
        anchor: {
          last_pruned_id: 3,
          last_pruned_hash: lastPrunedHash,
          pruned: 3,
          cutoff: '2019-11-24T18:30:00.000Z',
          export_id: 7,
        },
      });
      const rows = rawRows();
      expect(rows.map((r) => [r.id, r.type])).toEqual([
        [4, 'SETTINGS_UPDATED'],
        [5, 'SETTINGS_UPDATED'],
        [6, 'SETTINGS_UPDATED'],
        [7, 'AUDIT_EXPORTED'],
        [8, AUDIT_PRUNED],
      ]);
      expect(await verifyAuditTrail(store.db)).toEqual({
        intact: true,
        start: { kind: 'anchor', anchor_id: 8, last_pruned_id: 3 },
        rows: 5,
        head: { id: 8, hash: rows[4]!.hash },
      });

      // The export alone still verifies, and its head is event 6 of the live trail.
      const copy = parseExport(file, 'jsonl');
      if (!copy.ok) throw new Error(copy.message);
      expect(verifyChain(copy.rows)).toMatchObject({ intact: true, head: { id: 6, hash: rows[2]!.hash } });

      // Deletes are refused again, and a second prune waits for next month.
      const raw = new BetterSqlite3(path);
      expect(() => raw.prepare('delete from audit_events where id = 4').run()).toThrow(/retention prune/);
      raw.close();
      expect(await lastAuditPrune(store.db)).toBe(now.toISOString());
      expect(await plan()).toMatchObject({ action: 'none', reason: 'NOTHING_TO_PRUNE' });

      // Deleting after the anchor is found as before.
      await tamper((r) => r.prepare('delete from audit_events where id = 5').run());
      expect(await verifyAuditTrail(store.db)).toMatchObject({ problem: 'deleted', id: 5 });
    });

    it('a prune that removes every event leaves the anchor chained after the last one removed', async () => {
      // Everything is old at 2040-01-01 (cutoff 2033-01-01 IST), the export event too when a
      // paper clock far behind recorded it.
      const later = new Date('2040-01-01T06:30:00Z');
      const exportId = await recordAuditExport(
        store.db,
        {
          format: 'csv',
          from_id: 1,
          through_id: 6,
          count: 6,
          last_hash: null,
          since: null,
          until: null,
          destination: null,
        },
        new Date('2030-01-01T00:00:00Z'),
      );
      const laterCutoff = retentionCutoff(later, 7);
      const run = await prunableAudit(store.db, laterCutoff);
      expect(run).toEqual({ first_id: 1, through_id: 7, count: 7 });
      const lastHash = rawRows()[6]!.hash;
      await pruneAudit(store.db, { through_id: 7, cutoff: laterCutoff.toISOString(), export_id: exportId }, later);
      const [anchor] = rawRows();
      expect(anchor).toMatchObject({ id: 8, type: AUDIT_PRUNED, prev_hash: lastHash });
      expect(await verifyAuditTrail(store.db)).toMatchObject({
        intact: true,
        start: { kind: 'anchor', anchor_id: 8, last_pruned_id: 7 },
        rows: 1,
      });
    });

    it('a prune reaching a young event is refused whole', async () => {
      await expect(
        pruneAudit(store.db, { through_id: 4, cutoff: cutoff.toISOString(), export_id: 0 }, now),
      ).rejects.toThrow(/audit event 4 is not older than 2019-11-24T18:30:00.000Z: nothing pruned/);
      expect(rawRows()).toHaveLength(6);
      const raw = new BetterSqlite3(path);
      expect(raw.prepare('select count(*) as n from audit_retention_unlock').get()).toEqual({ n: 0 });
      raw.close();
    });

    it('an export of a time range is one stretch of the chain, verifiable on its own', async () => {
      let csv = '';
      const summary = await exportAudit(
        store.db,
        { format: 'csv', since: '2026-11-25T04:01:00.000Z', until: '2026-11-25T04:02:30.000Z' },
        (chunk) => {
          csv += chunk;
        },
      );
      // Events 5 (04:01) and 6 (04:02) of the live trail.
      expect(summary).toMatchObject({ from_id: 5, through_id: 6, count: 2 });
      const copy = parseExport(csv, 'csv');
      if (!copy.ok) throw new Error(copy.message);
      expect(verifyChain(copy.rows, { segment: true })).toMatchObject({
        intact: true,
        start: { kind: 'given', prev_hash: rawRows()[3]!.hash },
        rows: 2,
      });
    });
  });
});

describe('migration 6 chains the events already stored', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('in id order from the genesis hash; gaps left by earlier deletions do not break it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-audit-mig-'));
    const path = join(dir, 'som.db');
    // A store at schema version 4, with events written the old way (ids 1, 2, 5: 3 and 4 gone).
    const raw = new BetterSqlite3(path);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    for (const m of MIGRATIONS.filter((x) => x.version <= 4)) {
      await db.transaction().execute(async (trx) => {
        await m.up(trx);
        await sql.raw(`pragma user_version = ${m.version}`).execute(trx);
      });
    }
    const insert = raw.prepare('insert into audit_events (id, at, type, payload) values (?, ?, ?, ?)');
    insert.run(1, '2026-11-24T04:00:00.000Z', 'DAEMON_STARTED', '{"version":"0.1.0","mode":"paper"}');
    insert.run(2, '2026-11-24T04:01:00.000Z', 'STRATEGY_CREATED', '{"name":"default"}');
    insert.run(5, '2026-11-24T04:02:00.000Z', 'DAEMON_STOPPED', '{}');
    await db.destroy();

    const store = await openStore(path);
    try {
      expect(store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect(await verifyAuditTrail(store.db)).toMatchObject({ intact: true, start: { kind: 'genesis' }, rows: 3 });
      // New events continue the chain after the highest id.
      expect(await appendAudit(store.db, { type: 'DAEMON_STARTED' }, AT)).toBe(6);
      expect(await verifyAuditTrail(store.db)).toMatchObject({ intact: true, rows: 4, head: { id: 6 } });
    } finally {
      await store.close();
    }
  });
});
