import { describe, expect, it } from 'vitest';
import {
  clampToBand,
  NO_BAND,
  OPTION_MIN_BAND_TICKS,
  percentBand,
  revaluationBand,
  withinBand,
} from '../../../src/paper/market/circuit.js';
import { TickGrid } from '../../../src/paper/market/tick.js';

const grid = new TickGrid(0.05);

describe('percentBand', () => {
  it("reproduces Kite's INFY limits from quote.json (close 1389.65, 10%)", () => {
    // 1389.65 x 0.9 = 1250.685 -> up to the tick 1250.70; 1389.65 x 1.1 = 1528.615 -> down to 1528.60
    expect(percentBand(1389.65, 10, grid)).toEqual({ lower: 1250.7, upper: 1528.6 });
  });

  it('rounds inward for 2, 5 and 20% bands', () => {
    // 101.3 x 0.98 = 99.274 -> 99.30; 101.3 x 1.02 = 103.326 -> 103.30
    expect(percentBand(101.3, 2, grid)).toEqual({ lower: 99.3, upper: 103.3 });
    // 57.35 x 0.95 = 54.4825 -> 54.50; 57.35 x 1.05 = 60.2175 -> 60.20
    expect(percentBand(57.35, 5, grid)).toEqual({ lower: 54.5, upper: 60.2 });
    // 2500 x 0.8 = 2000 exactly; 2500 x 1.2 = 3000 exactly
    expect(percentBand(2500, 20, grid)).toEqual({ lower: 2000, upper: 3000 });
  });

  it('means no band at 0%', () => {
    expect(percentBand(100, 0, grid)).toEqual(NO_BAND);
    expect(clampToBand(1e9, NO_BAND)).toBe(1e9);
    expect(withinBand(-1, NO_BAND)).toBe(true);
  });

  it('clamps into the band', () => {
    const band = { lower: 90, upper: 110 };
    expect(clampToBand(120, band)).toBe(110);
    expect(clampToBand(80, band)).toBe(90);
    expect(clampToBand(100, band)).toBe(100);
    expect(withinBand(110.05, band)).toBe(false);
  });
});

describe('revaluationBand', () => {
  it('spans the option value with the underlying 10% down and up', () => {
    // A call worth max(0, u - 100) x 1: at 90 -> 0, at 110 -> 10; the minimum width applies.
    const band = revaluationBand((u) => Math.max(0, u - 100), 100, 10, grid);
    expect(band.lower).toBe(0.05);
    expect(band.upper).toBe(0.05 + OPTION_MIN_BAND_TICKS * 0.05);
    // A put worth 2000 - u at base 1000: 1100 at 900, 900 at 1100 (no minimum needed).
    expect(revaluationBand((u) => 2000 - u, 1000, 10, grid)).toEqual({ lower: 900, upper: 1100 });
  });
});
