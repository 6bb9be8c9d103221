/** Risk rules: limits, trading states, the pre-trade gate, the risk book, square-off and the MIS timetable. Pure. */

export { type BookPnl, type BookPosition, type BookStrategy, type LossLevelChange, RiskBook } from './book.js';
export { type ExitQuote, marketablePrice } from './exit-price.js';
export {
  type GateDecision,
  type GateInput,
  type GateRefusal,
  type GateRequest,
  gate,
  type RiskReason,
  refusalError,
} from './gate.js';
export {
  type AccountRiskFacts,
  evaluateAccountLimits,
  evaluateStrategyLimits,
  type LevelChange,
  LIMIT_KINDS,
  levelChanges,
  type StrategyRiskFacts,
  worstLevel,
} from './limits.js';
export {
  MIS_SEGMENTS,
  type MisDay,
  type MisPhase,
  type MisStatus,
  type MisTimetable,
  misDay,
  misStatus,
  misTimetable,
} from './mis-timetable.js';
export { exitSide, type OrderEffect, orderEffect } from './order-effect.js';
export { countOrders } from './order-rate.js';
export { paceRequests } from './pacing.js';
export {
  type PlannedCancel,
  type PlannedExit,
  type PlannedModify,
  planSquareOff,
  type SquareOffInput,
  type SquareOffOrder,
  type SquareOffPlan,
} from './square-off.js';
export {
  initialRiskState,
  type RiskEvent,
  type RiskState,
  type Transition,
  tradingDayOf,
  transition,
} from './trading-state.js';
export type * from './types.js';
