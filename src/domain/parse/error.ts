/**
 * What a parser returns when the text or value it was given is not what it reads: a value, never
 * a throw, naming the field it was reading (`--qty`, `quantity`, `date`) so every caller (the
 * CLI, the socket's schemas, the engine) can say which input was wrong in its own words.
 *
 * `message` is a whole sentence for a person (`--qty must be a whole number greater than 0, not
 * "1.5"`). `expected` and `value` are its parts, for callers that name the field differently (a
 * basket leg says `quantity -65 must be ...`); `value` is absent when nothing was given.
 */
export interface ParseError {
  code: 'INVALID_INPUT';
  field: string;
  message: string;
  /** What the field takes, as a noun phrase: "a whole number greater than 0". */
  expected: string;
  /** What was given, as given; absent when the field was missing. */
  value?: unknown;
  /** What to do instead, when there is more to say than `expected` ("write it in digits: 1000"). */
  hint?: string;
}

/** True for a parser's error value (every parser returns `T | ParseError`). */
export function isParseError(x: unknown): x is ParseError {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as { code?: unknown }).code === 'INVALID_INPUT' &&
    typeof (x as { field?: unknown }).field === 'string' &&
    typeof (x as { expected?: unknown }).expected === 'string'
  );
}

/** A value as it appears in a message: text quoted, numbers and the rest as JSON writes them. */
export function shown(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** `field` holds something it does not take. `hint` adds what to do, in parentheses. */
export function invalid(field: string, expected: string, value: unknown, hint?: string): ParseError {
  return {
    code: 'INVALID_INPUT',
    field,
    expected,
    value,
    ...(hint ? { hint } : {}),
    message: `${field} must be ${expected}, not ${shown(value)}${hint ? ` (${hint})` : ''}`,
  };
}

/** `field` was not given (absent, null or blank). */
export function missing(field: string, expected: string): ParseError {
  return { code: 'INVALID_INPUT', field, expected, message: `${field} is missing: give ${expected}` };
}

/** Absent, null, or text with nothing but blanks: a field not given. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * The sentence for a field named by the caller's own word, value first: `quantity -65 must be a
 * whole number greater than 0`, `price is missing: give a price greater than 0`. Used where a
 * message names an item and then its field (a basket leg), so the value is read next to it.
 */
export function describeField(error: ParseError, field: string = error.field): string {
  if (!('value' in error)) return `${field} is missing: give ${error.expected}`;
  return `${field} ${shown(error.value)} must be ${error.expected}${error.hint ? ` (${error.hint})` : ''}`;
}

/**
 * How a message names a basket leg: counted from 1 as a person counts, with its symbol as
 * written (trimmed, upper-cased) when it has one: `leg 2 (NFO:NIFTY25DEC24500CE)`.
 */
export function legLabel(index: number, symbol?: string): string {
  const written = symbol?.trim().toUpperCase();
  return `leg ${index + 1}${written ? ` (${written})` : ''}`;
}
