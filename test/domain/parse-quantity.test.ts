import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../src/domain/parse/quantity.js';

describe('parseQuantity: a whole number above 0', () => {
  it('reads digits and JSON numbers, blanks around text trimmed', () => {
    expect(parseQuantity('75')).toBe(75);
    expect(parseQuantity(' 10 ')).toBe(10);
    expect(parseQuantity(65)).toBe(65);
    expect(parseQuantity('007')).toBe(7);
  });

  it('refuses each kind of wrong value with the field and the value in the message', () => {
    expect(parseQuantity('1.5', '--qty')).toMatchObject({
      code: 'INVALID_INPUT',
      field: '--qty',
      message: '--qty must be a whole number greater than 0, not "1.5"',
    });
    expect(parseQuantity('0', '--qty')).toMatchObject({
      message: '--qty must be a whole number greater than 0, not "0"',
    });
    expect(parseQuantity('-3', '--qty')).toMatchObject({
      message: '--qty must be a whole number greater than 0, not "-3"',
    });
    expect(parseQuantity('abc', '--qty')).toMatchObject({
      message: '--qty must be a whole number greater than 0, not "abc"',
    });
    expect(parseQuantity(1.5)).toMatchObject({ message: 'quantity must be a whole number greater than 0, not 1.5' });
    expect(parseQuantity(Number.NaN)).toMatchObject({ value: Number.NaN });
    expect(parseQuantity(true)).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses numbers written other than in digits, saying which digits were meant', () => {
    expect(parseQuantity('1e3', '--qty')).toMatchObject({
      message: '--qty must be a whole number greater than 0, not "1e3" (write it in digits: 1000)',
    });
    expect(parseQuantity('1,000')).toMatchObject({ hint: 'write it in digits: 1000' });
    expect(parseQuantity('0x10')).toMatchObject({ hint: 'write it in digits: 16' });
    // 2.5e0 is 2.5: no whole number was meant, so no hint.
    expect(parseQuantity('2.5e0')).not.toHaveProperty('hint');
  });

  it('says what is missing: nothing, null or blanks', () => {
    for (const nothing of [undefined, null, '', '   ']) {
      expect(parseQuantity(nothing, 'quantity')).toEqual({
        code: 'INVALID_INPUT',
        field: 'quantity',
        expected: 'a whole number greater than 0',
        message: 'quantity is missing: give a whole number greater than 0',
      });
    }
  });

  it('keeps to given bounds (a page of results, a port that may be 0)', () => {
    expect(parseQuantity('200', '--limit', { max: 200 })).toBe(200);
    expect(parseQuantity('201', '--limit', { max: 200 })).toMatchObject({
      message: '--limit must be a whole number from 1 to 200, not "201"',
    });
    expect(parseQuantity('0', '--port', { min: 0, max: 65_535 })).toBe(0);
    // Beyond what a double holds exactly: refused, not rounded.
    expect(parseQuantity('9007199254740993')).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
