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

describe('rupees exactly as Intl.NumberFormat en-IN writes them', () => {
  const intl = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  it('ties, carries through every digit, negatives and zero', () => {
    for (const x of [
      1.005,
      2.675,
      0.125,
      1.115,
      -0.005,
      -1.005,
      99999.995,
      999.995,
      9.995,
      0,
      -0,
      0.0049999,
      100,
      1e15 + 0.5,
    ]) {
      expect(formatRupees(x), String(x)).toBe(intl.format(x));
    }
    // 99999.995 rounds up through every digit into a new group.
    expect(formatRupees(99999.995)).toBe('1,00,000.00');
  });

  it('agrees on 20,000 amounts of every size, with up to four decimals', () => {
    // A fixed sequence (a linear congruential generator), the same on every run.
    let seed = 20_261_125;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** Math.floor(next() * 13);
      const decimals = Math.floor(next() * 5);
      const x = Number(((next() - 0.3) * magnitude).toFixed(decimals));
      expect(formatRupees(x), String(x)).toBe(intl.format(x));
    }
  });
});
