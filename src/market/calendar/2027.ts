/**
 * Trading calendar 2027: PROVISIONAL.
 *
 * The exchanges publish a year's holiday list in December of the year before; our sources have
 * none for 2027. Until the list is copied here (set `provisional: false` then), the calendar
 * knows weekends plus the one fixed-date national holiday that falls on a 2027 weekday and on
 * which the exchanges have closed every year: Republic Day, Tue Jan 26. (Maharashtra Day May 1,
 * Independence Day Aug 15, Gandhi Jayanti Oct 2 and Christmas Dec 25 fall on weekends in 2027.)
 * MCX likewise closes fully on Republic Day and, as in 2026, keeps only the morning session on
 * New Year's Day. Festival holidays (Holi, Diwali, ...) move with the lunar calendar and are
 * not guessed; every day reported from this file is flagged provisional.
 */
import type { YearCalendar } from './types.js';

const EQUITY_HOLIDAYS = [{ date: '2027-01-26', name: 'Republic Day' }] as const;

export const CALENDAR_2027: YearCalendar = {
  year: 2027,
  provisional: true,
  sources: ['not published in our sources: weekends and fixed-date national holidays only'],
  holidays: {
    NSE: EQUITY_HOLIDAYS,
    BSE: EQUITY_HOLIDAYS,
    MCX: [
      { date: '2027-01-01', name: 'New Year Day', closed: 'evening' },
      { date: '2027-01-26', name: 'Republic Day', closed: 'all' },
    ],
  },
  specialSessions: [],
};
