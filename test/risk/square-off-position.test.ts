import { describe, expect, it } from 'vitest';
import { riskConfigSchema } from '../../src/config/risk.js';
import {
  exitQuoteOf,
  planRunPosition,
  type RunExit,
  type RunPositionInput,
  unsentExits,
} from '../../src/risk/square-off-position.js';

const SETTINGS = riskConfigSchema.parse({});
const T0 = Date.parse('2026-11-25T05:30:00.000Z');
const SBIN = { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS' };

function input(o: Partial<RunPositionInput> = {}): RunPositionInput {
  return {
    where: SBIN,
    share: 100,
    broker: { quantity: 100 },
    broker_fresh: true,
    exits: [],
    elsewhere: [],
    others: [],
    cancelling: new Set(),
    short_since_ms: null,
    settle_ms: 3000,
    instrument: { lot_size: 1, tick_size: 0.05, freeze_quantity: null },
    quote: { bid: 960, ask: 960.1, last: 960.05 },
    limit_price: null,
    now_ms: T0,
    escalate_at_ms: T0 + 10_000,
    settings: SETTINGS,
    ...o,
  };
}

const exit = (o: Partial<RunExit>): RunExit => ({
  tag: 'so3xaaaaaaaaaaaaaaaa',
  state: 'sent',
  order_id: null,
  transaction_type: 'SELL',
  order_type: 'LIMIT',
  quantity: 100,
  price: 950.4,
  modifications: 0,
  placed_ms: T0,
  updated_ms: T0,
  order: null,
  ...o,
});

describe('one position of a square-off run', () => {
  it('exits the share, marketable with protection: SELL 100 at the bid less 1%, on the tick', () => {
    // 960 x 0.99 = 950.40.
    const p = planRunPosition(input());
    expect(p.quantity).toBe(100);
    expect(p.plan.place).toEqual([
      {
        ...SBIN,
        transaction_type: 'SELL',
        quantity: 100,
        order_type: 'LIMIT',
        price: 950.4,
        market_protection: null,
      },
    ]);
    expect(p.done).toBe(false);
  });

  it('never more than the broker holds: a share of 100 against a broker position of 60 exits 60', () => {
    const p = planRunPosition(input({ broker: { quantity: 60 } }));
    expect(p.quantity).toBe(60);
    expect(p.short_by).toBe(40);
    expect(p.plan.place.map((e) => e.quantity)).toEqual([60]);
  });

  it("another strategy's square-off already selling the same position: the broker has no room left, nothing is sent", () => {
    // Two shares of +5 against a broker position of 5 (shares briefly out of step): the other
    // run's exit of 5 takes the room; selling 5 more would open a short.
    const p = planRunPosition(
      input({ share: 5, broker: { quantity: 5 }, elsewhere: [exit({ quantity: 5, state: 'intent' })] }),
    );
    expect(p.quantity).toBe(0);
    expect(p.plan.place).toEqual([]);
    // Not done at once: the difference is waited on, then counts as not there to exit.
    expect(p.done).toBe(false);
    const later = planRunPosition(
      input({
        share: 5,
        broker: { quantity: 0 },
        short_since_ms: T0 - 3000,
        elsewhere: [],
      }),
    );
    expect(later.done).toBe(true);
    expect(later.note).toMatch(/the broker holds none of the strategy's 5/);
  });

  it('an exit recorded and sent but not yet seen from the broker covers the position: nothing new', () => {
    const p = planRunPosition(input({ exits: [exit({ state: 'intent' })] }));
    expect(p.plan.place).toEqual([]);
    expect(p.plan.covered).toBe(100);
  });

  it('a failed exit covers nothing: its quantity is placed afresh', () => {
    const p = planRunPosition(input({ exits: [exit({ state: 'failed' })] }));
    expect(p.plan.place.map((e) => e.quantity)).toEqual([100]);
  });

  it("the strategy's stop on the position is cancelled, and covers it until its cancel lands", () => {
    const stop = {
      order_id: '261125000000009',
      transaction_type: 'SELL' as const,
      order_type: 'SL-M',
      price: 0,
      quantity: 100,
      filled_quantity: 0,
      pending_quantity: 100,
      placed_ms: T0 - 60_000,
    };
    const p = planRunPosition(input({ others: [stop] }));
    expect(p.plan.cancel).toEqual([{ order_id: stop.order_id, reason: 'position_order' }]);
    expect(p.plan.place).toEqual([]);
    // Its cancel sent: not asked again; once CANCELLED (pending 0) the exit goes.
    const sent = planRunPosition(input({ others: [stop], cancelling: new Set([stop.order_id]) }));
    expect(sent.plan.cancel).toEqual([]);
    const gone = planRunPosition(input({ others: [{ ...stop, pending_quantity: 0 }] }));
    expect(gone.plan.place.map((e) => e.quantity)).toEqual([100]);
  });

  it('flat with its exit filled: done', () => {
    const filled = exit({
      order_id: '261125000000010',
      order: {
        order_id: '261125000000010',
        transaction_type: 'SELL',
        order_type: 'LIMIT',
        price: 950.4,
        quantity: 100,
        filled_quantity: 100,
        pending_quantity: 0,
        placed_ms: T0,
      },
    });
    const p = planRunPosition(input({ share: 0, broker: { quantity: 0 }, exits: [filled] }));
    expect(p.done).toBe(true);
    expect(p.note).toBeNull();
  });

  it('exits recorded but never handed to the broker are found; those the broker may have are kept', () => {
    const exits = [
      exit({ tag: 'a', state: 'intent' }),
      exit({ tag: 'b', state: 'intent' }),
      exit({ tag: 'c', state: 'unknown' }),
      exit({ tag: 'd', state: 'intent' }),
      exit({ tag: 'e', state: 'intent' }),
    ];
    // a: no desk intent (the crash came first); b: the desk gave up; c: pending at the desk
    // (found by tag at the next book read); d: being sent by this process; e: placed.
    const intents = new Map([
      ['b', 'failed'],
      ['c', 'pending'],
      ['e', 'placed'],
    ] as const);
    expect(unsentExits(exits, intents, new Set(['d']))).toEqual([
      { tag: 'a', why: 'never sent: the order desk recorded no intent for it' },
      { tag: 'b', why: 'the order desk could not place it' },
    ]);
  });

  it("a tick's best bid and ask (an empty level has price 0)", () => {
    expect(
      exitQuoteOf({
        last_price: 960.05,
        depth: {
          buy: [
            { price: 0, quantity: 0 },
            { price: 959.9, quantity: 10 },
          ],
          sell: [{ price: 960.1, quantity: 5 }],
        },
      }),
    ).toEqual({ bid: 959.9, ask: 960.1, last: 960.05 });
    expect(exitQuoteOf({ last_price: 5, depth: null })).toEqual({ bid: null, ask: null, last: 5 });
  });
});
