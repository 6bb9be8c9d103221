export { GttBook, type GttBookOptions, type GttInstrument } from './book.js';
export { GTT_MESSAGES, type GttErrorCode, gttError } from './messages.js';
export {
  firingLeg,
  GTT_LIMITS,
  type GttLimits,
  gttExpiry,
  minimumTriggerDistance,
  parseGttRequest,
  validateGtt,
} from './rules.js';
export type * from './types.js';
