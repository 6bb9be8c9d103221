import { afterAll, describe, expect, it } from 'vitest';
import { riskConfigSchema } from '../../src/config/risk.js';
import { istInstant, istTime } from '../../src/market/ist.js';
import { misDay, misStatus, misTimetable } from '../../src/risk/mis-timetable.js';

const DEFAULTS = misTimetable(riskConfigSchema.parse({}));
const times = (date: string, segment: keyof typeof DEFAULTS, steps = DEFAULTS[segment]) => {
  const d = misDay(date, segment, steps);
  return d && [d.warn, d.start, d.force, d.broker].map(istTime);
};
const phases = (date: string, time: string, timetable = DEFAULTS) =>
  Object.fromEntries(misStatus(istInstant(date, time), timetable).map((s) => [s.segment, s.phase]));

// Node applies a change to process.env.TZ at once: the answers must not depend on the host's zone.
const originalZone = process.env.TZ;
afterAll(() => {
  if (originalZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalZone;
});

describe.each(['UTC', 'America/New_York', 'Asia/Kolkata'])('MIS timetable (host in %s)', (zone) => {
  it('defaults end 5 minutes before the broker in every segment on a trading day', () => {
    process.env.TZ = zone;
    // Wednesday 2026-11-25; US standard time, so MCX closes 23:55 and Zerodha squares off at 23:30.
    expect(times('2026-11-25', 'equity')).toEqual(['15:05:00', '15:10:00', '15:15:00', '15:20:00']);
    expect(times('2026-11-25', 'fno')).toEqual(['15:10:00', '15:15:00', '15:20:00', '15:25:00']);
    expect(times('2026-11-25', 'currency')).toEqual(['16:30:00', '16:35:00', '16:40:00', '16:45:00']);
    expect(times('2026-11-25', 'commodity')).toEqual(['23:15:00', '23:20:00', '23:25:00', '23:30:00']);
    // US daylight time (2026-07-15): MCX closes 23:30, Zerodha at 23:05.
    expect(times('2026-07-15', 'commodity')).toEqual(['22:50:00', '22:55:00', '23:00:00', '23:05:00']);
  });

  it('says which step is due for which segment', () => {
    process.env.TZ = zone;
    expect(phases('2026-11-25', '15:04')).toEqual({
      equity: 'before',
      fno: 'before',
      currency: 'before',
      commodity: 'before',
    });
    expect(phases('2026-11-25', '15:05')).toMatchObject({ equity: 'warn', fno: 'before' });
    expect(phases('2026-11-25', '15:12')).toMatchObject({ equity: 'start', fno: 'warn' });
    expect(phases('2026-11-25', '15:19:59')).toMatchObject({ equity: 'force', fno: 'start' });
    expect(phases('2026-11-25', '15:20')).toMatchObject({ equity: 'after', fno: 'force', currency: 'before' });
    const s = misStatus(istInstant('2026-11-25', '15:12'), DEFAULTS).find((x) => x.segment === 'equity');
    expect(s?.next).toEqual({ step: 'force', at: istInstant('2026-11-25', '15:15') });
  });

  it('skips holidays and weekends; MCX on an NSE holiday keeps its evening session', () => {
    process.env.TZ = zone;
    // Tuesday 2026-11-24, Guru Nanak Jayanti: NSE closed; MCX closed in the morning only.
    expect(phases('2026-11-24', '15:15')).toEqual({
      equity: 'closed',
      fno: 'closed',
      currency: 'closed',
      commodity: 'before',
    });
    expect(phases('2026-11-24', '23:21')).toMatchObject({ commodity: 'start' });
    // Saturday.
    expect(phases('2026-11-28', '15:15')).toEqual({
      equity: 'closed',
      fno: 'closed',
      currency: 'closed',
      commodity: 'closed',
    });
  });
});

describe('MIS timetable: fixed times and special sessions', () => {
  it('takes fixed IST times; one not before the broker falls back to the default minutes', () => {
    const steps = riskConfigSchema.parse({ mis_equity: { warn: '15:00', start: '15:08', force: 12 } }).mis_equity;
    expect(times('2026-11-25', 'equity', steps)).toEqual(['15:00:00', '15:08:00', '15:08:00', '15:20:00']);
    const late = riskConfigSchema.parse({ mis_equity: { warn: '15:25' } }).mis_equity;
    // 15:25 is after Zerodha's 15:20: the warning comes 15 minutes before it instead.
    expect(times('2026-11-25', 'equity', late)).toEqual(['15:05:00', '15:10:00', '15:15:00', '15:20:00']);
  });

  it("follows a special session's own square-off time (Muhurat 2026, assumed timings)", () => {
    // Sunday 2026-11-08: Zerodha's equity square-off listed at 18:46 for the 18:00-19:00 session.
    expect(times('2026-11-08', 'equity')).toEqual(['18:31:00', '18:36:00', '18:41:00', '18:46:00']);
    // A fixed 15:00 lies before the session opens: held at the opening, 18:00.
    const fixed = riskConfigSchema.parse({ mis_equity: { warn: '15:00' } }).mis_equity;
    expect(times('2026-11-08', 'equity', fixed)?.[0]).toBe('18:00:00');
  });

  it('the config refuses steps out of order and malformed times', () => {
    expect(riskConfigSchema.safeParse({ mis_fno: { warn: 5, start: 10 } }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ mis_fno: { start: '15:20', force: '15:10' } }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ mis_fno: { warn: '3pm' } }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ mis_fno: { warn: 0 } }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ mis_fno: { warn: 20 } }).success).toBe(true);
  });
});
