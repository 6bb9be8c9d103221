/** The paper exchange's order validation and matching engine. */

export type { DepthConsumer, DepthConsumption } from './book.js';
export {
  type InstrumentLookup,
  MatchingEngine,
  type MatchingEngineOptions,
  type OrderResult,
  type SessionFn,
} from './engine.js';
export type { IdStart } from './ids.js';
export * from './order.js';
export { AUTO_PROTECTION_SLABS, autoProtectionPercent, protectionPrice } from './protection.js';
export {
  insufficientFunds,
  type KiteError,
  type KiteErrorType,
  REJECTIONS,
  type RejectionCode,
  reject,
} from './rejections.js';
export { DEFAULT_RULES, type MatchingRules } from './rules.js';
export {
  circuitOf,
  type InstrumentFacts,
  lastPriceOf,
  type MarginCheck,
  type MarginCheckFn,
  type ModifyInput,
  type ModifyParams,
  marginRejection,
  type PlaceInput,
  type PlaceParams,
  type SessionState,
  type Validation,
  validateModify,
  validatePlace,
} from './validate.js';
