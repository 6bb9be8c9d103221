import { describe, expect, it } from 'vitest';
import { KITE_TAG_MAX_LENGTH, MAX_TAGGED_STRATEGY_ID, newOrderTag, parseOrderTag } from '../../src/broker/order-tag.js';
import { placeOrderRequestSchema } from '../../src/domain/order.js';

describe('order tags', () => {
  it('writes so + strategy id + x + random base 36 up to 20 characters', () => {
    // random 0 -> '0' every time: "so42x" (5) + fifteen '0'
    expect(newOrderTag(42, () => 0)).toBe('so42x000000000000000');
    // random 0.99 -> digit 35 -> 'z'
    expect(newOrderTag(7, () => 0.99)).toBe('so7xzzzzzzzzzzzzzzzz');
  });

  it('is alphanumeric and at most 20 characters, as Kite requires, for any strategy id', () => {
    for (const id of [1, 9, 10, 12345, MAX_TAGGED_STRATEGY_ID]) {
      const tag = newOrderTag(id);
      expect(tag.length).toBe(KITE_TAG_MAX_LENGTH);
      expect(tag).toMatch(/^[A-Za-z0-9]{1,20}$/);
      expect(placeOrderRequestSchema.shape.tag.safeParse(tag).success).toBe(true);
    }
    // at the largest id there are still 10 random characters: "so9999999x" is 10 long
    expect(newOrderTag(MAX_TAGGED_STRATEGY_ID, () => 0).slice(10)).toHaveLength(10);
  });

  it('makes a different tag every time', () => {
    const tags = new Set(Array.from({ length: 5000 }, () => newOrderTag(3)));
    expect(tags.size).toBe(5000);
  });

  it('names the strategy it was made for', () => {
    for (const id of [1, 33, 35, 123, 9_999_999]) {
      expect(parseOrderTag(newOrderTag(id))).toEqual({ strategyId: id });
    }
  });

  it('cannot be misread when the random part holds an x', () => {
    // every random character 'x' (digit 33): the id still ends at the first x
    const tag = newOrderTag(12, () => 33 / 36);
    expect(tag).toBe('so12xxxxxxxxxxxxxxxx');
    expect(parseOrderTag(tag)).toEqual({ strategyId: 12 });
  });

  it('returns null for any tag som did not make', () => {
    for (const tag of [
      null,
      undefined,
      '',
      'icebergord',
      'connect test order1',
      'mktp:2.00',
      'so12x123',
      'so0x0000000000000000',
      'so012x000000000000000',
      'SO12X0000000000000000',
      'so12x00000000000000000',
    ]) {
      expect(parseOrderTag(tag), String(tag)).toBeNull();
    }
  });

  it('refuses strategy ids that do not fit', () => {
    expect(() => newOrderTag(0)).toThrow(RangeError);
    expect(() => newOrderTag(-1)).toThrow(RangeError);
    expect(() => newOrderTag(1.5)).toThrow(RangeError);
    expect(() => newOrderTag(MAX_TAGGED_STRATEGY_ID + 1)).toThrow(RangeError);
  });
});
