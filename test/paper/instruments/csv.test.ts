import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src/domain/instrument.js';
import {
  isKiteCsvError,
  type KiteCsvError,
  parseKiteCsv,
  pythonFloat,
  toKiteCsv,
} from '../../../src/paper/instruments/csv.js';
import { buildInstrumentMaster } from '../../../src/paper/instruments/master.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/kite/${name}`, import.meta.url), 'utf8');

function parsed(text: string): Instrument[] {
  const r = parseKiteCsv(text);
  if (isKiteCsvError(r)) throw new Error(r.message);
  return r;
}

const HEADER =
  'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange';

describe('reading Kite\u2019s fixtures', () => {
  it.each(['instruments_all.csv', 'instruments_nse.csv'])('reads every row of %s', (name) => {
    const text = fixture(name);
    const rows = parsed(text);
    expect(rows).toHaveLength(text.trim().split(/\r?\n/).length - 1);
    expect(rows[0]).toEqual({
      instrument_token: 3813889,
      exchange_token: 14898,
      tradingsymbol: 'CENTRALBK-BE',
      name: 'CENTRAL BANK OF INDIA',
      last_price: 0,
      expiry: null,
      strike: 0,
      tick_size: 0.05,
      lot_size: 1,
      instrument_type: 'EQ',
      segment: 'NSE',
      exchange: 'NSE',
    });
  });

  it('reads options, bonds and names with ampersands', () => {
    const rows = parsed(fixture('instruments_all.csv'));
    const by = (s: string): Instrument | undefined => rows.find((r) => r.tradingsymbol === s);
    expect(by('BANKNIFTY18JAN23500CE')).toEqual({
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
    });
    expect(by('COX&KINGS')?.name).toBe('COX & KINGS');
    expect(by('828GOI27-ML')).toMatchObject({ tick_size: 0.25, lot_size: 500000, exchange: 'BSE' });
  });
});

describe('writing Kite\u2019s format', () => {
  it.each(['instruments_all.csv', 'instruments_nse.csv'])('reproduces %s byte for byte', (name) => {
    const text = fixture(name);
    expect(toKiteCsv(parsed(text))).toBe(text);
  });

  it('writes numbers as Python floats and integers as integers', () => {
    expect(pythonFloat(0)).toBe('0.0');
    expect(pythonFloat(23500)).toBe('23500.0');
    expect(pythonFloat(0.05)).toBe('0.05');
    expect(pythonFloat(2528.4)).toBe('2528.4');
    expect(pythonFloat(0.0025)).toBe('0.0025');
    expect(pythonFloat(0.00001)).toBe('1e-05');
    expect(pythonFloat(1e16)).toBe('1e+16');
    expect(pythonFloat(-3.5)).toBe('-3.5');
  });

  it('quotes only fields that need it, and reads them back', () => {
    const row: Instrument = {
      instrument_token: 1025,
      exchange_token: 4,
      tradingsymbol: 'ODD,NAME',
      name: 'SAYS "HELLO"',
      last_price: 0,
      expiry: null,
      strike: 0,
      tick_size: 0.05,
      lot_size: 1,
      instrument_type: 'EQ',
      segment: 'NSE',
      exchange: 'NSE',
    };
    const text = toKiteCsv([row]);
    expect(text).toBe(`${HEADER}\r\n1025,4,"ODD,NAME","SAYS ""HELLO""",0.0,,0.0,0.05,1,EQ,NSE,NSE\r\n`);
    expect(parsed(text)).toEqual([row]);
  });

  it('round-trips the generated master (without the paper-only facts)', () => {
    const master = buildInstrumentMaster('2026-11-24');
    const back = parsed(toKiteCsv(master));
    expect(back).toEqual(master.map(({ paper: _paper, ...kite }) => kite));
  });
});

describe('forgiving reading, strict errors', () => {
  it('reads LF endings, quoted names, integer prices and empty strikes as current dumps write them', () => {
    const text = `${HEADER}\n738561,2885,RELIANCE,"RELIANCE INDUSTRIES",0,,,0.05,1,EQ,NSE,NSE\n256265,1001,NIFTY 50,NIFTY 50,0,,0,0,0,EQ,INDICES,NSE\n`;
    expect(parsed(text)).toEqual([
      expect.objectContaining({ tradingsymbol: 'RELIANCE', name: 'RELIANCE INDUSTRIES', strike: 0, last_price: 0 }),
      expect.objectContaining({ tradingsymbol: 'NIFTY 50', segment: 'INDICES', lot_size: 0, tick_size: 0 }),
    ]);
  });

  it('rejects a file without Kite\u2019s columns', () => {
    expect(parseKiteCsv('token,symbol\n1,X\n')).toMatchObject({ code: 'KITE_CSV_BAD_HEADER', line: 1 });
    expect(parseKiteCsv('')).toMatchObject({ code: 'KITE_CSV_BAD_HEADER' });
  });

  it('names the first bad row, or skips bad rows when asked', () => {
    const text = [
      HEADER,
      '738561,2885,RELIANCE,RELIANCE INDUSTRIES,0.0,,0.0,0.05,1,EQ,NSE,NSE',
      'abc,2885,BROKEN,X,0.0,,0.0,0.05,1,EQ,NSE,NSE',
      '1,1,ELSEWHERE,X,0.0,,0.0,0.05,1,EQ,NSE,NSEIX',
      '2,1,BADDATE,X,0.0,2026-13-01,0.0,0.05,1,FUT,NFO-FUT,NFO',
      '779521,3045,SBIN,STATE BANK OF INDIA,0.0,,0.0,0.05,1,EQ,NSE,NSE',
    ].join('\r\n');
    expect(parseKiteCsv(text)).toEqual({
      code: 'KITE_CSV_BAD_ROW',
      message: 'line 3: instrument_token "abc" is not a whole number',
      line: 3,
    });
    const problems: KiteCsvError[] = [];
    const rows = parseKiteCsv(text, { skipBadRows: true, onBadRow: (p) => problems.push(p) });
    expect(isKiteCsvError(rows) ? [] : rows.map((r) => r.tradingsymbol)).toEqual(['RELIANCE', 'SBIN']);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(problems[1]?.message).toMatch(/exchange "NSEIX"/);
    expect(problems[2]?.message).toMatch(/expiry "2026-13-01"/);
  });
});
