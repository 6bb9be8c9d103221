/**
 * The underlying price an option is valued on: the future of the same expiry where one
 * trades (NIFTY's monthly options on NIFTY's monthly future), else spot carried to the
 * option's expiry, F = S e^(b t) (NIFTY's weekly options have no future of their expiry).
 *
 * The carry rate b is the rate implied by the nearest future, b = ln(F_near / S) / t_near,
 * when the caller has one (it holds the index's dividends and the market's funding cost, as
 * the future does), else the configured rate.
 */

export interface UnderlyingPrices {
  /** The future expiring with the option, when there is one and its price is known. */
  future: number | null;
  /** The spot (index or stock) price, when known. */
  spot: number | null;
  /** The carry rate implied by another future of the same underlying, when known. */
  implied_carry: number | null;
}

export interface UnderlyingForward {
  price: number;
  source: 'future' | 'spot_carry';
  /** The carry rate applied (spot_carry only). */
  carry: number | null;
}

/** The carry rate a future implies: ln(F / S) / t, or null when it cannot be computed. */
export function impliedCarryRate(spot: number, future: number, tYears: number): number | null {
  if (!(spot > 0) || !(future > 0) || !(tYears > 0)) return null;
  return Math.log(future / spot) / tYears;
}

/** The future price to value an option on (see the module comment), or null when no price is known. */
export function underlyingForward(prices: UnderlyingPrices, tYears: number, rate: number): UnderlyingForward | null {
  if (prices.future !== null && prices.future > 0) return { price: prices.future, source: 'future', carry: null };
  if (prices.spot === null || !(prices.spot > 0)) return null;
  const carry = prices.implied_carry ?? rate;
  return { price: prices.spot * Math.exp(carry * Math.max(0, tYears)), source: 'spot_carry', carry };
}
