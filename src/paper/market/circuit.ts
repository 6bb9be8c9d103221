/**
 * Circuit limits (price bands) for the paper market.
 *
 * - Cash equities: a band of 2, 5, 10 or 20% of the previous close, chosen per instrument
 *   in data (NSE assigns each security one of these; 20% is the default for a security
 *   with no specific band). Stocks with derivatives have no fixed band but a 10% "dummy"
 *   operating range (NSE FAQ on price band / operating range flex), so give those 10.
 * - Futures: the operating range, 10% of the base price (NSE equity derivatives contract
 *   specifications: "Operating range of 10% of the base price"); base = previous close.
 * - Options: NSE computes a contract-specific range from the option's delta each day. We
 *   approximate it by full revaluation: the option's value with the underlying at its base
 *   price -10% and +10% (first order this is base +- delta x 10% x underlying), at the
 *   day's start time and the model's smile.
 * - Indices have no band (limits reported as 0) unless one is given.
 *
 * Flexing (NSE relaxes a derivative's range by 5% steps after enough trades near the
 * edge) is not modelled: the band holds for the day. Limits are rounded inward to the
 * tick (lower up, upper down), so the band never exceeds its percentage; for INFY's
 * quote.json sample, previous close 1389.65 with 10% gives 1250.70 .. 1528.60 as Kite shows.
 */
import type { TickGrid } from './tick.js';

/** The bands NSE/BSE assign to cash equities, in percent of the previous close. */
export const EQUITY_BANDS_PCT = [2, 5, 10, 20] as const;
/** NSE's band for a cash security that has no specific one. */
export const DEFAULT_EQUITY_BAND_PCT = 20;
/** Futures and options operating range, percent of base price (NSE contract specifications). */
export const DEFAULT_OPERATING_RANGE_PCT = 10;
/**
 * Narrowest option band, in ticks (400 x 0.05 = 20 rupees). A model choice, not an
 * exchange figure: revaluation gives a far out-of-the-money option a band of a tick or
 * two, which would freeze it, while real ones trade from 0.05 up to several rupees when
 * the market lurches.
 */
export const OPTION_MIN_BAND_TICKS = 400;

/** Lower and upper limits; `{ lower: 0, upper: 0 }` means no band. */
export interface CircuitLimits {
  lower: number;
  upper: number;
}

export const NO_BAND: CircuitLimits = Object.freeze({ lower: 0, upper: 0 });

export function hasBand(limits: CircuitLimits): boolean {
  return limits.upper > 0;
}

/** `base` +- `pct`%, rounded inward to the tick; the lower limit is at least one tick. */
export function percentBand(base: number, pct: number, grid: TickGrid): CircuitLimits {
  if (!(pct > 0) || !(base > 0)) return NO_BAND;
  const lowerTicks = Math.max(1, grid.ceilTicks(base * (1 - pct / 100)));
  const upperTicks = Math.max(lowerTicks, grid.floorTicks(base * (1 + pct / 100)));
  return { lower: grid.price(lowerTicks), upper: grid.price(upperTicks) };
}

/**
 * An option's band by revaluation: `valueAt(u)` is the option's value with its root
 * underlying at `u`; the band spans the values at `underlyingBase` -`pct`% and +`pct`%,
 * widened outward to the tick, at least one tick above zero and at least
 * OPTION_MIN_BAND_TICKS wide.
 */
export function revaluationBand(
  valueAt: (underlying: number) => number,
  underlyingBase: number,
  pct: number,
  grid: TickGrid,
): CircuitLimits {
  if (!(pct > 0) || !(underlyingBase > 0)) return NO_BAND;
  const a = valueAt(underlyingBase * (1 - pct / 100));
  const b = valueAt(underlyingBase * (1 + pct / 100));
  const lowerTicks = Math.max(1, grid.floorTicks(Math.min(a, b)));
  const upperTicks = Math.max(lowerTicks + OPTION_MIN_BAND_TICKS, grid.ceilTicks(Math.max(a, b)));
  return { lower: grid.price(lowerTicks), upper: grid.price(upperTicks) };
}

/** `price` held inside the band (unchanged when there is no band). */
export function clampToBand(price: number, limits: CircuitLimits): number {
  if (!hasBand(limits)) return price;
  return Math.min(limits.upper, Math.max(limits.lower, price));
}

/** Whether `price` lies inside the band (always true without one). */
export function withinBand(price: number, limits: CircuitLimits): boolean {
  return !hasBand(limits) || (price >= limits.lower && price <= limits.upper);
}
