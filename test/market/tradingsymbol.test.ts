import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  derivativeSymbol,
  formatTradingSymbol,
  isTradingSymbolError,
  type ParsedTradingSymbol,
  parseTradingSymbol,
  resolveExpiry,
} from '../../src/market/tradingsymbol.js';

function parsed(symbol: string): ParsedTradingSymbol {
  const r = parseTradingSymbol(symbol);
  if (isTradingSymbolError(r)) throw new Error(r.message);
  return r;
}

describe('the reference examples', () => {
  it.each([
    [
      'NIFTY23JUL17900CE',
      { underlying: 'NIFTY', kind: 'CE', form: 'monthly', expiry: { year: 2023, month: 7, day: null }, strike: 17900 },
    ],
    [
      'NIFTY2371317900PE',
      { underlying: 'NIFTY', kind: 'PE', form: 'weekly', expiry: { year: 2023, month: 7, day: 13 }, strike: 17900 },
    ],
    [
      'NIFTY25DECFUT',
      { underlying: 'NIFTY', kind: 'FUT', form: 'monthly', expiry: { year: 2025, month: 12, day: null }, strike: 0 },
    ],
    [
      'NIFTY25DEC24500CE',
      { underlying: 'NIFTY', kind: 'CE', form: 'monthly', expiry: { year: 2025, month: 12, day: null }, strike: 24500 },
    ],
    [
      'NIFTY2571524500CE',
      { underlying: 'NIFTY', kind: 'CE', form: 'weekly', expiry: { year: 2025, month: 7, day: 15 }, strike: 24500 },
    ],
  ])('%s', (symbol, expected) => {
    expect(parseTradingSymbol(symbol)).toEqual(expected);
    expect(formatTradingSymbol(parsed(symbol))).toBe(symbol);
  });
});

describe('underlyings that contain digits, punctuation or month-like letters', () => {
  it.each([
    ['M&M26JAN3700CE', 'M&M', 'monthly', 3700],
    ['BAJAJ-AUTO26JANFUT', 'BAJAJ-AUTO', 'monthly', 0],
    ['BAJAJ-AUTO26JAN9000PE', 'BAJAJ-AUTO', 'monthly', 9000],
    ['NIFTYNXT5026JANFUT', 'NIFTYNXT50', 'monthly', 0],
    ['NIFTYNXT5026JAN70000CE', 'NIFTYNXT50', 'monthly', 70000],
    ['NIFTYNXT502611570000CE', 'NIFTYNXT50', 'weekly', 70000], // digit-month weekly after a digit-ending name
    ['NIFTYNXT5026N1070000PE', 'NIFTYNXT50', 'weekly', 70000],
    ['MIDCPNIFTY26JAN13000PE', 'MIDCPNIFTY', 'monthly', 13000],
    ['FINNIFTY26JANFUT', 'FINNIFTY', 'monthly', 0],
    ['GOLDM26JANFUT', 'GOLDM', 'monthly', 0],
    ['SILVERMIC26FEBFUT', 'SILVERMIC', 'monthly', 0],
    ['CRUDEOIL26JAN5500CE', 'CRUDEOIL', 'monthly', 5500],
    ['SENSEX26D0386500CE', 'SENSEX', 'weekly', 86500],
    ['NTPC23JUN182.5CE', 'NTPC', 'monthly', 182.5],
    ['POWERGRID23SEP198.75CE', 'POWERGRID', 'monthly', 198.75],
    ['YESBANK25APR18CE', 'YESBANK', 'monthly', 18],
    ['NIFTY2571524500.5CE', 'NIFTY', 'weekly', 24500.5],
  ])('%s -> %s', (symbol, underlying, form, strike) => {
    const p = parsed(symbol);
    expect(p.underlying).toBe(underlying);
    expect(p.form).toBe(form);
    expect(p.strike).toBe(strike);
    expect(formatTradingSymbol(p)).toBe(symbol);
  });

  it('reads the O/N/D weekly month codes', () => {
    expect(parsed('NIFTY26O2726000CE').expiry).toEqual({ year: 2026, month: 10, day: 27 });
    expect(parsed('NIFTY26N0925500PE').expiry).toEqual({ year: 2026, month: 11, day: 9 });
    expect(parsed('NIFTY20D1713600CE').expiry).toEqual({ year: 2020, month: 12, day: 17 }); // Kite forum example
  });

  it('accepts further digit-ending underlyings from the caller', () => {
    // Read with the default rule, the run 12261151000 gives YY 12, M 2, DD 61: no such day.
    expect(parseTradingSymbol('ABC12261151000CE')).toMatchObject({ code: 'TRADINGSYMBOL_INVALID' });
    const r = parseTradingSymbol('ABC12261151000CE', { digitEndingUnderlyings: ['ABC12'] });
    expect(r).toMatchObject({ underlying: 'ABC12', expiry: { year: 2026, month: 1, day: 15 }, strike: 1000 });
  });
});

