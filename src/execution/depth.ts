import type { Depth, DepthLevel } from '../domain/quote.js';
import type { InstrumentClass } from './instrument-class.js';

/** Where a book came from: a full-mode WebSocket tick, or one call to Kite's quote API. */
export type DepthSource = 'ticks' | 'quote';

/**
 * Everything the analysis reads about one instrument's market at one moment: the five levels a
 * side Kite's full-mode tick and quote API give (best first; an empty level is all zeros), the
 * last price, the instrument's grid and size, and what is known of its activity.
 *
 * Quantities are in Kite's order units: shares or units on NSE, BSE, NFO and BFO; lots on MCX
 * and CDS, where `multiplier` turns a price into rupees per unit of quantity (costs/multipliers.ts).
 */
export interface DepthSnapshot {
  depth: Depth;
  last_price: number;
  tick_size: number;
  lot_size: number;
  /** Rupees per unit of price per unit of quantity: 1 except MCX and CDS. */
  multiplier: number;
  instrument_class: InstrumentClass;
  /** The day's traded volume, when known (null: not known; 0 is a real "nothing traded"). */
  volume?: number | null;
  /** Open interest of a derivative, when known. */
  oi?: number | null;
  /**
   * The exchange's reference for its limit price protection (NSE: the average traded price of
   * the last 30 seconds). Kite does not publish it: the last price stands in when absent.
   */
  reference_price?: number | null;
  /** The day's circuit limits (quote API), when known: orders outside them are refused. */
  lower_circuit_limit?: number | null;
  upper_circuit_limit?: number | null;
  /** When the depth was taken; the caller refuses it when {@link isStale}. */
  at: Date;
  source: DepthSource;
}

/** The market fields of a Kite quote (domain/quote.ts) or a full-mode tick (depth null: none sent). */
export interface MarketFields {
  depth: Depth | null;
  last_price: number;
  volume?: number | null;
  oi?: number | null;
  lower_circuit_limit?: number | null;
  upper_circuit_limit?: number | null;
}

/** The instrument facts a snapshot needs. */
export interface BookInstrument {
  tick_size: number;
  lot_size: number;
  multiplier: number;
  instrument_class: InstrumentClass;
}

const NO_LEVELS: readonly DepthLevel[] = [];

/**
 * A snapshot from a quote or a tick. The levels are copied, so the snapshot stays what was used
 * when the cache it came from moves on. A tick without depth gives an empty book (refused as
 * BOOK_EMPTY by the analysis). Circuit limits of 0 (Kite's "none") are dropped.
 */
export function depthSnapshot(
  market: MarketFields,
  instrument: BookInstrument,
  at: Date,
  source: DepthSource,
): DepthSnapshot {
  const copy = (levels: readonly DepthLevel[]) =>
    levels.map(({ price, quantity, orders }) => ({ price, quantity, orders }));
  const limit = (x: number | null | undefined) => (x !== undefined && x !== null && x > 0 ? x : null);
  return {
    depth: { buy: copy(market.depth?.buy ?? NO_LEVELS), sell: copy(market.depth?.sell ?? NO_LEVELS) },
    last_price: market.last_price,
    ...instrument,
    volume: market.volume ?? null,
    oi: market.oi ?? null,
    lower_circuit_limit: limit(market.lower_circuit_limit),
    upper_circuit_limit: limit(market.upper_circuit_limit),
    at,
    source,
  };
}

/**
 * Whether depth taken at `depthAt` is too old to act on at `now`: older than `maxAgeMs`, or
 * stamped more than `maxAgeMs` in the future (clocks that disagree that much cannot be trusted
 * either), or without a valid time. An age of exactly `maxAgeMs` is still fresh.
 */
export function isStale(depthAt: Date, now: Date, maxAgeMs: number): boolean {
  const age = now.getTime() - depthAt.getTime();
  if (!Number.isFinite(age)) return true;
  return Math.abs(age) > maxAgeMs;
}
