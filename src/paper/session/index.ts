/** The paper exchange's login flow, sessions and user documents. */
export {
  SessionManager,
  DEFAULT_SESSION_CONFIG,
  type SessionConfig,
  type LoginParams,
  type LoginRedirect,
  type GenerateSessionParams,
  type LogoutParams,
  type AuthenticatedSession,
  type InvalidateScope,
} from './sessions.js';
export { SESSION_ERRORS, sessionError, type SessionError, type SessionErrorCode, type SessionErrorType, type SessionResult } from './errors.js';
export { TOKEN_LIFETIMES, accessTokenExpiry, requestTokenExpiry } from './expiry.js';
export { sessionChecksum, randomAlphanumeric, TOKEN_LENGTH, type RandomBytes } from './tokens.js';
export {
  DEFAULT_PAPER_USER,
  profile,
  fullProfile,
  sessionDocument,
  type PaperUser,
  type PaperBankAccount,
  type KiteProfile,
  type KiteFullProfile,
  type KiteSession,
  type SessionTokens,
} from './user.js';
