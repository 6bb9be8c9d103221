/**
 * The two US calendar facts Indian commodity trading depends on:
 * - MCX closes its evening session at 23:30 IST while the US observes daylight saving time and
 *   at 23:55 IST otherwise (MCX contract specifications: "11.30 / 11.55 p.m., based on US
 *   daylight saving time period").
 * - MCX's crude oil and natural gas contracts expire relative to NYMEX's last trading days,
 *   which count CME business days (US exchange holidays excluded).
 *
 * Both are computed by rule (the US Energy Policy Act 2005 DST dates; CME's holiday set), so
 * they need no yearly data file.
 */
import {
  addDays,
  formatDate,
  isWeekend,
  lastWeekdayOfMonth,
  MONDAY,
  nthWeekdayOfMonth,
  SATURDAY,
  SUNDAY,
  THURSDAY,
  weekday,
} from './ist.js';

/**
 * True when US daylight saving time is in force on the calendar date `date`: from the second
 * Sunday of March to the day before the first Sunday of November. MCX switches its closing time
 * from the first trading day after each change (a Monday), which this date test gives directly.
 */
export function usDaylightTime(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const start = nthWeekdayOfMonth(year, 3, SUNDAY, 2);
  const end = nthWeekdayOfMonth(year, 11, SUNDAY, 1);
  return date >= start && date < end;
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDate(year, month, day);
}

/** A fixed-date holiday moves to Friday when on Saturday and to Monday when on Sunday. */
function observed(date: string): string {
  const w = weekday(date);
  if (w === SATURDAY) return addDays(date, -1);
  if (w === SUNDAY) return addDays(date, 1);
  return date;
}

/**
 * CME Group's US holidays of a year (days without a settlement): New Year's Day, Martin Luther
 * King Jr. Day, Presidents' Day, Good Friday, Memorial Day, Juneteenth (from 2022),
 * Independence Day, Labor Day, Thanksgiving and Christmas. A New Year's Day on a Saturday is
 * not moved back into the old year.
 */
export function cmeHolidays(year: number): string[] {
  const list = [
    weekday(formatDate(year, 1, 1)) === SATURDAY ? null : observed(formatDate(year, 1, 1)),
    nthWeekdayOfMonth(year, 1, MONDAY, 3),
    nthWeekdayOfMonth(year, 2, MONDAY, 3),
    addDays(easterSunday(year), -2),
    lastWeekdayOfMonth(year, 5, MONDAY),
    year >= 2022 ? observed(formatDate(year, 6, 19)) : null,
    observed(formatDate(year, 7, 4)),
    nthWeekdayOfMonth(year, 9, MONDAY, 1),
    nthWeekdayOfMonth(year, 11, THURSDAY, 4),
    observed(formatDate(year, 12, 25)),
  ];
  return list.filter((d): d is string => d !== null).sort();
}

const holidayCache = new Map<number, Set<string>>();

/** True when CME (and so NYMEX) has a business day on `date`. */
export function isCmeBusinessDay(date: string): boolean {
  if (isWeekend(date)) return false;
  const year = Number(date.slice(0, 4));
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(cmeHolidays(year));
    holidayCache.set(year, set);
  }
  return !set.has(date);
}

/** The CME business day `n` business days before `date` (n >= 1). */
export function cmeBusinessDaysBefore(date: string, n: number): string {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, -1);
    if (isCmeBusinessDay(d)) left--;
  }
  return d;
}
