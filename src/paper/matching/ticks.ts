/**
 * Price-grid arithmetic. Prices on an exchange sit on a tick grid, so snapping to the grid
 * and printing to the tick's decimals is exact data handling, not money rounding.
 */

const EPS = 1e-9;

/** Number of decimals the tick size is written with (0.05 -> 2, 0.0025 -> 4, 1 -> 0). */
export function tickDecimals(tick: number): number {
  const s = String(tick);
  if (s.includes('e-')) return Number(s.split('e-')[1]);
  return (s.split('.')[1] ?? '').length;
}

function snap(n: number, tick: number): number {
  return Number((n * tick).toFixed(tickDecimals(tick)));
}

/** True when `price` is a whole number of ticks (within floating-point noise). */
export function isOnTick(price: number, tick: number): boolean {
  if (!(tick > 0)) return true;
  const n = price / tick;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

/** The largest grid price not above `price`. */
export function floorToTick(price: number, tick: number): number {
  if (!(tick > 0)) return price;
  return snap(Math.floor(price / tick + EPS), tick);
}

/** The smallest grid price not below `price`. */
export function ceilToTick(price: number, tick: number): number {
  if (!(tick > 0)) return price;
  return snap(Math.ceil(price / tick - EPS), tick);
}

/** a > b beyond floating-point noise. */
export function priceAbove(a: number, b: number): boolean {
  return a - b > EPS;
}

/** a < b beyond floating-point noise. */
export function priceBelow(a: number, b: number): boolean {
  return b - a > EPS;
}

/** `price` written with the tick's decimals, dropping floating-point noise (480.15000000000003 -> 480.15). */
export function tidyPrice(price: number, tick: number): number {
  if (!(tick > 0)) return price;
  return Number(price.toFixed(Math.max(2, tickDecimals(tick))));
}
