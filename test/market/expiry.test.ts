import { describe, expect, it } from 'vitest';
import {
  expiryVenue,
  hasWeeklies,
  isWeekly,
  monthlyExpiries,
  monthlyExpiry,
  weeklyExpiries,
} from '../../src/market/expiry.js';
import { cmeHolidays, easterSunday, usDaylightTime } from '../../src/market/us-calendar.js';

describe('NSE expiries (Tuesday since 2025-09-01)', () => {
  it('lists the next four NIFTY weeklies as of 2026-11-24 (a holiday that moved its own expiry)', () => {
    // Nov 24 is Guru Nanak Jayanti: its expiry moved to Mon Nov 23, which is before the 24th.
    expect(weeklyExpiries('NIFTY', '2026-11-24', 4)).toEqual(['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22']);
  });

  it('moves Tuesday expiries on holidays to the Monday before', () => {
    // Nov 10 (Balipratipada) -> Nov 9; Nov 24 (Guru Nanak Jayanti) -> Nov 23.
    expect(weeklyExpiries('NIFTY', '2026-11-01', 5)).toEqual([
      '2026-11-03',
      '2026-11-09',
      '2026-11-17',
      '2026-11-23',
      '2026-12-01',
    ]);
    // Mar 3 (Holi) -> Mar 2; Mar 31 (Mahavir Jayanti) -> Mar 30.
    expect(weeklyExpiries('NIFTY', '2026-03-01', 5)).toEqual([
      '2026-03-02',
      '2026-03-10',
      '2026-03-17',
      '2026-03-24',
      '2026-03-30',
    ]);
  });

  it('puts monthly contracts on the last Tuesday, moved off holidays', () => {
    expect(monthlyExpiry('NIFTY', 2026, 11)).toBe('2026-11-23');
    expect(monthlyExpiry('NIFTY', 2026, 12)).toBe('2026-12-29');
    expect(monthlyExpiry('BANKNIFTY', 2026, 3)).toBe('2026-03-30');
    expect(monthlyExpiry('BANKNIFTY', 2026, 10)).toBe('2026-10-27'); // Oct 20 is the holiday, not the last Tuesday
    expect(monthlyExpiry('RELIANCE', 2026, 4)).toBe('2026-04-28');
    // 2027 is provisional, but Republic Day (Tue Jan 26) is known: the expiry moves to Jan 25.
    expect(monthlyExpiry('NIFTY', 2027, 1)).toBe('2027-01-25');
  });

  it('lists contracts still trading on a date', () => {
    expect(monthlyExpiries('NIFTY', '2026-11-24', 3).map((c) => c.expiry)).toEqual([
      '2026-12-29',
      '2027-01-25',
      '2027-02-23',
    ]);
    // On its expiry day a contract still trades.
    expect(monthlyExpiries('NIFTY', '2026-11-23', 1)).toEqual([{ year: 2026, month: 11, expiry: '2026-11-23' }]);
  });

  it('resolves older contracts by the Thursday rule in force then', () => {
    // Kite's instrument fixture: BANKNIFTY18JAN... 2018-01-25, ...17DEC... 2017-12-28, ...17NOV... 2017-11-30.
    expect(monthlyExpiry('BANKNIFTY', 2018, 1)).toBe('2018-01-25');
    expect(monthlyExpiry('ADANIPORTS', 2017, 12)).toBe('2017-12-28');
    expect(monthlyExpiry('BANKNIFTY', 2017, 11)).toBe('2017-11-30');
    expect(monthlyExpiry('NIFTY', 2025, 8)).toBe('2025-08-28'); // last Thursday-expiry month
    expect(monthlyExpiry('NIFTY', 2025, 9)).toBe('2025-09-30'); // first Tuesday-expiry month
  });

  it('has no weeklies for BANKNIFTY or stocks', () => {
    expect(hasWeeklies('BANKNIFTY')).toBe(false);
    expect(weeklyExpiries('BANKNIFTY', '2026-11-24', 4)).toEqual([]);
    expect(isWeekly('2026-12-29', 'BANKNIFTY')).toBe(false);
  });
});

describe('BSE expiries (Thursday)', () => {
  it('puts SENSEX weeklies on Thursdays and the monthly on the last Thursday', () => {
    expect(expiryVenue('SENSEX')).toBe('BSE');
    // Nov 26 is the last Thursday of November: the monthly contract.
    expect(weeklyExpiries('SENSEX', '2026-11-24', 4)).toEqual(['2026-11-26', '2026-12-03', '2026-12-10', '2026-12-17']);
    expect(monthlyExpiry('SENSEX', 2026, 11)).toBe('2026-11-26');
    expect(monthlyExpiry('SENSEX', 2026, 12)).toBe('2026-12-31');
  });

  it('moves Thursday expiries off holidays', () => {
    // Jan 15 (election holiday) -> Jan 14, as BSE's circular did; Mar 26 (Ram Navami) -> Mar 25.
    expect(weeklyExpiries('SENSEX', '2026-01-12', 2)).toEqual(['2026-01-14', '2026-01-22']);
    expect(monthlyExpiry('SENSEX', 2026, 3)).toBe('2026-03-25');
    expect(weeklyExpiries('SENSEX', '2026-05-25', 1)).toEqual(['2026-05-27']); // Bakri Id Thu May 28
  });
});

