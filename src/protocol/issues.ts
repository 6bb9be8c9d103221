import type { z } from 'zod';
import { describeField, legLabel, shown } from '../domain/parse/error.js';
import { choiceList } from '../domain/values.js';
import { parseErrorOf } from './parsed.js';

/**
 * A request's schema issues in words: the field by its name (a basket's `instruments.0` as
 * `leg 1 (NFO:NIFTY25DEC24500CE)`), then what is wrong with it, never the schema library's own
 * phrasing. Issues raised by a domain parser are worded as the parser words them. `params` is
 * the request as sent, to name a leg by its symbol.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], params: unknown): string {
  return issues.map((issue) => describeIssue(issue, params)).join('; ');
}

/** Collections whose items a person counts from 1 and names by their symbol. */
const ITEM_NOUNS: Readonly<Record<string, string>> = { instruments: 'leg' };

/** Messages zod writes itself start with these words; any other message is the schema author's own. */
const LIBRARY_WORDING = /^(Invalid|Too small|Too big|Unrecognized)/;

function describeIssue(issue: z.core.$ZodIssue, params: unknown): string {
  const { item, field } = subjectOf(issue.path, params);
  // A field of an item reads "leg 1 (NSE:SBIN): quantity ..."; the item itself, "leg 1 ...".
  const prefix = item && field ? `${item}: ` : '';
  const name = field || item || 'params';
  const parseError = parseErrorOf(issue);
  if (parseError) return prefix + describeField(parseError, name);
  if (!LIBRARY_WORDING.test(issue.message)) return `${prefix}${name}: ${issue.message}`;
  return prefix + libraryIssue(issue, name);
}

function libraryIssue(issue: z.core.$ZodIssue, name: string): string {
  const got = 'input' in issue ? `, got ${shown(issue.input)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${name} is missing`;
      return `${name}: expected ${issue.expected === 'int' ? 'a whole number (integer)' : issue.expected}${got}`;
    case 'invalid_value':
      return `${name} must be ${choiceList(issue.values.map((v) => shown(v)))}${got}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `${name}: give at least ${issue.minimum}`
        : `${name} must be ${issue.inclusive === false ? 'above' : 'at least'} ${issue.minimum}${got}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `${name}: give at most ${issue.maximum}`
        : `${name} must be ${issue.inclusive === false ? 'below' : 'at most'} ${issue.maximum}${got}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => shown(k)).join(', ')}${name === 'params' ? '' : ` in ${name}`}`;
    case 'invalid_format':
      return `${name} is not in the expected format${got}`;
    case 'not_multiple_of':
      return `${name} must be a multiple of ${issue.divisor}${got}`;
    default:
      return `${name} is not valid${got}`;
  }
}

/** `instruments.0.product` -> item "leg 1 (NSE:SBIN)", field "product"; `settings.x` -> field "settings.x". */
function subjectOf(path: readonly PropertyKey[], params: unknown): { item: string | null; field: string } {
  let at: unknown = params;
  let item: string | null = null;
  let rest: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const noun = typeof key === 'string' ? ITEM_NOUNS[key] : undefined;
    const index = path[i + 1];
    if (noun && typeof key === 'string' && typeof index === 'number') {
      const entry = (at as Record<string, unknown[]> | null)?.[key]?.[index];
      const symbol = (entry as { symbol?: unknown } | null | undefined)?.symbol;
      item = noun === 'leg' ? legLabel(index, typeof symbol === 'string' ? symbol : undefined) : `${noun} ${index + 1}`;
      at = entry;
      rest = [];
      i++;
      continue;
    }
    rest.push(String(key));
    at = (at as Record<PropertyKey, unknown> | null)?.[key];
  }
  return { item, field: rest.join('.') };
}
