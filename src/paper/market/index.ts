/** The paper exchange's market model: seeded prices, option values, depth, circuits and OI. */

export { type CircuitLimits, percentBand } from './circuit.js';
export type { LiquidityClass } from './liquidity.js';
export { MarketModel } from './model.js';
export {
  type DepthConsumed,
  type InstrumentSpec,
  isMarketError,
  type MarketError,
  type MarketErrorCode,
  type MarketModelOptions,
  MarketSetupError,
  type OrderSide,
  type PricePoint,
} from './model-types.js';
export {
  black76,
  blackScholes,
  expiryInstantMs,
  intrinsicValue,
  normCdf,
  normPdf,
  type OptionKind,
  type OptionValue,
  type SmileParams,
  smileVol,
  yearFraction,
} from './option-pricing.js';
export { TickGrid } from './tick.js';
export type { TradingPredicate } from './trading-schedule.js';
