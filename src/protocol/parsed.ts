import { z } from 'zod';
import { isParseError, type ParseError } from '../domain/parse/error.js';

/**
 * The socket's schemas read a field with the same parser the command line and the engine use
 * (src/domain/parse): the parser's error becomes the schema's issue, carrying the error value
 * itself (`params.parseError`) so the daemon words it as the parser did (./issues.ts).
 * `In` is what a well-behaved caller sends, for the CLI's types; the parser judges what came.
 */
export function parsedBy<In, T>(parse: (value: unknown) => T | ParseError) {
  return z
    .custom<In>(() => true)
    .transform((value, ctx): Exclude<T, ParseError> => {
      const result = parse(value);
      if (isParseError(result)) {
        ctx.addIssue({ code: 'custom', message: result.message, params: { parseError: result }, input: value });
        return z.NEVER;
      }
      return result as Exclude<T, ParseError>;
    });
}

/** Like {@link parsedBy}, but the field keeps the value as sent (trimmed text): the parser only vouches for it. */
export function checkedBy(parse: (value: unknown) => unknown) {
  return parsedBy<string, string>((value) => {
    const result = parse(value);
    return isParseError(result) ? result : String(value).trim();
  });
}

/** The parser's error a schema issue carries, if it came from {@link parsedBy}. */
export function parseErrorOf(issue: z.core.$ZodIssue): ParseError | null {
  const carried = issue.code === 'custom' ? issue.params?.parseError : undefined;
  return isParseError(carried) ? carried : null;
}
