import { describe, expect, it } from 'vitest';
import { CALENDAR_YEARS } from '../../src/market/calendar/index.js';
import {
  dayInfo,
  defaultCalendar,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  specialSession,
  TradingCalendar,
  tradingDaysBetween,
} from '../../src/market/calendar.js';
import { isIsoDate, isWeekend, TUESDAY, weekday } from '../../src/market/ist.js';

describe('calendar data files', () => {
  it('list real weekday dates of their own year, sorted and without duplicates', () => {
    for (const y of CALENDAR_YEARS) {
      for (const list of [y.holidays.NSE, y.holidays.BSE, y.holidays.MCX]) {
        const dates = list.map((h) => h.date);
        expect(dates).toEqual([...new Set(dates)].sort());
        for (const d of dates) {
          expect(isIsoDate(d), d).toBe(true);
          expect(d.startsWith(String(y.year)), d).toBe(true);
          expect(isWeekend(d), `${d} is a weekend`).toBe(false);
        }
      }
      for (const s of y.specialSessions) expect(s.date.startsWith(String(y.year))).toBe(true);
    }
  });

  it('has the sixteen NSE holidays of 2026, three of them on Tuesdays that move NIFTY expiries', () => {
    const nse2026 = defaultCalendar.holidays(2026, 'NSE');
    expect(nse2026).toHaveLength(16);
    for (const d of ['2026-03-03', '2026-03-31', '2026-11-10']) {
      expect(weekday(d)).toBe(TUESDAY);
      expect(nse2026.map((h) => h.date)).toContain(d);
    }
  });
});

describe('trading days', () => {
  it('closes NSE, its F&O and currency segments on NSE holidays and weekends', () => {
    expect(isTradingDay('2026-03-03', 'NSE')).toBe(false); // Holi
    expect(isTradingDay('2026-03-03', 'NFO')).toBe(false);
    expect(isTradingDay('2026-03-03', 'CDS')).toBe(false);
    expect(isTradingDay('2026-03-03', 'BSE')).toBe(false);
    expect(isTradingDay('2026-03-04', 'NSE')).toBe(true);
    expect(isTradingDay('2026-11-07', 'NSE')).toBe(false); // Saturday
  });

  it('keeps MCX open on days only its morning session is closed, and closed on full holidays', () => {
    expect(isTradingDay('2026-03-03', 'MCX')).toBe(true); // evening session only
    expect(isTradingDay('2026-01-15', 'MCX')).toBe(true); // election day: evening only
    expect(isTradingDay('2026-01-26', 'MCX')).toBe(false); // Republic Day: both sessions closed
    expect(isTradingDay('2026-01-01', 'MCX')).toBe(true); // morning only
    expect(dayInfo('2026-11-24', 'MCX').holiday).toEqual({ name: 'Guru Nanak Jayanti', closed: 'morning' });
  });

  it('treats the Budget Sunday as a trading day and Muhurat Sunday as a special session only', () => {
    expect(isTradingDay('2026-02-01', 'NSE')).toBe(true);
    expect(isTradingDay('2026-02-01', 'NFO')).toBe(true);
    expect(isTradingDay('2026-02-01', 'MCX')).toBe(true);
    expect(specialSession('2026-02-01', 'NSE')?.name).toMatch(/Budget/);

    expect(isTradingDay('2026-11-08', 'NSE')).toBe(false);
    const muhurat = specialSession('2026-11-08', 'NSE');
    expect(muhurat?.hours.NSE?.normal).toEqual(['18:00', '19:00']);
    expect(muhurat?.timesConfirmed).toBe(false);
    expect(specialSession('2026-11-09', 'NSE')).toBeNull();
  });

  it('steps to the next and previous trading day over weekends, holidays and special days', () => {
    // Fri Nov 6 -> Sat, Sun (Muhurat is not a trading day) -> Mon Nov 9.
    expect(nextTradingDay('2026-11-06', 'NSE')).toBe('2026-11-09');
    // Mon Nov 9 -> Tue Nov 10 is Diwali Balipratipada -> Wed Nov 11.
    expect(nextTradingDay('2026-11-09', 'NSE')).toBe('2026-11-11');
    // Mon Apr 6 <- Fri Apr 3 Good Friday <- Thu Apr 2.
    expect(previousTradingDay('2026-04-06', 'NSE')).toBe('2026-04-02');
    // Mon Feb 2 <- Sun Feb 1, the Budget session.
    expect(previousTradingDay('2026-02-02', 'NSE')).toBe('2026-02-01');
    expect(previousTradingDay('2026-01-27', 'MCX')).toBe('2026-01-23'); // Jan 26 closed, weekend before
  });

  it('counts trading days in a range, both ends included', () => {
    // November 2026: 21 weekdays (Nov 2-6, 9-13, 16-20, 23-27, 30) less Nov 10 and Nov 24 = 19.
    const nov = tradingDaysBetween('2026-11-01', '2026-11-30', 'NSE');
    expect(nov).toHaveLength(19);
    expect(nov[0]).toBe('2026-11-02');
    expect(nov).not.toContain('2026-11-10');
    // MCX keeps its evening session on both holidays: all 21 weekdays.
    expect(tradingDaysBetween('2026-11-01', '2026-11-30', 'MCX')).toHaveLength(21);
    expect(tradingDaysBetween('2026-11-30', '2026-11-01', 'NSE')).toEqual([]);
  });
});

describe('provisional and missing years', () => {
  it('reports the published 2026 list as not provisional', () => {
    expect(dayInfo('2026-06-15', 'NSE')).toMatchObject({ status: 'published', provisional: false, tradingDay: true });
  });

  it('flags 2027 as provisional but still knows its fixed-date holiday', () => {
    expect(dayInfo('2027-03-15', 'NSE')).toMatchObject({ status: 'provisional', provisional: true, tradingDay: true });
    expect(isTradingDay('2027-01-26', 'NSE')).toBe(false); // Republic Day, a Tuesday
    expect(isTradingDay('2027-01-01', 'MCX')).toBe(true); // MCX morning session on New Year's Day
  });

  it('treats a year without a file as weekends-only and flags it', () => {
    // 2028-01-01 is a Saturday, so 2028-01-03 is a Monday.
    expect(dayInfo('2028-01-03', 'NSE')).toMatchObject({ status: 'missing', provisional: true, tradingDay: true });
    expect(isTradingDay('2028-01-01', 'NSE')).toBe(false);
    expect(defaultCalendar.yearStatus(2031)).toEqual({ status: 'missing', provisional: true });
  });

  it('can be built from other data, e.g. a user correction', () => {
    const cal = new TradingCalendar([
      {
        year: 2027,
        provisional: false,
        sources: ['test'],
        holidays: { NSE: [{ date: '2027-03-22', name: 'Holi (test)' }], BSE: [], MCX: [] },
        specialSessions: [],
      },
    ]);
    expect(cal.isTradingDay('2027-03-22', 'NSE')).toBe(false);
    expect(cal.isTradingDay('2027-03-22', 'BSE')).toBe(true);
    expect(cal.dayInfo('2027-03-22', 'NSE').provisional).toBe(false);
  });
});
