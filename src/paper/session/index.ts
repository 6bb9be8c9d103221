/** The paper exchange's login flow, sessions and user documents. */

export {
  SESSION_ERRORS,
  type SessionError,
  type SessionErrorCode,
  type SessionErrorType,
  type SessionResult,
  sessionError,
} from './errors.js';
export { accessTokenExpiry, requestTokenExpiry, TOKEN_LIFETIMES } from './expiry.js';
export {
  type AuthenticatedSession,
  DEFAULT_SESSION_CONFIG,
  type GenerateSessionParams,
  type InvalidateScope,
  type LoginParams,
  type LoginRedirect,
  type LogoutParams,
  type SessionConfig,
  SessionManager,
} from './sessions.js';
export { type RandomBytes, randomAlphanumeric, sessionChecksum, TOKEN_LENGTH } from './tokens.js';
export {
  DEFAULT_PAPER_USER,
  fullProfile,
  type KiteFullProfile,
  type KiteProfile,
  type KiteSession,
  type PaperBankAccount,
  type PaperUser,
  profile,
  type SessionTokens,
  sessionDocument,
} from './user.js';
