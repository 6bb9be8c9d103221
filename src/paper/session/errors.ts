/**
 * The refusals of the paper exchange's login and session endpoints, with Kite's wording and
 * where that wording was seen. None of them ever carries token material: a message names the
 * field that was wrong, never its value.
 *
 * `confirmed: true` means the text was seen verbatim in a Kite response quoted on the Kite
 * forum or in public client code; `false` means it is composed in Kite's style.
 */

/** Kite's `error_type` values used here (Kite Connect docs, "Exceptions and errors"). */
export type SessionErrorType = 'TokenException' | 'InputException';

interface Spec {
  error_type: SessionErrorType;
  http_status: number;
  message: string;
  confirmed: boolean;
  source: string;
}

export const SESSION_ERRORS = {
  /** Unknown, used or expired request_token on POST /session/token. */
  REQUEST_TOKEN_INVALID: {
    error_type: 'TokenException',
    http_status: 403,
    message: 'Token is invalid or has expired.',
    confirmed: true,
    source:
      'kite.trade/forum/discussion/comment/40130 ("Token is invalid or has expired. 403 ... TokenException" for a reused request token)',
  },
  /** checksum is not SHA-256(api_key + request_token + api_secret). */
  CHECKSUM_INVALID: {
    error_type: 'TokenException',
    http_status: 403,
    message: 'Invalid `checksum`.',
    confirmed: true,
    source: 'kite.trade/forum/discussion/comment/51069 (full JSON error body quoted, error_type TokenException)',
  },
  /** Missing, malformed, unknown, logged-out or expired `Authorization: token api_key:access_token`. */
  ACCESS_TOKEN_INVALID: {
    error_type: 'TokenException',
    http_status: 403,
    message: 'Incorrect `api_key` or `access_token`.',
    confirmed: true,
    source: 'kite.trade/forum/discussion/15094 and many public clients matching this exact text',
  },
  /** A required form field of the login or session endpoints is missing or empty. */
  MISSING_API_KEY: {
    error_type: 'InputException',
    http_status: 400,
    message: 'Missing or empty `api_key`.',
    confirmed: false,
    source: 'composed in the style of Kite InputException messages',
  },
  MISSING_REQUEST_TOKEN: {
    error_type: 'InputException',
    http_status: 400,
    message: 'Missing or empty `request_token`.',
    confirmed: false,
    source: 'composed in the style of Kite InputException messages',
  },
  MISSING_CHECKSUM: {
    error_type: 'InputException',
    http_status: 400,
    message: 'Missing or empty `checksum`.',
    confirmed: false,
    source: 'composed in the style of Kite InputException messages',
  },
  MISSING_ACCESS_TOKEN: {
    error_type: 'InputException',
    http_status: 400,
    message: 'Missing or empty `access_token`.',
    confirmed: false,
    source: 'composed in the style of Kite InputException messages',
  },
} as const satisfies Record<string, Spec>;

export type SessionErrorCode = keyof typeof SESSION_ERRORS;

/**
 * A refused session request as a value. The server answers it as Kite does:
 * HTTP `http_status` with `{ status: "error", message, error_type, data: null }`.
 */
export interface SessionError {
  code: SessionErrorCode;
  error_type: SessionErrorType;
  message: string;
  http_status: number;
}

export function sessionError(code: SessionErrorCode): SessionError {
  const s = SESSION_ERRORS[code];
  return { code, error_type: s.error_type, message: s.message, http_status: s.http_status };
}

/** Either the value or the refusal. */
export type SessionResult<T> = { ok: true; value: T } | { ok: false; error: SessionError };
