export { AlertBook, type AlertBookOptions, type AlertOutcome } from './book.js';
export { ALERT_MESSAGES, alertError, type AlertErrorCode } from './messages.js';
export { ALERT_LIMITS, conditionText, holds, parseAlertRequest, parseBasket, type AlertLimits, type AlertSpec } from './rules.js';
export type * from './types.js';
