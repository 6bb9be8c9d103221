/** Smart execution: depth, spread, impact, liquidity, the execution decision, limit price. Pure functions. */

export {
  analyzeExecution,
  DEFAULT_EXECUTION_RULES,
  type ExecutionAnalysis,
  type ExecutionRequest,
  type ExecutionRules,
} from './analyze.js';
export { type Book, type BookLevel, checkQuantity, readBook } from './book.js';
export {
  type Decision,
  decideExecution,
  EXECUTION_DECISIONS,
  type ExecutionDecision,
  type ExecutionReason,
  type ExecutionReasonCode,
  type ExecutionSettings,
  impactVerdict,
  limitVerdict,
  liquidityVerdict,
  spreadVerdict,
  type Verdict,
} from './decision.js';
export {
  type BookInstrument,
  type DepthSnapshot,
  type DepthSource,
  depthSnapshot,
  isStale,
  type MarketFields,
} from './depth.js';
export { type ExecutionError, type ExecutionErrorCode, isExecutionError } from './errors.js';
export { estimateImpact, type Impact } from './impact.js';
export { INDEX_UNDERLYINGS, INSTRUMENT_CLASSES, type InstrumentClass, instrumentClassOf } from './instrument-class.js';
export { type LimitBound, type LimitPrice, limitPrice } from './limit-price.js';
export {
  DEFAULT_LIQUIDITY_BOUNDS,
  LIQUIDITY_CATEGORIES,
  LIQUIDITY_MODEL,
  type Liquidity,
  type LiquidityBounds,
  type LiquidityCategory,
  type LiquidityModel,
  liquidityCategory,
  scoreLiquidity,
} from './liquidity.js';
export { PRICE_BAND_RULES, type PriceBandRule, type PriceProtection, priceProtection } from './price-protection.js';
export { type FillQuality, fillQuality, slippageBps } from './quality.js';
export {
  DEFAULT_SPREAD_RULES,
  measureSpread,
  pctCategory,
  SPREAD_CATEGORIES,
  type Spread,
  type SpreadCategory,
  type SpreadRules,
  type SpreadThresholds,
} from './spread.js';
export { type TickGrid, tickGrid } from './tick-grid.js';
