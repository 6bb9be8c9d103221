/** The paper user's account: funds, positions, holdings and margins. */
export {
  PaperAccount,
  DEFAULT_ACCOUNT_CONFIG,
  type AccountConfig,
  type AccountConfigInput,
  type PaperAccountOptions,
  type MarginCheck,
} from './account.js';
export * from './types.js';
export { DEFAULT_MARGIN_RATES, underlyingClass, scanRangeOf, type MarginRates, type UnderlyingClass } from './rates.js';
export {
  portfolioParts,
  standaloneParts,
  partsTotal,
  SCAN_POINTS,
  ZERO_PARTS,
  type MarginLeg,
  type MarginParts,
} from './margin-model.js';
export {
  orderMargins,
  basketMargins,
  orderRequirement,
  incrementalParts,
  compactMargins,
  zeroCharges,
  underlyingOf,
  orderPrice,
  positionLegs,
  type ChargesFn,
  type KiteCharges,
  type KiteGst,
  type KiteOrderMargin,
  type KiteCompactOrderMargin,
  type KiteBasketMargins,
  type MarginMarket,
  type OpenPosition,
} from './order-margins.js';
export {
  PositionBook,
  positionFigures,
  positionRow,
  positionKey,
  emptyLedger,
  netQuantity,
  type KitePosition,
  type KitePositions,
  type PnlFields,
  type PositionLedger,
  type PositionFigures,
} from './positions.js';
export {
  HoldingsBook,
  type HoldingSeed,
  type HoldingLedger,
  type KiteHolding,
  type KiteCompactHolding,
  type KiteHoldingsSummary,
  type CncDay,
} from './holdings.js';
export {
  segmentMargins,
  dayFlows,
  settlementCash,
  type KiteMargins,
  type KiteSegmentMargins,
  type SegmentFundsConfig,
  type DayFlows,
  type SettlementKind,
} from './funds.js';
export { checkConversion, convertibleQuantity, type ConvertPositionParams, type Conversion } from './conversion.js';
