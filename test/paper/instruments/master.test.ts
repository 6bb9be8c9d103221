import { describe, expect, it } from 'vitest';
import { isTradingDay } from '../../../src/market/calendar.js';
import { isTradingSymbolError, parseTradingSymbol, resolveExpiry } from '../../../src/market/tradingsymbol.js';
import { buildInstrumentMaster } from '../../../src/paper/instruments/master.js';
import {
  MINTED_EXCHANGE_TOKEN_MAX,
  MINTED_EXCHANGE_TOKEN_MIN,
  segmentIdFor,
} from '../../../src/paper/instruments/tokens.js';
import type { PaperInstrument } from '../../../src/paper/instruments/types.js';

const AS_OF = '2026-11-24'; // a Tuesday and a holiday (Guru Nanak Jayanti)
const master = buildInstrumentMaster(AS_OF);

const one = (m: readonly PaperInstrument[], exchange: string, symbol: string): PaperInstrument => {
  const i = m.find((x) => x.exchange === exchange && x.tradingsymbol === symbol);
  if (!i) throw new Error(`${exchange}:${symbol} not listed`);
  return i;
};
const expiriesOf = (m: readonly PaperInstrument[], name: string, segment: string): string[] =>
  [...new Set(m.filter((i) => i.name === name && i.segment === segment).map((i) => i.expiry ?? ''))].sort();
const strikesOf = (m: readonly PaperInstrument[], name: string, expiry: string): number[] =>
  [
    ...new Set(
      m.filter((i) => i.name === name && i.expiry === expiry && i.instrument_type === 'CE').map((i) => i.strike),
    ),
  ].sort((a, b) => a - b);

function checkInvariants(asOf: string, m: readonly PaperInstrument[]): void {
  const tokens = new Set<number>();
  const keys = new Set<string>();
  for (const i of m) {
    const where = `${asOf} ${i.exchange}:${i.tradingsymbol}`;
    expect(tokens.has(i.instrument_token), `duplicate token ${where}`).toBe(false);
    expect(keys.has(`${i.exchange}:${i.tradingsymbol}`), `duplicate symbol ${where}`).toBe(false);
    tokens.add(i.instrument_token);
    keys.add(`${i.exchange}:${i.tradingsymbol}`);
    // The tick decoder reads the segment from the low byte.
    expect(i.instrument_token & 0xff, where).toBe(segmentIdFor(i.exchange, i.segment));
    expect(Math.floor(i.instrument_token / 256), where).toBe(i.exchange_token);
    expect(i.instrument_token, where).toBeLessThan(2 ** 31);
    if (i.instrument_type === 'EQ') {
      expect(i.expiry, where).toBeNull();
      continue;
    }
    // Derivatives: minted tokens, live contracts, expiring on a trading day, symbols that parse back.
    expect(i.exchange_token, where).toBeGreaterThanOrEqual(MINTED_EXCHANGE_TOKEN_MIN);
    expect(i.exchange_token, where).toBeLessThanOrEqual(MINTED_EXCHANGE_TOKEN_MAX);
    expect(i.expiry !== null && i.expiry >= asOf, `expired ${where}`).toBe(true);
    expect(isTradingDay(i.expiry ?? '', i.exchange), where).toBe(true);
    const p = parseTradingSymbol(i.tradingsymbol);
    if (isTradingSymbolError(p)) throw new Error(`${where}: ${p.message}`);
    expect(p.underlying, where).toBe(i.name);
    expect(p.kind, where).toBe(i.instrument_type);
    expect(p.strike, where).toBe(i.strike);
    expect(resolveExpiry(p), where).toBe(i.expiry);
    expect(i.paper.underlying, where).toBe(i.name);
    if (i.instrument_type !== 'FUT') {
      // Option premiums sit on the tick grid, at least one tick.
      const ticks = i.paper.referencePrice / i.tick_size;
      expect(Math.abs(ticks - Math.round(ticks)), where).toBeLessThan(1e-6);
      expect(i.paper.referencePrice, where).toBeGreaterThanOrEqual(i.tick_size);
    }
  }
}

describe('instrument master invariants', () => {
  it.each([AS_OF, '2026-11-25', '2026-12-01', '2026-12-29', '2026-02-01', '2027-01-26', '2027-03-10'])(
    'hold for a master as of %s',
    (asOf) => {
      checkInvariants(asOf, asOf === AS_OF ? master : buildInstrumentMaster(asOf));
    },
  );

  it('is deterministic, and a contract keeps its token from one day to the next', () => {
    expect(buildInstrumentMaster(AS_OF)).toEqual(master);
    const tomorrow = buildInstrumentMaster('2026-11-25');
    for (const s of ['NIFTY26DECFUT', 'NIFTY26D0825800CE', 'RELIANCE27JANFUT']) {
      expect(one(tomorrow, 'NFO', s).instrument_token).toBe(one(master, 'NFO', s).instrument_token);
    }
  });

  it('lists a contract on its expiry day and drops it the day after', () => {
    expect(expiriesOf(buildInstrumentMaster('2026-12-01'), 'NIFTY', 'NFO-OPT')[0]).toBe('2026-12-01');
    expect(expiriesOf(buildInstrumentMaster('2026-12-02'), 'NIFTY', 'NFO-OPT')[0]).toBe('2026-12-08');
    // NATURALGAS November expires on the 24th itself (the day before NYMEX's Nov 25).
    expect(expiriesOf(master, 'NATURALGAS', 'MCX-FUT')).toEqual(['2026-11-24', '2026-12-28', '2027-01-25']);
  });
});

