import { describe, expect, it } from 'vitest';
import { checkOnTickGrid, parsePrice } from '../../src/domain/parse/price.js';

describe('parsePrice: a number above 0', () => {
  it('reads decimal text and JSON numbers, unrounded', () => {
    expect(parsePrice('150.5')).toBe(150.5);
    expect(parsePrice('0.05')).toBe(0.05);
    expect(parsePrice('.5')).toBe(0.5);
    expect(parsePrice('960')).toBe(960);
    expect(parsePrice(24000.03)).toBe(24000.03);
  });

  it('refuses zero, negatives, text and exponents, naming the flag', () => {
    expect(parsePrice('0', '--price')).toMatchObject({ message: '--price must be a number greater than 0, not "0"' });
    expect(parsePrice('-1', '--stop')).toMatchObject({ message: '--stop must be a number greater than 0, not "-1"' });
    expect(parsePrice('abc', '--price')).toMatchObject({
      message: '--price must be a number greater than 0, not "abc"',
    });
    expect(parsePrice('1e3', '--price')).toMatchObject({ hint: 'write it as 1000' });
    expect(parsePrice(Number.POSITIVE_INFINITY)).toMatchObject({ code: 'INVALID_INPUT' });
    expect(parsePrice(undefined, 'price')).toMatchObject({ message: 'price is missing: give a number greater than 0' });
  });
});

describe('checkOnTickGrid: whole multiples of the tick, judged in integers', () => {
  it('takes a price on the grid as it is', () => {
    expect(checkOnTickGrid(150.55, 0.05)).toBe(150.55);
    expect(checkOnTickGrid(24000, 0.1)).toBe(24000);
    // CDS ticks are a quarter of a paisa: 83.2575 = 333,030 ticks of 0.0025.
    expect(checkOnTickGrid(83.2575, 0.0025)).toBe(83.2575);
  });

  it('is not fooled by binary floating point noise', () => {
    // 0.1 + 0.2 = 0.30000000000000004: 30 paise, 6 ticks of 5 paise.
    expect(checkOnTickGrid(0.1 + 0.2, 0.05)).toBe(0.1 + 0.2);
    // 1.1 * 3 = 3.3000000000000003: 330 paise, 66 ticks.
    expect(checkOnTickGrid(1.1 * 3, 0.05)).toBe(1.1 * 3);
    // 0.07 / 0.01 is 7.000000000000001 in floating point; 7 paise is on a 1-paisa grid.
    expect(checkOnTickGrid(0.07, 0.01)).toBe(0.07);
  });

  it('off the grid: says so and names the nearest valid prices either side', () => {
    // 150.53 is 15,053 paise; the 5-paise grid has 15,050 and 15,055.
    expect(checkOnTickGrid(150.53, 0.05, '--price')).toMatchObject({
      code: 'INVALID_INPUT',
      message: '--price must be on the tick grid of 0.05, not 150.53 (nearest valid: 150.50 or 150.55)',
    });
    // A real extra digit is not noise: 150.553 is 15,055.3 paise.
    expect(checkOnTickGrid(150.553, 0.05)).toMatchObject({ hint: 'nearest valid: 150.55 or 150.60' });
    // Below the first tick only the tick itself is valid.
    expect(checkOnTickGrid(0.03, 0.05)).toMatchObject({ hint: 'nearest valid: 0.05' });
    // MCX ticks of a whole rupee are still shown in rupees and paise.
    expect(checkOnTickGrid(72000.5, 1)).toMatchObject({ hint: 'nearest valid: 72000.00 or 72001.00' });
  });

  it('a tick of 0 (the master sets none) accepts every price', () => {
    expect(checkOnTickGrid(123.456, 0)).toBe(123.456);
  });
});
