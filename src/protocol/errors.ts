/**
 * Every error som reports, in one place: its JSON-RPC code on the socket and the exit code
 * the CLI ends with. Errors travel as values `{ code, message, data? }`; the symbolic `code`
 * is what scripts match on (it is also sent as `error.data.code` on the wire).
 */
export const ERRORS = {
  // JSON-RPC 2.0 standard codes.
  PARSE_ERROR: { rpc: -32700, exit: 2 },
  INVALID_REQUEST: { rpc: -32600, exit: 2 },
  METHOD_NOT_FOUND: { rpc: -32601, exit: 2 },
  INVALID_PARAMS: { rpc: -32602, exit: 2 },
  INTERNAL_ERROR: { rpc: -32603, exit: 1 },
  // som's own codes: 1xxx input and state, 2xxx held or blocked, 3xxx broker, 4xxx daemon.
  NOT_FOUND: { rpc: 1001, exit: 2 },
  ALREADY_EXISTS: { rpc: 1002, exit: 2 },
  INVALID_INPUT: { rpc: 1003, exit: 2 },
  CONFIG_INVALID: { rpc: 1004, exit: 2 },
  HELD_FOR_APPROVAL: { rpc: 2001, exit: 4 },
  RISK_BLOCKED: { rpc: 2002, exit: 4 },
  /** Smart execution will not send it: the market cannot be read (a crossed or empty book) or the margin does not suffice. */
  EXECUTION_REFUSED: { rpc: 2003, exit: 4 },
  BROKER_ERROR: { rpc: 3001, exit: 5 },
  BROKER_UNAVAILABLE: { rpc: 3002, exit: 5 },
  /** The broker session (access token) is missing, expired or revoked: `som login`. */
  BROKER_SESSION: { rpc: 3003, exit: 5 },
  SHUTTING_DOWN: { rpc: 4001, exit: 1 },
  PROTOCOL_MISMATCH: { rpc: 4002, exit: 1 },
  DAEMON_UNREACHABLE: { rpc: 4003, exit: 3 },
  STORE_ERROR: { rpc: 4004, exit: 1 },
  FAILED: { rpc: 4005, exit: 1 },
} as const satisfies Record<string, { rpc: number; exit: number }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error as a value. `data` carries machine-readable detail (never secrets). */
export interface SomErrorValue {
  code: ErrorCode;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * The throwable form of {@link SomErrorValue}, for code paths (RPC handlers, start-up) where
 * unwinding is the natural control flow. It is still a value with a code, never a bare string.
 */
export class SomError extends Error implements SomErrorValue {
  readonly code: ErrorCode;
  readonly data?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, data?: Record<string, unknown>) {
    super(message);
    this.name = 'SomError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }
  toValue(): SomErrorValue {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** A parser's error (src/domain/parse) as the INVALID_INPUT it is (exit 2), naming the field. */
export function invalidInput(error: { message: string; field: string }, data?: Record<string, unknown>): SomError {
  return new SomError('INVALID_INPUT', error.message, { field: error.field, ...data });
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/** The CLI exit code for an error code (DESIGN.md: 1 failed, 2 usage/input, 3 daemon, 4 held, 5 broker). */
export function exitCodeFor(code: ErrorCode): number {
  return ERRORS[code].exit;
}

/** Recover the symbolic code of a JSON-RPC error received on the wire. */
export function errorCodeFromRpc(rpcCode: number, data: unknown): ErrorCode {
  const named = (data as { code?: unknown } | null | undefined)?.code;
  if (isErrorCode(named)) return named;
  const found = (Object.keys(ERRORS) as ErrorCode[]).find((k) => ERRORS[k].rpc === rpcCode);
  return found ?? 'FAILED';
}
