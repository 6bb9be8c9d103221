export { GttBook, type GttBookOptions, type GttInstrument } from './book.js';
export { GTT_MESSAGES, gttError, type GttErrorCode } from './messages.js';
export { GTT_LIMITS, firingLeg, gttExpiry, minimumTriggerDistance, parseGttRequest, validateGtt, type GttLimits } from './rules.js';
export type * from './types.js';
