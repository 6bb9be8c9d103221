/**
 * European option values and greeks: Black-Scholes (options on a spot with a continuous
 * yield) and Black-76 (options on a forward or future, as MCX options are on the future).
 * Pure functions of their inputs; the P&L area may reuse them.
 *
 * Units: time in years (calendar, ACT/365, see `yearFraction`), rates and volatility as
 * annual decimals (0.065, 0.14). Greeks are per unit: delta per 1 rupee of the underlying,
 * gamma per rupee per rupee, vega per 1.00 of volatility (divide by 100 for "per vol
 * point"), theta per year of calendar time (divide by 365 for "per day"), rho per 1.00 of rate.
 */
import type { Exchange } from '../../domain/instrument.js';
import { istInstantMs } from '../../market/ist.js';
import { normCdf, normPdf } from '../../pnl/normal.js';

export type OptionKind = 'CE' | 'PE';

export interface OptionValue {
  price: number;
  delta: number;
  gamma: number;
  /** Change in value per year of passing time (negative for a long option, usually). */
  theta: number;
  vega: number;
  rho: number;
}

/** ACT/365: the year the option pricing uses. */
export const MS_PER_YEAR = 365 * 86_400_000;

/** Years from `fromMs` to `toMs` (negative when `toMs` is past). */
export function yearFraction(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_YEAR;
}

/**
 * When contracts stop trading on their expiry day, IST, by exchange: NSE/BSE equity
 * derivatives at the 15:30 close; currency derivatives at 12:30 (NSE/BSE currency
 * contract specifications); MCX non-agri at 23:30 (its close in US daylight time; 23:55 in
 * US winter: give `expiryAt` in the spec when that matters); NCDEX-style agri at 17:00.
 */
export const EXPIRY_CLOSE_IST: Readonly<Record<Exchange, string>> = {
  NFO: '15:30',
  BFO: '15:30',
  NSE: '15:30',
  BSE: '15:30',
  CDS: '12:30',
  BCD: '12:30',
  MCX: '23:30',
  NCO: '17:00',
};

/** The expiry instant (epoch ms) of a contract expiring on `expiry` (YYYY-MM-DD) on `exchange`. */
export function expiryInstantMs(expiry: string, exchange: Exchange): number | undefined {
  return istInstantMs(expiry, EXPIRY_CLOSE_IST[exchange]);
}

/** Value at expiry: max(0, S - K) for a call, max(0, K - S) for a put. */
export function intrinsicValue(kind: OptionKind, underlying: number, strike: number): number {
  return Math.max(0, kind === 'CE' ? underlying - strike : strike - underlying);
}

function expired(kind: OptionKind, underlying: number, strike: number): OptionValue {
  const itm = kind === 'CE' ? underlying > strike : underlying < strike;
  return {
    price: intrinsicValue(kind, underlying, strike),
    delta: itm ? (kind === 'CE' ? 1 : -1) : 0,
    gamma: 0,
    theta: 0,
    vega: 0,
    rho: 0,
  };
}

export interface BlackScholesInput {
  kind: OptionKind;
  spot: number;
  strike: number;
  /** Years to expiry; at or below 0 the option is worth its intrinsic value. */
  t: number;
  /** Continuously compounded risk-free rate. */
  rate: number;
  /** Volatility; at or below 0 the value is the discounted intrinsic of the forward. */
  vol: number;
  /** Continuous dividend yield (default 0). */
  dividendYield?: number;
}

/** Black-Scholes-Merton value and greeks of a European option on a spot. */
export function blackScholes(input: BlackScholesInput): OptionValue {
  const { kind, spot: s, strike: k, t, rate: r, vol } = input;
  const q = input.dividendYield ?? 0;
  if (t <= 0) return expired(kind, s, k);
  const dq = Math.exp(-q * t);
  const dr = Math.exp(-r * t);
  if (vol <= 0) {
    const fwdIntrinsic = intrinsicValue(kind, s * dq, k * dr);
    const itm = kind === 'CE' ? s * dq > k * dr : s * dq < k * dr;
    return { price: fwdIntrinsic, delta: itm ? (kind === 'CE' ? dq : -dq) : 0, gamma: 0, theta: 0, vega: 0, rho: 0 };
  }
  const sqrtT = Math.sqrt(t);
  const d1 = (Math.log(s / k) + (r - q + 0.5 * vol * vol) * t) / (vol * sqrtT);
  const d2 = d1 - vol * sqrtT;
  const pdf1 = normPdf(d1);
  const gamma = (dq * pdf1) / (s * vol * sqrtT);
  const vega = s * dq * pdf1 * sqrtT;
  const decay = -(s * dq * pdf1 * vol) / (2 * sqrtT);
  if (kind === 'CE') {
    const n1 = normCdf(d1);
    const n2 = normCdf(d2);
    return {
      price: s * dq * n1 - k * dr * n2,
      delta: dq * n1,
      gamma,
      theta: decay - r * k * dr * n2 + q * s * dq * n1,
      vega,
      rho: k * t * dr * n2,
    };
  }
  const m1 = normCdf(-d1);
  const m2 = normCdf(-d2);
  return {
    price: k * dr * m2 - s * dq * m1,
    delta: -dq * m1,
    gamma,
    theta: decay + r * k * dr * m2 - q * s * dq * m1,
    vega,
    rho: -k * t * dr * m2,
  };
}

