import { describe, expect, it } from 'vitest';
import { type Black76Result, black76, isPnlError } from '../../src/pnl/black76.js';
import { normCdf } from '../../src/pnl/normal.js';

function value(input: Parameters<typeof black76>[0]): Black76Result {
  const r = black76(input);
  if (isPnlError(r)) throw new Error(r.message);
  return r;
}

describe('normCdf', () => {
  it('matches tabulated values and stays exact in the tails', () => {
    expect(normCdf(0)).toBe(0.5);
    // Standard normal tables: N(1) = 0.841344746, N(1.96) = 0.975002105, N(-3) = 0.001349898.
    expect(normCdf(1)).toBeCloseTo(0.841344746, 9);
    expect(normCdf(1.96)).toBeCloseTo(0.975002105, 9);
    expect(normCdf(-3)).toBeCloseTo(0.001349898, 9);
    // N(-10) = 7.6199e-24, to a relative 1e-8: a naive 1 - N(10) would give 0.
    expect(normCdf(-10) / 7.619853024160527e-24).toBeCloseTo(1, 8);
  });
});

describe('black76: published values', () => {
  it("Hull's futures put (Options, Futures and Other Derivatives, Black's model example): 1.12", () => {
    // Crude oil futures put: F = K = 20, T = 4 months, r = 9%, sigma = 25%.
    // sigma sqrt(T) = 0.25 x 0.577350 = 0.144338; d1 = 0.144338 / 2 = 0.072169, d2 = -0.072169.
    // N(-d2) = 0.528766, N(-d1) = 0.471234; e^(-0.09 x 4/12) = e^-0.03 = 0.970446.
    // p = 0.970446 x (20 x 0.528766 - 20 x 0.471234) = 0.970446 x 1.150651 = 1.116641 (Hull: 1.12).
    const p = value({ option_type: 'PE', forward: 20, strike: 20, t_years: 4 / 12, rate: 0.09, iv: 0.25 });
    expect(p.price).toBeCloseTo(1.116641, 6);
  });

  it("Haug's Black-76 example (The Complete Guide to Option Pricing Formulas): call = put = 1.7011", () => {
    // F = K = 19, T = 0.75, r = 10%, sigma = 28%. sigma sqrt(T) = 0.28 x 0.866025 = 0.242487;
    // d1 = 0.121244, d2 = -0.121244; N(d1) = 0.548251, N(d2) = 0.451749; e^-0.075 = 0.927743.
    // c = 0.927743 x 19 x (0.548251 - 0.451749) = 0.927743 x 1.833538 = 1.701051; at the money p = c.
    const args = { forward: 19, strike: 19, t_years: 0.75, rate: 0.1, iv: 0.28 } as const;
    const c = value({ option_type: 'CE', ...args });
    const p = value({ option_type: 'PE', ...args });
    expect(c.price).toBeCloseTo(1.7011, 4);
    expect(p.price).toBeCloseTo(1.7011, 4);
    // Greeks of the same call, by the module's formulas (n(d1) = 0.396021):
    // delta = 0.927743 x 0.548251 = 0.508636; gamma = 0.927743 x 0.396021 / (19 x 0.242487) = 0.079745;
    // vega = 0.927743 x 19 x 0.396021 x 0.866025 / 100 = 0.060455 per vol point;
    // theta = (0.1 x 1.701051 - 0.927743 x 19 x 0.396021 x 0.28 / (2 x 0.866025)) / 365
    //       = (0.170105 - 1.128508) / 365 = -0.002626 per day.
    expect(c.delta).toBeCloseTo(0.508636, 6);
    expect(c.gamma).toBeCloseTo(0.079745, 6);
    expect(c.vega).toBeCloseTo(0.060455, 6);
    expect(c.theta).toBeCloseTo(-0.002626, 6);
    // The put's delta is the call's less the discount factor: 0.508636 - 0.927743 = -0.419107.
    expect(p.delta).toBeCloseTo(-0.419107, 6);
    expect(p.gamma).toBe(c.gamma);
    expect(p.vega).toBe(c.vega);
  });

  it('a NIFTY weekly call a week out, and put-call parity', () => {
    // F = 24000, K = 24500, t = 7/365 = 0.019178, r = 5.25%, sigma = 15%.
    // sigma sqrt(t) = 0.15 x 0.138485 = 0.020773; ln(F/K) = -0.020619;
    // d1 = (-0.020619 + 0.000216) / 0.020773 = -0.982226, d2 = -1.002999;
    // N(d1) = 0.162994, N(d2) = 0.157931; D = e^(-0.0525 x 0.019178) = 0.998994.
    // c = 0.998994 x (24000 x 0.162994 - 24500 x 0.157931) = 0.998994 x 42.5593 = 42.5165.
    const args = { forward: 24000, strike: 24500, t_years: 7 / 365, rate: 0.0525, iv: 0.15 } as const;
    const c = value({ option_type: 'CE', ...args });
    const p = value({ option_type: 'PE', ...args });
    expect(c.price).toBeCloseTo(42.5164, 3);
    // Parity: c - p = D (F - K) = 0.998994 x (-500) = -499.4968.
    expect(c.price - p.price).toBeCloseTo(Math.exp(-0.0525 * (7 / 365)) * -500, 9);
    // Theta per day: (0.0525 x 42.5164 - 0.998994 x 24000 x 0.246271 x 0.15 / (2 x 0.138485)) / 365 = -8.7549.
    expect(c.theta).toBeCloseTo(-8.7549, 3);
    // Vega per point: 0.998994 x 24000 x 0.246271 x 0.138485 / 100 = 8.1769.
    expect(c.vega).toBeCloseTo(8.1769, 3);
  });
});

