/**
 * Seed prices for derivatives, so that a freshly generated master starts with premiums and
 * futures prices that hang together with the underlying. A simulation device only: futures
 * carry at a flat rate, options priced by Black-76 on that futures price at zero rate.
 */

/** Futures price from spot with simple annual carry over `days` calendar days. */
export function carriedFuturesPrice(spot: number, days: number, annualRate: number): number {
  return spot * (1 + (annualRate * Math.max(0, days)) / 365);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf approximation; error below 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Black-76 premium of a European option on a futures price `forward`, strike `strike`,
 * `years` to expiry, volatility `vol`, discounting ignored.
 */
export function black76(type: 'CE' | 'PE', forward: number, strike: number, years: number, vol: number): number {
  const intrinsic = type === 'CE' ? Math.max(0, forward - strike) : Math.max(0, strike - forward);
  if (years <= 0 || vol <= 0) return intrinsic;
  const sd = vol * Math.sqrt(years);
  const d1 = (Math.log(forward / strike) + (sd * sd) / 2) / sd;
  const d2 = d1 - sd;
  return type === 'CE'
    ? forward * normalCdf(d1) - strike * normalCdf(d2)
    : strike * normalCdf(-d2) - forward * normalCdf(-d1);
}
