import { describe, expect, it } from 'vitest';
import { m2mSummary } from '../../src/pnl/m2m.js';

const at = (hhmm: string) => `2026-11-25T${hhmm}:00.000Z`;

describe("a day's M2M", () => {
  it('highest, lowest, and the largest fall from a running peak, with their times', () => {
    // 0, +3,000, +1,000, +4,000, -500: the drawdown is 4,000 - (-500) = 4,500, from the
    // second peak; the first fall (3,000 -> 1,000) is only 2,000.
    const s = m2mSummary([
      { at: at('04:00'), net: 0 },
      { at: at('04:05'), net: 3000 },
      { at: at('04:10'), net: 1000 },
      { at: at('04:15'), net: 4000 },
      { at: at('04:20'), net: -500 },
    ]);
    expect(s.max).toEqual({ net: 4000, at: at('04:15') });
    expect(s.min).toEqual({ net: -500, at: at('04:20') });
    expect(s.drawdown).toEqual({
      amount: 4500,
      from: { net: 4000, at: at('04:15') },
      to: { net: -500, at: at('04:20') },
    });
    expect(s.last).toEqual({ net: -500, at: at('04:20') });
  });

  it('a series that only rises has no drawdown; an empty one has nothing', () => {
    const s = m2mSummary([
      { at: at('04:00'), net: 10 },
      { at: at('04:05'), net: 20 },
    ]);
    expect(s.drawdown?.amount).toBe(0);
    expect(m2mSummary([])).toEqual({ max: null, min: null, drawdown: null, last: null });
  });
});
