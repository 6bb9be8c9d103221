import { istInstant } from '../../market/ist.js';
import { parseCalendarDate } from './date.js';
import { invalid, isBlank, isParseError, missing, type ParseError } from './error.js';

const EXPECTED = 'an ISO instant with its offset (2026-11-24T09:15:00+05:30) or a date (2026-11-24)';
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A moment to filter from (`--since`): an ISO-8601 instant with its offset or Z, or a calendar
 * date meaning the start of that day in India (IST midnight). Returned as a UTC ISO string. An
 * instant without an offset is refused: whose wall clock it means cannot be guessed.
 */
export function parseInstant(value: unknown, field = 'since'): string | ParseError {
  if (isBlank(value)) return missing(field, EXPECTED);
  if (typeof value !== 'string') return invalid(field, EXPECTED, value);
  const text = value.trim();
  if (!text.includes('T')) {
    const date = parseCalendarDate(text, field);
    return isParseError(date) ? invalid(field, EXPECTED, value, date.hint) : istInstant(date, '00:00').toISOString();
  }
  const m = INSTANT.exec(text);
  if (!m) return invalid(field, EXPECTED, value);
  const date = parseCalendarDate(m[1], field);
  if (isParseError(date)) return invalid(field, EXPECTED, value, date.hint);
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return invalid(field, EXPECTED, value, 'not a time of day');
  return new Date(Date.parse(text)).toISOString();
}
