import { describe, expect, it } from 'vitest';
import { Faults } from '../../../src/paper/faults.js';

/** Which of `n` GET /quote requests a rule at `rate` fails, as 0/1. */
function hits(seed: number, rate: number, n = 200): number[] {
  const f = new Faults(seed, { errors: [{ path: '/quote', method: 'GET', kind: '503', rate }] });
  return Array.from({ length: n }, () => (f.decide('GET', '/quote').kind === 'none' ? 0 : 1));
}

describe('fault injection draws from a seeded generator', () => {
  it('fails the same requests for the same seed, and others for another seed', () => {
    expect(hits(7, 0.5)).toEqual(hits(7, 0.5));
    expect(hits(7, 0.5)).not.toEqual(hits(8, 0.5));
  });

  it('hits about the share of requests its rate says', () => {
    // 200 draws at 0.5: the count is Binomial(200, 0.5), sd about 7; the seed fixes it.
    const count = hits(7, 0.5).reduce((a, b) => a + b, 0);
    expect(count).toBeGreaterThan(70);
    expect(count).toBeLessThan(130);
  });

  it('always fails at rate 1 and never at rate 0', () => {
    expect(hits(7, 1).every((h) => h === 1)).toBe(true);
    expect(hits(7, 0).every((h) => h === 0)).toBe(true);
  });
});
