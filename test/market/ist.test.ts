import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayNumber,
  diffDays,
  formatDate,
  fromDayNumber,
  isIsoDate,
  istDate,
  istDayNumber,
  istDayStartMs,
  istInstant,
  istInstantMs,
  istParts,
  istTime,
  istTimestamp,
  istTimestampMs,
  istYymmdd,
  lastWeekdayOfMonth,
  minutesOf,
  nthWeekdayOfMonth,
  THURSDAY,
  TUESDAY,
  weekday,
} from '../../src/market/ist.js';

describe('IST instants and wall times', () => {
  it('maps an IST date and time to the instant 5h30m earlier in UTC', () => {
    // 09:15 IST = 03:45 UTC on the same day.
    expect(istInstant('2026-11-25', '09:15').toISOString()).toBe('2026-11-25T03:45:00.000Z');
    // 00:30 IST is still the previous day in UTC (19:00Z).
    expect(istInstant('2026-01-01', '00:30').toISOString()).toBe('2025-12-31T19:00:00.000Z');
    expect(istInstant('2026-11-25', '23:55:30').toISOString()).toBe('2026-11-25T18:25:30.000Z');
  });

  it('gives the IST calendar date of an instant, switching at 18:30 UTC', () => {
    expect(istDate(new Date('2026-11-24T18:29:59.999Z'))).toBe('2026-11-24');
    expect(istDate(new Date('2026-11-24T18:30:00.000Z'))).toBe('2026-11-25');
  });

  it('gives wall-clock parts and Kite-style timestamps', () => {
    // 19:48:36 UTC + 5:30 = 01:18:36 next day, a Wednesday.
    const at = new Date('2026-11-24T19:48:36Z');
    expect(istParts(at)).toEqual({
      year: 2026,
      month: 11,
      day: 25,
      hour: 1,
      minute: 18,
      second: 36,
      millisecond: 0,
      weekday: 3,
    });
    expect(istTime(at)).toBe('01:18:36');
    expect(istTimestamp(at)).toBe('2026-11-25 01:18:36');
  });

  it('round-trips an instant through date and time', () => {
    const at = new Date('2026-03-09T17:59:00Z');
    expect(istInstant(istDate(at), istTime(at)).getTime()).toBe(at.getTime());
  });

  it('refuses malformed input: istInstant throws, istInstantMs answers undefined', () => {
    expect(() => istInstant('2026-11-25', '9:15')).toThrow(RangeError);
    expect(() => istInstant('25-11-2026', '09:15')).toThrow(RangeError);
    expect(istInstantMs('2026-11-25', '9:15')).toBeUndefined();
    expect(istInstantMs('2026-11-25T09:15', '09:15')).toBeUndefined();
    // 15:30:15 IST = 10:00:15 UTC.
    expect(istInstantMs('2026-11-25', '15:30:15')).toBe(Date.parse('2026-11-25T10:00:15Z'));
  });

  it('gives the YYMMDD of the IST date, the prefix of Kite order ids', () => {
    // 18:30 UTC on 2026-12-31 is already 00:00 on 2027-01-01 in India.
    expect(istYymmdd(new Date('2026-12-31T18:29:59Z'))).toBe('261231');
    expect(istYymmdd(new Date('2026-12-31T18:30:00Z'))).toBe('270101');
  });

  it('formats epoch milliseconds as istTimestamp does, dropping the milliseconds', () => {
    const ms = Date.parse('2026-11-24T19:48:36.999Z');
    expect(istTimestampMs(ms)).toBe('2026-11-25 01:18:36');
    expect(istTimestampMs(ms)).toBe(istTimestamp(new Date(ms)));
  });

  it('numbers IST days as dayNumber numbers their dates, and finds where each starts', () => {
    const day = dayNumber('2026-11-25');
    // IST midnight starting the 25th is 18:30 UTC on the 24th.
    expect(istDayStartMs(day)).toBe(Date.parse('2026-11-24T18:30:00Z'));
    expect(istDayNumber(istDayStartMs(day))).toBe(day);
    expect(istDayNumber(istDayStartMs(day) - 1)).toBe(day - 1);
  });
});

describe('calendar-date arithmetic', () => {
  it('knows weekdays', () => {
    expect(weekday('1970-01-01')).toBe(THURSDAY);
    expect(weekday('2026-03-03')).toBe(TUESDAY);
    expect(weekday('2026-11-08')).toBe(0); // Sunday, Diwali
    expect(weekday('1969-12-31')).toBe(3); // Wednesday, before the epoch
  });

  it('adds and subtracts days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    // Nov 24 -> Nov 30 is 6 days, then 29 more to Dec 29: 35.
    expect(diffDays('2026-11-24', '2026-12-29')).toBe(35);
    expect(fromDayNumber(dayNumber('2026-07-15'))).toBe('2026-07-15');
  });

  it('finds the last and nth weekday of a month', () => {
    expect(lastWeekdayOfMonth(2026, 12, TUESDAY)).toBe('2026-12-29');
    expect(lastWeekdayOfMonth(2026, 11, THURSDAY)).toBe('2026-11-26');
    expect(lastWeekdayOfMonth(2026, 3, TUESDAY)).toBe('2026-03-31');
    expect(nthWeekdayOfMonth(2026, 3, 0, 2)).toBe('2026-03-08'); // second Sunday of March
  });

  it('validates dates and times', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-2-28')).toBe(false);
    expect(formatDate(2026, 1, 5)).toBe('2026-01-05');
    expect(minutesOf('23:55')).toBe(23 * 60 + 55);
    expect(() => minutesOf('9:15')).toThrow(RangeError);
  });
});