describe('what is listed as of 2026-11-24', () => {
  it('has the indices with their real tokens and about 45 shares, some on BSE too', () => {
    expect(one(master, 'NSE', 'NIFTY 50')).toMatchObject({
      instrument_token: 256265,
      exchange_token: 1001,
      segment: 'INDICES',
      lot_size: 0,
    });
    expect(one(master, 'NSE', 'NIFTY BANK').instrument_token).toBe(260105);
    expect(one(master, 'BSE', 'SENSEX')).toMatchObject({ instrument_token: 265, segment: 'INDICES' });
    expect(one(master, 'NSE', 'RELIANCE').instrument_token).toBe(738561);
    expect(one(master, 'NSE', 'SBIN').instrument_token).toBe(779521);
    expect(one(master, 'NSE', 'INFY').instrument_token).toBe(408065);
    expect(one(master, 'BSE', 'RELIANCE').instrument_token).toBe(128083204);
    expect(one(master, 'NSE', 'M&M').lot_size).toBe(1);
    expect(one(master, 'NSE', 'BAJAJ-AUTO').segment).toBe('NSE');
    expect(master.filter((i) => i.segment === 'NSE').length).toBeGreaterThanOrEqual(40);
    expect(master.filter((i) => i.segment === 'BSE').length).toBeGreaterThanOrEqual(10);
  });

  it('lists NIFTY options on the next 4 weekly and 3 monthly expiries, BANKNIFTY on 3 monthlies, SENSEX on 4 Thursdays', () => {
    // Nov 24's own expiry moved to Nov 23 and is gone; Dec 29 is both the 5th weekly and the first monthly.
    expect(expiriesOf(master, 'NIFTY', 'NFO-OPT')).toEqual([
      '2026-12-01',
      '2026-12-08',
      '2026-12-15',
      '2026-12-22',
      '2026-12-29',
      '2027-01-25',
      '2027-02-23',
    ]);
    expect(expiriesOf(master, 'BANKNIFTY', 'NFO-OPT')).toEqual(['2026-12-29', '2027-01-25', '2027-02-23']);
    expect(expiriesOf(master, 'SENSEX', 'BFO-OPT')).toEqual(['2026-11-26', '2026-12-03', '2026-12-10', '2026-12-17']);
    expect(expiriesOf(master, 'NIFTY', 'NFO-FUT')).toEqual(['2026-12-29', '2027-01-25', '2027-02-23']);
    expect(expiriesOf(master, 'SENSEX', 'BFO-FUT')).toEqual(['2026-11-26', '2026-12-31', '2027-01-28']);
    expect(expiriesOf(master, 'RELIANCE', 'NFO-OPT')).toEqual(['2026-12-29', '2027-01-25']);
    expect(expiriesOf(master, 'CRUDEOIL', 'MCX-FUT')).toEqual(['2026-12-18', '2027-01-19', '2027-02-19']);
    expect(expiriesOf(master, 'CRUDEOIL', 'MCX-OPT')).toEqual(['2026-12-16', '2027-01-15']);
  });

  it('writes weekly and monthly symbols by the expiry\u2019s kind', () => {
    expect(one(master, 'NFO', 'NIFTY26D0125800CE').expiry).toBe('2026-12-01');
    expect(one(master, 'NFO', 'NIFTY26DEC25800PE').expiry).toBe('2026-12-29');
    expect(master.some((i) => i.tradingsymbol.startsWith('NIFTY26D29'))).toBe(false);
    expect(one(master, 'BFO', 'SENSEX26NOV84400CE').expiry).toBe('2026-11-26');
    expect(one(master, 'BFO', 'SENSEX26D0384400CE').expiry).toBe('2026-12-03');
    expect(one(master, 'MCX', 'CRUDEOIL26DEC8000CE').expiry).toBe('2026-12-16');
  });

  it('centres the strike ladders on the spot, on the strike step, wider near expiry', () => {
    // NIFTY 25800, step 50: 30 strikes each side within 35 days, 20 beyond.
    const near = strikesOf(master, 'NIFTY', '2026-12-01');
    expect(near).toHaveLength(61);
    expect([near[0], near[30], near[60]]).toEqual([24300, 25800, 27300]);
    expect(strikesOf(master, 'NIFTY', '2027-01-25')).toHaveLength(41);
    for (const [name, step] of [
      ['NIFTY', 50],
      ['BANKNIFTY', 100],
      ['SENSEX', 100],
      ['CRUDEOIL', 50],
      ['RELIANCE', 10],
    ] as const) {
      for (const i of master.filter(
        (x) => x.name === name && (x.instrument_type === 'CE' || x.instrument_type === 'PE'),
      )) {
        expect(i.strike % step, i.tradingsymbol).toBe(0);
      }
    }
    expect(strikesOf(master, 'BANKNIFTY', '2026-12-29')[30]).toBe(58600);
  });

  it('follows the spots passed in', () => {
    const m = buildInstrumentMaster(AS_OF, { spots: { NIFTY: 24012 } });
    const strikes = strikesOf(m, 'NIFTY', '2026-12-01');
    expect([strikes[0], strikes[30], strikes[60]]).toEqual([22500, 24000, 25500]);
    expect(one(m, 'NSE', 'NIFTY 50').paper.referencePrice).toBe(24012);
    expect(() => buildInstrumentMaster(AS_OF, { spots: { NIFTY: 0 } })).toThrow(RangeError);
    expect(() => buildInstrumentMaster('24-11-2026')).toThrow(RangeError);
  });

  it('has the late-2026 lot, tick and freeze sizes', () => {
    expect(one(master, 'NFO', 'NIFTY26DECFUT')).toMatchObject({ lot_size: 65, tick_size: 0.1 });
    expect(one(master, 'NFO', 'NIFTY26DECFUT').paper.freezeQuantity).toBe(1800);
    expect(one(master, 'NFO', 'BANKNIFTY26DECFUT')).toMatchObject({ lot_size: 30, tick_size: 0.2 });
    expect(one(master, 'NFO', 'BANKNIFTY26DECFUT').paper.freezeQuantity).toBe(600);
    expect(one(master, 'BFO', 'SENSEX26NOVFUT')).toMatchObject({ lot_size: 20, tick_size: 0.05 });
    expect(one(master, 'BFO', 'SENSEX26NOV84400CE').paper.freezeQuantity).toBe(1000);
    expect(one(master, 'NFO', 'NIFTY26D0125800CE').tick_size).toBe(0.05);
    // RELIANCE: lot 500, freeze 20 lots = 10,000; shares above 1,000 rupees tick 0.10 on NSE.
    expect(one(master, 'NFO', 'RELIANCE26DECFUT')).toMatchObject({ lot_size: 500, tick_size: 0.1 });
    expect(one(master, 'NFO', 'RELIANCE26DECFUT').paper.freezeQuantity).toBe(10000);
    expect(one(master, 'NSE', 'TATASTEEL').tick_size).toBe(0.01); // below 250 rupees
    // MCX counts quantity in lots: lot_size 1, the lot's barrels as multiplier.
    const crude = one(master, 'MCX', 'CRUDEOIL26DECFUT');
    expect(crude).toMatchObject({ lot_size: 1, tick_size: 1 });
    expect(crude.paper).toMatchObject({ multiplier: 100, freezeQuantity: 100, circuitBandPct: 4 });
    expect(one(master, 'MCX', 'CRUDEOIL26DEC8000CE').tick_size).toBe(0.1);
  });

  it('links derivatives to their underlying', () => {
    expect(one(master, 'NFO', 'NIFTY26D0125800CE').paper.underlyingToken).toBe(256265);
    expect(one(master, 'BFO', 'SENSEX26NOVFUT').paper.underlyingToken).toBe(265);
    expect(one(master, 'NFO', 'RELIANCE26DEC1520PE').paper.underlyingToken).toBe(738561);
    expect(one(master, 'MCX', 'CRUDEOIL27JAN8000CE').paper.underlyingToken).toBe(
      one(master, 'MCX', 'CRUDEOIL27JANFUT').instrument_token,
    );
    expect(one(master, 'MCX', 'CRUDEOIL26DECFUT').paper.underlyingToken).toBeNull();
  });

  it('seeds prices that hang together', () => {
    // NIFTY Dec future: 25800 * (1 + 0.065 * 35 / 365) = 25960.808..., on the 0.10 grid 25960.8.
    expect(one(master, 'NFO', 'NIFTY26DECFUT').paper.referencePrice).toBe(25960.8);
    // Calls get cheaper and puts dearer as the strike rises.
    const chain = master
      .filter((i) => i.name === 'NIFTY' && i.expiry === '2026-12-22')
      .sort((a, b) => a.strike - b.strike);
    const calls = chain.filter((i) => i.instrument_type === 'CE').map((i) => i.paper.referencePrice);
    const puts = chain.filter((i) => i.instrument_type === 'PE').map((i) => i.paper.referencePrice);
    for (let k = 1; k < calls.length; k++) {
      expect(calls[k]).toBeLessThanOrEqual(calls[k - 1] ?? Infinity);
      expect(puts[k]).toBeGreaterThanOrEqual(puts[k - 1] ?? -Infinity);
    }
    expect(one(master, 'NSE', 'NIFTY 50').paper).toMatchObject({
      referencePrice: 25800,
      freezeQuantity: null,
      circuitBandPct: null,
    });
  });
});
