/** The paper user's account: funds, positions, holdings and margins. */
export {
  type AccountConfig,
  type AccountConfigInput,
  DEFAULT_ACCOUNT_CONFIG,
  type MarginCheck,
  PaperAccount,
  type PaperAccountOptions,
} from './account.js';
export { type Conversion, type ConvertPositionParams, checkConversion, convertibleQuantity } from './conversion.js';
export {
  type DayFlows,
  dayFlows,
  type KiteMargins,
  type KiteSegmentMargins,
  type SegmentFundsConfig,
  type SettlementKind,
  segmentMargins,
  settlementCash,
} from './funds.js';
export {
  type CncDay,
  type HoldingLedger,
  type HoldingSeed,
  HoldingsBook,
  type KiteCompactHolding,
  type KiteHolding,
  type KiteHoldingsSummary,
} from './holdings.js';
export {
  type MarginLeg,
  type MarginParts,
  partsTotal,
  portfolioParts,
  SCAN_POINTS,
  standaloneParts,
  ZERO_PARTS,
} from './margin-model.js';
export {
  basketMargins,
  type ChargesFn,
  compactMargins,
  incrementalParts,
  type KiteBasketMargins,
  type KiteCharges,
  type KiteCompactOrderMargin,
  type KiteGst,
  type KiteOrderMargin,
  type MarginMarket,
  type OpenPosition,
  orderMargins,
  orderPrice,
  orderRequirement,
  positionLegs,
  underlyingOf,
  zeroCharges,
} from './order-margins.js';
export {
  emptyLedger,
  type KitePosition,
  type KitePositions,
  netQuantity,
  type PnlFields,
  PositionBook,
  type PositionFigures,
  type PositionLedger,
  positionFigures,
  positionKey,
  positionRow,
} from './positions.js';
export { DEFAULT_MARGIN_RATES, type MarginRates, scanRangeOf, type UnderlyingClass, underlyingClass } from './rates.js';
export * from './types.js';
