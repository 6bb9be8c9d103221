/**
 * Asia/Kolkata (IST) date and time helpers that never consult the host's time zone.
 *
 * India has used a fixed UTC+05:30 offset without daylight saving since 1945, so plain offset
 * arithmetic on epoch milliseconds is exact; no Intl or tz database is needed. Only the
 * `getUTC*` family of Date methods is used, which is why these helpers give the same answer
 * on a host in New York, Kolkata or Kiribati.
 *
 * Calendar dates are plain `YYYY-MM-DD` strings (the form Kite uses for `expiry`). Date
 * arithmetic works on "day numbers" (whole days since 1970-01-01), which are zone-free.
 */

/** IST is UTC+05:30 all year. */
export const IST_OFFSET_MINUTES = 5 * 60 + 30;

const IST_OFFSET_MS = IST_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/** Day-of-week numbers as JavaScript's `getDay` counts them. */
export const SUNDAY = 0;
export const MONDAY = 1;
export const TUESDAY = 2;
export const WEDNESDAY = 3;
export const THURSDAY = 4;
export const FRIDAY = 5;
export const SATURDAY = 6;

/** The wall-clock reading in Asia/Kolkata of an instant. */
export interface IstParts {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

const p2 = (n: number): string => String(n).padStart(2, '0');
const p4 = (n: number): string => String(n).padStart(4, '0');

/** The IST wall-clock parts of an instant. */
export function istParts(instant: Date): IstParts {
  const t = new Date(instant.getTime() + IST_OFFSET_MS);
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    second: t.getUTCSeconds(),
    millisecond: t.getUTCMilliseconds(),
    weekday: t.getUTCDay(),
  };
}

/** The IST calendar date (`YYYY-MM-DD`) of an instant. */
export function istDate(instant: Date): string {
  const x = istParts(instant);
  return formatDate(x.year, x.month, x.day);
}

/** The IST wall time `HH:MM:SS` of an instant. */
export function istTime(instant: Date): string {
  const x = istParts(instant);
  return `${p2(x.hour)}:${p2(x.minute)}:${p2(x.second)}`;
}

/** `YYYY-MM-DD HH:mm:ss` in IST: the timestamp format of Kite's REST responses. */
export function istTimestamp(instant: Date): string {
  return istTimestampMs(instant.getTime());
}

/**
 * `istTimestamp` of an instant given as epoch milliseconds (milliseconds dropped). One Date
 * and no parts object: the market model formats two of these for every quote.
 */
export function istTimestampMs(ms: number): string {
  const t = new Date(ms + IST_OFFSET_MS);
  const date = formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
  return `${date} ${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:${p2(t.getUTCSeconds())}`;
}

/** `YYMMDD` of the IST date: the prefix of Kite's order ids (order_info.json: 171229000724687). */
export function istYymmdd(instant: Date): string {
  const x = istParts(instant);
  return `${p2(x.year % 100)}${p2(x.month)}${p2(x.day)}`;
}

/**
 * The day number (as `dayNumber` counts) of the IST calendar date at epoch milliseconds `ms`:
 * equal for two instants on the same Indian day. Plain arithmetic, for hot paths.
 */
export function istDayNumber(ms: number): number {
  return Math.floor((ms + IST_OFFSET_MS) / DAY_MS);
}

/** Epoch milliseconds of IST midnight at the start of day number `day`. */
export function istDayStartMs(day: number): number {
  return day * DAY_MS - IST_OFFSET_MS;
}

/** IST midnight at the start of the Asia/Kolkata day an instant falls on. */
export function istDayStart(instant: Date): Date {
  return new Date(istDayStartMs(istDayNumber(instant.getTime())));
}

/** Minutes after IST midnight of an instant (fractional part from seconds dropped). */
export function istMinuteOfDay(instant: Date): number {
  const x = istParts(instant);
  return x.hour * 60 + x.minute;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** True for a real calendar date written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Year, month (1-12) and day of a `YYYY-MM-DD` string. The string is assumed valid. */
export function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** `YYYY-MM-DD` from year, month (1-12) and day. */
export function formatDate(year: number, month: number, day: number): string {
  return `${p4(year)}-${p2(month)}-${p2(day)}`;
}

/** Whole days since 1970-01-01 of a calendar date. Zone-free. */
export function dayNumber(date: string): number {
  const { year, month, day } = parseDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** The calendar date of a day number. */
export function fromDayNumber(n: number): string {
  const t = new Date(n * DAY_MS);
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The date `days` days after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** Days from `from` to `to`: positive when `to` is later. */
export function diffDays(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Day of week of a calendar date: 0 = Sunday ... 6 = Saturday. */
export function weekday(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber(date) + THURSDAY) % 7) + 7) % 7;
}

/** Saturday or Sunday. */
export function isWeekend(date: string): boolean {
  const w = weekday(date);
  return w === SATURDAY || w === SUNDAY;
}

/** Number of days in a month (month 1-12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last date in the month falling on `dow` (0 = Sunday). */
export function lastWeekdayOfMonth(year: number, month: number, dow: number): string {
  const last = formatDate(year, month, daysInMonth(year, month));
  const back = (weekday(last) - dow + 7) % 7;
  return addDays(last, -back);
}

/** The `n`th (1-based) date in the month falling on `dow`. */
export function nthWeekdayOfMonth(year: number, month: number, dow: number, n: number): string {
  const first = formatDate(year, month, 1);
  const ahead = (dow - weekday(first) + 7) % 7;
  return addDays(first, ahead + (n - 1) * 7);
}

/** Minutes after midnight of an `HH:MM` (or `HH:MM:SS`, seconds ignored) wall time. */
export function minutesOf(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw new RangeError(`not an HH:MM time: ${JSON.stringify(time)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The instant at which the IST wall clock reads `time` on `date`:
 * `istInstant('2026-11-25', '09:15')` is 2026-11-25T03:45:00Z.
 */
export function istInstant(date: string, time: string): Date {
  const t = TIME_RE.exec(time);
  if (!t) throw new RangeError(`not an HH:MM[:SS] time: ${JSON.stringify(time)}`);
  const d = DATE_RE.exec(date);
  if (!d) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return new Date(wallClockMs(d, t));
}

/** `istInstant` as epoch milliseconds, or undefined (not a throw) when either string is malformed. */
export function istInstantMs(date: string, time: string): number | undefined {
  const d = DATE_RE.exec(date);
  const t = TIME_RE.exec(time);
  return d && t ? wallClockMs(d, t) : undefined;
}

function wallClockMs(date: RegExpExecArray, time: RegExpExecArray): number {
  const seconds = Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3] ?? 0);
  return Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) + seconds * 1000 - IST_OFFSET_MS;
}

/** Compare two `YYYY-MM-DD` strings (they sort lexically). */
export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
