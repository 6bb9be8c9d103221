/** The paper exchange's instrument master: generation, Kite CSV in and out, token rules. */

export {
  isKiteCsvError,
  KITE_CSV_COLUMNS,
  type KiteCsvError,
  type KiteCsvErrorCode,
  type ParseKiteCsvOptions,
  parseKiteCsv,
  pythonFloat,
  toKiteCsv,
} from './csv.js';
export { buildInstrumentMaster, type InstrumentMasterOptions } from './master.js';
export { DEFAULT_REFERENCE_PRICES } from './specs.js';
export {
  instrumentToken,
  MINTED_EXCHANGE_TOKEN_MAX,
  MINTED_EXCHANGE_TOKEN_MIN,
  mintExchangeTokens,
  segmentIdFor,
} from './tokens.js';
export type { PaperFacts, PaperInstrument } from './types.js';
