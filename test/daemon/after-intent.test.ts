import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { afterIntent } from '../../daemon/account/after-intent.js';
import type { PlaceOrderRequest } from '../../src/domain/order.js';
import { istInstant } from '../../src/market/ist.js';
import { openStore, type Store } from '../../src/store/database.js';
import { createIntentLedger, getIntent, recordNewIntents } from '../../src/store/intents.js';
import { createStrategy } from '../../src/store/strategies.js';

const AT = istInstant('2026-11-25', '11:00');

/**
 * An armed exit leaves before the breach's record holds its intent: the ledger it is placed with
 * writes its fate only after that record, and records the intent itself when the record failed.
 */
describe('the fate of an order sent before its intent is written', () => {
  let dir: string;
  let store: Store;
  let id: number;
  let request: PlaceOrderRequest;
  let tag: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-after-intent-'));
    store = await openStore(join(dir, 'som.db'));
    id = (await createStrategy(store.db, 'nifty', 'conservative', AT)).id;
    tag = `so${id}xaaaaaaaaaaaaaaaa`;
    request = {
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'SELL',
      order_type: 'MARKET',
      product: 'MIS',
      quantity: 10,
      validity: 'DAY',
      market_protection: 1,
      tag,
    };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the record that holds the intent, and tells its caller the broker answered at once', async () => {
    let write!: () => void;
    const written = new Promise<void>((resolve) => {
      write = resolve;
    });
    let answered = 0;
    const ledger = afterIntent(
      createIntentLedger(store.db, { now: () => AT }),
      written,
      { tag, strategyId: id, request },
      () => answered++,
    );
    const placed = ledger.placed(tag, '251125000000007');
    expect(answered).toBe(1);
    // The breach's record is written now, the intent in it; the fate follows it.
    await recordNewIntents(store.db, [{ tag, strategyId: id, request }], AT);
    expect((await getIntent(store.db, tag))?.state).toBe('pending');
    write();
    await placed;
    expect(await getIntent(store.db, tag)).toMatchObject({ state: 'placed', order_id: '251125000000007' });
  });

  it('records the intent itself when the record failed, so the fate has its row', async () => {
    const failed = Promise.reject(new Error('disk full'));
    const ledger = afterIntent(createIntentLedger(store.db, { now: () => AT }), failed, {
      tag,
      strategyId: id,
      request,
    });
    await ledger.unknown(tag, { code: 'UNKNOWN', message: 'no answer' });
    expect(await getIntent(store.db, tag)).toMatchObject({ state: 'unknown', request, strategy_id: id });
  });
});
