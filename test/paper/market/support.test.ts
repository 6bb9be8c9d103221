import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src/domain/instrument.js';
import {
  istTimestampMs as formatIstTimestamp,
  istDayNumber as istDayIndex,
  istInstantMs,
} from '../../../src/market/ist.js';
import {
  defaultLiquidityClass,
  expiryMultiple,
  LIQUIDITY_PROFILES,
  spreadTicks,
  tradeProbability,
} from '../../../src/paper/market/liquidity.js';
import { afterTrade, nextDayOpenInterest } from '../../../src/paper/market/open-interest.js';
import { TickGrid, tickDecimals } from '../../../src/paper/market/tick.js';
import { TradingSchedule } from '../../../src/paper/market/trading-schedule.js';

describe('TickGrid', () => {
  it('prints prices as the exchange does', () => {
    expect(tickDecimals(0.05)).toBe(2);
    expect(tickDecimals(0.0025)).toBe(4);
    expect(tickDecimals(1)).toBe(0);
    const g = new TickGrid(0.05);
    // 28259 x 0.05 is 1412.9500000000001 in binary floating point; the grid prints 1412.95.
    expect(g.price(28_259)).toBe(1412.95);
    expect(g.snap(1412.97)).toBe(1412.95);
    expect(g.floorTicks(1412.95)).toBe(28_259);
    expect(g.ceilTicks(1412.95)).toBe(28_259);
    expect(g.ceilTicks(1412.951)).toBe(28_260);
    expect(g.isOnTick(0.15)).toBe(true);
    expect(g.isOnTick(0.17)).toBe(false);
    expect(() => new TickGrid(0)).toThrow(RangeError);
  });
});

describe('IST time', () => {
  it('formats and counts days in IST whatever the host zone', () => {
    // 2025-12-08T18:29:59Z is 23:59:59 IST; a second later it is the 9th in India.
    expect(formatIstTimestamp(Date.parse('2025-12-08T18:29:59.900Z'))).toBe('2025-12-08 23:59:59');
    expect(formatIstTimestamp(Date.parse('2025-12-08T18:30:00Z'))).toBe('2025-12-09 00:00:00');
    expect(istDayIndex(Date.parse('2025-12-08T18:30:00Z')) - istDayIndex(Date.parse('2025-12-08T18:29:59Z'))).toBe(1);
    expect(istInstantMs('2025-12-30', '15:30')).toBe(Date.parse('2025-12-30T10:00:00Z'));
  });
});

describe('TradingSchedule', () => {
  const start = Date.parse('2025-12-08T03:44:00Z'); // 09:14 IST
  const open = (_: unknown, at: Date) => {
    const m = ((at.getTime() + 19_800_000) / 60_000) % 1440;
    return m >= 555 && m < 930; // 09:15-15:30
  };

  it('answers from the minutes it has been told about', () => {
    const s = new TradingSchedule(start, ['NSE'], open);
    s.extendTo(2 * 86_400);
    // Step 60 is 09:15:00 IST; 15:30 is 22,560 steps in, so the last trading step is 22,559.
    expect(s.nextTradingStep('NSE', 0, 100)).toBe(60);
    expect(s.nextTradingStep('NSE', 0, 59)).toBe(-1);
    expect(s.lastTradingStep('NSE', 0, 86_400)).toBe(22_559);
    // The next morning opens at 60 + 86,400.
    expect(s.nextTradingStep('NSE', 22_560, 2 * 86_400)).toBe(86_460);
  });

  it('trades every step without a predicate', () => {
    const s = new TradingSchedule(start, ['NSE']);
    expect(s.nextTradingStep('NSE', 5, 9)).toBe(5);
    expect(s.lastTradingStep('NSE', 5, 9)).toBe(9);
    expect(s.nextTradingStep('NSE', 10, 9)).toBe(-1);
  });
});

describe('liquidity model', () => {
  const row = (o: Partial<Instrument>): Instrument => ({
    instrument_token: 1,
    exchange_token: 1,
    tradingsymbol: 'X',
    name: '',
    last_price: 0,
    expiry: null,
    strike: 0,
    tick_size: 0.05,
    lot_size: 1,
    instrument_type: 'EQ',
    segment: 'NSE',
    exchange: 'NSE',
    ...o,
  });

  it('defaults index derivatives to liquid and stock options to thin', () => {
    const index = row({ segment: 'INDICES' });
    const stock = row({});
    expect(defaultLiquidityClass(row({ instrument_type: 'CE', exchange: 'NFO' }), index)).toBe('high');
    expect(defaultLiquidityClass(row({ instrument_type: 'PE', exchange: 'NFO' }), stock)).toBe('low');
    expect(defaultLiquidityClass(row({ instrument_type: 'FUT', exchange: 'NFO' }), stock)).toBe('medium');
    expect(
      defaultLiquidityClass(
        row({ instrument_type: 'CE', exchange: 'MCX' }),
        row({ instrument_type: 'FUT', exchange: 'MCX' }),
      ),
    ).toBe('medium');
  });

  it('widens option spreads with moneyness and expiry', () => {
    const p = LIQUIDITY_PROFILES.low;
    // ATM, near: 2 x 0.008 x 30 / 0.05 = 9.6 -> 10 ticks
    expect(spreadTicks(p, 'option', 30, 0.05, { z: 0, daysToExpiry: 3 })).toBe(10);
    // z = 2: x (1 + 0.25 x 4) = x2 -> 19.2 -> 19 ticks
    expect(spreadTicks(p, 'option', 30, 0.05, { z: 2, daysToExpiry: 3 })).toBe(19);
    // 67 days: x (1 + 0.5 x 60 / 30) = x2
    expect(expiryMultiple(67)).toBe(2);
    expect(spreadTicks(p, 'option', 30, 0.05, { z: 0, daysToExpiry: 67 })).toBe(19);
    // Deep OTM, tiny premium: the minimum grows with |z|: 2 + floor(0.5 x 4) = 4 ticks
    expect(spreadTicks(p, 'option', 0.1, 0.05, { z: -4, daysToExpiry: 3 })).toBe(4);
    expect(tradeProbability(p, { z: 4, daysToExpiry: 3 })).toBeLessThan(tradeProbability(p, { z: 0, daysToExpiry: 3 }));
  });
});

describe('open interest', () => {
  it('moves a fifth of the way to target each day, in whole lots', () => {
    // 100,000 + 0.2 x (150,000 - 100,000) + 0.05 x 150,000 x (2 x 0.5 - 1) = 110,000 -> 1466.67 lots of 75 -> 1467 lots = 110,025
    expect(nextDayOpenInterest(100_000, 150_000, 75, 0.5)).toBe(110_025);
  });

  it('changes by at most one trade and keeps the day range', () => {
    const s = { oi: 1000, dayHigh: 1000, dayLow: 1000 };
    expect(afterTrade(s, 50, 2000, 0.9, 0.1)).toBe(s); // a transfer: OI unchanged
    expect(afterTrade(s, 50, 2000, 0.1, 0.1)).toEqual({ oi: 1050, dayHigh: 1050, dayLow: 1000 });
    expect(afterTrade(s, 50, 2000, 0.1, 0.95)).toEqual({ oi: 950, dayHigh: 1000, dayLow: 950 });
  });
});
