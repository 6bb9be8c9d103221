import { isParseError, type ParseError } from '../src/domain/parse/error.js';
import { usageError } from './context.js';

/**
 * A commander argument reader from a domain parser (src/domain/parse), the one the socket and
 * the engine use for the same concept, named after the flag: a bad value ends with exit 2 and
 * `--qty must be a whole number greater than 0, not "1.5"`. Each command imports only the
 * parsers its flags need, so it loads no more than it reads.
 */
export function flag<T>(name: string, parse: (value: unknown, field: string) => T | ParseError): (value: string) => T {
  return (value) => orUsageError(parse(value, name));
}

/** A parser's value, or the usage error (exit 2) its error becomes. */
export function orUsageError<T>(result: T | ParseError): T {
  if (isParseError(result)) throw usageError(result.message, { field: result.field });
  return result;
}
