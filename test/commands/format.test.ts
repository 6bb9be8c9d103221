import { describe, expect, it } from 'vitest';
import { formatDuration, formatIst, formatRupees } from '../../commands/ui/format.js';

describe('presentation', () => {
  it('groups rupees the Indian way and rounds to the paisa only for display', () => {
    expect(formatRupees(125085.5)).toBe('1,25,085.50');
    expect(formatRupees(12345678.905)).toBe('1,23,45,678.91');
    expect(formatRupees(0.0033767999999999997)).toBe('0.00');
    expect(formatRupees(-999.999)).toBe('-1,000.00');
  });

  it('shows instants in Asia/Kolkata whatever the host zone', () => {
    expect(formatIst('2026-11-25T03:45:00.000Z')).toBe('2026-11-25 09:15:00 IST');
    expect(formatIst(null)).toBe('-');
  });

  it('formats durations', () => {
    expect(formatDuration(3725)).toBe('1h 2m 5s');
    expect(formatDuration(5)).toBe('5s');
  });
});
