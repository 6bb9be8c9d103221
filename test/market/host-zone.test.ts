import { afterAll, describe, expect, it } from 'vitest';
import { isTradingDay } from '../../src/market/calendar.js';
import { monthlyExpiry, weeklyExpiries } from '../../src/market/expiry.js';
import { istDate, istInstant, istTime, weekday } from '../../src/market/ist.js';
import { sessionAt, squareOffTime } from '../../src/market/sessions.js';
import { buildInstrumentMaster } from '../../src/paper/instruments/master.js';

// Node applies a change to process.env.TZ at once, so one run can try several host zones.
const original = process.env.TZ;
afterAll(() => {
  if (original === undefined) delete process.env.TZ;
  else process.env.TZ = original;
});

describe.each(['America/New_York', 'Pacific/Kiritimati', 'UTC', 'Asia/Kolkata'])('on a host in %s', (zone) => {
  it('gives the same IST answers', () => {
    process.env.TZ = zone;
    // Make sure the zone really changed what local-time Date methods report.
    const local = new Date('2026-11-24T20:00:00Z');
    const expectedLocalHour = { 'America/New_York': 15, 'Pacific/Kiritimati': 10, UTC: 20, 'Asia/Kolkata': 1 }[zone];
    expect(local.getHours()).toBe(expectedLocalHour);

    expect(istDate(local)).toBe('2026-11-25');
    expect(istTime(local)).toBe('01:30:00');
    expect(istInstant('2026-11-25', '09:15').toISOString()).toBe('2026-11-25T03:45:00.000Z');
    expect(weekday('2026-11-24')).toBe(2);
    expect(isTradingDay('2026-11-24', 'NSE')).toBe(false);
    expect(sessionAt(istInstant('2026-11-25', '09:15'), 'NSE').phase).toBe('normal');
    expect(sessionAt(istInstant('2026-11-25', '23:54'), 'MCX').phase).toBe('normal');
    expect(squareOffTime('2026-11-25', 'NFO')?.toISOString()).toBe('2026-11-25T09:55:00.000Z');
    expect(weeklyExpiries('NIFTY', '2026-11-24', 2)).toEqual(['2026-12-01', '2026-12-08']);
    expect(monthlyExpiry('CRUDEOIL', 2026, 12)).toBe('2026-12-18');
    const m = buildInstrumentMaster('2026-11-24');
    expect(m.find((i) => i.tradingsymbol === 'NIFTY26DECFUT')?.expiry).toBe('2026-12-29');
  });
});
