import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlaceOrderRequest } from '../../src/domain/order.js';
import { ManualClock } from '../../src/market/clock.js';
import { openStore, type Store } from '../../src/store/database.js';
import { createIntentLedger, getIntent, type IntentLedger, listIntents } from '../../src/store/intents.js';
import { createStrategy } from '../../src/store/strategies.js';

const AT = '2026-11-25T04:30:00.000Z';
const REQUEST: PlaceOrderRequest = {
  variety: 'regular',
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  transaction_type: 'BUY',
  order_type: 'LIMIT',
  product: 'CNC',
  quantity: 10,
  price: 800.05,
  validity: 'DAY',
  tag: 'som1',
};
const TIMEOUT = { code: 'BROKER_UNAVAILABLE', message: 'POST /orders/regular timed out after 10s' };

describe('order intent ledger', () => {
  let dir: string;
  let path: string;
  let store: Store;
  let clock: ManualClock;
  let ledger: IntentLedger;
  let strategyId: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-intents-'));
    path = join(dir, 'som.db');
    store = await openStore(path);
    clock = new ManualClock(AT);
    ledger = createIntentLedger(store.db, clock);
    strategyId = (await createStrategy(store.db, 'swing', 'default', clock.now())).id;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a pending intent with its request, readable at once from another connection', async () => {
    await ledger.record({ tag: 'som1', strategyId, request: REQUEST });
    // Committed, not waiting in a transaction: a second connection (the daemon after a
    // crash) sees it.
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(raw.prepare('select tag, state from order_intents').all()).toEqual([{ tag: 'som1', state: 'pending' }]);
    raw.close();
    expect(await getIntent(store.db, 'som1')).toEqual({
      tag: 'som1',
      strategy_id: strategyId,
      request: REQUEST,
      state: 'pending',
      order_id: null,
      error: null,
      attempts: 1,
      created_at: AT,
      updated_at: AT,
    });
  });

  it('placed: links the order id; repeating it is harmless', async () => {
    await ledger.record({ tag: 'som1', strategyId, request: REQUEST });
    clock.advance(1000);
    await ledger.placed('som1', '251125000000001');
    await ledger.placed('som1', '251125000000001');
    expect(await getIntent(store.db, 'som1')).toMatchObject({
      state: 'placed',
      order_id: '251125000000001',
      created_at: AT,
      updated_at: '2026-11-25T04:30:01.000Z',
    });
  });

  it('placed with a second, different order id is refused: one tag, one order', async () => {
    await ledger.record({ tag: 'som1', strategyId, request: REQUEST });
    await ledger.placed('som1', 'A');
    await expect(ledger.placed('som1', 'B')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect((await getIntent(store.db, 'som1'))?.order_id).toBe('A');
  });

  it('failed and unknown keep the error; a resend of the same request counts an attempt', async () => {
    await ledger.record({ tag: 'som1', strategyId, request: REQUEST });
    await ledger.unknown('som1', TIMEOUT);
    expect(await getIntent(store.db, 'som1')).toMatchObject({ state: 'unknown', error: TIMEOUT, attempts: 1 });

    await ledger.record({ tag: 'som1', strategyId, request: REQUEST });
    expect(await getIntent(store.db, 'som1')).toMatchObject({ state: 'pending', attempts: 2 });

    const refused = { code: 'BROKER_ERROR', message: 'Markets are closed right now.' };
    await ledger.failed('som1', refused);
    expect(await getIntent(store.db, 'som1')).toMatchObject({ state: 'failed', error: refused, attempts: 2 });
  });

  it('a late failure report does not undo a placement', async () => {
    await ledger.record({ tag: 'som1', strategyId, request: REQUEST });
    await ledger.placed('som1', 'A');
    await ledger.unknown('som1', TIMEOUT);
    await ledger.failed('som1', TIMEOUT);
    expect(await getIntent(store.db, 'som1')).toMatchObject({ state: 'placed', order_id: 'A' });
  });

  it('refuses to reuse a tag for another request, another strategy, or after placement', async () => {
    await ledger.record({ tag: 'som1', strategyId, request: REQUEST });
    await expect(
      ledger.record({ tag: 'som1', strategyId, request: { ...REQUEST, quantity: 20 } }),
    ).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    const other = (await createStrategy(store.db, 'other', 'default', clock.now())).id;
    await expect(ledger.record({ tag: 'som1', strategyId: other, request: REQUEST })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await ledger.placed('som1', 'A');
    await expect(ledger.record({ tag: 'som1', strategyId, request: REQUEST })).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
      message: /already placed as order A/,
    });
    expect(await getIntent(store.db, 'som1')).toMatchObject({
      state: 'placed',
      attempts: 1,
      request: REQUEST,
      strategy_id: strategyId,
    });
  });

  it('an unknown tag is NOT_FOUND', async () => {
    await expect(ledger.placed('nope', 'A')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ledger.failed('nope', TIMEOUT)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ledger.unknown('nope', TIMEOUT)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await getIntent(store.db, 'nope')).toBeUndefined();
  });

  it('an intent for a strategy that does not exist is refused', async () => {
    await expect(ledger.record({ tag: 'som9', strategyId: 999, request: REQUEST })).rejects.toThrow(/FOREIGN KEY/);
  });

  it('lists intents by state, oldest first', async () => {
    for (const tag of ['a1', 'a2', 'a3', 'a4']) {
      await ledger.record({ tag, strategyId, request: { ...REQUEST, tag } });
      clock.advance(1000);
    }
    await ledger.placed('a1', 'A');
    await ledger.unknown('a3', TIMEOUT);
    expect((await listIntents(store.db)).map((i) => i.tag)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect((await listIntents(store.db, { states: ['pending', 'unknown'] })).map((i) => [i.tag, i.state])).toEqual([
      ['a2', 'pending'],
      ['a3', 'unknown'],
      ['a4', 'pending'],
    ]);
    expect(await listIntents(store.db, { states: [] })).toEqual([]);
  });
});
