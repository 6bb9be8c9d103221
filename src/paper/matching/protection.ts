import type { InstrumentType } from '../../domain/instrument.js';
import { ceilToTick, floorToTick } from './ticks.js';

/** One band of the automatic protection table: LTP strictly below `below` gets `percent`. */
export interface ProtectionSlab {
  below: number;
  percent: number;
}

/**
 * Protection percentages Zerodha applies when market_protection is -1 (automatic), by LTP.
 * Source: Zerodha support, "Market price protection on the order window"
 * (support.zerodha.com/.../market-price-protection-on-the-order-window), as transcribed in
 * OpenAlgo's utils/mpp_slab.py; a Kite user's "default ~3% on options Rs10-Rs100"
 * (tradingqna.com/t/193460) agrees. Not stated in Kite Connect's own docs: unconfirmed.
 */
export const AUTO_PROTECTION_SLABS: Readonly<{
  equityAndFutures: readonly ProtectionSlab[];
  options: readonly ProtectionSlab[];
}> = {
  equityAndFutures: [
    { below: 100, percent: 2 },
    { below: 500, percent: 1 },
    { below: Infinity, percent: 0.5 },
  ],
  options: [
    { below: 10, percent: 5 },
    { below: 100, percent: 3 },
    { below: 500, percent: 2 },
    { below: Infinity, percent: 1 },
  ],
};

/** The automatic protection percentage for an instrument trading at `ltp`. */
export function autoProtectionPercent(ltp: number, instrumentType: InstrumentType): number {
  const slabs =
    instrumentType === 'CE' || instrumentType === 'PE'
      ? AUTO_PROTECTION_SLABS.options
      : AUTO_PROTECTION_SLABS.equityAndFutures;
  for (const s of slabs) if (ltp < s.below) return s.percent;
  return slabs[slabs.length - 1]?.percent ?? 0;
}

/**
 * The protection percentage an order's `market_protection` asks for: -1 means automatic,
 * a positive value is the percentage itself, 0 means none (null).
 */
export function effectiveProtectionPercent(
  marketProtection: number,
  ltp: number,
  instrumentType: InstrumentType,
): number | null {
  if (marketProtection === -1) return autoProtectionPercent(ltp, instrumentType);
  if (marketProtection > 0) return marketProtection;
  return null;
}

/**
 * The worst price a protected market order may fill at: LTP moved `percent` against the
 * order, snapped to the tick grid inwards (a buy rounds down, a sell up, so the price never
 * lies outside the protection) and kept inside the day's circuit limits.
 * orders.json shows such an order: mktp:2.00, price 159.82 (= floor(156.69 * 1.02) to 0.01).
 */
export function protectionPrice(
  side: 'BUY' | 'SELL',
  ltp: number,
  percent: number,
  tick: number,
  circuit?: { lower: number; upper: number } | null,
): number {
  if (side === 'BUY') {
    const p = floorToTick(ltp * (1 + percent / 100), tick);
    return circuit && circuit.upper > 0 ? Math.min(p, circuit.upper) : p;
  }
  const p = ceilToTick(ltp * (1 - percent / 100), tick);
  return circuit && circuit.lower > 0 ? Math.max(p, circuit.lower) : p;
}

/** The tags Kite puts on a protected market order: `mktp` and `mktp:<percent, 2 decimals>` (orders.json). */
export function protectionTags(percent: number): string[] {
  return ['mktp', `mktp:${percent.toFixed(2)}`];
}
