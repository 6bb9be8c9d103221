import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAlert, listAlerts, markRead, type NewAlert, raiseAlert, resolveAlerts } from '../../src/store/alerts.js';
import { openStore, type Store } from '../../src/store/database.js';
import { createStrategy } from '../../src/store/strategies.js';

const AT = new Date('2026-11-25T04:30:00.000Z');
const LATER = new Date('2026-11-25T04:31:00.000Z');
const EVEN_LATER = new Date('2026-11-25T04:32:00.000Z');

const TOKEN: NewAlert = {
  type: 'BROKER_SESSION',
  priority: 'critical',
  title: 'Kite session expired',
  message: 'Run `som login` to renew the access token.',
  dedupeKey: 'token-expired',
};

describe('alerts store', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-alerts-'));
    store = await openStore(join(dir, 'som.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('raises an alert with its strategy, order and payload', async () => {
    const swing = await createStrategy(store.db, 'swing', 'default', AT);
    const { alert, created } = await raiseAlert(
      store.db,
      {
        type: 'ORPHAN_DETECTED',
        priority: 'high',
        title: 'Orphaned stop-loss',
        message: 'SL order 251125000000001 protects a closed position.',
        strategyId: swing.id,
        orderId: '251125000000001',
        payload: { tradingsymbol: 'SBIN', quantity: 10 },
      },
      AT,
    );
    expect(created).toBe(true);
    expect(alert).toEqual({
      id: alert.id,
      at: AT.toISOString(),
      type: 'ORPHAN_DETECTED',
      priority: 'high',
      strategy_id: swing.id,
      strategy: 'swing',
      order_id: '251125000000001',
      title: 'Orphaned stop-loss',
      message: 'SL order 251125000000001 protects a closed position.',
      payload: { tradingsymbol: 'SBIN', quantity: 10 },
      dedupe_key: null,
      read_at: null,
      resolved_at: null,
    });
    expect(await getAlert(store.db, alert.id)).toEqual(alert);
  });

  it('the same open condition is raised once: the first alert is returned with created false', async () => {
    const first = await raiseAlert(store.db, TOKEN, AT);
    const second = await raiseAlert(store.db, { ...TOKEN, message: 'still expired' }, LATER);
    expect(second).toEqual({ alert: first.alert, created: false });
    expect(await listAlerts(store.db)).toHaveLength(1);
  });

  it('without a dedupe key every raise is a new alert', async () => {
    const plain = { type: 'INFO', priority: 'low', title: 't', message: 'm' } as const;
    await raiseAlert(store.db, plain, AT);
    await raiseAlert(store.db, plain, AT);
    expect(await listAlerts(store.db)).toHaveLength(2);
  });

  it('once resolved, the condition can be raised again as a new alert', async () => {
    const first = await raiseAlert(store.db, TOKEN, AT);
    expect(await resolveAlerts(store.db, 'token-expired', LATER)).toBe(1);
    expect(await resolveAlerts(store.db, 'token-expired', LATER)).toBe(0);
    expect(await getAlert(store.db, first.alert.id)).toMatchObject({ resolved_at: LATER.toISOString() });

    const again = await raiseAlert(store.db, TOKEN, EVEN_LATER);
    expect(again.created).toBe(true);
    expect(again.alert.id).not.toBe(first.alert.id);
    expect((await listAlerts(store.db, { openOnly: true })).map((a) => a.id)).toEqual([again.alert.id]);
  });

  it('a resolution, when given, is kept in the payload beside what was there', async () => {
    const { alert } = await raiseAlert(store.db, { ...TOKEN, payload: { tag: 'so1xabc' } }, AT);
    expect(await resolveAlerts(store.db, 'token-expired', LATER, 'renewed by `som login`')).toBe(1);
    expect((await getAlert(store.db, alert.id))?.payload).toEqual({
      tag: 'so1xabc',
      resolution: 'renewed by `som login`',
    });
  });

  it('markRead keeps the first read time and says whether the alert exists', async () => {
    const { alert } = await raiseAlert(store.db, TOKEN, AT);
    expect(await markRead(store.db, alert.id, LATER)).toBe(true);
    expect(await markRead(store.db, alert.id, EVEN_LATER)).toBe(true);
    expect((await getAlert(store.db, alert.id))?.read_at).toBe(LATER.toISOString());
    expect(await markRead(store.db, 9999, LATER)).toBe(false);
  });

  it('lists newest first, filtered by unread and open, with a limit', async () => {
    const a = (await raiseAlert(store.db, { type: 'A', priority: 'normal', title: 'a', message: 'a' }, AT)).alert;
    const b = (
      await raiseAlert(store.db, { type: 'B', priority: 'normal', title: 'b', message: 'b', dedupeKey: 'b' }, LATER)
    ).alert;
    const c = (await raiseAlert(store.db, { type: 'C', priority: 'normal', title: 'c', message: 'c' }, EVEN_LATER))
      .alert;
    await markRead(store.db, c.id, EVEN_LATER);
    await resolveAlerts(store.db, 'b', EVEN_LATER);

    const ids = (alerts: { id: number }[]) => alerts.map((x) => x.id);
    expect(ids(await listAlerts(store.db))).toEqual([c.id, b.id, a.id]);
    expect(ids(await listAlerts(store.db, { unreadOnly: true }))).toEqual([b.id, a.id]);
    expect(ids(await listAlerts(store.db, { openOnly: true }))).toEqual([c.id, a.id]);
    expect(ids(await listAlerts(store.db, { unreadOnly: true, openOnly: true }))).toEqual([a.id]);
    expect(ids(await listAlerts(store.db, { limit: 1 }))).toEqual([c.id]);
  });

  it('the database itself refuses a second open alert with the same key', async () => {
    await raiseAlert(store.db, TOKEN, AT);
    await expect(
      store.db
        .insertInto('user_alerts')
        .values({
          at: AT.toISOString(),
          type: 'X',
          priority: 'low',
          strategy_id: null,
          order_id: null,
          title: 't',
          message: 'm',
          dedupe_key: 'token-expired',
          read_at: null,
          resolved_at: null,
        })
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
  });
});