describe('isWeekly', () => {
  it('is true for weekly expiries that are not the month-end contract', () => {
    expect(isWeekly('2026-12-22', 'NIFTY')).toBe(true);
    expect(isWeekly('2026-11-09', 'NIFTY')).toBe(true); // moved off Nov 10
    expect(isWeekly('2026-12-03', 'SENSEX')).toBe(true);
  });

  it('is false for the monthly expiry and for dates that are no expiry', () => {
    expect(isWeekly('2026-12-29', 'NIFTY')).toBe(false);
    expect(isWeekly('2026-11-23', 'NIFTY')).toBe(false); // monthly, moved off Nov 24
    expect(isWeekly('2026-11-26', 'SENSEX')).toBe(false);
    expect(isWeekly('2026-11-10', 'NIFTY')).toBe(false); // a holiday
    expect(isWeekly('2026-12-23', 'NIFTY')).toBe(false); // a Wednesday
  });
});

describe('MCX expiries', () => {
  it('reproduces all twelve published 2026 CRUDEOIL futures expiries', () => {
    // MCX contract launch calendar as listed by Groww (2026-01-09).
    const published = [
      '01-16',
      '02-19',
      '03-19',
      '04-20',
      '05-18',
      '06-18',
      '07-20',
      '08-19',
      '09-21',
      '10-19',
      '11-19',
      '12-18',
    ];
    const computed = published.map((_, i) => monthlyExpiry('CRUDEOIL', 2026, i + 1)?.slice(5));
    expect(computed).toEqual(published);
    expect(monthlyExpiry('CRUDEOILM', 2026, 6)).toBe('2026-06-18'); // Juneteenth Fri Jun 19 skipped
  });

  it('expires crude and natural gas options two MCX trading days before their futures', () => {
    // Published: CRUDEOIL options Feb 17, Mar 17, Apr 16 2026 (Dhan), Aug 17 2026 (CRUDEOIL 17AUG26 8800 CE).
    expect(monthlyExpiry('CRUDEOIL', 2026, 2, 'OPT')).toBe('2026-02-17');
    expect(monthlyExpiry('CRUDEOIL', 2026, 3, 'OPT')).toBe('2026-03-17');
    expect(monthlyExpiry('CRUDEOIL', 2026, 4, 'OPT')).toBe('2026-04-16');
    expect(monthlyExpiry('CRUDEOIL', 2026, 8, 'OPT')).toBe('2026-08-17');
    // NATURALGAS futures Jan 27 2026 (published); options Feb 20, Mar 24, Apr 23 (Dhan).
    expect(monthlyExpiry('NATURALGAS', 2026, 1)).toBe('2026-01-27');
    expect(monthlyExpiry('NATURALGAS', 2026, 2, 'OPT')).toBe('2026-02-20');
    // March futures expire on Mar 26, an MCX evening-only day, so options expire Mar 24.
    expect(monthlyExpiry('NATURALGAS', 2026, 3)).toBe('2026-03-26');
    expect(monthlyExpiry('NATURALGAS', 2026, 3, 'OPT')).toBe('2026-03-24');
    expect(monthlyExpiry('NATURALGAS', 2026, 4, 'OPT')).toBe('2026-04-23');
  });

  it('computes 2027 crude expiries from the rule', () => {
    // Jan 25 2027 is a Monday: NYMEX stops 3 business days earlier (Wed Jan 20); MCX the day before.
    expect(monthlyExpiry('CRUDEOIL', 2027, 1)).toBe('2027-01-19');
    // Feb 25 2027 (Thu) -> NYMEX Mon Feb 22 -> MCX Fri Feb 19.
    expect(monthlyExpiry('CRUDEOIL', 2027, 2)).toBe('2027-02-19');
    expect(monthlyExpiries('CRUDEOIL', '2026-11-24', 3).map((c) => c.expiry)).toEqual([
      '2026-12-18',
      '2027-01-19',
      '2027-02-19',
    ]);
  });

  it('expires bullion on the 5th or at month end, only in contract months', () => {
    expect(monthlyExpiry('GOLD', 2026, 12)).toBe('2026-12-04'); // Dec 5 is a Saturday
    expect(monthlyExpiry('GOLD', 2026, 3)).toBeNull(); // no March gold contract
    expect(monthlyExpiry('GOLDM', 2027, 1)).toBe('2027-01-05');
    expect(monthlyExpiry('SILVER', 2027, 3)).toBe('2027-03-05');
    expect(monthlyExpiry('SILVERM', 2026, 11)).toBe('2026-11-30');
    // Zerodha's bulletin: SilverM expiring Nov 28 2025 (Nov 29-30 a weekend); Gold Dec 5 2025.
    expect(monthlyExpiry('SILVERM', 2025, 11)).toBe('2025-11-28');
    expect(monthlyExpiry('GOLD', 2025, 12)).toBe('2025-12-05');
    expect(monthlyExpiry('GOLD', 2026, 12, 'OPT')).toBeNull(); // bullion options not modelled
  });
});

describe('US calendar rules behind MCX', () => {
  it('knows US daylight time, Easter and CME holidays', () => {
    expect(usDaylightTime('2026-03-07')).toBe(false);
    expect(usDaylightTime('2026-03-08')).toBe(true);
    expect(usDaylightTime('2026-10-31')).toBe(true);
    expect(usDaylightTime('2026-11-01')).toBe(false);
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(cmeHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03', // Jul 4 is a Saturday
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]);
  });
});