export interface Black76Input {
  kind: OptionKind;
  /** Forward (futures) price for the option's expiry. */
  forward: number;
  strike: number;
  t: number;
  rate: number;
  vol: number;
}

/**
 * Black-76 value and greeks of a European option on a forward. Delta and gamma are with
 * respect to the forward; theta holds the forward fixed.
 */
export function black76(input: Black76Input): OptionValue {
  const { kind, forward: f, strike: k, t, rate: r, vol } = input;
  if (t <= 0) return expired(kind, f, k);
  const df = Math.exp(-r * t);
  if (vol <= 0) {
    const price = df * intrinsicValue(kind, f, k);
    const itm = kind === 'CE' ? f > k : f < k;
    return { price, delta: itm ? (kind === 'CE' ? df : -df) : 0, gamma: 0, theta: r * price, vega: 0, rho: -t * price };
  }
  const sqrtT = Math.sqrt(t);
  const d1 = (Math.log(f / k) + 0.5 * vol * vol * t) / (vol * sqrtT);
  const d2 = d1 - vol * sqrtT;
  const pdf1 = normPdf(d1);
  const gamma = (df * pdf1) / (f * vol * sqrtT);
  const vega = f * df * pdf1 * sqrtT;
  const decay = -(f * df * pdf1 * vol) / (2 * sqrtT);
  const price = kind === 'CE' ? df * (f * normCdf(d1) - k * normCdf(d2)) : df * (k * normCdf(-d2) - f * normCdf(-d1));
  const delta = kind === 'CE' ? df * normCdf(d1) : -df * normCdf(-d1);
  return { price, delta, gamma, theta: decay + r * price, vega, rho: -t * price };
}

/** Black-76 value only: the model's hot path, without the greeks' extra work. */
export function black76Price(
  kind: OptionKind,
  forward: number,
  strike: number,
  t: number,
  rate: number,
  vol: number,
): number {
  if (t <= 0) return intrinsicValue(kind, forward, strike);
  const df = Math.exp(-rate * t);
  if (vol <= 0) return df * intrinsicValue(kind, forward, strike);
  const sd = vol * Math.sqrt(t);
  const d1 = (Math.log(forward / strike) + 0.5 * sd * sd) / sd;
  const d2 = d1 - sd;
  return kind === 'CE'
    ? df * (forward * normCdf(d1) - strike * normCdf(d2))
    : df * (strike * normCdf(-d2) - forward * normCdf(-d1));
}

/**
 * A volatility smile as a multiple of at-the-money volatility, in standardised moneyness
 * z = ln(K/F) / (atmVol * sqrt(T)):
 *   vol(z) = atmVol * (1 + curvature * z^2 + putSkew * z^2 for z < 0)
 * Lowest at the money and rising on both wings, the low-strike (put) wing more steeply,
 * as Indian index options trade.
 */
export interface SmileParams {
  curvature: number;
  putSkew: number;
}

/** |z| beyond this is treated as this: keeps wings finite for strikes far from the money. */
export const SMILE_Z_CAP = 4;
/** Smallest multiple of ATM vol the smile may give (guards against negative parameters). */
export const SMILE_FLOOR = 0.5;
/**
 * Shortest time used for moneyness (one hour, in years): at the final minutes before expiry
 * every strike would otherwise be infinitely far from the money.
 */
export const MIN_MONEYNESS_T = 1 / (365 * 24);

/** Standardised moneyness of `strike` against `forward`, capped at +-SMILE_Z_CAP. */
export function standardisedMoneyness(forward: number, strike: number, t: number, atmVol: number): number {
  if (!(forward > 0) || !(strike > 0) || !(atmVol > 0)) return 0;
  const z = Math.log(strike / forward) / (atmVol * Math.sqrt(Math.max(t, MIN_MONEYNESS_T)));
  return Math.max(-SMILE_Z_CAP, Math.min(SMILE_Z_CAP, z));
}

/** Implied volatility for `strike` on the smile. */
export function smileVol(atmVol: number, forward: number, strike: number, t: number, smile: SmileParams): number {
  const z = standardisedMoneyness(forward, strike, t, atmVol);
  return atmVol * Math.max(SMILE_FLOOR, 1 + (smile.curvature + (z < 0 ? smile.putSkew : 0)) * z * z);
}

/** The standard normal, shared with the P&L maths. */
export { normCdf, normPdf };
