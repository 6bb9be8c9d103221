import type { ExecutionError } from './errors.js';

/**
 * An instrument's price grid, in whole ticks. Prices on the grid are turned into integers once
 * (1573.70 at tick 0.05 is tick 31474), the arithmetic on them is exact, and a price is turned
 * back by one division of integers (31474 x 5 / 100), which gives the double nearest the decimal
 * price: 1573.7, never 1573.7000000000003.
 */
export interface TickGrid {
  /** The tick size, rupees. */
  readonly tick: number;
  /**
   * The price of `ticks / per` ticks: a grid price (`per` 1), a mid (`per` 2) or an average
   * (sum of ticks x quantity over the quantity), with one rounding at the end.
   */
  price(ticks: number, per?: number): number;
  /** The tick count of a price that lies on the grid, or null when it does not. */
  onGrid(price: number): number | null;
  /** The most ticks at or below `price` (a BUY limit inside a ceiling). */
  floor(price: number): number;
  /** The fewest ticks at or above `price` (a SELL limit inside a floor). */
  ceil(price: number): number;
}

/** Tick sizes have at most this many decimals (CDS: 0.0025; kept generous). */
const MAX_DECIMALS = 8;
/** A price within this fraction of a tick of a grid point is on it (binary floating point noise). */
const GRID_TOLERANCE = 1e-6;

/**
 * The grid of a tick size, or INVALID_INSTRUMENT when the tick size is not a positive decimal
 * with at most eight places.
 */
export function tickGrid(tick: number): TickGrid | ExecutionError {
  if (!(Number.isFinite(tick) && tick > 0)) {
    return { code: 'INVALID_INSTRUMENT', message: `tick size ${tick} is not a positive number` };
  }
  let decimals = 0;
  while (decimals <= MAX_DECIMALS && Number(tick.toFixed(decimals)) !== tick) decimals++;
  if (decimals > MAX_DECIMALS) {
    return { code: 'INVALID_INSTRUMENT', message: `tick size ${tick} has more than ${MAX_DECIMALS} decimals` };
  }
  const scale = 10 ** decimals;
  /** The tick in units of 10^-decimals rupees: an integer. */
  const unit = Math.round(tick * scale);
  const ratio = (price: number): number => (price * scale) / unit;
  const near = (r: number): number | null => {
    const n = Math.round(r);
    return Math.abs(r - n) < GRID_TOLERANCE ? n : null;
  };
  return {
    tick,
    price: (ticks, per = 1) => (ticks * unit) / (scale * per),
    onGrid: (price) => near(ratio(price)),
    floor: (price) => {
      const r = ratio(price);
      return near(r) ?? Math.floor(r);
    },
    ceil: (price) => {
      const r = ratio(price);
      return near(r) ?? Math.ceil(r);
    },
  };
}