describe('black76 at and near expiry', () => {
  const near = (option_type: 'CE' | 'PE', forward: number, t_years: number) =>
    value({ option_type, forward, strike: 24500, t_years, rate: 0.0525, iv: 0.15 });

  it('at expiry (t = 0): intrinsic value, delta 1/0 (0.5 at the money), no gamma, theta or vega', () => {
    expect(near('CE', 24600, 0)).toEqual({ price: 100, delta: 1, gamma: 0, theta: 0, vega: 0 });
    expect(near('CE', 24400, 0)).toEqual({ price: 0, delta: 0, gamma: 0, theta: 0, vega: 0 });
    expect(near('PE', 24400, 0)).toEqual({ price: 100, delta: -1, gamma: 0, theta: 0, vega: 0 });
    expect(near('CE', 24500, 0).delta).toBe(0.5);
    expect(near('PE', 24500, 0).delta).toBe(-0.5);
    // A negative time (a clock past the close) is expiry too.
    expect(near('PE', 24400, -0.001).price).toBe(100);
  });

  it('one second before the close: finite, and close to the limits', () => {
    const t = 1 / (365 * 86_400);
    for (const f of [24400, 24500, 24600]) {
      for (const type of ['CE', 'PE'] as const) {
        const g = near(type, f, t);
        for (const v of Object.values(g)) expect(Number.isFinite(v)).toBe(true);
      }
    }
    // 100 points in the money with one second left: worth its intrinsic value, delta 1.
    expect(near('CE', 24600, t).price).toBeCloseTo(100, 6);
    expect(near('CE', 24600, t).delta).toBeCloseTo(1, 6);
    expect(near('CE', 24400, t).price).toBeCloseTo(0, 9);
    // At the money: delta -> 0.5, gamma large but finite, theta large and negative.
    const atm = near('CE', 24500, t);
    expect(atm.delta).toBeCloseTo(0.5, 3);
    expect(atm.gamma).toBeGreaterThan(0.1);
    expect(atm.theta).toBeLessThan(0);
  });

  it('zero volatility: the discounted intrinsic value', () => {
    const g = value({ option_type: 'CE', forward: 110, strike: 100, t_years: 1, rate: 0.05, iv: 0 });
    // e^-0.05 x 10 = 9.512294; theta = r x price / 365 = 0.05 x 9.512294 / 365 = 0.001303.
    expect(g.price).toBeCloseTo(9.512294, 6);
    expect(g.delta).toBeCloseTo(Math.exp(-0.05), 12);
    expect(g.theta).toBeCloseTo(0.001303, 6);
  });

  it('refuses inputs it cannot value', () => {
    const base = { option_type: 'CE', forward: 100, strike: 100, t_years: 0.1, rate: 0.05, iv: 0.2 } as const;
    expect(black76({ ...base, forward: 0 })).toMatchObject({ code: 'PNL_INVALID_INPUT' });
    expect(black76({ ...base, strike: -5 })).toMatchObject({ code: 'PNL_INVALID_INPUT' });
    expect(black76({ ...base, iv: -0.1 })).toMatchObject({ code: 'PNL_INVALID_INPUT' });
    expect(black76({ ...base, t_years: Number.NaN })).toMatchObject({ code: 'PNL_INVALID_INPUT' });
  });
});
