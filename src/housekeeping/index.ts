/** Housekeeping rules: orphaned protective orders, OCO groups, order aging, expiry. Pure functions. */

export { type AgingDecision, type AgingDecisionKind, agingDecisions, agingStartMs } from './aging.js';
export {
  type ExpiryCancel,
  type ExpiryDecision,
  type ExpiryInstrument,
  type ExpiryPosition,
  type ExpirySource,
  expiredOn,
  expiryDecisions,
  type InstrumentLookup,
  instrumentExpiry,
  optionSettlementValue,
  type PositionArchive,
} from './expiry.js';
export {
  type OcoCancel,
  type OcoDecision,
  type OcoGroupError,
  type OcoOverfill,
  type OcoReduce,
  ocoDecisions,
} from './oco.js';
export { isLive, isOpen, positionKey, youngestFirst } from './order-facts.js';
export { detectOrphans, manualOrphan, orphanAction } from './orphans.js';
export { inferRole } from './roles.js';
export { type AccountNetPosition, type StrategyFill, strategyPositions } from './strategy-positions.js';
export type {
  HkOrder,
  HkPosition,
  HkSettings,
  OrderRole,
  OrphanAction,
  OrphanCorrection,
  OrphanDetection,
  OrphanReason,
} from './types.js';
