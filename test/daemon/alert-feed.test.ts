import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertChange, AlertFeed } from '../../daemon/alerts/alert-feed.js';
import { Logger } from '../../daemon/logger.js';
import type { AlertView } from '../../src/protocol/methods/alerts.js';
import { markRead, raiseAlert, raiseAlertIn, resolveAlerts } from '../../src/store/alerts.js';
import { openStore, type Store } from '../../src/store/database.js';

const AT = new Date('2026-11-25T04:30:00.000Z');
const alert = (n: number, dedupeKey?: string) => ({
  type: 'TEST',
  priority: 'normal' as const,
  title: `alert ${n}`,
  message: 'm',
  ...(dedupeKey ? { dedupeKey } : {}),
});

/** Every alert written, by whichever path, is reported once, and only once it is committed. */
describe('the alert feed', () => {
  let dir: string;
  let store: Store;
  let feed: AlertFeed;
  let seen: [AlertChange, AlertView][];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-feed-'));
    store = await openStore(join(dir, 'som.db'));
    seen = [];
    // An alert from before start-up is not reported again.
    await raiseAlert(store.db, alert(0), AT);
    feed = new AlertFeed({
      store,
      logger: new Logger('error', 'text', () => undefined),
      onChange: (change, a) => seen.push([change, a]),
    });
    await feed.start();
  });
  afterEach(async () => {
    feed.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settled = async () => {
    await new Promise((r) => setImmediate(r));
    await feed.idle();
  };

  it('reports alerts raised, read and resolved, in order', async () => {
    const { alert: a } = await raiseAlert(store.db, alert(1, 'k1'), AT);
    await raiseAlert(store.db, alert(2), AT);
    await settled();
    await markRead(store.db, a.id, AT);
    await settled();
    await resolveAlerts(store.db, 'k1', AT, 'gone');
    await settled();
    expect(seen.map(([c, v]) => `${c} ${v.title}`)).toEqual([
      'raised alert 1',
      'raised alert 2',
      'read alert 1',
      'resolved alert 1',
    ]);
    expect(seen[3]![1]).toMatchObject({ resolved_at: AT.toISOString(), payload: { resolution: 'gone' } });
    // The protocol's shape: no store-only fields.
    expect(Object.keys(seen[0]![1])).not.toContain('dedupe_key');
  });

  it('an alert raised inside a transaction is reported after it commits, never if it rolls back', async () => {
    await store.db
      .transaction()
      .execute(async (trx) => {
        await raiseAlertIn(trx, alert(3), AT);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await store.db.transaction().execute((trx) => raiseAlertIn(trx, alert(4), AT));
    await settled();
    expect(seen.map(([c, v]) => `${c} ${v.title}`)).toEqual(['raised alert 4']);
  });

  it('an alert raised and resolved between two looks is still reported as raised', async () => {
    await raiseAlert(store.db, alert(5, 'k5'), AT);
    await resolveAlerts(store.db, 'k5', AT);
    await settled();
    expect(seen.map(([c, v]) => `${c} ${v.title}`)).toEqual(['raised alert 5']);
    expect(seen[0]![1].resolved_at).toBe(AT.toISOString());
  });
});
