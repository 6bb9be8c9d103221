/** The paper exchange's order validation and matching engine. */
export { MatchingEngine, type InstrumentLookup, type MatchingEngineOptions, type OrderResult, type SessionFn } from './engine.js';
export {
  validatePlace,
  validateModify,
  marginRejection,
  circuitOf,
  lastPriceOf,
  type InstrumentFacts,
  type MarginCheck,
  type MarginCheckFn,
  type ModifyInput,
  type ModifyParams,
  type PlaceInput,
  type PlaceParams,
  type SessionState,
  type Validation,
} from './validate.js';
export * from './order.js';
export { REJECTIONS, reject, insufficientFunds, type KiteError, type KiteErrorType, type RejectionCode } from './rejections.js';
export { DEFAULT_RULES, type MatchingRules } from './rules.js';
export { type DepthConsumer, type DepthConsumption } from './book.js';
export { type IdStart } from './ids.js';
export { AUTO_PROTECTION_SLABS, autoProtectionPercent, protectionPrice } from './protection.js';
