import { describe, expect, it } from 'vitest';
import { istInstant } from '../../src/market/ist.js';
import { black76, isPnlError } from '../../src/pnl/black76.js';
import { type GreeksPosition, greeksReport } from '../../src/pnl/greeks.js';
import { expiryInstant, yearsToExpiry } from '../../src/pnl/time-to-expiry.js';
import { impliedCarryRate, underlyingForward } from '../../src/pnl/underlying.js';

describe('time to expiry', () => {
  it('runs to 15:30 IST on the expiry day for NSE and BSE derivatives, in years of 365 days', () => {
    expect(expiryInstant('2026-12-29', 'NFO').toISOString()).toBe('2026-12-29T10:00:00.000Z');
    // From Tuesday 2026-12-22 15:30 IST to Tuesday 2026-12-29 15:30 IST: 7 days = 7/365 years.
    expect(yearsToExpiry(istInstant('2026-12-22', '15:30'), expiryInstant('2026-12-29', 'NFO'))).toBe(7 / 365);
    // On expiry day at 09:15 IST: 6 h 15 min left = 6.25 / 24 / 365 years.
    expect(yearsToExpiry(istInstant('2026-12-29', '09:15'), expiryInstant('2026-12-29', 'NFO'))).toBeCloseTo(
      6.25 / 24 / 365,
      15,
    );
    // After the close it is 0, not negative.
    expect(yearsToExpiry(istInstant('2026-12-29', '15:31'), expiryInstant('2026-12-29', 'NFO'))).toBe(0);
  });

  it('currency contracts stop at 12:30; MCX at its close, which follows US daylight saving', () => {
    expect(expiryInstant('2026-12-28', 'CDS').toISOString()).toBe('2026-12-28T07:00:00.000Z');
    // 2026-07-16: US daylight time, MCX closes 23:30 IST; 2026-12-16: 23:55 IST.
    expect(expiryInstant('2026-07-16', 'MCX').toISOString()).toBe('2026-07-16T18:00:00.000Z');
    expect(expiryInstant('2026-12-16', 'MCX').toISOString()).toBe('2026-12-16T18:25:00.000Z');
  });
});

describe('underlying price', () => {
  it('is the future of the same expiry when there is one', () => {
    expect(underlyingForward({ future: 24100, spot: 24000, implied_carry: null }, 0.1, 0.0525)).toEqual({
      price: 24100,
      source: 'future',
      carry: null,
    });
  });

  it('else spot with carry: the carry the monthly future implies, or the configured rate', () => {
    // Monthly future 24105 on spot 24000 with 30 days left: ln(24105/24000) / (30/365) = 0.0043655 / 0.0821918 = 0.053113.
    const carry = impliedCarryRate(24000, 24105, 30 / 365);
    expect(carry).toBeCloseTo(0.053113, 6);
    // A weekly 7 days out: 24000 x e^(0.053113 x 7/365) = 24000 x 1.0010191 = 24024.46.
    const f = underlyingForward({ future: null, spot: 24000, implied_carry: carry }, 7 / 365, 0.0525);
    expect(f?.source).toBe('spot_carry');
    expect(f?.price).toBeCloseTo(24024.46, 2);
    // Without a future: the rate, 24000 x e^(0.0525 x 7/365) = 24024.18.
    expect(underlyingForward({ future: null, spot: 24000, implied_carry: null }, 7 / 365, 0.0525)?.price).toBeCloseTo(
      24024.18,
      2,
    );
    expect(underlyingForward({ future: null, spot: null, implied_carry: null }, 0.1, 0.05)).toBeNull();
  });
});

describe('greeksReport', () => {
  // Tuesday 2026-12-22 15:30 IST: the monthly NIFTY expiry 2026-12-29 is 7/365 years away.
  const now = istInstant('2026-12-22', '15:30');
  const t = 7 / 365;
  const rate = 0.0525;
  const priced = (option_type: 'CE' | 'PE', strike: number, iv: number) => {
    const r = black76({ option_type, forward: 24000, strike, t_years: t, rate, iv });
    if (isPnlError(r)) throw new Error(r.message);
    return r;
  };
  const option = (o: Partial<GreeksPosition>): GreeksPosition => ({
    exchange: 'NFO',
    tradingsymbol: 'NIFTY26DEC24500CE',
    quantity: -65,
    multiplier: 1,
    instrument_type: 'CE',
    strike: 24500,
    expiry: '2026-12-29',
    price: 0,
    underlying: { future: 24000, spot: null, implied_carry: null },
    ...o,
  });

  it('values each option from its own price and weights the net by quantity x multiplier', () => {
    const call = priced('CE', 24500, 0.15);
    const put = priced('PE', 23500, 0.18);
    const report = greeksReport(
      [
        option({ price: call.price }),
        option({ tradingsymbol: 'NIFTY26DEC23500PE', instrument_type: 'PE', strike: 23500, price: put.price }),
        option({ tradingsymbol: 'NIFTY26DECFUT', instrument_type: 'FUT', strike: 0, quantity: 65, price: 24000 }),
      ],
      now,
      rate,
    );
    expect(report.skipped).toEqual([]);
    const [c, p, fut] = report.positions;
    expect(c).toMatchObject({
      symbol: 'NFO:NIFTY26DEC24500CE',
      quantity: -65,
      option_type: 'CE',
      strike: 24500,
      underlying_price: 24000,
      underlying_source: 'future',
      t_years: t,
      rate,
    });
    expect(c?.iv).toBeCloseTo(0.15, 8);
    expect(p?.iv).toBeCloseTo(0.18, 8);
    expect(c?.delta).toBeCloseTo(call.delta, 8);
    expect(fut).toMatchObject({ option_type: null, delta: 1, gamma: 0, theta: 0, vega: 0, iv: null });
    // Net delta: -65 x call delta - 65 x put delta + 65 x 1 (short strangle hedged with a future).
    expect(report.net.delta).toBeCloseTo(-65 * call.delta - 65 * put.delta + 65, 6);
    expect(report.net.theta).toBeCloseTo(-65 * call.theta - 65 * put.theta, 6);
    expect(report.net.vega).toBeCloseTo(-65 * call.vega - 65 * put.vega, 6);
    expect(report.net.gamma).toBeCloseTo(-65 * call.gamma - 65 * put.gamma, 9);
  });

  it('on expiry after the close: intrinsic Greeks and no IV, nothing NaN', () => {
    const after = istInstant('2026-12-29', '15:45');
    const report = greeksReport(
      [option({ price: 0.05, underlying: { future: 24600, spot: null, implied_carry: null } })],
      after,
      rate,
    );
    expect(report.positions[0]).toMatchObject({ t_years: 0, iv: null, delta: 1, gamma: 0, theta: 0, vega: 0 });
    expect(report.net.delta).toBe(-65);
  });

  it('leaves out, with the reason, a position it cannot value', () => {
    const report = greeksReport(
      [
        option({ price: 10, underlying: { future: null, spot: null, implied_carry: null } }),
        // Deep in the money call priced below its intrinsic value (a stale quote).
        option({ tradingsymbol: 'NIFTY26DEC23000CE', strike: 23000, price: 900 }),
      ],
      now,
      rate,
    );
    expect(report.positions).toEqual([]);
    expect(report.skipped.map((s) => s.error.code)).toEqual(['PNL_INVALID_INPUT', 'IV_BELOW_INTRINSIC']);
    expect(report.net).toEqual({ delta: 0, gamma: 0, theta: 0, vega: 0 });
  });
});
