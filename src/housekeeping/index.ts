/** Housekeeping rules: orphaned protective orders, OCO groups, order aging, expiry. Pure functions. */
export type { HkOrder, HkPosition, HkSettings, OrderRole, OrphanAction, OrphanCorrection, OrphanDetection, OrphanReason } from './types.js';
export { inferRole } from './roles.js';
export { strategyPositions, type AccountNetPosition, type StrategyFill } from './strategy-positions.js';
export { detectOrphans, manualOrphan, orphanAction } from './orphans.js';
export { ocoDecisions, type OcoCancel, type OcoDecision, type OcoGroupError, type OcoOverfill, type OcoReduce } from './oco.js';
export { agingDecisions, agingStartMs, type AgingDecision, type AgingDecisionKind } from './aging.js';
export {
  expiredOn,
  expiryDecisions,
  instrumentExpiry,
  optionSettlementValue,
  type ExpiryCancel,
  type ExpiryDecision,
  type ExpiryInstrument,
  type ExpiryPosition,
  type ExpirySource,
  type InstrumentLookup,
  type PositionArchive,
} from './expiry.js';
export { isLive, isOpen, positionKey, youngestFirst } from './order-facts.js';
