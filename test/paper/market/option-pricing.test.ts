import { describe, expect, it } from 'vitest';
import {
  black76,
  blackScholes,
  expiryInstantMs,
  intrinsicValue,
  normCdf,
  smileVol,
  yearFraction,
} from '../../../src/paper/market/option-pricing.js';

describe('normCdf', () => {
  it('matches tabulated values', () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 15);
    expect(normCdf(1)).toBeCloseTo(0.8413447460685429, 12);
    expect(normCdf(-1.96)).toBeCloseTo(0.024997895148220435, 12);
    expect(normCdf(0.35)).toBeCloseTo(0.6368306511756191, 12);
    expect(normCdf(-8)).toBeCloseTo(6.22096057427178e-16, 20);
    expect(normCdf(40)).toBe(1);
  });
});

describe('blackScholes', () => {
  it('prices the textbook call and put (S=K=100, T=1, r=5%, vol=20%)', () => {
    // d1 = (ln(100/100) + (0.05 + 0.2^2/2) x 1) / (0.2 x 1) = 0.07 / 0.2 = 0.35
    // d2 = d1 - 0.2 = 0.15
    // N(0.35) = 0.636831, N(0.15) = 0.559618, e^-0.05 = 0.951229
    // call = 100 x 0.636831 - 100 x 0.951229 x 0.559618 = 63.6831 - 53.2325 = 10.4506
    // put  = call - S + K e^-rT = 10.4506 - 100 + 95.1229 = 5.5735
    const call = blackScholes({ kind: 'CE', spot: 100, strike: 100, t: 1, rate: 0.05, vol: 0.2 });
    const put = blackScholes({ kind: 'PE', spot: 100, strike: 100, t: 1, rate: 0.05, vol: 0.2 });
    expect(call.price).toBeCloseTo(10.4506, 4);
    expect(put.price).toBeCloseTo(5.5735, 4);
    // delta call = N(d1) = 0.636831; put = N(d1) - 1 = -0.363169
    expect(call.delta).toBeCloseTo(0.636831, 6);
    expect(put.delta).toBeCloseTo(-0.363169, 6);
    // gamma = phi(0.35) / (S vol sqrt T) = 0.375240 / 20 = 0.018762
    expect(call.gamma).toBeCloseTo(0.018762, 6);
    // vega = S phi(d1) sqrt T = 100 x 0.375240 = 37.524
    expect(call.vega).toBeCloseTo(37.524, 3);
  });

  it('keeps put-call parity with a dividend yield', () => {
    // C - P = S e^-qT - K e^-rT
    const args = { spot: 24_000, strike: 24_500, t: 30 / 365, rate: 0.065, vol: 0.15, dividendYield: 0.012 };
    const c = blackScholes({ kind: 'CE', ...args }).price;
    const p = blackScholes({ kind: 'PE', ...args }).price;
    const t = args.t;
    expect(c - p).toBeCloseTo(24_000 * Math.exp(-0.012 * t) - 24_500 * Math.exp(-0.065 * t), 8);
  });

  it('has greeks that agree with finite differences', () => {
    const base = { kind: 'PE' as const, spot: 1500, strike: 1450, t: 0.1, rate: 0.065, vol: 0.3, dividendYield: 0.01 };
    const v = blackScholes(base);
    const h = 0.01;
    const up = blackScholes({ ...base, spot: base.spot + h }).price;
    const down = blackScholes({ ...base, spot: base.spot - h }).price;
    expect(v.delta).toBeCloseTo((up - down) / (2 * h), 6);
    expect(v.gamma).toBeCloseTo((up - 2 * v.price + down) / (h * h), 4);
    const dv = 1e-5;
    const vegaFd =
      (blackScholes({ ...base, vol: base.vol + dv }).price - blackScholes({ ...base, vol: base.vol - dv }).price) /
      (2 * dv);
    expect(v.vega).toBeCloseTo(vegaFd, 4);
    const dt = 1e-6;
    // theta is -dV/dT
    const thetaFd =
      -(blackScholes({ ...base, t: base.t + dt }).price - blackScholes({ ...base, t: base.t - dt }).price) / (2 * dt);
    expect(v.theta).toBeCloseTo(thetaFd, 3);
    const dr = 1e-6;
    const rhoFd =
      (blackScholes({ ...base, rate: base.rate + dr }).price - blackScholes({ ...base, rate: base.rate - dr }).price) /
      (2 * dr);
    expect(v.rho).toBeCloseTo(rhoFd, 3);
  });

  it('is worth its intrinsic value at and after expiry', () => {
    expect(blackScholes({ kind: 'CE', spot: 105, strike: 100, t: 0, rate: 0.05, vol: 0.2 }).price).toBe(5);
    expect(blackScholes({ kind: 'PE', spot: 105, strike: 100, t: -0.01, rate: 0.05, vol: 0.2 }).price).toBe(0);
    expect(intrinsicValue('PE', 95, 100)).toBe(5);
  });
});

