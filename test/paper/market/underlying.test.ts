import { describe, expect, it } from 'vitest';
import {
  forwardPrice,
  gbmStep,
  pathPriceAt,
  STEP_YEARS,
  UnderlyingProcess,
} from '../../../src/paper/market/underlying.js';

describe('gbmStep and forwardPrice', () => {
  it('steps by exp((mu - vol^2/2) dt + vol sqrt(dt) z)', () => {
    // vol 0.2, drift 0, dt 1/5,670,000, z = 1:
    // exponent = -0.02 x 1.7637e-7 + 0.2 x 4.19961e-4 = 8.39919e-5 -> 100 x e^that = 100.0083995
    expect(gbmStep(100, 0.2, 0, STEP_YEARS, 1)).toBeCloseTo(100.0083995, 6);
    expect(gbmStep(100, 0, 0, STEP_YEARS, 3)).toBe(100);
  });

  it('prices futures at spot with carry', () => {
    // 24000 x e^(0.07 x 22/365) = 24000 x 1.0042280 = 24101.47
    expect(forwardPrice(24_000, 0.07, 22 / 365)).toBeCloseTo(24_101.47, 2);
    expect(forwardPrice(24_000, 0.07, 0)).toBe(24_000);
  });
});

describe('pathPriceAt', () => {
  it('interpolates linearly between points and holds the ends', () => {
    const points = [
      { step: 10, price: 100 },
      { step: 20, price: 90 },
      { step: 40, price: 110 },
    ];
    expect(pathPriceAt(points, 5)).toBe(100);
    expect(pathPriceAt(points, 15)).toBe(95);
    expect(pathPriceAt(points, 30)).toBe(100);
    expect(pathPriceAt(points, 99)).toBe(110);
  });
});

describe('UnderlyingProcess', () => {
  it('holds the price at the band and lets it leave again', () => {
    const p = new UnderlyingProcess({ price: 100, annualVol: 0.2, keepHistory: false });
    p.setBand(98, 102);
    p.advance(1, 1e6); // an absurd shock
    expect(p.price).toBe(102);
    p.advance(2, -1);
    expect(p.price).toBeLessThan(102);
    p.advance(3, -1e6);
    expect(p.price).toBe(98);
  });

  it('follows a path, then walks on from its last point', () => {
    const p = new UnderlyingProcess({ price: 100, annualVol: 0, keepHistory: true });
    p.setPath(0, [
      { step: 4, price: 80 },
      { step: 6, price: 90 },
    ]);
    const seen: number[] = [];
    for (let s = 1; s <= 8; s++) {
      p.advance(s, 0);
      seen.push(p.price);
    }
    expect(seen).toEqual([95, 90, 85, 80, 85, 90, 90, 90]);
    expect(p.pathActiveAt(7)).toBe(false);
    // History answers for earlier steps of the day.
    expect(p.priceAt(2)).toBe(90);
    expect(p.priceAt(0)).toBe(100);
  });

  it('remembers prices across gaps in trading, and forgets them at a new day', () => {
    const p = new UnderlyingProcess({ price: 50, annualVol: 0, keepHistory: true });
    p.setPath(0, [{ step: 20, price: 70 }]);
    p.advance(1, 0); // 51
    p.advance(2, 0); // 52
    p.advance(10, 0); // 60 after a gap
    p.advance(11, 0); // 61
    expect(p.priceAt(1)).toBe(51);
    expect(p.priceAt(5)).toBe(52); // in the gap: the last price before it
    expect(p.priceAt(10)).toBe(60);
    p.startDay();
    expect(p.priceAt(5)).toBe(61); // before today's first step: the opening base
  });
});
