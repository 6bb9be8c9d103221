import { BrokerError, type BrokerErrorKind, type BrokerOutcome } from './errors.js';

/**
 * Kite's failures in som's words.
 *
 * kiteconnect rejects with plain objects `{ message, error_type, data }`: Kite's own error body
 * when the server sent one, or one the client makes up (dist/lib/connect.js, the response
 * interceptor): `NetworkException` with the HTTP status text when an error status came without
 * a Kite body, `NetworkException` "No response from server with error code: <code>" when no
 * answer came at all (axios's timeout is ECONNABORTED), `GeneralException` "Unknown error".
 * It also RESOLVES (does not reject) with `{ error_type: 'DataException', message }` when the
 * answer has an unexpected content type, so callers check successful results with
 * {@link kiteErrorIn} too.
 *
 * This is the one place that reads Kite's words: each failure leaves here with its kind and its
 * outcome (errors.ts), and no caller looks at the message again.
 */

/** Kite's `error_type` -> som's kind (kite.trade/docs/connect/v3/exceptions). */
const KIND_BY_TYPE: Readonly<Record<string, BrokerErrorKind>> = {
  TokenException: 'token',
  InputException: 'input',
  OrderException: 'order',
  MarginException: 'margin',
  HoldingException: 'holding',
  PermissionException: 'permission',
  // "Represents user account related errors": the account may not do this; retrying will not help.
  UserException: 'permission',
  DataException: 'data',
  GeneralException: 'general',
};

/** axios / Node socket error codes meaning the client gave up waiting (the server may still act). */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** Codes meaning the connection failed or broke. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** kiteconnect's message when no answer came: "No response from server with error code: ECONNRESET". */
const NO_RESPONSE = /No response from server with error code: ?([A-Z_]+)?/;

/** Kite's rate-limit answer (HTTP 429); its gateway and the client's status text differ in case. */
const TOO_MANY = /too many requests/i;

/**
 * Kite's refusal of a modification past its limit (25 per order). Kite sends it as a
 * NetworkException, yet the broker did answer: it is a refusal, not an outage, and a modify
 * refused this way was not carried out.
 */
const MAX_MODIFICATIONS = /^Maximum allowed order modifications exceeded/i;

/**
 * Kite's answer to a cancel or modify of an order with nothing left to change: "Order cannot be
 * cancelled as it is being processed. Try later." (and its modify twin) is its generic answer
 * for an order already executed, cancelled or rejected (kite.trade forum 8106, 9679), and also
 * for one whose earlier instruction is still in flight (OPEN PENDING).
 */
const NOTHING_TO_CHANGE =
  /^(?:Order cannot be (?:cancelled|modified) as it is being processed|The trigger is \w+ and can no longer be changed)/i;

/**
 * Kite's 404 and 405 ("Route not found", "Method not allowed") come as a GeneralException, the
 * type of its 500s: they are som asking for something that is not there, not the broker failing.
 */
const NO_SUCH_ROUTE = /^(?:Route not found|Method not allowed)/i;

interface KiteErrorObject {
  error_type: string;
  message: string;
}

/** A Kite error object (`{ error_type, message }`) found in a result or a rejection, else null. */
export function kiteErrorIn(value: unknown): KiteErrorObject | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as { error_type?: unknown; message?: unknown };
  if (typeof v.error_type !== 'string' || v.error_type === '') return null;
  return { error_type: v.error_type, message: typeof v.message === 'string' ? v.message : String(v.message ?? '') };
}

/**
 * Any rejection from kiteconnect (or from code around it) as a {@link BrokerError}. The
 * broker's message is kept verbatim; `brokerType` is Kite's `error_type` when there was one.
 */
export function toBrokerError(err: unknown): BrokerError {
  if (err instanceof BrokerError) return err;
  const kite = kiteErrorIn(err);
  if (kite) return new BrokerError(kindOfKite(kite), kite.message, kite.error_type, outcomeOfKite(kite));
  if (err instanceof Error || (typeof err === 'object' && err !== null)) {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : code || 'unknown broker error';
    if (TIMEOUT_CODES.has(code)) return new BrokerError('timeout', message);
    if (NETWORK_CODES.has(code)) return new BrokerError('network', message);
    return new BrokerError('general', message);
  }
  return new BrokerError('general', typeof err === 'string' && err !== '' ? err : 'unknown broker error');
}

function kindOfKite(e: KiteErrorObject): BrokerErrorKind {
  if (e.error_type === 'NetworkException') {
    if (TOO_MANY.test(e.message)) return 'rate_limit';
    if (MAX_MODIFICATIONS.test(e.message)) return 'order';
    const code = NO_RESPONSE.exec(e.message)?.[1];
    if (code !== undefined && TIMEOUT_CODES.has(code)) return 'timeout';
    // A reset, a refused connection, or a 5xx/502/503/504 without a Kite body.
    return 'network';
  }
  return KIND_BY_TYPE[e.error_type] ?? 'general';
}

/** The outcome Kite's words decide; otherwise the kind's own (errors.ts). */
function outcomeOfKite(e: KiteErrorObject): BrokerOutcome | undefined {
  if (NOTHING_TO_CHANGE.test(e.message)) return 'already_closed';
  if (NO_SUCH_ROUTE.test(e.message)) return 'refused';
  return undefined;
}
