import { describe, expect, it } from 'vitest';
import { hash32, hashSeed, Rng, uniformAt } from '../../../src/paper/market/rng.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed, pinned so a platform difference would show', () => {
    // Golden values: sfc32 is integer arithmetic only, so these hold on every platform.
    const r = new Rng(hashSeed(42));
    expect([r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([
      501418055, 2241188360, 3951131851, 2240422004,
    ]);
    const s = new Rng(hashSeed('som'));
    expect([s.nextU32(), s.nextU32()]).toEqual([2913198111, 1051295682]);
    expect(hashSeed(42)).toBe(923005579);
    expect(hash32(1, 2, 3)).toBe(3663740979);
  });

  it('gives different sequences for different seeds', () => {
    const a = new Rng(hashSeed(1));
    const b = new Rng(hashSeed(2));
    const xs = Array.from({ length: 8 }, () => a.nextU32());
    const ys = Array.from({ length: 8 }, () => b.nextU32());
    expect(xs).not.toEqual(ys);
  });

  it('draws uniforms strictly inside (0, 1) with mean near 1/2', () => {
    const r = new Rng(7);
    let sum = 0;
    let outside = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u > 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    // Standard error of the mean is sqrt(1/12/n) = 0.0009; 0.005 is over five of them.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
  });

  it('draws normals with mean 0 and variance 1, two uniforms each', () => {
    const r = new Rng(11);
    let sum = 0;
    let sumSq = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sumSq += z * z;
    }
    const mean = sum / n;
    // s.e. of the mean 1/sqrt(n) = 0.0032; of the variance sqrt(2/n) = 0.0045.
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(sumSq / n - mean * mean - 1)).toBeLessThan(0.03);

    // A normal consumes exactly two draws: the streams realign afterwards.
    const a = new Rng(5);
    const b = new Rng(5);
    a.normal();
    b.uniform();
    b.uniform();
    expect(a.nextU32()).toBe(b.nextU32());
  });

  it('hashes keys to counter-based draws that depend on every key', () => {
    expect(uniformAt(1, 2, 3)).toBe(uniformAt(1, 2, 3));
    expect(uniformAt(1, 2, 3)).not.toBe(uniformAt(1, 2, 4));
    expect(uniformAt(1, 2, 3)).not.toBe(uniformAt(2, 1, 3));
    // Keys above 2^32 (large step counts or tokens) are mixed in full.
    expect(hash32(2 ** 32 + 5)).not.toBe(hash32(5));
  });
});
