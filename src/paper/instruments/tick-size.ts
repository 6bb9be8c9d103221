/**
 * Tick sizes by price band.
 *
 * NSE (circulars for 2025-04-15, reviewed monthly on the last trading day's close): shares and
 * stock futures tick by the share's price; index futures by the index level; all options
 * keep 0.05. Whether the April 2025 bands took effect could not be confirmed from an exchange
 * page, but 2026 Kite dumps quoted in public code show 0.1 for NIFTY futures and for INFY, TCS
 * and M&M shares, which only these bands give. BSE: 0.01 below 100 rupees, else 0.05 (its 2023
 * change); BSE index futures are assumed to keep 0.05.
 */

/** A band: prices up to and including `upTo` tick by `tick`. */
export interface TickBand {
  upTo: number;
  tick: number;
}

export const NSE_EQUITY_TICK_BANDS: readonly TickBand[] = [
  { upTo: 249.99, tick: 0.01 },
  { upTo: 1000, tick: 0.05 },
  { upTo: 5000, tick: 0.1 },
  { upTo: 10000, tick: 0.5 },
  { upTo: 20000, tick: 1 },
  { upTo: Infinity, tick: 5 },
];

export const NSE_INDEX_FUTURES_TICK_BANDS: readonly TickBand[] = [
  { upTo: 15000, tick: 0.05 },
  { upTo: 30000, tick: 0.1 },
  { upTo: Infinity, tick: 0.2 },
];

export const BSE_EQUITY_TICK_BANDS: readonly TickBand[] = [
  { upTo: 99.99, tick: 0.01 },
  { upTo: Infinity, tick: 0.05 },
];

export const BSE_INDEX_FUTURES_TICK = 0.05;

/** Index and stock options on NSE and BSE. */
export const EQUITY_OPTION_TICK = 0.05;

/** The tick of the first band whose `upTo` is at or above `price`. */
export function tickFor(bands: readonly TickBand[], price: number): number {
  for (const b of bands) if (price <= b.upTo) return b.tick;
  return bands[bands.length - 1]?.tick ?? 0.05;
}

function decimals(tick: number): number {
  const s = String(tick);
  return (s.split('.')[1] ?? '').length;
}

/**
 * The nearest price on the tick grid (at least one tick). Prices live on the grid, so snapping
 * and printing to the tick's decimals is data handling, not money rounding.
 */
export function snapToTick(price: number, tick: number): number {
  if (!(tick > 0)) return price;
  const n = Math.max(1, Math.round(price / tick));
  return Number((n * tick).toFixed(decimals(tick)));
}
