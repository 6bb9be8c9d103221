/**
 * The liquidity model: how wide, how deep and how busy an instrument's market is.
 *
 * Each instrument has a liquidity class (given in data, or defaulted by kind: index
 * derivatives liquid, stock options thin). The class sets the best case; derivatives are
 * then scaled by moneyness and time to expiry: tight and deep at the money and near
 * expiry, wide and thin for deep out-of-the-money strikes and far expiries. These numbers
 * are not measured from a feed; they are plausible orders of magnitude for NSE in 2024-25
 * (an ATM NIFTY weekly option one tick wide with thousands of units a level, a mid-cap
 * stock option 1-2% wide with a few lots) and live here so they can be tuned in one place.
 */
import type { Instrument } from '../../domain/instrument.js';

export type LiquidityClass = 'high' | 'medium' | 'low' | 'illiquid';

export const LIQUIDITY_CLASSES: readonly LiquidityClass[] = ['high', 'medium', 'low', 'illiquid'];

export interface LiquidityProfile {
  /** Half the spread as a fraction of price, for cash and futures. */
  halfSpreadRel: number;
  /** Half the spread as a fraction of premium, for options at the money and near expiry. */
  optionHalfSpreadRel: number;
  /** Narrowest spread, in ticks. */
  minSpreadTicks: number;
  /** Largest gap between adjacent levels, in ticks (each gap is drawn in 1..max). */
  maxLevelGapTicks: number;
  /** Mean resting size of a level: rupees (cash). */
  levelNotional: number;
  /** Mean resting size of a level: lots (derivatives, best case). */
  levelLots: number;
  /** Mean size of one resting order: rupees (cash) / lots (derivatives). */
  orderNotional: number;
  orderLots: number;
  /** Chance of a trade in any one second (best case). */
  tradesPerSecond: number;
  /** Mean size of one trade: rupees (cash) / lots (derivatives). */
  tradeNotional: number;
  tradeLots: number;
  /** Seconds for depth eaten by an order to come back to 1/e of the gap. */
  refillSeconds: number;
  /** Seconds between redraws of the resting quantities. */
  depthRefreshSeconds: number;
  /** Open interest at the money, in lots (derivatives). */
  oiLots: number;
}

/** Best-case figures per class (see the module comment for where they come from). */
export const LIQUIDITY_PROFILES: Readonly<Record<LiquidityClass, LiquidityProfile>> = {
  high: {
    halfSpreadRel: 0.00001,
    optionHalfSpreadRel: 0.0003,
    minSpreadTicks: 1,
    maxLevelGapTicks: 1,
    levelNotional: 1_500_000,
    levelLots: 60,
    orderNotional: 150_000,
    orderLots: 6,
    tradesPerSecond: 0.5,
    tradeNotional: 200_000,
    tradeLots: 8,
    refillSeconds: 2,
    depthRefreshSeconds: 1,
    oiLots: 60_000,
  },
  medium: {
    halfSpreadRel: 0.0002,
    optionHalfSpreadRel: 0.002,
    minSpreadTicks: 1,
    maxLevelGapTicks: 2,
    levelNotional: 300_000,
    levelLots: 20,
    orderNotional: 50_000,
    orderLots: 3,
    tradesPerSecond: 0.2,
    tradeNotional: 60_000,
    tradeLots: 3,
    refillSeconds: 5,
    depthRefreshSeconds: 2,
    oiLots: 10_000,
  },
  low: {
    halfSpreadRel: 0.001,
    optionHalfSpreadRel: 0.008,
    minSpreadTicks: 2,
    maxLevelGapTicks: 3,
    levelNotional: 60_000,
    levelLots: 6,
    orderNotional: 15_000,
    orderLots: 2,
    tradesPerSecond: 0.05,
    tradeNotional: 15_000,
    tradeLots: 2,
    refillSeconds: 15,
    depthRefreshSeconds: 5,
    oiLots: 2_000,
  },
  illiquid: {
    halfSpreadRel: 0.005,
    optionHalfSpreadRel: 0.02,
    minSpreadTicks: 3,
    maxLevelGapTicks: 5,
    levelNotional: 15_000,
    levelLots: 2,
    orderNotional: 5_000,
    orderLots: 1,
    tradesPerSecond: 0.01,
    tradeNotional: 5_000,
    tradeLots: 1,
    refillSeconds: 45,
    depthRefreshSeconds: 15,
    oiLots: 300,
  },
};

