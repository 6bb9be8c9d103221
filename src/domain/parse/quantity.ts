import { invalid, isBlank, missing, type ParseError } from './error.js';

const DIGITS = /^\d+$/;

/** Bounds of a whole number; a quantity's are 1 and none. */
export interface WholeNumberBounds {
  /** Smallest allowed, 1 unless given (a port may be 0). */
  min?: number;
  /** Largest allowed, when there is one (a page of results, a port). */
  max?: number;
}

/**
 * An order quantity (units, or lots on MCX and CDS as Kite counts them), or any other count
 * (`--limit`, a port): a whole number, at least 1 unless `min` says otherwise, at most `max`,
 * from a JSON number or from text. Text must be plain digits: "1e3", "0x10" and "1,000" are
 * refused rather than read as a number the user may not have meant (the message shows the
 * digits to write instead where there is one).
 */
export function parseQuantity(
  value: unknown,
  field = 'quantity',
  { min = 1, max }: WholeNumberBounds = {},
): number | ParseError {
  const expected =
    max !== undefined
      ? `a whole number from ${min} to ${max}`
      : min === 1
        ? 'a whole number greater than 0'
        : `a whole number of at least ${min}`;
  const within = (n: number) => Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max);
  if (isBlank(value)) return missing(field, expected);
  if (typeof value === 'number') return within(value) ? value : invalid(field, expected, value);
  if (typeof value !== 'string') return invalid(field, expected, value);
  const text = value.trim();
  if (DIGITS.test(text)) return within(Number(text)) ? Number(text) : invalid(field, expected, value);
  // A number written another way: say which digits were probably meant.
  const read = Number(text.replace(/,/g, ''));
  return invalid(field, expected, value, within(read) ? `write it in digits: ${read}` : undefined);
}
