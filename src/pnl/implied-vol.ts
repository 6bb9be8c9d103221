/**
 * Implied volatility: the Black-76 volatility at which the model's value equals the option's
 * price.
 *
 * Black-76's value rises strictly with volatility from the discounted intrinsic value
 * (sigma -> 0) towards the discounted future (call) or strike (put) as sigma grows without
 * bound, so a price has exactly one implied volatility when it lies strictly inside those
 * no-arbitrage bounds. A price outside them is refused with the bound it broke; a price at
 * the lower bound (an option trading at parity) has volatility 0.
 *
 * The solver is Newton's method inside a bracket that always holds the root: a Newton step that
 * would leave the bracket, or a vega too small to trust, is replaced by bisection, so it
 * converges for deep in- and out-of-the-money options where plain Newton diverges.
 */
import { black76ValueVega, checkInputs, intrinsicValue, type OptionType, type PnlError } from './black76.js';

export interface ImpliedVolInput {
  option_type: OptionType;
  /** The option's price (its last traded price, or the mid). */
  price: number;
  forward: number;
  strike: number;
  t_years: number;
  rate: number;
}

export interface ImpliedVol {
  /** Annual volatility, a fraction (0.15 = 15%). */
  iv: number;
  iterations: number;
}

/** The highest volatility the solver searches: 2,000% a year. */
export const IV_SEARCH = { high: 20 } as const;

/**
 * The solver stops when the model's value is within this fraction of the price (of 1 rupee for
 * a price below 1), or the bracket is this narrow.
 */
const PRICE_TOLERANCE = 1e-12;
const VOL_TOLERANCE = 1e-12;
const MAX_ITERATIONS = 200;

/** The implied volatility of `input.price`, or why there is none. */
export function impliedVolatility(input: ImpliedVolInput): ImpliedVol | PnlError {
  const bad = checkInputs(input);
  if (bad) return bad;
  if (!Number.isFinite(input.price) || input.price < 0) {
    return { code: 'PNL_INVALID_INPUT', message: `the option price must be 0 or more, got ${input.price}` };
  }
  const { option_type: type, price, forward: f, strike: k, t_years: t, rate: r } = input;
  if (t <= 0) {
    return { code: 'IV_NO_TIME_VALUE', message: 'the option has expired: it has no time value to imply a volatility' };
  }
  const discount = Math.exp(-r * t);
  const lower = discount * intrinsicValue(type, f, k);
  const upper = discount * (type === 'CE' ? f : k);
  const slack = PRICE_TOLERANCE * Math.max(1, upper);
  if (price < lower - slack) {
    return {
      code: 'IV_BELOW_INTRINSIC',
      message: `price ${price} is below the discounted intrinsic value ${lower}: no volatility gives it`,
    };
  }
  if (price >= upper) {
    return {
      code: 'IV_ABOVE_MAXIMUM',
      message: `price ${price} is not below ${upper}, the most the option can be worth (${type === 'CE' ? 'the discounted future' : 'the discounted strike'})`,
    };
  }
  if (price <= lower + slack) return { iv: 0, iterations: 0 };

  // The value at sigma = 0 is the lower bound, below the price: [0, high] holds the root.
  let lo = 0;
  let hi: number = IV_SEARCH.high;
  if (black76ValueVega(type, f, k, t, r, hi).value < price) {
    return { code: 'IV_NOT_FOUND', message: `price ${price} needs a volatility above ${IV_SEARCH.high * 100}%` };
  }
  // Start where at-the-money options sit: Brenner-Subrahmanyam, price ~ 0.4 F sigma sqrt(t).
  let sigma = Math.min(hi, Math.max(1e-4, (price / (discount * f)) * Math.sqrt((2 * Math.PI) / t)));
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const { value, vega } = black76ValueVega(type, f, k, t, r, sigma);
    const diff = value - price;
    if (Math.abs(diff) <= PRICE_TOLERANCE * Math.max(1, price)) return { iv: sigma, iterations: i };
    if (diff > 0) hi = sigma;
    else lo = sigma;
    if (hi - lo <= VOL_TOLERANCE) return { iv: (lo + hi) / 2, iterations: i };
    const newton = vega > 0 ? sigma - diff / vega : Number.NaN;
    sigma = newton > lo && newton < hi ? newton : (lo + hi) / 2;
  }
  return { iv: sigma, iterations: MAX_ITERATIONS };
}
