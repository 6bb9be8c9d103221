/**
 * Model-wide parameters of the paper market, each with where it comes from. Per-instrument
 * data (InstrumentSpec) overrides them.
 */
import type { SmileParams } from './option-pricing.js';

/** The model's clock ticks in whole seconds of market time; every random draw is keyed to a step. */
export const STEP_MS = 1000;

/**
 * Risk-free rate for discounting option values: about India's 91-day T-bill yield in
 * 2024-25 (6.4-7%). Approximate; override per instrument with `rate`.
 */
export const RISK_FREE_RATE = 0.065;

/**
 * Annualised cost of carry from spot to futures (futures premium). NIFTY and stock futures
 * have typically traded 6-8% annualised over spot (interest less dividend yield);
 * approximate, override per instrument with `carryRate`.
 */
export const DEFAULT_CARRY_RATE = 0.07;

/** Annual volatility used when the data gives none: a broad Indian large-cap figure. */
export const DEFAULT_ANNUAL_VOL = 0.2;

/**
 * Smile shapes by underlying kind. Indian index options carry a marked put skew; stock
 * options a flatter, more symmetric smile; commodities (crude, gold) a mild one. Shapes,
 * not fitted values.
 */
export const DEFAULT_SMILES: Readonly<Record<'index' | 'stock' | 'commodity', SmileParams>> = {
  index: { curvature: 0.04, putSkew: 0.04 },
  stock: { curvature: 0.05, putSkew: 0.01 },
  commodity: { curvature: 0.04, putSkew: 0.01 },
};

/**
 * Tick for instruments whose master row says 0 (Kite lists indices with tick_size 0):
 * indices are published to two decimals.
 */
export const ZERO_TICK_FALLBACK = 0.01;

/** Decimals of average_price (exchanges publish the day's ATP to paise; currency to 4). */
export const AVERAGE_PRICE_DECIMALS = 2;
export const CURRENCY_AVERAGE_PRICE_DECIMALS = 4;
