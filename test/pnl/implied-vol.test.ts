import { describe, expect, it } from 'vitest';
import { black76, isPnlError } from '../../src/pnl/black76.js';
import { impliedVolatility } from '../../src/pnl/implied-vol.js';

const priceAt = (option_type: 'CE' | 'PE', forward: number, strike: number, t_years: number, iv: number): number => {
  const r = black76({ option_type, forward, strike, t_years, rate: 0.0525, iv });
  if (isPnlError(r)) throw new Error(r.message);
  return r.price;
};

describe('impliedVolatility', () => {
  it("recovers Haug's 28% from the price 1.7011 (F = K = 19, T = 0.75, r = 10%)", () => {
    const r = impliedVolatility({
      option_type: 'CE',
      price: 1.701050725,
      forward: 19,
      strike: 19,
      t_years: 0.75,
      rate: 0.1,
    });
    expect(isPnlError(r)).toBe(false);
    if (!isPnlError(r)) expect(r.iv).toBeCloseTo(0.28, 8);
  });

  it('round trips over strikes, expiries and volatilities, deep in and out of the money included', () => {
    const forward = 24000;
    for (const t of [1 / 365 / 24, 1 / 365, 7 / 365, 30 / 365, 1]) {
      for (const strike of [20000, 23000, 24000, 25000, 28000]) {
        for (const iv of [0.05, 0.15, 0.4, 1.2]) {
          for (const type of ['CE', 'PE'] as const) {
            const price = priceAt(type, forward, strike, t, iv);
            const intrinsic = Math.exp(-0.0525 * t) * Math.max(0, type === 'CE' ? forward - strike : strike - forward);
            // Below a paisa of time value the price no longer pins the volatility down.
            if (price - intrinsic < 0.01) continue;
            const r = impliedVolatility({ option_type: type, price, forward, strike, t_years: t, rate: 0.0525 });
            if (isPnlError(r)) throw new Error(`${type} K=${strike} t=${t} iv=${iv}: ${r.message}`);
            // The solved volatility reprices the option to within a millionth of a rupee.
            expect(Math.abs(priceAt(type, forward, strike, t, r.iv) - price)).toBeLessThan(1e-6);
          }
        }
      }
    }
  });

  it('a price outside the no-arbitrage bounds is refused with the bound it breaks', () => {
    // Call, F = 24000, K = 23500, t = 7/365: intrinsic 500 discounted by e^(-0.0525 x 7/365) = 499.4970.
    const args = { option_type: 'CE', forward: 24000, strike: 23500, t_years: 7 / 365, rate: 0.0525 } as const;
    expect(impliedVolatility({ ...args, price: 480 })).toMatchObject({ code: 'IV_BELOW_INTRINSIC' });
    // A call is worth at most the discounted future: 24000 x 0.998994 = 23975.85.
    expect(impliedVolatility({ ...args, price: 24000 })).toMatchObject({ code: 'IV_ABOVE_MAXIMUM' });
    // At the discounted intrinsic value exactly: volatility 0.
    expect(impliedVolatility({ ...args, price: 500 * Math.exp(-0.0525 * (7 / 365)) })).toEqual({
      iv: 0,
      iterations: 0,
    });
  });

  it('has nothing to solve at expiry, and refuses nonsense', () => {
    const args = { option_type: 'PE', forward: 100, strike: 100, rate: 0.05 } as const;
    expect(impliedVolatility({ ...args, price: 1, t_years: 0 })).toMatchObject({ code: 'IV_NO_TIME_VALUE' });
    expect(impliedVolatility({ ...args, price: -1, t_years: 0.1 })).toMatchObject({ code: 'PNL_INVALID_INPUT' });
    expect(impliedVolatility({ ...args, price: 1, t_years: 0.1, forward: 0 })).toMatchObject({
      code: 'PNL_INVALID_INPUT',
    });
  });
});
