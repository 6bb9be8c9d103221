import { describe, expect, it } from 'vitest';
import {
  buildCandles,
  type Candle,
  type CandleInstrument,
  type PriceSource,
} from '../../../src/paper/historical/candles.js';
import { type HistoricalQuery, parseHistoricalRequest } from '../../../src/paper/historical/request.js';

const INFY: CandleInstrument = {
  instrument_token: 408065,
  exchange: 'NSE',
  segment: 'NSE',
  instrument_type: 'EQ',
  tick_size: 0.05,
  lot_size: 1,
};
const NIFTY_FUT: CandleInstrument = {
  instrument_token: 13_000_002,
  exchange: 'NFO',
  segment: 'NFO-FUT',
  instrument_type: 'FUT',
  tick_size: 0.1,
  lot_size: 65,
};
const NIFTY_INDEX: CandleInstrument = {
  instrument_token: 256265,
  exchange: 'NSE',
  segment: 'INDICES',
  instrument_type: 'EQ',
  tick_size: 0,
  lot_size: 0,
};

const LATER = new Date('2027-01-01T00:00:00+05:30');
const IST_MS = 5.5 * 3600_000;

/** 100 at 09:15:00 IST, 5 paise more every second after (any day): easy to work out by hand. */
const ramp: PriceSource = {
  priceAt: (_token, at) => {
    const secondOfDay = Math.floor(((at.getTime() + IST_MS) % 86_400_000) / 1000);
    return 100 + 0.05 * (secondOfDay - 33_300);
  },
};

function query(interval: string, from: string, to: string, oi = false): HistoricalQuery {
  const r = parseHistoricalRequest({ interval, from, to, oi: oi ? '1' : '0' });
  if (!r.ok) throw new Error(r.error.message);
  return r.query;
}

describe('minute candles', () => {
  it('cover the normal session only: 09:15 to 15:29, 375 of them', () => {
    const candles = buildCandles(INFY, query('minute', '2026-11-25 09:00:00', '2026-11-25 16:00:00'), LATER, ramp);
    expect(candles).toHaveLength(375);
    expect(candles[0]![0]).toBe('2026-11-25T09:15:00+0530');
    expect(candles[374]![0]).toBe('2026-11-25T15:29:00+0530');
  });

  it('take open, high, low and close from the price function', () => {
    const [first] = buildCandles(INFY, query('minute', '2026-11-25 09:15:00', '2026-11-25 09:15:00'), LATER, ramp);
    // Open at 09:15:00 = 100; the last second inside the minute is 09:15:59: 100 + 59 x 0.05 = 102.95.
    expect(first!.slice(0, 5)).toEqual(['2026-11-25T09:15:00+0530', 100, 102.95, 100, 102.95]);
  });

  it('stop at the clock: the current candle is partial, none after it', () => {
    const now = new Date('2026-11-25T10:00:30+05:30');
    const candles = buildCandles(INFY, query('minute', '2026-11-25 09:15:00', '2026-11-25 15:30:00'), now, ramp);
    // 09:15 .. 10:00 is 46 candles. The last opens at 10:00:00 (2700 s: 235) and closes at 10:00:29 (2729 s: 236.45).
    expect(candles).toHaveLength(46);
    expect(candles[45]!.slice(0, 5)).toEqual(['2026-11-25T10:00:00+0530', 235, 236.45, 235, 236.45]);
  });

  it('skip the minutes the exchange did not trade', () => {
    const halted: PriceSource = {
      ...ramp,
      isTrading: (_ex, at) =>
        !(at >= new Date('2026-11-25T11:00:00+05:30') && at < new Date('2026-11-25T11:30:00+05:30')),
    };
    const candles = buildCandles(INFY, query('minute', '2026-11-25', '2026-11-25'), LATER, halted);
    expect(candles).toHaveLength(375 - 30);
    expect(candles.some((c) => c[0] === '2026-11-25T11:15:00+0530')).toBe(false);
  });

  it('none on holidays and weekends', () => {
    // 24 Nov 2026 is an NSE holiday; 28 and 29 Nov are a weekend.
    expect(buildCandles(INFY, query('minute', '2026-11-24', '2026-11-24'), LATER, ramp)).toEqual([]);
    expect(buildCandles(INFY, query('minute', '2026-11-28', '2026-11-29'), LATER, ramp)).toEqual([]);
  });
});

