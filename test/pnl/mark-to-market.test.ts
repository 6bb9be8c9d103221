import { describe, expect, it } from 'vitest';
import { addSample } from '../../src/pnl/day-series.js';
import { dayPositions, markAccount, type ReportedPosition } from '../../src/pnl/mark-to-market.js';

const SBIN: ReportedPosition = {
  id: 1,
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  instrument_token: 779521,
  product: 'MIS',
  quantity: 10,
  multiplier: 1,
  last_price: 960,
  // Bought 10 at 950: pnl = 10 x (960 - 950) = 100, all of it unrealised and today's.
  pnl: 100,
  m2m: 100,
  unrealised: 100,
  updated_at: '2026-11-25T04:00:00.000Z',
};

describe('positions marked to the live feed', () => {
  it('a long gains quantity x multiplier x the price move; a short loses it; no tick keeps the report', () => {
    // Short 1 lot (75) of a NIFTY option sold at 120, reported at 118: pnl 75 x 2 = 150.
    const short = {
      ...SBIN,
      id: 2,
      tradingsymbol: 'NIFTY26DEC24500CE',
      instrument_token: 1,
      exchange: 'NFO',
      quantity: -75,
      last_price: 118,
      pnl: 150,
      m2m: 150,
      unrealised: 150,
    };
    const marks = markAccount([SBIN, short, { ...SBIN, id: 3, instrument_token: 9 }], (token) =>
      token === 779521 ? 962.5 : token === 1 ? 119 : undefined,
    );
    // SBIN: 100 + 10 x 1 x (962.5 - 960) = 125.
    expect(marks.positions[0]).toMatchObject({ last_price: 962.5, pnl: 125, m2m: 125, unrealised: 125 });
    // Short: 150 + (-75) x 1 x (119 - 118) = 75.
    expect(marks.positions[1]).toMatchObject({ last_price: 119, pnl: 75 });
    // No tick for token 9: as reported, 100.
    expect(marks.positions[2]).toMatchObject({ last_price: 960, pnl: 100 });
    // 125 + 75 + 100.
    expect(marks.pnl).toBe(300);
  });

  it("today's positions: open ones, and those closed today; not a row closed yesterday", () => {
    // 2026-11-25 10:00 IST.
    const now = new Date('2026-11-25T04:30:00.000Z');
    const closedToday = { ...SBIN, id: 2, quantity: 0, updated_at: '2026-11-25T04:00:00.000Z' };
    // 18:29 UTC on the 24th is 23:59 IST on the 24th: yesterday.
    const closedYesterday = { ...SBIN, id: 3, quantity: 0, updated_at: '2026-11-24T18:29:00.000Z' };
    const carried = { ...SBIN, id: 4, updated_at: '2026-11-20T10:00:00.000Z' };
    expect(dayPositions([SBIN, closedToday, closedYesterday, carried], now).map((p) => p.id)).toEqual([1, 2, 4]);
  });
});

describe("the day's M2M series", () => {
  it('one point a minute, the latest standing; a new IST day starts afresh', () => {
    let s = addSample([], new Date('2026-11-25T04:00:05Z'), 10);
    s = addSample(s, new Date('2026-11-25T04:00:50Z'), 12);
    s = addSample(s, new Date('2026-11-25T04:01:10Z'), 15);
    expect(s.map((p) => p.value)).toEqual([12, 15]);
    // 18:30 UTC is midnight IST: the next day.
    expect(addSample(s, new Date('2026-11-25T18:30:00Z'), 1).map((p) => p.value)).toEqual([1]);
  });
});
