/** The paper exchange's market model: seeded prices, option values, depth, circuits and OI. */
export { MarketModel } from './model.js';
export {
  MarketSetupError,
  isMarketError,
  type DepthConsumed,
  type InstrumentSpec,
  type MarketError,
  type MarketErrorCode,
  type MarketModelOptions,
  type OrderSide,
  type PricePoint,
} from './model-types.js';
export type { TradingPredicate } from './trading-schedule.js';
export type { LiquidityClass } from './liquidity.js';
export {
  black76,
  blackScholes,
  normCdf,
  normPdf,
  intrinsicValue,
  smileVol,
  yearFraction,
  expiryInstantMs,
  type OptionKind,
  type OptionValue,
  type SmileParams,
} from './option-pricing.js';
export { percentBand, type CircuitLimits } from './circuit.js';
export { TickGrid } from './tick.js';
