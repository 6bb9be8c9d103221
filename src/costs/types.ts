/**
 * Errors and warnings of the charges engine, as values.
 *
 * Error codes are som's own (src/protocol/errors.ts), so a caller can pass them on unchanged:
 * INVALID_INPUT for input that cannot be costed as written, NOT_FOUND for an instrument or
 * contract fact that is not known. Both end the CLI with exit 2.
 */
export type CostErrorCode = 'INVALID_INPUT' | 'NOT_FOUND';

export interface CostError {
  code: CostErrorCode;
  message: string;
  /** Index (0-based) of the leg the error is about, when it is about one. */
  leg?: number;
}

/**
 * NOT_IN_MASTER: a derivative classified from its trading symbol, not the instrument master.
 * LOT_MULTIPLE: quantity is not a whole number of lots. OFF_TICK: a price is not on the tick.
 * CHARGES_HIGH: a leg's round-trip charges exceed the configured share of its order value.
 * PRODUCT_DEFAULTED: a leg gave no product and got the usual one (NRML derivative, CNC equity).
 */
export type CostWarningCode = 'NOT_IN_MASTER' | 'LOT_MULTIPLE' | 'OFF_TICK' | 'CHARGES_HIGH' | 'PRODUCT_DEFAULTED';

export interface CostWarning {
  code: CostWarningCode;
  message: string;
  /** Index (0-based) of the leg the warning is about. */
  leg?: number;
}

export function isCostError(x: unknown): x is CostError {
  return (
    typeof x === 'object' &&
    x !== null &&
    'code' in x &&
    'message' in x &&
    (x.code === 'INVALID_INPUT' || x.code === 'NOT_FOUND')
  );
}