/** How moneyness and time to expiry scale a derivative's market. */
export const DERIVATIVE_SCALING = {
  /** Spread multiple: 1 + this x z^2 (z = standardised moneyness, capped at 4). */
  spreadPerZ2: 0.25,
  /** Extra minimum spread ticks per unit of |z|. */
  extraTicksPerZ: 0.5,
  /** Expiries within this many days count as "near". */
  nearDays: 7,
  /** Spread multiple and size divisor: 1 + this x (days beyond near) / 30. */
  expiryPer30Days: 0.5,
  /** Depth size multiple: exp(-this x z^2). */
  depthPerZ2: 0.15,
  /** Trade rate multiple: exp(-this x z^2). */
  tradesPerZ2: 0.2,
  /** Open interest multiple: exp(-this x z^2). */
  oiPerZ2: 0.3,
  /** Floor on any trade rate, per second (about one trade an hour). */
  minTradesPerSecond: 1 / 3600,
} as const;

/** The state of one derivative that its liquidity depends on. */
export interface LiquidityContext {
  /** Standardised moneyness (0 for futures and cash). */
  z: number;
  /** Calendar days to expiry (0 for cash). */
  daysToExpiry: number;
}

/** Multiple applied to spreads (and divisor of sizes) for time to expiry. */
export function expiryMultiple(daysToExpiry: number): number {
  const beyond = Math.max(0, daysToExpiry - DERIVATIVE_SCALING.nearDays);
  return 1 + (DERIVATIVE_SCALING.expiryPer30Days * beyond) / 30;
}

/**
 * Spread in whole ticks (at least one) for an instrument at `price`.
 * Options scale with moneyness and expiry; cash and futures use the flat relative spread.
 */
export function spreadTicks(
  profile: LiquidityProfile,
  kind: 'cash' | 'future' | 'option',
  price: number,
  tick: number,
  ctx: LiquidityContext,
): number {
  if (kind !== 'option') {
    const rel = profile.halfSpreadRel * (kind === 'future' ? expiryMultiple(ctx.daysToExpiry) : 1);
    return Math.max(profile.minSpreadTicks, Math.round((2 * rel * price) / tick));
  }
  const z = Math.abs(ctx.z);
  const rel =
    profile.optionHalfSpreadRel * (1 + DERIVATIVE_SCALING.spreadPerZ2 * z * z) * expiryMultiple(ctx.daysToExpiry);
  const minTicks = profile.minSpreadTicks + Math.floor(DERIVATIVE_SCALING.extraTicksPerZ * z);
  return Math.max(minTicks, Math.round((2 * rel * price) / tick));
}

/** Mean resting lots a level for a derivative. */
export function levelLots(profile: LiquidityProfile, ctx: LiquidityContext): number {
  return (
    (profile.levelLots * Math.exp(-DERIVATIVE_SCALING.depthPerZ2 * ctx.z * ctx.z)) / expiryMultiple(ctx.daysToExpiry)
  );
}

/** Chance of a trade in one second. */
export function tradeProbability(profile: LiquidityProfile, ctx: LiquidityContext): number {
  const p =
    (profile.tradesPerSecond * Math.exp(-DERIVATIVE_SCALING.tradesPerZ2 * ctx.z * ctx.z)) /
    expiryMultiple(ctx.daysToExpiry);
  return Math.min(1, Math.max(DERIVATIVE_SCALING.minTradesPerSecond, p));
}

/**
 * Default class when the data gives none: index derivatives and MCX futures `high`, stock
 * futures and MCX options `medium`, stock options `low`, cash equities `medium`.
 */
export function defaultLiquidityClass(instrument: Instrument, root: Instrument): LiquidityClass {
  const onIndex = root.segment === 'INDICES';
  const commodity = instrument.exchange === 'MCX' || instrument.exchange === 'NCO';
  switch (instrument.instrument_type) {
    case 'FUT':
      return onIndex || commodity ? 'high' : 'medium';
    case 'CE':
    case 'PE':
      return onIndex ? 'high' : commodity ? 'medium' : 'low';
    default:
      return 'medium';
  }
}
