import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Logger } from '../../daemon/logger.js';
import { AUDIT_WRITE_FAILED, Recorder } from '../../daemon/recorder.js';
import { ManualClock } from '../../src/market/clock.js';
import { listAlerts, raiseAlert } from '../../src/store/alerts.js';
import { listAudit } from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/database.js';
import { unhandledRejections } from '../util/unhandled-rejections.js';

const AT = new Date('2026-11-25T04:30:00.000Z');

/**
 * Audit and alert writes on a real store file, made to fail by SQLite triggers: a failure that
 * heals is retried until the event is stored once; one that does not is logged with the whole
 * event and raises a critical alert, and nothing rejects unhandled.
 */
describe('Recorder', () => {
  let dir: string;
  let store: Store;
  let lines: Record<string, unknown>[];
  let recorder: Recorder;
  let pauses: number[];
  /** What happens to the database while the recorder pauses between tries. */
  let duringPause: () => Promise<void>;
  const unhandled = unhandledRejections();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-recorder-'));
    store = await openStore(join(dir, 'som.db'));
    lines = [];
    pauses = [];
    duringPause = async () => undefined;
    recorder = new Recorder({
      store,
      clock: new ManualClock(AT),
      logger: new Logger('debug', 'json', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)),
      // the real pauses, recorded instead of slept
      sleep: async (ms) => {
        pauses.push(ms);
        await duringPause();
      },
    });
  });

  afterEach(async () => {
    // let any stray rejection surface before looking
    await new Promise((r) => setTimeout(r, 10));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    expect(unhandled).toEqual([]);
  });

  const events = (name: string) => lines.filter((l) => l.event === name);
  const audited = async (type: string) => listAudit(store.db, { type, limit: 100 });

  /** Every insert of an audit event of this type fails, as on a full disk. */
  async function breakAuditType(type: string): Promise<void> {
    await sql
      .raw(
        `CREATE TRIGGER lose_${type} BEFORE INSERT ON audit_events WHEN NEW.type = '${type}' ` +
          `BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
      )
      .execute(store.db);
  }

  it('a write that keeps failing is tried five times, logged with the whole event, and raises a critical alert', async () => {
    await breakAuditType('ORDER_FILLED');
    const event = {
      type: 'ORDER_FILLED' as const,
      orderId: '251125000000042',
      payload: { filled_quantity: 25, average_price: 812.45 },
    };
    // an event handler cannot wait: it hands the event over and moves on
    recorder.auditLater(event);
    await recorder.idle();

    expect(await audited('ORDER_FILLED')).toEqual([]);
    // tried, then again after each pause: 200 + 400 + 800 + 1600 ms, about three seconds
    expect(pauses).toEqual([200, 400, 800, 1600]);
    expect(events('recorder.retry')).toHaveLength(4);
    const lost = events('recorder.write_lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({
      level: 'error',
      write: 'audit',
      asked_at: AT.toISOString(),
      audit_event: event,
      error: 'disk full',
      tries: 5,
    });

    const alerts = await listAlerts(store.db);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: AUDIT_WRITE_FAILED, priority: 'critical' });
    expect(alerts[0]!.message).toContain('ORDER_FILLED');
    expect(alerts[0]!.message).toContain('251125000000042');

    // the recorder (and the trail) keeps working for everything else
    await recorder.audit({ type: 'ORDER_PLACED', orderId: '251125000000043' });
    expect(await audited('ORDER_PLACED')).toHaveLength(1);
  });

  it('a caller that waits is told: the awaited form rejects once the loss is reported', async () => {
    await breakAuditType('SETTINGS_UPDATED');
    await expect(recorder.audit({ type: 'SETTINGS_UPDATED', strategyId: 1, payload: {} })).rejects.toThrow('disk full');
    expect(events('recorder.write_lost')).toHaveLength(1);
    expect((await listAlerts(store.db)).map((a) => a.type)).toEqual([AUDIT_WRITE_FAILED]);
  });

  it('a failure that heals (twice busy, then fine) ends with the event stored exactly once', async () => {
    // Every insert of this type fails while the trigger stands; it is dropped during the second
    // pause (an audit write is one transaction, so a failure leaves nothing behind to count on).
    await sql
      .raw(
        `CREATE TRIGGER busy BEFORE INSERT ON audit_events WHEN NEW.type = 'ORDER_CANCELLED' ` +
          `BEGIN SELECT RAISE(ABORT, 'database is locked'); END`,
      )
      .execute(store.db);
    duringPause = async () => {
      if (pauses.length === 2) await sql.raw('DROP TRIGGER busy').execute(store.db);
    };
    recorder.auditLater({ type: 'ORDER_CANCELLED', orderId: '251125000000044', payload: { source: 'websocket' } });
    await recorder.idle();

    const stored = await audited('ORDER_CANCELLED');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ order_id: '251125000000044', payload: { source: 'websocket' } });
    // stamped with the time it was asked for, not the time it finally went through
    expect(stored[0]!.at).toBe(AT.toISOString());
    expect(pauses).toEqual([200, 400]);
    expect(events('recorder.write_lost')).toEqual([]);
    expect(await listAlerts(store.db)).toEqual([]);
  });

  it('when even the alert cannot be written, the log says so; nothing rejects unhandled', async () => {
    await sql
      .raw(`CREATE TRIGGER no_alerts BEFORE INSERT ON user_alerts BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
      .execute(store.db);
    recorder.raiseLater({ type: 'LOGIN_REQUIRED', priority: 'high', title: 'Log in to Kite', message: 'm' });
    await recorder.idle();
    expect(events('recorder.write_lost')[0]).toMatchObject({ write: 'alert', alert: { type: 'LOGIN_REQUIRED' } });
    const alertLost = events('recorder.alert_lost');
    expect(alertLost).toHaveLength(1);
    expect(alertLost[0]!.note).toContain('this log is its only record');
  });

  it('a new alert is audited as ALERT_RAISED; an open one with the same key is not raised twice', async () => {
    const alert = {
      type: 'BROKER_HEALTH',
      priority: 'high',
      title: 't',
      message: 'm',
      dedupeKey: 'health:api',
    } as const;
    const first = await recorder.raise(alert, { check: 'api' });
    const second = await recorder.raise(alert);
    expect(first.created).toBe(true);
    expect(second).toEqual({ alert: first.alert, created: false });
    const raised = await audited('ALERT_RAISED');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.payload).toEqual({
      alert_id: first.alert.id,
      type: 'BROKER_HEALTH',
      priority: 'high',
      check: 'api',
    });
  });

  it('writes keep their order: a raise that needed a retry is still resolved by the resolve asked for after it', async () => {
    // the alerts table is locked until the first pause (a raise runs in a transaction, so the
    // lock is lifted from outside rather than counted down inside)
    await sql
      .raw(`CREATE TRIGGER busy BEFORE INSERT ON user_alerts BEGIN SELECT RAISE(ABORT, 'database is locked'); END`)
      .execute(store.db);
    duringPause = async () => {
      await sql.raw('DROP TRIGGER IF EXISTS busy').execute(store.db);
    };
    recorder.raiseLater({ type: 'LOGIN_REQUIRED', priority: 'high', title: 't', message: 'm', dedupeKey: 'session' });
    recorder.resolveLater('session', 'logged in');
    await recorder.idle();
    expect(pauses).toEqual([200]);
    const alerts = await listAlerts(store.db);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type: 'LOGIN_REQUIRED', resolved_at: AT.toISOString() });
    expect(alerts[0]!.payload).toEqual({ resolution: 'logged in' });
  });

  it('writes still waiting when somd must stop are logged whole, once, and not tried again', async () => {
    await breakAuditType('ORDER_MODIFIED');
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let pausing!: () => void;
    const inPause = new Promise<void>((r) => {
      pausing = r;
    });
    // the first retry pause lasts until the test lets it go: somd is stopping meanwhile
    duringPause = () => {
      pausing();
      return held;
    };
    recorder.auditLater({ type: 'ORDER_MODIFIED', orderId: '251125000000045', payload: { price: 812.5 } });
    recorder.auditLater({ type: 'ORDER_PLACED', orderId: '251125000000046' }); // queued behind it
    await inPause;
    recorder.abandon('not written: somd stopped');
    const lost = events('recorder.write_lost');
    expect(lost.map((l) => (l.audit_event as { type: string }).type)).toEqual(['ORDER_MODIFIED', 'ORDER_PLACED']);
    expect(lost[0]).toMatchObject({ level: 'error', error: 'not written: somd stopped', tries: 0 });
    release();
    await recorder.idle();
    // neither is tried again nor reported a second time
    expect(pauses).toEqual([200]);
    expect(events('recorder.write_lost')).toHaveLength(2);
    expect(await listAlerts(store.db)).toEqual([]);
    expect(await audited('ORDER_PLACED')).toEqual([]);
  });

  it('resolve says how many alerts it closed', async () => {
    await raiseAlert(store.db, { type: 'X', priority: 'low', title: 't', message: 'm', dedupeKey: 'k' }, AT);
    expect(await recorder.resolve('k')).toBe(1);
    expect(await recorder.resolve('k')).toBe(0);
  });
});
