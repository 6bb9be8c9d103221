/**
 * Kite's error envelope: `{"status":"error","message":...,"data":null,"error_type":...}` with
 * the HTTP status Kite sends for that exception (kite.trade/docs/connect/v3/exceptions).
 */
export type KiteErrorType =
  | 'TokenException'
  | 'UserException'
  | 'OrderException'
  | 'InputException'
  | 'MarginException'
  | 'HoldingException'
  | 'NetworkException'
  | 'DataException'
  | 'GeneralException'
  | 'PermissionException';

/** The HTTP status Kite pairs with each exception when nothing more specific applies. */
export const DEFAULT_STATUS: Record<KiteErrorType, number> = {
  TokenException: 403,
  PermissionException: 403,
  UserException: 403,
  InputException: 400,
  OrderException: 400,
  MarginException: 400,
  HoldingException: 400,
  NetworkException: 503,
  DataException: 502,
  GeneralException: 500,
};

export class KiteError extends Error {
  readonly errorType: KiteErrorType;
  readonly status: number;
  constructor(errorType: KiteErrorType, message: string, status: number = DEFAULT_STATUS[errorType]) {
    super(message);
    this.errorType = errorType;
    this.status = status;
  }
  body(): { status: 'error'; message: string; data: null; error_type: KiteErrorType } {
    return { status: 'error', message: this.message, data: null, error_type: this.errorType };
  }
}

export function inputError(message: string): KiteError {
  return new KiteError('InputException', message);
}
