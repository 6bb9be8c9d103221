/**
 * Black-76: the value and Greeks of a European option on a future (or forward), as Sensibull
 * (whose figures Kite shows) prices Indian index options.
 *
 *   d1 = (ln(F/K) + sigma^2 t / 2) / (sigma sqrt(t)),  d2 = d1 - sigma sqrt(t),  D = e^(-r t)
 *   call = D (F N(d1) - K N(d2)),  put = D (K N(-d2) - F N(-d1))
 *
 * Conventions (per unit of the option, in rupees):
 * - delta: per rupee of the future: D N(d1) for a call, -D N(-d1) for a put;
 * - gamma: delta's change per rupee of the future: D n(d1) / (F sigma sqrt(t));
 * - theta: the change in value per CALENDAR day as time passes, the future unchanged:
 *   (r V - D F n(d1) sigma / (2 sqrt(t))) / 365 (same formula for calls and puts);
 * - vega: the change per 1 VOLATILITY POINT (sigma 0.15 -> 0.16): D F n(d1) sqrt(t) / 100.
 * Time is in years of 365 calendar days (see time-to-expiry.ts); rate and volatility are
 * annual fractions (0.0525, 0.15).
 *
 * At expiry (t <= 0) the option is worth its intrinsic value; delta is 1 (-1 for a put) in the
 * money, 0 out of it and 0.5 (-0.5) exactly at the money, the limits of N(d1) as t -> 0;
 * gamma, theta and vega are 0. With sigma = 0 the value is the discounted intrinsic value.
 * Inputs that are not finite, or a future or strike not above 0, are refused as values.
 */
import { normCdf, normPdf } from './normal.js';

export type OptionType = 'CE' | 'PE';

/** Calendar days in the year time to expiry is counted in, and theta is divided by. */
export const DAYS_PER_YEAR = 365;

/** Volatility points in 1.00 of volatility: vega is quoted per point. */
export const VOL_POINTS = 100;

export interface Black76Input {
  option_type: OptionType;
  /** The future's price (or the forward: spot with carry). */
  forward: number;
  strike: number;
  /** Years to expiry (calendar days / 365). */
  t_years: number;
  /** Annual continuously compounded rate, a fraction. */
  rate: number;
  /** Annual volatility, a fraction (0.15 = 15%). */
  iv: number;
}

export interface Black76Result {
  price: number;
  delta: number;
  gamma: number;
  /** Rupees per unit per calendar day. */
  theta: number;
  /** Rupees per unit per volatility point. */
  vega: number;
}

export type PnlErrorCode =
  | 'PNL_INVALID_INPUT'
  | 'IV_NO_TIME_VALUE'
  | 'IV_BELOW_INTRINSIC'
  | 'IV_ABOVE_MAXIMUM'
  | 'IV_NOT_FOUND';

/** A P&L or Greeks computation that cannot be done, as a value. */
export interface PnlError {
  code: PnlErrorCode;
  message: string;
}

export function isPnlError(x: unknown): x is PnlError {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x;
}

/** max(0, F - K) for a call, max(0, K - F) for a put. */
export function intrinsicValue(type: OptionType, forward: number, strike: number): number {
  return Math.max(0, type === 'CE' ? forward - strike : strike - forward);
}

/** The checks every Black-76 input must pass, or the error naming the first that fails. */
export function checkInputs(input: Omit<Black76Input, 'iv'> & { iv?: number }): PnlError | null {
  const fields: Array<[string, number | undefined]> = [
    ['forward', input.forward],
    ['strike', input.strike],
    ['t_years', input.t_years],
    ['rate', input.rate],
    ['iv', input.iv],
  ];
  for (const [name, v] of fields) {
    if (v !== undefined && !Number.isFinite(v)) {
      return { code: 'PNL_INVALID_INPUT', message: `${name} must be a finite number, got ${v}` };
    }
  }
  if (!(input.forward > 0)) return { code: 'PNL_INVALID_INPUT', message: 'the future price must be above 0' };
  if (!(input.strike > 0)) return { code: 'PNL_INVALID_INPUT', message: 'the strike must be above 0' };
  if (input.iv !== undefined && input.iv < 0) {
    return { code: 'PNL_INVALID_INPUT', message: 'volatility cannot be negative' };
  }
  return null;
}

/** Black-76 value and Greeks (see the module comment for units), or why they cannot be computed. */
export function black76(input: Black76Input): Black76Result | PnlError {
  const bad = checkInputs(input);
  if (bad) return bad;
  const { option_type: type, forward: f, strike: k, t_years: t, rate: r, iv: sigma } = input;
  const sign = type === 'CE' ? 1 : -1;
  if (t <= 0) {
    const delta = f === k ? sign * 0.5 : intrinsicValue(type, f, k) > 0 ? sign : 0;
    return { price: intrinsicValue(type, f, k), delta, gamma: 0, theta: 0, vega: 0 };
  }
  const discount = Math.exp(-r * t);
  if (sigma === 0) {
    const price = discount * intrinsicValue(type, f, k);
    const delta = f === k ? sign * 0.5 * discount : price > 0 ? sign * discount : 0;
    return { price, delta, gamma: 0, theta: (r * price) / DAYS_PER_YEAR, vega: 0 };
  }
  const sd = sigma * Math.sqrt(t);
  const d1 = (Math.log(f / k) + 0.5 * sd * sd) / sd;
  const d2 = d1 - sd;
  const pdf = normPdf(d1);
  const price =
    type === 'CE' ? discount * (f * normCdf(d1) - k * normCdf(d2)) : discount * (k * normCdf(-d2) - f * normCdf(-d1));
  const delta = type === 'CE' ? discount * normCdf(d1) : -discount * normCdf(-d1);
  const gamma = (discount * pdf) / (f * sd);
  const thetaYear = r * price - (discount * f * pdf * sigma) / (2 * Math.sqrt(t));
  const vega = (discount * f * pdf * Math.sqrt(t)) / VOL_POINTS;
  return { price, delta, gamma, theta: thetaYear / DAYS_PER_YEAR, vega };
}

/**
 * Black-76 value alone, for an input already checked: the implied-volatility solver's inner
 * loop. Returns the value and vega per 1.00 of volatility (not per point).
 */
export function black76ValueVega(
  type: OptionType,
  forward: number,
  strike: number,
  t: number,
  rate: number,
  sigma: number,
): { value: number; vega: number } {
  const discount = Math.exp(-rate * t);
  if (sigma <= 0 || t <= 0) return { value: discount * intrinsicValue(type, forward, strike), vega: 0 };
  const sqrtT = Math.sqrt(t);
  const sd = sigma * sqrtT;
  const d1 = (Math.log(forward / strike) + 0.5 * sd * sd) / sd;
  const d2 = d1 - sd;
  const value =
    type === 'CE'
      ? discount * (forward * normCdf(d1) - strike * normCdf(d2))
      : discount * (strike * normCdf(-d2) - forward * normCdf(-d1));
  return { value, vega: discount * forward * normPdf(d1) * sqrtT };
}
