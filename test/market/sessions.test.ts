import { describe, expect, it } from 'vitest';
import { istInstant } from '../../src/market/ist.js';
import { daySchedule, mcxClose, sessionAt, squareOffTime } from '../../src/market/sessions.js';

const at = istInstant;
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

describe('NSE equity session phases at their boundaries', () => {
  // Wednesday 2026-11-25, an ordinary trading day.
  const day = '2026-11-25';
  it.each([
    ['08:59:59', 'closed'],
    ['09:00', 'pre_open'],
    ['09:14:59', 'pre_open'],
    ['09:15', 'normal'],
    ['15:29:59', 'normal'],
    ['15:30', 'closed'],
    ['15:39:59', 'closed'],
    ['15:40', 'closing'],
    ['15:59:59', 'closing'],
    ['16:00', 'closed'],
  ])('%s IST is %s', (time, phase) => {
    expect(sessionAt(at(day, time), 'NSE').phase).toBe(phase);
  });

  it('gives the next open and close', () => {
    const s = sessionAt(at(day, '10:00'), 'NSE');
    expect(iso(s.nextClose)).toBe('2026-11-25T10:00:00.000Z'); // 15:30 IST
    expect(iso(s.nextOpen)).toBe('2026-11-26T03:45:00.000Z'); // Thu 09:15 IST
    const after = sessionAt(at(day, '15:30'), 'NSE');
    expect(after.phase).toBe('closed');
    expect(iso(after.nextClose)).toBe('2026-11-26T10:00:00.000Z');
    expect(after.provisional).toBe(false);
  });

  it('skips a holiday when looking for the next open', () => {
    // Mon Nov 23 after close -> Tue Nov 24 is Guru Nanak Jayanti -> Wed Nov 25 09:15 IST.
    const s = sessionAt(at('2026-11-23', '16:30'), 'NSE');
    expect(iso(s.nextOpen)).toBe('2026-11-25T03:45:00.000Z');
    expect(sessionAt(at('2026-11-24', '11:00'), 'NSE').phase).toBe('closed');
  });

  it('finds the Muhurat evening session as the next open after a Friday close', () => {
    const s = sessionAt(at('2026-11-06', '16:00'), 'NSE');
    expect(iso(s.nextOpen)).toBe('2026-11-08T12:30:00.000Z'); // Sun 18:00 IST
    expect(sessionAt(at('2026-11-08', '18:30'), 'NSE')).toMatchObject({ phase: 'normal' });
    expect(sessionAt(at('2026-11-08', '17:50'), 'NSE').phase).toBe('pre_open');
    expect(sessionAt(at('2026-11-08', '18:30'), 'NSE').special?.name).toMatch(/Muhurat/);
  });

  it('trades the Budget Sunday at standard hours', () => {
    expect(sessionAt(at('2026-02-01', '10:00'), 'NSE').phase).toBe('normal');
    expect(sessionAt(at('2026-02-01', '08:50'), 'MCX').phase).toBe('pre_open');
    expect(sessionAt(at('2026-02-01', '17:30'), 'MCX').phase).toBe('closed'); // MCX closed at 17:00 that day
  });
});

