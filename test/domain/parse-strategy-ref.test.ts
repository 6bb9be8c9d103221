import { describe, expect, it } from 'vitest';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';

describe('parseStrategyRef: a strategy by name or id', () => {
  it('digits are an id, anything else a name under the name rules', () => {
    expect(parseStrategyRef('7')).toBe(7);
    expect(parseStrategyRef(7)).toBe(7);
    expect(parseStrategyRef('nifty-weekly')).toBe('nifty-weekly');
    expect(parseStrategyRef('default')).toBe('default');
    expect(parseStrategyRef('A_1')).toBe('A_1');
  });

  it('refuses ids below 1 and names against the rules', () => {
    expect(parseStrategyRef('0', '--strategy')).toMatchObject({ hint: 'ids start at 1' });
    expect(parseStrategyRef(-2)).toMatchObject({ code: 'INVALID_INPUT' });
    expect(parseStrategyRef(1.5)).toMatchObject({ code: 'INVALID_INPUT' });
    expect(parseStrategyRef('has space', '--strategy')).toMatchObject({
      message:
        '--strategy must be a strategy name (1-32 letters, digits, _ or -, starting with a letter or digit) or id, not "has space"',
    });
    expect(parseStrategyRef('-leading')).toMatchObject({ code: 'INVALID_INPUT' });
    expect(parseStrategyRef('x'.repeat(33))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(parseStrategyRef('')).toMatchObject({ message: expect.stringMatching(/^strategy is missing/) });
  });
});
