import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSomd, som, somJson, startSomd, type TempHome, tempHome } from './harness.js';
import { until } from './kite-paper.js';

/**
 * The audit trail's hash chain through the command line, on somd in paper mode: a row edited,
 * deleted or inserted with the sqlite3 library is named by `som audit verify` (exit 1); an
 * export verifies on its own and shows an edit to the copy; a retention prune (one year here)
 * leaves a chain that still verifies. Jobs that write events on their own are pushed far out,
 * so the trail holds still while it is tampered with.
 */
describe('the tamper-evident audit trail', () => {
  let t: TempHome;
  let somd: RunningSomd;
  let config = '';
  const QUIET = ['sweep_schedule', 'expiry_schedule', 'aging_schedule', 'eod_schedule']
    .map((k) => `${k} = "0 0 1 1 *"`)
    .join('\n');
  const writeConfig = (clock: string) =>
    writeFileSync(
      config,
      [
        '[paper]',
        `clock = "${clock}"`,
        '[broker]',
        'health_schedule = "0 0 1 1 *"',
        'instruments_schedule = "0 0 1 1 *"',
        '[housekeeping]',
        QUIET,
        '[reconcile]',
        'schedule = "0 0 1 1 *"',
        '[audit]',
        'retention_years = 1',
        'prune_schedule = "0 0 1 1 *"',
        '',
      ].join('\n'),
    );

  const db = () => new BetterSqlite3(join(t.home, 'som.db'));
  const verify = () => somJson(t, ['audit', 'verify']);

  beforeAll(async () => {
    t = tempHome();
    config = join(t.dir, 'config.toml');
    writeConfig('2026-11-25T10:00:00+05:30');
    somd = await startSomd(t, ['--paper', '--config', config]);
    await until('connected', async () => (await somJson(t, ['status'])).doc.broker.state === 'connected', 15_000);
    // A few events of the day: strategies and their settings.
    for (const name of ['alpha', 'beta', 'gamma']) expect((await som(t, ['strategies', 'create', name])).code).toBe(0);
    expect((await som(t, ['settings', 'set', 'max_orders_per_minute=5', '--strategy', 'beta'])).code).toBe(0);
  }, 30_000);

  afterAll(async () => {
    await somd?.stop();
    t?.cleanup();
  });

  it('an edit, a deletion and an insertion made with the sqlite3 library are each named by som audit verify', async () => {
    const intact = await verify();
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.doc).toMatchObject({ intact: true, start: 'genesis' });
    const rows = intact.doc.rows as number;
    expect(rows).toBeGreaterThanOrEqual(6);

    const raw = db();
    // The tamperer removes the guards first: the triggers refuse UPDATE and DELETE.
    expect(() => raw.prepare("update audit_events set payload = '{}' where id = 3").run()).toThrow(/append-only/);
    expect(() => raw.prepare('delete from audit_events where id = 3').run()).toThrow(/retention prune/);
    raw.exec('drop trigger audit_events_no_update; drop trigger audit_events_no_delete;');
    const original = raw.prepare('select * from audit_events where id = 3').get() as Record<string, unknown>;

    // Changed.
    raw.prepare('update audit_events set payload = ? where id = 3').run('{"name":"mallory"}');
    let r = await verify();
    expect(r.code).toBe(1);
    expect(r.doc).toMatchObject({ intact: false, problem: 'changed', id: 3 });
    expect(r.stderr).toMatch(/broken at event 3 \(changed\)/);
    raw.prepare('update audit_events set payload = ? where id = 3').run(original.payload);
    expect((await verify()).code).toBe(0);

    // Deleted.
    raw.prepare('delete from audit_events where id = 3').run();
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.doc).toMatchObject({ intact: false, problem: 'deleted', id: 3, missing: { from: 3, to: 3 } });
    raw
      .prepare(
        'insert into audit_events (id, at, type, strategy_id, order_id, payload, prev_hash, hash) values (@id, @at, @type, @strategy_id, @order_id, @payload, @prev_hash, @hash)',
      )
      .run(original);
    expect((await verify()).code).toBe(0);

    // Inserted: a row written around som, after the last one.
    const next = (raw.prepare('select max(id) as id from audit_events').get() as { id: number }).id + 1;
    raw
      .prepare(
        "insert into audit_events (id, at, type, payload) values (?, '2026-11-25T05:00:00.000Z', 'SETTINGS_UPDATED', '{}')",
      )
      .run(next);
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.doc).toMatchObject({ intact: false, problem: 'inserted', id: next });
    expect(r.stderr).toMatch(new RegExp(`broken at event ${next} \\(inserted\\)`));
    raw.prepare('delete from audit_events where id = ?').run(next);
    expect((await verify()).code).toBe(0);

    // The guards back, as the migration made them.
    raw.exec(`
      create trigger audit_events_no_update before update on audit_events
      begin select raise(abort, 'audit_events is append-only: events are never changed'); end;
      create trigger audit_events_no_delete before delete on audit_events
      when not exists (select 1 from audit_retention_unlock where id = 1 and old.id <= through_id)
      begin select raise(abort, 'audit events are removed only by the retention prune'); end;`);
    raw.close();
  });

  it('an export verifies on its own, in either format, whole or a time range; an edit to the copy is named', async () => {
    const head = (await verify()).doc.head;
    const jsonl = join(t.dir, 'trail.jsonl');
    const exported = await somJson(t, ['audit', 'export', '--format', 'jsonl', '--out', jsonl]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.doc).toMatchObject({
      file: jsonl,
      format: 'jsonl',
      from_id: 1,
      through_id: head.id,
      last_hash: head.hash,
    });
    const alone = await somJson(t, ['audit', 'verify', '--file', jsonl]);
    expect(alone.code, alone.stderr).toBe(0);
    // The copy's head is the trail's head: it is a copy of this trail up to there.
    expect(alone.doc).toMatchObject({ intact: true, start: 'genesis', head });

    // The export is an event itself: the next export holds it too.
    const csv = join(t.dir, 'trail.csv');
    const inCsv = await somJson(t, ['audit', 'export', '--format', 'csv', '--out', csv]);
    expect(inCsv.doc.from_id).toBe(1);
    expect(inCsv.doc.through_id).toBeGreaterThan(head.id);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toBe('id,at,type,strategy_id,order_id,payload,prev_hash,hash');
    expect((await somJson(t, ['audit', 'verify', '--file', csv])).doc).toMatchObject({
      intact: true,
      head: { id: inCsv.doc.through_id, hash: inCsv.doc.last_hash },
    });

    // Standard output, and a range: from the third event's time on.
    const now = (await verify()).doc.head;
    const third = JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[2]!);
    const out = await som(t, ['audit', 'export', '--format', 'jsonl', '--since', third.at]);
    expect(out.code, out.stderr).toBe(0);
    const part = join(t.dir, 'part.jsonl');
    writeFileSync(part, out.stdout);
    const range = await somJson(t, ['audit', 'verify', '--file', part]);
    expect(range.doc).toMatchObject({ intact: true, head: now });
    expect(range.doc.start).toMatch(/^after hash [0-9a-f]{64} \(taken as given\)$/);

    // Each export is itself an event of the trail.
    const recorded = (await somJson(t, ['audit', '--type', 'AUDIT_EXPORTED'])).doc.events as any[];
    expect(recorded.map((e) => e.payload.destination)).toEqual([null, csv, jsonl]);

    // The copy edited: a payload changed on its fourth line.
    const lines = readFileSync(jsonl, 'utf8').split('\n');
    const fourth = JSON.parse(lines[3]!);
    lines[3] = JSON.stringify({ ...fourth, payload: { ...fourth.payload, edited: true } });
    writeFileSync(jsonl, lines.join('\n'));
    const broken = await somJson(t, ['audit', 'verify', '--file', jsonl]);
    expect(broken.code).toBe(1);
    expect(broken.doc).toMatchObject({ intact: false, problem: 'changed', id: fourth.id });
  });

  it('a prune removes what is older than the retention, after an export, and leaves a chain that verifies', async () => {
    const before = (await verify()).doc;
    // A year and a month later (retention: one year).
    expect(await somd.stop()).toBe(0);
    writeConfig('2027-12-20T10:00:00+05:30');
    somd = await startSomd(t, ['--paper', '--config', config]);
    const run = await somJson(t, ['admin', 'run', 'audit-prune']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.doc.result).toMatch(
      /^exported \d+ events to .*audit-exports.*; pruned \d+ events up to \d+; anchor event \d+$/,
    );

    const after = await verify();
    expect(after.code, after.stderr).toBe(0);
    // Everything written on 2026-11-25 is gone; the chain starts after the anchor's last pruned event.
    expect(after.doc.start).toMatch(/^after event \d+ \(prune anchor \d+\)$/);
    const pruned = Number(/after event (\d+)/.exec(after.doc.start)![1]);
    expect(pruned).toBeGreaterThanOrEqual(before.head.id);
    const anchor = ((await somJson(t, ['audit', '--type', 'AUDIT_PRUNED'])).doc.events as any[])[0]!;
    expect(anchor.payload).toMatchObject({ last_pruned_id: pruned, cutoff: '2026-12-19T18:30:00.000Z' });

    // The export the prune made holds what it removed, and verifies on its own.
    const exports = readdirSync(join(t.home, 'audit-exports'));
    expect(exports).toHaveLength(1);
    const file = join(t.home, 'audit-exports', exports[0]!);
    const copy = await somJson(t, ['audit', 'verify', '--file', file]);
    expect(copy.doc).toMatchObject({
      intact: true,
      start: 'genesis',
      head: { id: pruned, hash: anchor.payload.last_pruned_hash },
    });

    // At most once a month.
    const again = await somJson(t, ['admin', 'run', 'audit-prune']);
    expect(again.doc.result).toMatch(/nothing|no event|next prune/);
    expect(existsSync(file)).toBe(true);
  }, 60_000);
});