describe('black76', () => {
  it('prices an option on a future by hand (F=100, K=95, T=0.25, r=6%, vol=30%)', () => {
    // ln(100/95) = 0.051293; vol^2 T / 2 = 0.09 x 0.25 / 2 = 0.01125; vol sqrt T = 0.15
    // d1 = (0.051293 + 0.01125) / 0.15 = 0.416955; d2 = 0.266955
    // N(d1) = 0.661644, N(d2) = 0.605248, e^-(0.06 x 0.25) = 0.985112
    // call = 0.985112 x (100 x 0.661644 - 95 x 0.605248) = 0.985112 x 8.665848 = 8.5368
    // put  = call - e^-rT (F - K) = 8.5368 - 0.985112 x 5 = 3.6113
    const call = black76({ kind: 'CE', forward: 100, strike: 95, t: 0.25, rate: 0.06, vol: 0.3 });
    const put = black76({ kind: 'PE', forward: 100, strike: 95, t: 0.25, rate: 0.06, vol: 0.3 });
    expect(call.price).toBeCloseTo(8.5368, 4);
    expect(put.price).toBeCloseTo(3.6113, 4);
    expect(call.delta).toBeCloseTo(0.985112 * 0.661644, 5);
  });

  it('equals Black-Scholes on the forward S e^(r-q)T', () => {
    const s = 24_000;
    const t = 7 / 365;
    const bs = blackScholes({
      kind: 'CE',
      spot: s,
      strike: 24_000,
      t,
      rate: 0.065,
      vol: 0.14,
      dividendYield: 0.065 - 0.07,
    });
    const b76 = black76({ kind: 'CE', forward: s * Math.exp(0.07 * t), strike: 24_000, t, rate: 0.065, vol: 0.14 });
    // By hand: F = 24032.24, d1 = 0.078936, d2 = 0.059549, call = 0.998754 x (24032.24 x 0.531458 - 24000 x 0.523742) = 202.07
    expect(b76.price).toBeCloseTo(202.067, 2);
    expect(bs.price).toBeCloseTo(b76.price, 8);
  });

  it('has theta matching a finite difference in time with the forward held', () => {
    const base = { kind: 'CE' as const, forward: 6000, strike: 6100, t: 0.05, rate: 0.065, vol: 0.35 };
    const v = black76(base);
    const dt = 1e-6;
    const fd = -(black76({ ...base, t: base.t + dt }).price - black76({ ...base, t: base.t - dt }).price) / (2 * dt);
    expect(v.theta).toBeCloseTo(fd, 3);
  });
});

describe('expiry and smile', () => {
  it('expires NSE/BSE derivatives at 15:30 IST and MCX at 23:30 IST', () => {
    expect(new Date(expiryInstantMs('2025-12-30', 'NFO')!).toISOString()).toBe('2025-12-30T10:00:00.000Z');
    expect(new Date(expiryInstantMs('2025-12-18', 'BFO')!).toISOString()).toBe('2025-12-18T10:00:00.000Z');
    expect(new Date(expiryInstantMs('2025-12-16', 'MCX')!).toISOString()).toBe('2025-12-16T18:00:00.000Z');
    expect(expiryInstantMs('30-12-2025', 'NFO')).toBeUndefined();
    // One day from 15:30 to 15:30 is 1/365 of a year.
    expect(yearFraction(expiryInstantMs('2025-12-29', 'NFO')!, expiryInstantMs('2025-12-30', 'NFO')!)).toBeCloseTo(
      1 / 365,
      15,
    );
  });

  it('lifts implied volatility away from the money, more on the put side with skew', () => {
    const smile = { curvature: 0.04, putSkew: 0.04 };
    const t = 30 / 365;
    const atm = smileVol(0.14, 24_000, 24_000, t, smile);
    const lowStrike = smileVol(0.14, 24_000, 22_800, t, smile);
    const highStrike = smileVol(0.14, 24_000, 25_200, t, smile);
    expect(atm).toBeCloseTo(0.14, 12);
    expect(lowStrike).toBeGreaterThan(atm);
    expect(highStrike).toBeGreaterThan(atm);
    expect(lowStrike).toBeGreaterThan(highStrike);
    // z = ln(22800/24000) / (0.14 sqrt(30/365)) = -0.051293 / 0.040137 = -1.277963
    // vol = 0.14 x (1 + (0.04 + 0.04) x 1.633190) = 0.14 x 1.130655 = 0.158292
    expect(lowStrike).toBeCloseTo(0.158292, 6);
    // z = ln(25200/24000) / 0.040137 = 1.215598; vol = 0.14 x (1 + 0.04 x 1.477679) = 0.148275
    expect(highStrike).toBeCloseTo(0.148275, 6);
  });
});
