import { describe, expect, it } from 'vitest';
import { parseCalendarDate } from '../../src/domain/parse/date.js';
import { parseInstant } from '../../src/domain/parse/instant.js';

describe('parseCalendarDate: a date that exists, YYYY-MM-DD', () => {
  it('accepts real dates, leap days included', () => {
    expect(parseCalendarDate('2026-11-25')).toBe('2026-11-25');
    expect(parseCalendarDate('2028-02-29')).toBe('2028-02-29');
    expect(parseCalendarDate(' 2024-10-01 ')).toBe('2024-10-01');
  });

  it('refuses dates that do not exist, saying how long the month is', () => {
    expect(parseCalendarDate('2026-02-31', '--date')).toMatchObject({
      message: '--date must be a real date, not "2026-02-31" (February 2026 has 28 days)',
    });
    // 2100 is not a leap year (divisible by 100, not by 400).
    expect(parseCalendarDate('2100-02-29')).toMatchObject({ hint: 'February 2100 has 28 days' });
    expect(parseCalendarDate('2026-04-31')).toMatchObject({ hint: 'April 2026 has 30 days' });
    expect(parseCalendarDate('2026-13-01')).toMatchObject({ hint: 'months run 01 to 12' });
    expect(parseCalendarDate('2026-00-10')).toMatchObject({ hint: 'months run 01 to 12' });
  });

  it('refuses other spellings', () => {
    for (const text of ['25-11-2026', '2026/11/25', '2026-1-5', '20261125', '2026-11-25T00:00:00Z']) {
      expect(parseCalendarDate(text, '--date')).toMatchObject({
        message: `--date must be a date written YYYY-MM-DD, not ${JSON.stringify(text)}`,
      });
    }
    expect(parseCalendarDate(undefined)).toMatchObject({ message: 'date is missing: give a date written YYYY-MM-DD' });
  });
});

describe('parseInstant: --since as an instant with its offset, or a day from its IST midnight', () => {
  it('an instant with an offset or Z becomes UTC ISO', () => {
    // 09:15 IST is 03:45 UTC.
    expect(parseInstant('2026-11-24T09:15:00+05:30')).toBe('2026-11-24T03:45:00.000Z');
    expect(parseInstant('2026-11-24T03:45Z')).toBe('2026-11-24T03:45:00.000Z');
  });

  it('a date means IST midnight, whatever the host zone: 00:00 IST is 18:30 UTC the day before', () => {
    expect(parseInstant('2026-11-24')).toBe('2026-11-23T18:30:00.000Z');
  });

  it('refuses an instant without an offset, an impossible date or time', () => {
    expect(parseInstant('2026-11-24T09:15:00', '--since')).toMatchObject({ code: 'INVALID_INPUT', field: '--since' });
    expect(parseInstant('2026-02-30T09:15:00Z')).toMatchObject({ hint: 'February 2026 has 28 days' });
    expect(parseInstant('2026-02-20T24:15:00Z')).toMatchObject({ hint: 'not a time of day' });
    expect(parseInstant('yesterday')).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
