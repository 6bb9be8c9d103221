/** The paper exchange's instrument master: generation, Kite CSV in and out, token rules. */
export { buildInstrumentMaster, type InstrumentMasterOptions } from './master.js';
export {
  KITE_CSV_COLUMNS,
  isKiteCsvError,
  parseKiteCsv,
  pythonFloat,
  toKiteCsv,
  type KiteCsvError,
  type KiteCsvErrorCode,
  type ParseKiteCsvOptions,
} from './csv.js';
export { MINTED_EXCHANGE_TOKEN_MAX, MINTED_EXCHANGE_TOKEN_MIN, instrumentToken, mintExchangeTokens, segmentIdFor } from './tokens.js';
export { DEFAULT_REFERENCE_PRICES } from './specs.js';
export type { PaperFacts, PaperInstrument } from './types.js';