describe('longer candles', () => {
  it('60minute candles start at 09:15 and the last one is cut at the close', () => {
    const candles = buildCandles(INFY, query('60minute', '2026-11-25', '2026-11-25'), LATER, ramp);
    expect(candles.map((c) => c[0].slice(11, 16))).toEqual([
      '09:15',
      '10:15',
      '11:15',
      '12:15',
      '13:15',
      '14:15',
      '15:15',
    ]);
    // 15:15 candle: open at 21600 s = 1180, close at 15:29:59 = 22499 s = 1224.95.
    expect(candles[6]!.slice(1, 5)).toEqual([1180, 1224.95, 1180, 1224.95]);
  });

  it('day candles are stamped at midnight, one per trading day', () => {
    const candles = buildCandles(INFY, query('day', '2026-11-23', '2026-11-29'), LATER, ramp);
    expect(candles.map((c) => c[0])).toEqual([
      '2026-11-23T00:00:00+0530',
      '2026-11-25T00:00:00+0530',
      '2026-11-26T00:00:00+0530',
      '2026-11-27T00:00:00+0530',
    ]);
    expect(candles[1]!.slice(1, 5)).toEqual([100, 1224.95, 100, 1224.95]);
  });

  it('MCX trades into the night', () => {
    const crude: CandleInstrument = { ...NIFTY_FUT, exchange: 'MCX', segment: 'MCX-FUT', lot_size: 1 };
    const candles = buildCandles(crude, query('60minute', '2026-11-25', '2026-11-25'), LATER, { priceAt: () => 6000 });
    // 09:00 to 23:55 (US standard time in November): 15 candles, 09:00 .. 23:00.
    expect(candles.map((c) => c[0].slice(11, 16))).toEqual(
      Array.from({ length: 15 }, (_, i) => `${String(9 + i).padStart(2, '0')}:00`),
    );
  });
});

describe('volume and open interest', () => {
  it('are the same every time, and a 5minute candle holds the volume of its five minutes', () => {
    const minutes = buildCandles(INFY, query('minute', '2026-11-25', '2026-11-25'), LATER, ramp);
    const fives = buildCandles(INFY, query('5minute', '2026-11-25', '2026-11-25'), LATER, ramp);
    expect(buildCandles(INFY, query('5minute', '2026-11-25', '2026-11-25'), LATER, ramp)).toEqual(fives);
    expect(fives).toHaveLength(75);
    const sum = (cs: Candle[]) => cs.reduce((s, c) => s + c[5], 0);
    expect(fives[3]![5]).toBe(sum(minutes.slice(15, 20)));
    expect(sum(fives)).toBe(sum(minutes));
    expect(minutes.every((c) => Number.isInteger(c[5]) && c[5] > 0)).toBe(true);
  });

  it('an index has no volume', () => {
    const candles = buildCandles(NIFTY_INDEX, query('minute', '2026-11-25', '2026-11-25'), LATER, {
      priceAt: () => 26000.35,
    });
    expect(candles.every((c) => c[5] === 0)).toBe(true);
    expect(candles[0]!.slice(1, 5)).toEqual([26000.35, 26000.35, 26000.35, 26000.35]);
  });

  it('OI comes as a seventh value when asked for: whole lots on derivatives, 0 on shares', () => {
    const fut = buildCandles(NIFTY_FUT, query('minute', '2026-11-25', '2026-11-25', true), LATER, {
      priceAt: () => 26100,
    });
    expect(fut.every((c) => c.length === 7 && c[6]! > 0 && c[6]! % 65 === 0 && c[5] % 65 === 0)).toBe(true);
    // It drifts, but not wildly: within the model's +-8% of its base from one minute to the next.
    const ois = fut.map((c) => c[6]!);
    expect(new Set(ois).size).toBeGreaterThan(10);
    for (let i = 1; i < ois.length; i++) expect(Math.abs(ois[i]! - ois[i - 1]!) / ois[i - 1]!).toBeLessThan(0.2);
    const shares = buildCandles(INFY, query('minute', '2026-11-25', '2026-11-25', true), LATER, ramp);
    expect(shares.every((c) => c[6] === 0)).toBe(true);
    expect(
      buildCandles(NIFTY_FUT, query('minute', '2026-11-25', '2026-11-25'), LATER, { priceAt: () => 26100 })[0],
    ).toHaveLength(6);
  });

  it('a price function with no price makes no candle', () => {
    const gap: PriceSource = { priceAt: (_t, at) => (at < new Date('2026-11-25T12:00:00+05:30') ? undefined : 100) };
    const candles = buildCandles(INFY, query('minute', '2026-11-25', '2026-11-25'), LATER, gap);
    expect(candles[0]![0]).toBe('2026-11-25T12:00:00+0530');
  });
});