describe('symbols that are not valid derivatives', () => {
  it.each(['RELIANCE', 'NIFTY 50', 'SBIN-BE', 'INDIGOPE', 'NIFTYCE', 'CE', 'XFUT', ''])(
    '%j is not a derivative',
    (symbol) => {
      expect(parseTradingSymbol(symbol)).toMatchObject({ code: 'TRADINGSYMBOL_NOT_DERIVATIVE' });
    },
  );

  it.each([
    ['NIFTY25XYZFUT', /YY \+ MMM \+ FUT/],
    ['25DECFUT', /YY \+ MMM \+ FUT/],
    ['NIFTY2573224500CE', /day 32 does not exist in 2025-07/],
    ['NIFTY25DEC0CE', /strike/],
    ['NIFTY25DEC024500CE', /strike/],
    ['NIFTY25DEC24500.50CE', /strike/],
    ['25DEC24500CE', /expected YYMMM/],
  ])('%s is rejected with a reason', (symbol, reason) => {
    const r = parseTradingSymbol(symbol);
    expect(r).toMatchObject({ code: 'TRADINGSYMBOL_INVALID' });
    expect(isTradingSymbolError(r) && r.message).toMatch(reason);
  });

  it('refuses to write impossible symbols', () => {
    const fut = {
      underlying: 'NIFTY',
      kind: 'FUT',
      form: 'weekly',
      expiry: { year: 2026, month: 12, day: 1 },
      strike: 0,
    } as const;
    expect(formatTradingSymbol(fut)).toMatchObject({ code: 'TRADINGSYMBOL_INVALID' });
    const noDay = {
      underlying: 'NIFTY',
      kind: 'CE',
      form: 'weekly',
      expiry: { year: 2026, month: 12, day: null },
      strike: 26000,
    } as const;
    expect(formatTradingSymbol(noDay)).toMatchObject({ code: 'TRADINGSYMBOL_INVALID' });
    const noStrike = {
      underlying: 'NIFTY',
      kind: 'PE',
      form: 'monthly',
      expiry: { year: 2026, month: 12, day: null },
      strike: 0,
    } as const;
    expect(formatTradingSymbol(noStrike)).toMatchObject({ code: 'TRADINGSYMBOL_INVALID' });
  });
});

describe('symbols from expiry dates', () => {
  it('uses the weekly form only for weekly expiries that are not the monthly one', () => {
    expect(derivativeSymbol('NIFTY', 'CE', '2026-12-22', 26000)).toBe('NIFTY26D2226000CE');
    expect(derivativeSymbol('NIFTY', 'CE', '2026-12-29', 26000)).toBe('NIFTY26DEC26000CE');
    expect(derivativeSymbol('NIFTY', 'PE', '2026-11-09', 25500)).toBe('NIFTY26N0925500PE');
    expect(derivativeSymbol('NIFTY', 'CE', '2026-03-02', 25000)).toBe('NIFTY2630225000CE');
    expect(derivativeSymbol('NIFTY', 'FUT', '2026-12-29', 0)).toBe('NIFTY26DECFUT');
    expect(derivativeSymbol('SENSEX', 'CE', '2026-12-03', 86500)).toBe('SENSEX26D0386500CE');
    expect(derivativeSymbol('SENSEX', 'CE', '2026-11-26', 86500)).toBe('SENSEX26NOV86500CE');
    expect(derivativeSymbol('BANKNIFTY', 'PE', '2026-12-29', 60000)).toBe('BANKNIFTY26DEC60000PE');
  });

  it('resolves a parsed symbol back to its expiry date', () => {
    expect(resolveExpiry(parsed('NIFTY26N0925500PE'))).toBe('2026-11-09');
    expect(resolveExpiry(parsed('NIFTY26NOV25500PE'))).toBe('2026-11-23');
    expect(resolveExpiry(parsed('SENSEX26MARFUT'))).toBe('2026-03-25');
    expect(resolveExpiry(parsed('CRUDEOIL26AUGFUT'))).toBe('2026-08-19');
    expect(resolveExpiry(parsed('CRUDEOIL26AUG8800CE'))).toBe('2026-08-17');
    expect(resolveExpiry(parsed('GOLD26MARFUT'))).toBeNull();
  });
});

describe('the NFO rows of Kite\u2019s instrument master fixture', () => {
  const csv = readFileSync(new URL('../fixtures/kite/instruments_all.csv', import.meta.url), 'utf8');
  const rows = csv
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','))
    .filter((f) => f[11] === 'NFO');

  it('has derivative rows to check', () => {
    expect(rows.length).toBeGreaterThan(20);
  });

  it('parses each symbol to the row\u2019s type and strike, resolves its expiry and writes it back', () => {
    for (const f of rows) {
      const [, , symbol = '', , , expiry = '', strike = '', , , type = ''] = f;
      const p = parsed(symbol);
      expect(p.kind, symbol).toBe(type);
      expect(p.strike, symbol).toBe(Number(strike));
      expect(resolveExpiry(p), symbol).toBe(expiry);
      expect(formatTradingSymbol(p), symbol).toBe(symbol);
    }
  });
});
