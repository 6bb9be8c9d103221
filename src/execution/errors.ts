/**
 * Why an analysis could not be made, as a value. A book the rules cannot read is refused whole:
 * a spread, an impact or a limit price computed from it would be a guess presented as a fact.
 *
 * - BOOK_EMPTY: no level on either side (no depth in the tick, market closed, an index).
 * - BOOK_ONE_SIDED: bids or asks only: there is no mid to measure the spread against.
 * - BOOK_CROSSED: the best bid is at or above the best ask (a locked or crossed book, seen in
 *   auctions and in depth stitched from different moments).
 * - BOOK_INVALID_LEVEL: a level with a negative, non-finite or half-empty entry (a price without
 *   a quantity is skipped, not refused; see book.ts), or levels out of price order.
 * - BOOK_OFF_TICK: a price that is not on the instrument's tick grid: the tick size does not
 *   belong to this book (a stale instrument master), and a limit price on it would be refused.
 * - BOOK_NO_TIME: the depth carries no valid time, so its age cannot be judged.
 * - INVALID_ORDER: a quantity that is not a positive whole number of lots.
 * - INVALID_INSTRUMENT: a tick size, lot size or multiplier that is not a positive number.
 */
export type ExecutionErrorCode =
  | 'BOOK_EMPTY'
  | 'BOOK_ONE_SIDED'
  | 'BOOK_CROSSED'
  | 'BOOK_INVALID_LEVEL'
  | 'BOOK_OFF_TICK'
  | 'BOOK_NO_TIME'
  | 'INVALID_ORDER'
  | 'INVALID_INSTRUMENT';

export interface ExecutionError {
  code: ExecutionErrorCode;
  message: string;
}

const CODES: ReadonlySet<string> = new Set<ExecutionErrorCode>([
  'BOOK_EMPTY',
  'BOOK_ONE_SIDED',
  'BOOK_CROSSED',
  'BOOK_INVALID_LEVEL',
  'BOOK_OFF_TICK',
  'BOOK_NO_TIME',
  'INVALID_ORDER',
  'INVALID_INSTRUMENT',
]);

/** True for an {@link ExecutionError} (every result type of this area is told apart by it). */
export function isExecutionError(x: unknown): x is ExecutionError {
  return typeof x === 'object' && x !== null && 'code' in x && typeof x.code === 'string' && CODES.has(x.code);
}
