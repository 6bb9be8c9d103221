import { describe, expect, it } from 'vitest';
import { kiteTokenExpiry } from '../../src/broker/session-expiry.js';

describe('Kite access token expiry (06:00 IST the next morning)', () => {
  it('a login during the day lasts until 06:00 IST the next day', () => {
    // 25 Nov 10:00 IST = 04:30 UTC; next 06:00 IST is 26 Nov 00:30 UTC.
    expect(kiteTokenExpiry(new Date('2026-11-25T10:00:00+05:30')).toISOString()).toBe('2026-11-26T00:30:00.000Z');
  });
  it('a login before 06:00 IST expires the same morning', () => {
    expect(kiteTokenExpiry(new Date('2026-11-25T05:30:00+05:30')).toISOString()).toBe('2026-11-25T00:30:00.000Z');
  });
  it('a login at exactly 06:00 IST lasts a full day', () => {
    expect(kiteTokenExpiry(new Date('2026-11-25T06:00:00+05:30')).toISOString()).toBe('2026-11-26T00:30:00.000Z');
  });
  it('a late-night login (after 18:30 UTC, already the next IST day) expires that IST morning', () => {
    // 25 Nov 23:59 IST -> 26 Nov 06:00 IST.
    expect(kiteTokenExpiry(new Date('2026-11-25T23:59:00+05:30')).toISOString()).toBe('2026-11-26T00:30:00.000Z');
    // 26 Nov 00:10 IST (25 Nov 18:40 UTC) -> 26 Nov 06:00 IST, the same IST morning.
    expect(kiteTokenExpiry(new Date('2026-11-25T18:40:00Z')).toISOString()).toBe('2026-11-26T00:30:00.000Z');
  });
});
