import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonContext } from '../../daemon/context.js';
import { instrumentHandlers, searchHint } from '../../daemon/methods/instruments.js';
import type { Instrument } from '../../src/domain/instrument.js';
import { ManualClock } from '../../src/market/clock.js';
import { METHODS } from '../../src/protocol/methods.js';
import { openStore, type Store } from '../../src/store/database.js';
import { replaceInstruments } from '../../src/store/instruments.js';

const NOW = new Date('2026-11-25T04:30:00.000Z'); // 10:00 IST

const base: Omit<Instrument, 'instrument_token' | 'exchange_token' | 'tradingsymbol'> = {
  name: 'NIFTY',
  last_price: 0,
  expiry: '2026-12-29',
  strike: 0,
  tick_size: 0.1,
  lot_size: 65,
  instrument_type: 'FUT',
  segment: 'NFO-FUT',
  exchange: 'NFO',
};
const MASTER: Instrument[] = [
  { ...base, instrument_token: 1001, exchange_token: 1, tradingsymbol: 'NIFTY26DECFUT' },
  {
    ...base,
    instrument_token: 1002,
    exchange_token: 2,
    tradingsymbol: 'RELIANCE26DECFUT',
    name: 'RELIANCE',
    lot_size: 500,
  },
  {
    ...base,
    instrument_token: 1003,
    exchange_token: 3,
    tradingsymbol: 'RELIANCE',
    name: 'RELIANCE INDUSTRIES',
    exchange: 'NSE',
    segment: 'NSE',
    instrument_type: 'EQ',
    expiry: null,
    lot_size: 1,
    tick_size: 0.05,
  },
];

/** Call a handler the way dispatch does: params through the schema, result checked against its schema. */
async function call<M extends keyof typeof instrumentHandlers>(method: M, params: unknown, ctx: DaemonContext) {
  const parsed = METHODS[method].params.parse(params);
  const result = await (instrumentHandlers[method] as (p: unknown, c: DaemonContext) => Promise<unknown>)(parsed, ctx);
  return METHODS[method].result.parse(result) as Awaited<ReturnType<(typeof instrumentHandlers)[M]>>;
}

describe('instruments.* handlers', () => {
  let dir: string;
  let store: Store;
  let ctx: DaemonContext;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-instr-rpc-'));
    store = await openStore(join(dir, 'som.db'));
    // The handlers use only the store and the clock.
    ctx = { store, clock: new ManualClock(NOW) } as unknown as DaemonContext;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('status before and after the first download', async () => {
    expect(await call('instruments.status', undefined, ctx)).toEqual({
      count: 0,
      downloadedAt: null,
      tradingDay: null,
      source: null,
    });
    await replaceInstruments(store.db, MASTER, { at: NOW, tradingDay: '2026-11-25', source: 'paper' });
    expect(await call('instruments.status', {}, ctx)).toEqual({
      count: 3,
      downloadedAt: '2026-11-25T04:30:00.000Z',
      tradingDay: '2026-11-25',
      source: 'paper',
    });
  });

  describe('with a master', () => {
    beforeEach(async () => {
      await replaceInstruments(store.db, MASTER, { at: NOW, tradingDay: '2026-11-25', source: 'paper' });
    });

    it('show: the instrument with its freeze limit on the clock’s day', async () => {
      const { instrument } = await call('instruments.show', { symbol: 'NFO:NIFTY26DECFUT' }, ctx);
      expect(instrument).toEqual({ ...MASTER[0], freeze_quantity: 1800 });
    });

    it('show: a stock future has no known freeze limit (null, not a guess)', async () => {
      const { instrument } = await call('instruments.show', { symbol: 'NFO:RELIANCE26DECFUT' }, ctx);
      expect(instrument.freeze_quantity).toBeNull();
      expect(instrument.lot_size).toBe(500);
    });

    it('show: the key is read case-insensitively', async () => {
      const { instrument } = await call('instruments.show', { symbol: 'nfo:nifty26decfut' }, ctx);
      expect(instrument.tradingsymbol).toBe('NIFTY26DECFUT');
    });

    it('show: an unknown symbol is NOT_FOUND, naming it and what to search for', async () => {
      await expect(call('instruments.show', { symbol: 'NFO:NIFTY26DEC99999CE' }, ctx)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'no instrument NFO:NIFTY26DEC99999CE; try `som instruments search NIFTY`',
      });
      await expect(call('instruments.show', { symbol: 'NSE:RELIANC' }, ctx)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'no instrument NSE:RELIANC; try `som instruments search RELIANC`',
      });
    });

    it('show: a bare symbol is found on the one exchange that lists it', async () => {
      const { instrument } = await call('instruments.show', { symbol: 'NIFTY26DECFUT' }, ctx);
      expect(`${instrument.exchange}:${instrument.tradingsymbol}`).toBe('NFO:NIFTY26DECFUT');
    });

    it('show: a malformed key is INVALID_INPUT', async () => {
      await expect(call('instruments.show', { symbol: 'NSE:' }, ctx)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(call('instruments.show', { symbol: 'NFX:NIFTY26DECFUT' }, ctx)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/unknown exchange NFX/),
      });
    });

    it('search: defaults to 20 rows, reads the exchange in any case, returns the total', async () => {
      const all = await call('instruments.search', { text: 'reliance' }, ctx);
      expect(all.instruments.map((i) => `${i.exchange}:${i.tradingsymbol}`)).toEqual([
        'NSE:RELIANCE',
        'NFO:RELIANCE26DECFUT',
      ]);
      expect(all.total).toBe(2);
      const nse = await call('instruments.search', { text: 'reliance', exchange: 'nse' }, ctx);
      expect(nse.instruments.map((i) => i.exchange)).toEqual(['NSE']);
    });
  });

  it('show on an empty store says the master has not been downloaded', async () => {
    await expect(call('instruments.show', { symbol: 'NSE:RELIANCE' }, ctx)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/not been downloaded/),
    });
  });
});

describe('instruments.* params', () => {
  const search = METHODS['instruments.search'].params;
  it('search limit: default 20, at most 200; text required', () => {
    expect(search.parse({ text: 'NIFTY' })).toEqual({ text: 'NIFTY', limit: 20 });
    expect(search.safeParse({ text: 'NIFTY', limit: 201 }).success).toBe(false);
    expect(search.safeParse({ text: 'NIFTY', limit: 0 }).success).toBe(false);
    expect(search.safeParse({ text: '  ' }).success).toBe(false);
    expect(search.safeParse({ text: 'NIFTY', exchange: 'NSX' }).success).toBe(false);
  });

  it('the search hint is the underlying of a derivative, quoted for the shell when needed', () => {
    expect(searchHint('BANKNIFTY26DEC52000CE')).toBe('BANKNIFTY');
    expect(searchHint('NIFTY 50')).toBe("'NIFTY 50'");
    expect(searchHint('M&M')).toBe("'M&M'");
  });
});
