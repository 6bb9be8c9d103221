import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/domain/instrument.js';
import { buildInstrumentMaster, isKiteCsvError, parseKiteCsv } from '../../src/paper/instruments/index.js';
import { openStore, type Store } from '../../src/store/database.js';
import {
  getInstrument,
  getInstrumentByToken,
  instrumentCount,
  lastDownload,
  replaceInstruments,
  searchInstruments,
} from '../../src/store/instruments.js';

const AT = new Date('2026-11-25T02:30:00.000Z'); // 08:00 IST
const META = { at: AT, tradingDay: '2026-11-25', source: 'kite' };
const FIXTURES = resolve(import.meta.dirname, '../fixtures/kite');

let nextToken = 1000;
function row(p: Partial<Instrument> & Pick<Instrument, 'tradingsymbol' | 'exchange'>): Instrument {
  const token = nextToken++;
  return {
    instrument_token: token,
    exchange_token: token,
    name: '',
    last_price: 0,
    expiry: null,
    strike: 0,
    tick_size: 0.05,
    lot_size: 1,
    instrument_type: 'EQ',
    segment: p.exchange,
    ...p,
  };
}

const fut = (tradingsymbol: string, name: string, expiry: string, exchange: Instrument['exchange'] = 'NFO') =>
  row({ tradingsymbol, name, expiry, exchange, instrument_type: 'FUT', segment: `${exchange}-FUT`, lot_size: 65 });
const opt = (tradingsymbol: string, name: string, expiry: string, strike: number, type: 'CE' | 'PE') =>
  row({
    tradingsymbol,
    name,
    expiry,
    strike,
    exchange: 'NFO',
    instrument_type: type,
    segment: 'NFO-OPT',
    lot_size: 65,
  });

