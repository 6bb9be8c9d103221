import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/domain/instrument.js';
import { openStore, type Store } from '../../src/store/database.js';
import { loadHousekeeping } from '../../src/store/housekeeping-state.js';
import { replaceInstruments } from '../../src/store/instruments.js';
import { upsertOrder } from '../../src/store/orders.js';
import { createStrategy } from '../../src/store/strategies.js';
import { order } from '../support/broker-order.js';

const AT = new Date('2026-11-25T04:30:00.000Z');

/** A futures contract per index `i`, half of them expiring in December and half in January. */
function contract(i: number): Instrument {
  return {
    instrument_token: 100_000 + i,
    exchange_token: i + 1,
    tradingsymbol: `STK${i}26DECFUT`,
    name: `STK${i}`,
    last_price: 0,
    expiry: i % 2 === 0 ? '2026-12-29' : '2027-01-26',
    strike: 0,
    tick_size: 0.1,
    lot_size: 1,
    instrument_type: 'FUT',
    segment: 'NFO-FUT',
    exchange: 'NFO',
  };
}

describe('loading the housekeeping state', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-hk-state-'));
    store = await openStore(join(dir, 'som.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the expiry of every instrument of a book spanning 1,200 instruments', async () => {
    const n = 1200;
    const master = Array.from({ length: n }, (_, i) => contract(i));
    await replaceInstruments(store.db, master, { at: AT, tradingDay: '2026-11-25', source: 'test' });
    const strategy = (await createStrategy(store.db, 'wide', 'default', AT)).id;
    for (const c of master) {
      await upsertOrder(store.db, {
        order: order({
          order_id: String(261125000000000 + c.exchange_token),
          exchange: 'NFO',
          tradingsymbol: c.tradingsymbol,
          instrument_token: c.instrument_token,
          product: 'NRML',
          tag: null as never,
          tags: [],
        }),
        strategyId: strategy,
        source: 'external',
        now: AT,
      });
    }
    const loaded = await loadHousekeeping(store.db);
    expect(loaded.orders).toHaveLength(n);
    expect(loaded.expiries.size).toBe(n);
    expect(loaded.expiries.get('NFO:STK026DECFUT')).toBe('2026-12-29');
    expect(loaded.expiries.get(`NFO:STK${n - 1}26DECFUT`)).toBe('2027-01-26');
  });
});
