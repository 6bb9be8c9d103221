import { describe, expect, it } from 'vitest';
import { bracketAgainstMarket, costingPrice, heldAlertText, readBracket } from '../../src/execution/trade.js';

describe('a bracket as asked', () => {
  const buy = [{ side: 'BUY' as const }];
  it('both a stop and a target, or neither; one leg only', () => {
    expect(readBracket(buy, undefined, undefined)).toBeNull();
    expect(readBracket(buy, 95, undefined)).toMatchObject({ message: expect.stringMatching(/needs both/) });
    expect(readBracket([...buy, ...buy], 95, 110)).toMatchObject({ message: expect.stringMatching(/single leg/) });
  });

  it('the stop on the losing side of the target', () => {
    expect(readBracket(buy, 95, 110)).toEqual({ stop: 95, target: 110 });
    expect(readBracket(buy, 110, 95)).toMatchObject({ message: 'for a BUY entry the stop must be below the target' });
    expect(readBracket([{ side: 'SELL' }], 110, 95)).toEqual({ stop: 110, target: 95 });
  });

  it('a stop already through the market is refused: it would trigger at once', () => {
    const quote = { bid: 99.95, ask: 100.05 };
    expect(bracketAgainstMarket('BUY', 99.9, quote)).toBeNull();
    expect(bracketAgainstMarket('BUY', 99.95, quote)).toMatchObject({
      message: 'the stop 99.95 is already at or above the bid (99.95): it would trigger at once',
    });
    expect(bracketAgainstMarket('SELL', 100.1, quote)).toBeNull();
    expect(bracketAgainstMarket('SELL', 100.05, quote)).not.toBeNull();
  });
});

describe('the price a leg is costed at', () => {
  const analysis = { limit_price: 100.15, impact: { worst_price: 100.1 } };
  it("a LIMIT's own price; MARKET or held at the computed limit, else the last level reached", () => {
    expect(costingPrice({ order_type: 'LIMIT', price: 99.5 }, analysis)).toBe(99.5);
    expect(costingPrice({ order_type: 'MARKET' }, analysis)).toBe(100.15);
    expect(costingPrice(null, { ...analysis, limit_price: null })).toBe(100.1);
  });
});

describe("a held order's alert", () => {
  it('says what is held and why, the choices with the limit price, and the deadline in IST', () => {
    const text = heldAlertText({
      legs: [
        {
          symbol: 'NSE:ITC',
          side: 'BUY',
          quantity: 500,
          decision: 'REQUIRE_APPROVAL',
          limit_price: 407.25,
          reasons: [
            { code: 'BOOK_INSUFFICIENT', message: 'the visible book fills 187 of 500' },
            { code: 'IMPACT_AT_TOUCH', message: 'not shown' },
          ],
        },
      ],
      holding: [0],
      decision: 'REQUIRE_APPROVAL',
      // 04:32 UTC is 10:02 IST.
      expiresAt: new Date('2026-11-25T04:32:00.000Z'),
    });
    expect(text.title).toBe('Order held (REQUIRE_APPROVAL): BUY 500 NSE:ITC');
    expect(text.message.split('\n')).toEqual([
      'the visible book fills 187 of 500',
      'Choices: cancel, limit (LIMIT at NSE:ITC 407.25), proceed (as asked).',
      'Answer before 2026-11-25 10:02:00 IST (som alerts respond ID cancel|limit|proceed); unanswered, it is cancelled, never sent.',
    ]);
  });
});
