/**
 * Seed prices for derivatives, so that a freshly generated master starts with premiums and
 * futures prices that hang together with the underlying. A simulation device only: futures
 * carry at a flat rate, options priced by Black-76 on that futures price at zero rate.
 */
import { black76Price, type OptionKind } from '../market/option-pricing.js';

/** Futures price from spot with simple annual carry over `days` calendar days. */
export function carriedFuturesPrice(spot: number, days: number, annualRate: number): number {
  return spot * (1 + (annualRate * Math.max(0, days)) / 365);
}

/** Discount rate for seed premiums: none, the premium is a starting point, not a valuation. */
export const SEED_DISCOUNT_RATE = 0;

/**
 * Seed premium of a European option on a futures price `forward`: Black-76 (the market
 * model's own pricer) with `years` to expiry, volatility `vol` and no discounting.
 */
export function seedOptionPremium(
  kind: OptionKind,
  forward: number,
  strike: number,
  years: number,
  vol: number,
): number {
  return black76Price(kind, forward, strike, years, SEED_DISCOUNT_RATE, vol);
}
