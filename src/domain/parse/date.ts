import { daysInMonth, isIsoDate } from '../../market/ist.js';
import { invalid, isBlank, missing, type ParseError } from './error.js';

const EXPECTED = 'a date written YYYY-MM-DD';
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A calendar date `YYYY-MM-DD` that exists: 2026-02-31 is refused (saying how many days the
 * month has), 2028-02-29 is a date. The date stays text: calendar dates are zone-free and som
 * reads them as Asia/Kolkata days.
 */
export function parseCalendarDate(value: unknown, field = 'date'): string | ParseError {
  if (isBlank(value)) return missing(field, EXPECTED);
  if (typeof value !== 'string') return invalid(field, EXPECTED, value);
  const text = value.trim();
  if (isIsoDate(text)) return text;
  const m = SHAPE.exec(text);
  if (!m) return invalid(field, EXPECTED, value);
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return invalid(field, 'a real date', value, 'months run 01 to 12');
  return invalid(field, 'a real date', value, `${MONTHS[month - 1]} ${year} has ${daysInMonth(year, month)} days`);
}
