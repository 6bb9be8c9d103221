import { describe, expect, it } from 'vitest';
import { istInstant } from '../../src/market/ist.js';
import { greeksReport } from '../../src/pnl/greeks.js';
import {
  type DerivativeInstrument,
  type GreeksHolding,
  greeksPositions,
  pricesNeeded,
  underlyingKeys,
} from '../../src/pnl/greeks-inputs.js';

const TODAY = '2026-12-01';
const now = istInstant(TODAY, '11:00');
const fut = (exchange: 'NFO' | 'MCX', name: string, expiry: string, symbol: string): DerivativeInstrument => ({
  exchange,
  tradingsymbol: symbol,
  name,
  instrument_type: 'FUT',
  strike: 0,
  expiry,
});
const FUTURES: DerivativeInstrument[] = [
  fut('NFO', 'NIFTY', '2026-11-24', 'NIFTY26NOVFUT'),
  fut('NFO', 'NIFTY', '2026-12-29', 'NIFTY26DECFUT'),
  fut('NFO', 'NIFTY', '2027-01-26', 'NIFTY27JANFUT'),
  fut('MCX', 'CRUDEOIL', '2026-12-18', 'CRUDEOIL26DECFUT'),
  fut('MCX', 'CRUDEOIL', '2027-01-19', 'CRUDEOIL27JANFUT'),
];
const futuresOf = (exchange: string, name: string) => FUTURES.filter((f) => f.exchange === exchange && f.name === name);
const option = (p: Partial<DerivativeInstrument>): DerivativeInstrument => ({
  exchange: 'NFO',
  tradingsymbol: 'NIFTY26DEC24500CE',
  name: 'NIFTY',
  instrument_type: 'CE',
  strike: 24500,
  expiry: '2026-12-29',
  ...p,
});

describe('what an option’s Greeks are valued on', () => {
  it('a monthly option: the future of its own expiry', () => {
    expect(underlyingKeys(option({}), futuresOf, TODAY)).toMatchObject({ future: 'NFO:NIFTY26DECFUT' });
  });

  it('a weekly: no future of its expiry, so spot (NIFTY 50) and the nearest unexpired future for the carry', () => {
    const weekly = option({ tradingsymbol: 'NIFTY2612024500CE', expiry: '2026-12-08' });
    const u = underlyingKeys(weekly, futuresOf, TODAY);
    expect(u.future).toBeNull();
    expect(u.spot).toBe('NSE:NIFTY 50');
    // The November future has expired: December is the nearest.
    expect(u.near?.tradingsymbol).toBe('NIFTY26DECFUT');
  });

  it('an MCX option: the future expiring next on or after it', () => {
    const crude = option({
      exchange: 'MCX',
      tradingsymbol: 'CRUDEOIL26DEC5800CE',
      name: 'CRUDEOIL',
      strike: 5800,
      expiry: '2026-12-16',
    });
    expect(underlyingKeys(crude, futuresOf, TODAY)).toEqual({ future: 'MCX:CRUDEOIL26DECFUT', spot: null, near: null });
  });

  it('prices each needs, then values: the weekly on spot carried at the future’s implied rate', () => {
    const holdings: GreeksHolding[] = [
      {
        exchange: 'NFO',
        tradingsymbol: 'NIFTY2612024500CE',
        quantity: -65,
        multiplier: 1,
        price: 120,
        instrument: option({ tradingsymbol: 'NIFTY2612024500CE', expiry: '2026-12-08' }),
      },
      {
        exchange: 'NFO',
        tradingsymbol: 'NIFTY26DECFUT',
        quantity: 65,
        multiplier: 1,
        price: 24_600,
        instrument: FUTURES[1]!,
      },
    ];
    expect(pricesNeeded(holdings, futuresOf, TODAY).sort()).toEqual(
      ['NFO:NIFTY2612024500CE', 'NSE:NIFTY 50', 'NFO:NIFTY26DECFUT'].sort(),
    );
    const prices = new Map([
      ['NFO:NIFTY2612024500CE', 120],
      ['NSE:NIFTY 50', 24_500],
      ['NFO:NIFTY26DECFUT', 24_600],
    ]);
    const inputs = greeksPositions(holdings, futuresOf, (k) => prices.get(k) ?? null, now, TODAY);
    // The December future's carry: ln(24,600 / 24,500) / t, t = 28 days 4.5 hours to 15:30 on 29 Dec.
    const t = (28 * 24 + 4.5) / 24 / 365;
    expect(inputs[0]!.underlying.implied_carry).toBeCloseTo(Math.log(24_600 / 24_500) / t, 12);
    expect(inputs[0]!.underlying).toMatchObject({ future: null, spot: 24_500 });
    const report = greeksReport(inputs, now, 0.0525);
    // The future counts with delta 1 x 65; the short call with -65 x its delta.
    const call = report.positions.find((p) => p.option_type === 'CE')!;
    expect(report.net.delta).toBeCloseTo(65 - 65 * call.delta, 9);
    expect(call.underlying_source).toBe('spot_carry');
    expect(call.iv).toBeGreaterThan(0);
  });
});