/** A small master shaped like Kite's. */
function sampleMaster(): Instrument[] {
  return [
    // Deliberately out of order: the ordering must come from the query, not insertion.
    opt('NIFTY26D0126100PE', 'NIFTY', '2026-12-01', 26100, 'PE'),
    opt('NIFTY26D0126100CE', 'NIFTY', '2026-12-01', 26100, 'CE'),
    opt('NIFTY26D0126000CE', 'NIFTY', '2026-12-01', 26000, 'CE'),
    opt('NIFTY26D0826000CE', 'NIFTY', '2026-12-08', 26000, 'CE'),
    fut('NIFTY27JANFUT', 'NIFTY', '2027-01-26'),
    fut('NIFTY26DECFUT', 'NIFTY', '2026-12-29'),
    fut('NIFTYNXT5026DECFUT', 'NIFTYNXT50', '2026-12-29'),
    row({ tradingsymbol: 'NIFTYBEES', name: 'NIPPON INDIA ETF NIFTY BEES', exchange: 'NSE', tick_size: 0.01 }),
    row({ tradingsymbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', exchange: 'BSE' }),
    row({ tradingsymbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', exchange: 'NSE' }),
    fut('RELIANCE26DECFUT', 'RELIANCE', '2026-12-29'),
    row({ tradingsymbol: 'RPOWER', name: 'RELIANCE POWER', exchange: 'NSE' }),
    row({ tradingsymbol: 'JIOFIN', name: 'JIO FIN SERVICES (RELIANCE GROUP)', exchange: 'NSE' }),
    row({ tradingsymbol: 'HDFCBANK', name: 'HDFC BANK', exchange: 'NSE' }),
    row({ tradingsymbol: 'M&M', name: 'MAHINDRA & MAHINDRA', exchange: 'NSE' }),
  ];
}

const keys = (list: Instrument[]) => list.map((i) => `${i.exchange}:${i.tradingsymbol}`);

describe('instrument store', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-instruments-'));
    store = await openStore(join(dir, 'som.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is empty with no download before the first', async () => {
    expect(await instrumentCount(store.db)).toBe(0);
    expect(await lastDownload(store.db)).toBeNull();
    expect(await getInstrument(store.db, 'NSE', 'RELIANCE')).toBeNull();
  });

  it("stores Kite's own master rows and gives them back field for field", async () => {
    const parsed = parseKiteCsv(readFileSync(join(FIXTURES, 'instruments_all.csv'), 'utf8'));
    if (isKiteCsvError(parsed)) throw new Error(parsed.message);
    const { download, skipped } = await replaceInstruments(store.db, parsed, META);
    expect(skipped).toBe(0);
    expect(download).toEqual({
      at: '2026-11-25T02:30:00.000Z',
      tradingDay: '2026-11-25',
      count: parsed.length,
      source: 'kite',
    });
    expect(await instrumentCount(store.db)).toBe(parsed.length);
    // 12073986,47164,BANKNIFTY18JAN23500CE,,2528.4,2018-01-25,23500.0,0.05,40,CE,NFO-OPT,NFO
    const expected: Instrument = {
      instrument_token: 12073986,
      exchange_token: 47164,
      tradingsymbol: 'BANKNIFTY18JAN23500CE',
      name: '',
      last_price: 2528.4,
      expiry: '2018-01-25',
      strike: 23500,
      tick_size: 0.05,
      lot_size: 40,
      instrument_type: 'CE',
      segment: 'NFO-OPT',
      exchange: 'NFO',
    };
    expect(await getInstrument(store.db, 'NFO', 'BANKNIFTY18JAN23500CE')).toEqual(expected);
    expect(await getInstrumentByToken(store.db, 12073986)).toEqual(expected);
    expect(await getInstrumentByToken(store.db, 1)).toBeNull();
    // The exchange is part of the key.
    expect(await getInstrument(store.db, 'BSE', 'BANKNIFTY18JAN23500CE')).toBeNull();
  });

  it('a new download replaces the whole master and becomes the last download', async () => {
    await replaceInstruments(store.db, sampleMaster(), META);
    const next = [row({ tradingsymbol: 'INFY', name: 'INFOSYS', exchange: 'NSE' })];
    const later = new Date('2026-11-26T02:30:00.000Z');
    await replaceInstruments(store.db, next, { at: later, tradingDay: '2026-11-26', source: 'paper' });
    expect(await instrumentCount(store.db)).toBe(1);
    expect(await getInstrument(store.db, 'NSE', 'RELIANCE')).toBeNull(); // yesterday's rows are gone
    expect(await getInstrument(store.db, 'NSE', 'INFY')).not.toBeNull();
    expect(await lastDownload(store.db)).toEqual({
      at: later.toISOString(),
      tradingDay: '2026-11-26',
      count: 1,
      source: 'paper',
    });
  });

  it('refuses an empty master and keeps the one it has', async () => {
    await replaceInstruments(store.db, sampleMaster(), META);
    await expect(replaceInstruments(store.db, [], META)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await instrumentCount(store.db)).toBe(sampleMaster().length);
  });

  it('a failure part-way through leaves the previous master whole (one transaction)', async () => {
    const before = sampleMaster();
    await replaceInstruments(store.db, before, META);
    const rows = Array.from({ length: 2500 }, (_, n) => row({ tradingsymbol: `S${n}`, exchange: 'NSE' }));
    // A value SQLite cannot bind, in the third insert batch: the first two were already written.
    (rows[2400] as unknown as { name: unknown }).name = { not: 'a string' };
    await expect(replaceInstruments(store.db, rows, { ...META, tradingDay: '2026-11-26' })).rejects.toThrow();
    expect(await instrumentCount(store.db)).toBe(before.length);
    expect(await getInstrument(store.db, 'NSE', 'S0')).toBeNull();
    expect((await lastDownload(store.db))?.tradingDay).toBe('2026-11-25');
  });

  it('keeps the first of two rows with the same key and counts the other as skipped', async () => {
    const first = row({ tradingsymbol: 'SBIN', name: 'STATE BANK OF INDIA', exchange: 'NSE' });
    const sameKey = { ...row({ tradingsymbol: 'SBIN', exchange: 'NSE' }), name: 'DUPLICATE' };
    const sameToken = { ...row({ tradingsymbol: 'OTHER', exchange: 'NSE' }), instrument_token: first.instrument_token };
    const { download, skipped } = await replaceInstruments(store.db, [first, sameKey, sameToken], META);
    expect(skipped).toBe(2);
    expect(download.count).toBe(1);
    expect((await getInstrument(store.db, 'NSE', 'SBIN'))?.name).toBe('STATE BANK OF INDIA');
  });

  it('ignores extra properties on the rows it is given (the paper master carries its own)', async () => {
    const rich = { ...row({ tradingsymbol: 'TCS', exchange: 'NSE' }), paper: { referencePrice: 4000 } };
    await replaceInstruments(store.db, [rich], META);
    expect(await getInstrument(store.db, 'NSE', 'TCS')).not.toHaveProperty('paper');
  });

  // Kite lists indices with lot 0 and tick 0 (kite.trade forum:
  // "265,1,SENSEX,SENSEX,0.0,,0.0,0.0,0,EQ,INDICES,BSE"; the paper master copies that).
  it('stores index rows, which Kite lists with lot 0 and tick 0', async () => {
    const nifty50 = row({
      tradingsymbol: 'NIFTY 50',
      name: 'NIFTY 50',
      exchange: 'NSE',
      segment: 'INDICES',
      lot_size: 0,
      tick_size: 0,
    });
    const { skipped } = await replaceInstruments(store.db, [nifty50], META);
    expect(skipped).toBe(0);
    expect(await getInstrument(store.db, 'NSE', 'NIFTY 50')).not.toBeNull();
  });

  it("stores the paper exchange's whole master, index rows included", async () => {
    const master = buildInstrumentMaster('2026-11-25');
    const indices = master.filter((i) => i.segment === 'INDICES').length;
    const { download, skipped } = await replaceInstruments(store.db, master, { ...META, source: 'paper' });
    expect(indices).toBeGreaterThan(0);
    expect(skipped).toBe(0);
    expect(download.count).toBe(master.length);
    const { instruments } = await searchInstruments(store.db, 'NIFTY', { limit: 1 });
    expect(instruments[0]).toMatchObject({ name: 'NIFTY', instrument_type: 'FUT', exchange: 'NFO', lot_size: 65 });
  });

  it('replaces a 100k-row master (the size of Kite’s) whole, and searches it', async () => {
    const rows: Instrument[] = [];
    for (let n = 0; n < 100_000; n++) {
      const strike = 20_000 + 50 * Math.floor(n / 2);
      rows.push({
        instrument_token: 10_000_000 + n,
        exchange_token: 40_000 + n,
        tradingsymbol: `NIFTY26DEC${strike}${n % 2 ? 'PE' : 'CE'}`,
        name: 'NIFTY',
        last_price: 0,
        expiry: '2026-12-29',
        strike,
        tick_size: 0.05,
        lot_size: 65,
        instrument_type: n % 2 ? 'PE' : 'CE',
        segment: 'NFO-OPT',
        exchange: 'NFO',
      });
    }
    await replaceInstruments(store.db, sampleMaster(), META); // so the replacement also deletes
    const { download } = await replaceInstruments(store.db, rows, META);
    expect(download.count).toBe(100_000);
    const { instruments, total } = await searchInstruments(store.db, 'NIFTY', { limit: 20 });
    expect(total).toBe(100_000);
    expect(instruments[0]?.tradingsymbol).toBe('NIFTY26DEC20000CE');
  }, 30_000);
});

describe('instrument search', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-instruments-'));
    store = await openStore(join(dir, 'som.db'));
    await replaceInstruments(store.db, sampleMaster(), META);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('"reliance": the share on NSE then BSE, its futures, then other names that mention it', async () => {
    const { instruments, total } = await searchInstruments(store.db, 'reliance', { limit: 20 });
    expect(keys(instruments)).toEqual([
      'NSE:RELIANCE',
      'BSE:RELIANCE',
      'NFO:RELIANCE26DECFUT',
      'NSE:RPOWER',
      'NSE:JIOFIN',
    ]);
    expect(total).toBe(5);
  });

  it('"NIFTY": the underlying’s futures by expiry, its options by expiry, strike, call before put, then other symbols', async () => {
    const { instruments, total } = await searchInstruments(store.db, 'NIFTY', { limit: 20 });
    expect(keys(instruments)).toEqual([
      'NFO:NIFTY26DECFUT',
      'NFO:NIFTY27JANFUT',
      'NFO:NIFTY26D0126000CE',
      'NFO:NIFTY26D0126100CE',
      'NFO:NIFTY26D0126100PE',
      'NFO:NIFTY26D0826000CE',
      'NSE:NIFTYBEES',
      'NFO:NIFTYNXT5026DECFUT',
    ]);
    expect(total).toBe(8);
  });

  it('the limit cuts the list, the total still counts every match', async () => {
    const { instruments, total } = await searchInstruments(store.db, 'NIFTY', { limit: 2 });
    expect(keys(instruments)).toEqual(['NFO:NIFTY26DECFUT', 'NFO:NIFTY27JANFUT']);
    expect(total).toBe(8);
  });

  it('an exact trading symbol comes first, whatever its case', async () => {
    const { instruments } = await searchInstruments(store.db, 'nifty26decfut', { limit: 20 });
    expect(keys(instruments)[0]).toBe('NFO:NIFTY26DECFUT');
  });

  it('filters by exchange', async () => {
    expect(keys((await searchInstruments(store.db, 'NIFTY', { exchange: 'NSE', limit: 20 })).instruments)).toEqual([
      'NSE:NIFTYBEES',
    ]);
    const bse = await searchInstruments(store.db, 'RELIANCE', { exchange: 'BSE', limit: 20 });
    expect(keys(bse.instruments)).toEqual(['BSE:RELIANCE']);
    expect(bse.total).toBe(1);
  });

  it('finds a share by words of its name', async () => {
    expect(keys((await searchInstruments(store.db, 'hdfc bank', { limit: 20 })).instruments)).toEqual(['NSE:HDFCBANK']);
    expect(keys((await searchInstruments(store.db, 'M&M', { limit: 20 })).instruments)).toEqual(['NSE:M&M']);
  });

  it('treats % and _ as themselves, not as wildcards', async () => {
    expect(await searchInstruments(store.db, '%', { limit: 20 })).toEqual({ instruments: [], total: 0 });
    expect(await searchInstruments(store.db, 'NIFTY_', { limit: 20 })).toEqual({ instruments: [], total: 0 });
  });

  it('finds nothing for an unknown text or blank text', async () => {
    expect(await searchInstruments(store.db, 'ZZZNOTHING', { limit: 20 })).toEqual({ instruments: [], total: 0 });
    expect(await searchInstruments(store.db, '   ', { limit: 20 })).toEqual({ instruments: [], total: 0 });
  });
});
