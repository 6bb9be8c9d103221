export { AlertBook, type AlertBookOptions, type AlertOutcome } from './book.js';
export { ALERT_MESSAGES, type AlertErrorCode, alertError } from './messages.js';
export {
  ALERT_LIMITS,
  type AlertLimits,
  type AlertSpec,
  conditionText,
  holds,
  parseAlertRequest,
  parseBasket,
} from './rules.js';
export type * from './types.js';