describe('F&O, currency and commodity hours', () => {
  it('has an F&O pre-open on NSE since 2025-12-08 but not on BSE', () => {
    expect(sessionAt(at('2026-11-25', '09:05'), 'NFO').phase).toBe('pre_open');
    expect(sessionAt(at('2025-12-05', '09:05'), 'NFO').phase).toBe('closed');
    expect(sessionAt(at('2026-11-25', '09:05'), 'BFO').phase).toBe('closed');
    expect(sessionAt(at('2026-11-25', '15:45'), 'NFO').phase).toBe('closed'); // no closing session in F&O
  });

  it('trades NSE currency 09:00-17:00', () => {
    expect(sessionAt(at('2026-11-25', '09:00'), 'CDS').phase).toBe('normal');
    expect(sessionAt(at('2026-11-25', '16:59:59'), 'CDS').phase).toBe('normal');
    expect(sessionAt(at('2026-11-25', '17:00'), 'CDS').phase).toBe('closed');
  });

  it('closes MCX at 23:30 during US daylight time and at 23:55 otherwise', () => {
    // US DST 2026: Sun Mar 8 to Sun Nov 1.
    expect(mcxClose('2026-03-06')).toBe('23:55');
    expect(mcxClose('2026-03-09')).toBe('23:30');
    expect(mcxClose('2026-10-30')).toBe('23:30');
    expect(mcxClose('2026-11-02')).toBe('23:55');
    expect(sessionAt(at('2026-07-15', '23:29:59'), 'MCX').phase).toBe('normal');
    expect(sessionAt(at('2026-07-15', '23:30'), 'MCX').phase).toBe('closed');
    expect(sessionAt(at('2026-11-25', '23:54:59'), 'MCX').phase).toBe('normal');
    expect(sessionAt(at('2026-11-25', '23:55'), 'MCX').phase).toBe('closed');
  });

  it('opens MCX only for the evening on an equity holiday and only for the morning on New Year', () => {
    expect(sessionAt(at('2026-11-24', '10:00'), 'MCX').phase).toBe('closed');
    expect(sessionAt(at('2026-11-24', '17:00'), 'MCX').phase).toBe('normal');
    expect(sessionAt(at('2026-01-01', '16:59'), 'MCX').phase).toBe('normal');
    expect(sessionAt(at('2026-01-01', '17:00'), 'MCX').phase).toBe('closed');
    expect(daySchedule('2026-01-26', 'MCX')).toEqual([]);
  });
});

describe("Zerodha's MIS square-off times", () => {
  it('are 15:20, 15:25, 16:45 and 25 minutes before the MCX close on an ordinary day', () => {
    const d = '2026-11-25';
    expect(iso(squareOffTime(d, 'NSE'))).toBe(iso(at(d, '15:20')));
    expect(iso(squareOffTime(d, 'BSE'))).toBe(iso(at(d, '15:20')));
    expect(iso(squareOffTime(d, 'NFO'))).toBe(iso(at(d, '15:25')));
    expect(iso(squareOffTime(d, 'BFO'))).toBe(iso(at(d, '15:25')));
    expect(iso(squareOffTime(d, 'CDS'))).toBe(iso(at(d, '16:45')));
    expect(iso(squareOffTime(d, 'MCX'))).toBe(iso(at(d, '23:30'))); // 23:55 - 25 min
    expect(iso(squareOffTime('2026-07-15', 'MCX'))).toBe(iso(at('2026-07-15', '23:05'))); // 23:30 - 25 min
  });

  it('follow the shortened or special sessions', () => {
    expect(iso(squareOffTime('2026-01-01', 'MCX'))).toBe(iso(at('2026-01-01', '16:35'))); // closes 17:00
    expect(iso(squareOffTime('2026-02-01', 'NSE'))).toBe(iso(at('2026-02-01', '15:20')));
    expect(iso(squareOffTime('2026-02-01', 'MCX'))).toBe(iso(at('2026-02-01', '16:35')));
    expect(iso(squareOffTime('2026-11-08', 'NSE'))).toBe(iso(at('2026-11-08', '18:46')));
    expect(iso(squareOffTime('2026-11-08', 'NFO'))).toBe(iso(at('2026-11-08', '18:49')));
    expect(iso(squareOffTime('2026-11-08', 'MCX'))).toBe(iso(at('2026-11-08', '18:50')));
  });

  it('are null when the exchange does not trade, and can be asked for another segment', () => {
    expect(squareOffTime('2026-11-24', 'NSE')).toBeNull();
    expect(squareOffTime('2026-11-28', 'NFO')).toBeNull(); // Saturday
    expect(iso(squareOffTime('2026-11-24', 'MCX'))).toBe(iso(at('2026-11-24', '23:30')));
    expect(iso(squareOffTime('2026-11-25', 'NSE', 'fno'))).toBe(iso(at('2026-11-25', '15:25')));
  });
});
