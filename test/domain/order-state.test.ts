import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BrokerOrder, brokerOrderSchema } from '../../src/domain/order.js';
import {
  exchangeCancelReason,
  type OrderEvent,
  type OrderEventType,
  type OrderTransition,
  reconcileOrder,
} from '../../src/domain/order-state.js';
import { order, T } from '../support/broker-order.js';

/** The pre-exchange steps: no exchange order id or exchange timestamps yet. */
const preExchange = { exchange_order_id: null, exchange_timestamp: null, exchange_update_timestamp: null };

const types = (events: readonly OrderEvent[]): OrderEventType[] => events.map((e) => e.type);

function eventsOf(t: OrderTransition): OrderEvent[] {
  if (t.kind !== 'new' && t.kind !== 'advance') throw new Error(`expected new/advance, got ${JSON.stringify(t)}`);
  return t.events;
}

/** Fold deliveries the way the daemon does: keep ours unless the incoming one is new or an advance. */
function fold(deliveries: readonly BrokerOrder[]): {
  state: BrokerOrder | undefined;
  events: OrderEvent[];
  kinds: string[];
} {
  let state: BrokerOrder | undefined;
  const events: OrderEvent[] = [];
  const kinds: string[] = [];
  for (const d of deliveries) {
    const t = reconcileOrder(state, d);
    kinds.push(t.kind);
    if (t.kind === 'new' || t.kind === 'advance') {
      state = d;
      events.push(...t.events);
    }
  }
  return { state, events, kinds };
}

describe('reconcileOrder: first sightings', () => {
  it('an order still in the RMS is new but not yet placed', () => {
    const t = reconcileOrder(undefined, order({ status: 'PUT ORDER REQ RECEIVED', ...preExchange }));
    expect(t).toEqual({ kind: 'new', events: [] });
  });

  it.each(['OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED'])('first seen %s: ORDER_PLACED with its terms', (status) => {
    const t = reconcileOrder(undefined, order({ status }));
    expect(t).toEqual({
      kind: 'new',
      events: [
        {
          type: 'ORDER_PLACED',
          payload: { status, order_type: 'LIMIT', quantity: 10, price: 800.05, trigger_price: 0 },
        },
      ],
    });
  });

  it('first seen COMPLETE: placed and filled in full', () => {
    const done = order({ status: 'COMPLETE', filled_quantity: 10, pending_quantity: 0, average_price: 800 });
    const events = eventsOf(reconcileOrder(undefined, done));
    expect(types(events)).toEqual(['ORDER_PLACED', 'ORDER_FILLED']);
    expect(events[1]).toEqual({
      type: 'ORDER_FILLED',
      payload: { fill_quantity: 10, filled_quantity: 10, average_price: 800 },
    });
  });

  it('first seen partly filled and OPEN: placed and partly filled', () => {
    const events = eventsOf(
      reconcileOrder(undefined, order({ filled_quantity: 4, pending_quantity: 6, average_price: 800 })),
    );
    expect(types(events)).toEqual(['ORDER_PLACED', 'ORDER_PARTIALLY_FILLED']);
    expect(events[1]?.payload).toEqual({
      fill_quantity: 4,
      filled_quantity: 4,
      pending_quantity: 6,
      average_price: 800,
    });
  });

  it('first seen CANCELLED after a partial fill: placed, the fill, and the cancel with the filled part', () => {
    const t = reconcileOrder(
      undefined,
      order({
        status: 'CANCELLED',
        filled_quantity: 4,
        pending_quantity: 6,
        cancelled_quantity: 6,
        average_price: 800,
      }),
    );
    const events = eventsOf(t);
    expect(types(events)).toEqual(['ORDER_PLACED', 'ORDER_PARTIALLY_FILLED', 'ORDER_CANCELLED']);
    expect(events[2]).toEqual({
      type: 'ORDER_CANCELLED',
      payload: { filled_quantity: 4, cancelled_quantity: 6, status_message: null },
    });
  });

  it("first seen REJECTED: only the rejection, with Kite's messages (orders.json)", () => {
    const message =
      'Insufficient funds. Required margin is 95417.84 but available margin is 74251.80. Check the orderbook for open orders.';
    const raw =
      'RMS:Margin Exceeds,Required:95417.84, Available:74251.80 for entity account-XXXXX across exchange across segment across product ';
    const t = reconcileOrder(
      undefined,
      order({
        status: 'REJECTED',
        status_message: message,
        status_message_raw: raw,
        pending_quantity: 0,
        ...preExchange,
      }),
    );
    expect(t).toEqual({
      kind: 'new',
      events: [{ type: 'ORDER_REJECTED', payload: { status_message: message, status_message_raw: raw } }],
    });
  });
});

describe('cancelled by the exchange: ORDER_EXPIRED', () => {
  it("an IOC order's unfilled remainder is the exchange's cancel", () => {
    const ioc = order({
      validity: 'IOC',
      status: 'CANCELLED',
      filled_quantity: 3,
      cancelled_quantity: 7,
      average_price: 800,
    });
    expect(exchangeCancelReason(ioc)).toBe('IOC');
    const events = eventsOf(reconcileOrder(order({ validity: 'IOC' }), ioc));
    expect(events).toEqual([
      {
        type: 'ORDER_PARTIALLY_FILLED',
        payload: { fill_quantity: 3, filled_quantity: 3, pending_quantity: 10, average_price: 800 },
      },
      {
        type: 'ORDER_EXPIRED',
        payload: { reason: 'IOC', filled_quantity: 3, cancelled_quantity: 7, status_message: null },
      },
    ]);
  });

  it('the end-of-day purge ("exchange mass cancel") is the exchange\'s cancel', () => {
    const purged = order({
      status: 'CANCELLED',
      cancelled_quantity: 10,
      status_message: 'Exchange mass cancel',
      exchange_update_timestamp: T('15:30:00'),
    });
    expect(exchangeCancelReason(purged)).toBe('EXCHANGE');
    expect(types(eventsOf(reconcileOrder(order(), purged)))).toEqual(['ORDER_EXPIRED']);
  });

  it("a DAY order cancelled with no message is the user's cancel (Kite leaves status_message null)", () => {
    const cancelled = order({ status: 'CANCELLED', cancelled_quantity: 10 });
    expect(exchangeCancelReason(cancelled)).toBeNull();
    expect(types(eventsOf(reconcileOrder(order({ status: 'CANCEL PENDING' }), cancelled)))).toEqual([
      'ORDER_CANCELLED',
    ]);
  });

  it('only CANCELLED orders can have expired', () => {
    expect(exchangeCancelReason(order({ validity: 'IOC', status: 'COMPLETE' }))).toBeNull();
  });
});

describe("reconcileOrder: Kite's own order history (order_info.json)", () => {
  interface KiteRow extends Record<string, unknown> {
    order_timestamp: string | null;
    exchange_timestamp: string | null;
  }
  const ist = (s: string | null): string | null =>
    s === null ? null : new Date(`${s.replace(' ', 'T')}+05:30`).toISOString();
  const raw = JSON.parse(readFileSync('test/fixtures/kite/order_info.json', 'utf8')) as { data: KiteRow[] };
  const history: BrokerOrder[] = raw.data.map((r) =>
    brokerOrderSchema.parse({
      status_message_raw: null,
      exchange_update_timestamp: null,
      market_protection: 0,
      tags: [],
      guid: null,
      ...r,
      order_timestamp: ist(r.order_timestamp),
      exchange_timestamp: ist(r.exchange_timestamp),
    }),
  );

  it('placement then a price modification, step by step', () => {
    const { kinds, events } = fold(history);
    // PUT ORDER REQ RECEIVED, VALIDATION PENDING, OPEN PENDING, OPEN,
    // MODIFY VALIDATION PENDING, MODIFY PENDING, MODIFIED (old price), OPEN (new price)
    expect(kinds).toEqual(['new', 'advance', 'advance', 'advance', 'advance', 'advance', 'advance', 'advance']);
    expect(events).toEqual([
      {
        type: 'ORDER_PLACED',
        payload: { status: 'OPEN', order_type: 'LIMIT', quantity: 1, price: 300, trigger_price: 0 },
      },
      { type: 'ORDER_MODIFIED', payload: { changes: [{ field: 'price', from: 300, to: 300.1 }] } },
    ]);
  });

  it('replayed backwards, only the last step is kept and every earlier one is stale', () => {
    const { kinds, state, events } = fold([...history].reverse());
    expect(kinds).toEqual(['new', 'stale', 'stale', 'stale', 'stale', 'stale', 'stale', 'stale']);
    expect(state).toEqual(history.at(-1));
    expect(types(events)).toEqual(['ORDER_PLACED']);
  });
});

describe('reconcileOrder: advancing', () => {
  it("partial fills report each fill's size; COMPLETE reports the last one", () => {
    const steps = [
      order(),
      order({
        status: 'UPDATE',
        filled_quantity: 3,
        pending_quantity: 7,
        average_price: 800,
        exchange_update_timestamp: T('10:01:00'),
      }),
      order({
        status: 'UPDATE',
        filled_quantity: 7,
        pending_quantity: 3,
        average_price: 800.0214285714286,
        exchange_update_timestamp: T('10:02:00'),
      }),
      order({
        status: 'COMPLETE',
        filled_quantity: 10,
        pending_quantity: 0,
        average_price: 800.025,
        exchange_update_timestamp: T('10:03:00'),
      }),
    ];
    const { events } = fold(steps);
    // 3 filled, then 7 - 3 = 4, then 10 - 7 = 3.
    expect(events.map((e) => [e.type, (e.payload as { fill_quantity?: number }).fill_quantity])).toEqual([
      ['ORDER_PLACED', undefined],
      ['ORDER_PARTIALLY_FILLED', 3],
      ['ORDER_PARTIALLY_FILLED', 4],
      ['ORDER_FILLED', 3],
    ]);
  });

  it('a stop order triggers (TRIGGER PENDING -> OPEN) without being a modification', () => {
    const sl = { order_type: 'SL', trigger_price: 799.5 };
    const t = reconcileOrder(
      order({ ...sl, status: 'TRIGGER PENDING' }),
      order({ ...sl, status: 'OPEN', exchange_update_timestamp: T('10:05:00') }),
    );
    expect(t).toEqual({ kind: 'advance', events: [] });
  });

  it('a modification of quantity and trigger lists each change', () => {
    const t = reconcileOrder(
      order({ status: 'TRIGGER PENDING', order_type: 'SL', trigger_price: 799.5 }),
      order({
        status: 'TRIGGER PENDING',
        order_type: 'SL',
        trigger_price: 799,
        quantity: 20,
        pending_quantity: 20,
        order_timestamp: T('10:04:00'),
      }),
    );
    expect(t).toEqual({
      kind: 'advance',
      events: [
        {
          type: 'ORDER_MODIFIED',
          payload: {
            changes: [
              { field: 'quantity', from: 10, to: 20 },
              { field: 'trigger_price', from: 799.5, to: 799 },
            ],
          },
        },
      ],
    });
  });

  it('a modification we only learn of at completion is reported before the fill', () => {
    const t = reconcileOrder(
      order(),
      order({
        status: 'COMPLETE',
        price: 801,
        filled_quantity: 10,
        pending_quantity: 0,
        average_price: 801,
        exchange_update_timestamp: T('10:09:00'),
      }),
    );
    expect(types(eventsOf(t))).toEqual(['ORDER_MODIFIED', 'ORDER_FILLED']);
  });

  it('an AMO: placed when parked, modified while parked, and its release is not a modification', () => {
    const amo = { variety: 'amo', order_type: 'MARKET', price: 0, ...preExchange };
    const evening = T('20:00:00').replace('2026-11-25', '2026-11-24');
    const later = T('20:30:00').replace('2026-11-25', '2026-11-24');
    const steps = [
      order({ ...amo, status: 'PUT ORDER REQ RECEIVED', order_timestamp: evening }),
      order({ ...amo, status: 'VALIDATION PENDING', order_timestamp: evening }),
      order({ ...amo, status: 'AMO REQ RECEIVED', order_timestamp: evening }),
      order({ ...amo, status: 'MODIFY VALIDATION PENDING', order_timestamp: later }),
      order({ ...amo, status: 'AMO REQ RECEIVED', quantity: 5, pending_quantity: 5, order_timestamp: later }),
      // Released at 09:15: OPEN PENDING, then working as a protected LIMIT at 802.
      order({ ...amo, status: 'OPEN PENDING', quantity: 5, pending_quantity: 5, order_timestamp: later }),
      order({
        ...amo,
        status: 'OPEN',
        order_type: 'LIMIT',
        price: 802,
        quantity: 5,
        pending_quantity: 5,
        order_timestamp: later,
        exchange_order_id: '1300000000000009',
        exchange_timestamp: T('09:15:00'),
        exchange_update_timestamp: T('09:15:00'),
      }),
    ];
    const { kinds, events } = fold(steps);
    expect(kinds.every((k) => k === 'new' || k === 'advance')).toBe(true);
    expect(events).toEqual([
      {
        type: 'ORDER_PLACED',
        payload: { status: 'AMO REQ RECEIVED', order_type: 'MARKET', quantity: 10, price: 0, trigger_price: 0 },
      },
      { type: 'ORDER_MODIFIED', payload: { changes: [{ field: 'quantity', from: 10, to: 5 }] } },
    ]);
  });

  it('a terminal order described again with a later stamp is accepted without new events', () => {
    const done = order({ status: 'COMPLETE', filled_quantity: 10, pending_quantity: 0, average_price: 800 });
    const again = { ...done, average_price: 800.01, exchange_update_timestamp: T('10:00:05') };
    expect(reconcileOrder(done, again)).toEqual({ kind: 'advance', events: [] });
    expect(reconcileOrder(again, done)).toMatchObject({ kind: 'stale' });
  });

  it('an unknown status is carried, not refused', () => {
    const t = reconcileOrder(order(), order({ status: 'SOMETHING NEW', order_timestamp: T('10:10:00') }));
    expect(t).toEqual({ kind: 'advance', events: [] });
  });
});

describe('reconcileOrder: duplicates and stale deliveries', () => {
  it('the same snapshot twice is a duplicate', () => {
    expect(reconcileOrder(order(), order())).toEqual({ kind: 'duplicate' });
  });

  it('the WebSocket and REST views of one state are duplicates even if their extras differ', () => {
    const rest = order({ filled_quantity: 4, pending_quantity: 6, average_price: 800 });
    const postback = { ...rest, tags: [], guid: null, placed_by: 'XX0000', modified: true };
    expect(reconcileOrder(rest, postback)).toEqual({ kind: 'duplicate' });
  });

  it('an earlier status after a later one is stale', () => {
    expect(reconcileOrder(order(), order({ status: 'OPEN PENDING', ...preExchange }))).toMatchObject({ kind: 'stale' });
  });

  it('a smaller fill with no later timestamp is stale', () => {
    const filled4 = order({ filled_quantity: 4, pending_quantity: 6, exchange_update_timestamp: T('10:01:00') });
    expect(reconcileOrder(filled4, order())).toMatchObject({ kind: 'stale' });
  });

  it('a WebSocket UPDATE after the REST OPEN showing the same fill is stale (REST wins the tie)', () => {
    const fill = {
      filled_quantity: 4,
      pending_quantity: 6,
      average_price: 800,
      exchange_update_timestamp: T('10:01:00'),
    };
    expect(reconcileOrder(order(fill), order({ ...fill, status: 'UPDATE' }))).toMatchObject({ kind: 'stale' });
    expect(reconcileOrder(order({ ...fill, status: 'UPDATE' }), order(fill))).toEqual({ kind: 'advance', events: [] });
  });

  it('a working snapshot arriving after the order ended is stale', () => {
    const done = order({
      status: 'COMPLETE',
      filled_quantity: 10,
      pending_quantity: 0,
      exchange_update_timestamp: T('10:03:00'),
    });
    expect(
      reconcileOrder(done, order({ status: 'UPDATE', filled_quantity: 4, exchange_update_timestamp: T('10:01:00') })),
    ).toMatchObject({
      kind: 'stale',
    });
    expect(reconcileOrder(done, order())).toMatchObject({ kind: 'stale' });
  });

  it('an older modification step after the modified OPEN is stale', () => {
    const modified = order({ price: 801, order_timestamp: T('10:05:00') });
    expect(reconcileOrder(modified, order({ status: 'MODIFIED', order_timestamp: T('10:05:00') }))).toMatchObject({
      kind: 'stale',
    });
    expect(reconcileOrder(modified, order({ status: 'MODIFY PENDING', order_timestamp: T('10:05:00') }))).toMatchObject(
      { kind: 'stale' },
    );
  });
});

describe('reconcileOrder: impossible transitions', () => {
  const done = order({
    status: 'COMPLETE',
    filled_quantity: 10,
    pending_quantity: 0,
    average_price: 800,
    exchange_update_timestamp: T('10:03:00'),
  });

  it.each([
    ['COMPLETE -> OPEN with a later timestamp', done, order({ order_timestamp: T('10:04:00') })],
    ['COMPLETE -> CANCELLED', done, { ...done, status: 'CANCELLED' }],
    ['quantity changed on a COMPLETE order', done, { ...done, quantity: 20, filled_quantity: 10 }],
    ['filled_quantity changed on a COMPLETE order', done, { ...done, filled_quantity: 9 }],
    [
      'fills after CANCELLED',
      order({ status: 'CANCELLED', cancelled_quantity: 10 }),
      order({ status: 'UPDATE', filled_quantity: 2, pending_quantity: 8 }),
    ],
    [
      'filled_quantity decreasing with a later timestamp',
      order({ filled_quantity: 4, pending_quantity: 6, exchange_update_timestamp: T('10:01:00') }),
      order({ filled_quantity: 2, pending_quantity: 8, exchange_update_timestamp: T('10:02:00') }),
    ],
    [
      'ending with fewer fills than we saw',
      order({ filled_quantity: 4, pending_quantity: 6 }),
      order({ status: 'CANCELLED', filled_quantity: 2, cancelled_quantity: 8 }),
    ],
    ['another instrument under the same order_id', order(), order({ tradingsymbol: 'SBIN-BE' })],
    ['the other side under the same order_id', order(), order({ transaction_type: 'SELL' })],
    ['a different order_id', order(), order({ order_id: '251125000000002' })],
  ])('%s', (_name, current, incoming) => {
    const t = reconcileOrder(current, incoming);
    expect(t.kind).toBe('impossible');
    expect((t as { reason: string }).reason.length).toBeGreaterThan(0);
  });

  it('a different instrument_token alone is not a different order (Kite shows 1 at PUT ORDER REQ RECEIVED)', () => {
    const early = order({ status: 'PUT ORDER REQ RECEIVED', instrument_token: 1, ...preExchange });
    expect(reconcileOrder(early, order())).toMatchObject({ kind: 'advance' });
    expect(reconcileOrder(order(), early)).toMatchObject({ kind: 'stale' });
  });

  it('names what changed', () => {
    expect(reconcileOrder(order(), order({ transaction_type: 'SELL' }))).toEqual({
      kind: 'impossible',
      reason: 'transaction_type changed from BUY to SELL for order 251125000000001',
    });
    expect(reconcileOrder(done, { ...done, status: 'CANCELLED' })).toEqual({
      kind: 'impossible',
      reason: 'COMPLETE -> CANCELLED',
    });
  });
});

describe('reconcileOrder: shuffled and duplicated deliveries converge', () => {
  /** mulberry32: a small seeded generator, so a failing seed can be replayed. */
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffledWithRepeats(items: readonly BrokerOrder[], seed: number): BrokerOrder[] {
    const r = rng(seed);
    const out = [...items];
    // Every snapshot once, plus a few delivered again (WebSocket and REST both report it).
    for (let i = 0; i < 3; i++) out.push(items[Math.floor(r() * items.length)] as BrokerOrder);
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [out[i], out[j]] = [out[j] as BrokerOrder, out[i] as BrokerOrder];
    }
    return out;
  }

  const placedThenModifiedThenFilled = [
    order({ status: 'PUT ORDER REQ RECEIVED', ...preExchange }),
    order({ status: 'VALIDATION PENDING', ...preExchange }),
    order({ status: 'OPEN PENDING', ...preExchange }),
    order(),
    order({ status: 'MODIFY VALIDATION PENDING', order_timestamp: T('10:02:00') }),
    order({ status: 'MODIFY PENDING', order_timestamp: T('10:02:00') }),
    order({
      status: 'MODIFIED',
      order_timestamp: T('10:02:00'),
      exchange_timestamp: T('10:02:00'),
      exchange_update_timestamp: T('10:02:00'),
    }),
    order({
      price: 801,
      order_timestamp: T('10:02:00'),
      exchange_timestamp: T('10:02:00'),
      exchange_update_timestamp: T('10:02:00'),
    }),
    order({
      status: 'UPDATE',
      price: 801,
      filled_quantity: 6,
      pending_quantity: 4,
      average_price: 801,
      order_timestamp: T('10:02:00'),
      exchange_timestamp: T('10:02:00'),
      exchange_update_timestamp: T('10:03:00'),
    }),
    order({
      price: 801,
      filled_quantity: 6,
      pending_quantity: 4,
      average_price: 801,
      order_timestamp: T('10:02:00'),
      exchange_timestamp: T('10:02:00'),
      exchange_update_timestamp: T('10:03:00'),
    }),
    order({
      status: 'COMPLETE',
      price: 801,
      filled_quantity: 10,
      pending_quantity: 0,
      average_price: 800.8,
      order_timestamp: T('10:02:00'),
      exchange_timestamp: T('10:02:00'),
      exchange_update_timestamp: T('10:04:00'),
    }),
  ];
  const partlyFilledThenCancelled = [
    order({ status: 'PUT ORDER REQ RECEIVED', ...preExchange }),
    order(),
    order({
      status: 'UPDATE',
      filled_quantity: 4,
      pending_quantity: 6,
      average_price: 800.05,
      exchange_update_timestamp: T('10:01:00'),
    }),
    order({ filled_quantity: 4, pending_quantity: 6, average_price: 800.05, exchange_update_timestamp: T('10:01:00') }),
    order({
      status: 'CANCEL PENDING',
      filled_quantity: 4,
      pending_quantity: 6,
      average_price: 800.05,
      exchange_update_timestamp: T('10:01:00'),
    }),
    order({
      status: 'CANCELLED',
      filled_quantity: 4,
      pending_quantity: 6,
      cancelled_quantity: 6,
      average_price: 800.05,
      exchange_update_timestamp: T('10:06:00'),
    }),
  ];
  const rejected = [
    order({ status: 'PUT ORDER REQ RECEIVED', ...preExchange }),
    order({ status: 'VALIDATION PENDING', ...preExchange }),
    order({ status: 'REJECTED', status_message: 'Insufficient funds.', pending_quantity: 0, ...preExchange }),
  ];
  const stopTriggeredAndFilled = [
    order({ status: 'TRIGGER PENDING', order_type: 'SL', trigger_price: 800 }),
    order({ status: 'OPEN', order_type: 'SL', trigger_price: 800, exchange_update_timestamp: T('10:20:00') }),
    order({
      status: 'COMPLETE',
      order_type: 'SL',
      trigger_price: 800,
      filled_quantity: 10,
      pending_quantity: 0,
      average_price: 800.05,
      exchange_update_timestamp: T('10:20:01'),
    }),
  ];

  // Still working: the last word is the REST view after the WebSocket's UPDATE, or the OPEN
  // with the new price after the modify steps that share its timestamp.
  const partlyFilledStillWorking = partlyFilledThenCancelled.slice(0, 4);
  const modifiedStillWorking = placedThenModifiedThenFilled.slice(0, 8);

  it.each([
    ['placed, modified, partly then fully filled', placedThenModifiedThenFilled, 'ORDER_FILLED', 10],
    ['partly filled and still working', partlyFilledStillWorking, null, 4],
    ['modified and still working', modifiedStillWorking, null, 0],
    ['partly filled then cancelled', partlyFilledThenCancelled, 'ORDER_CANCELLED', 4],
    ['rejected by the RMS', rejected, 'ORDER_REJECTED', 0],
    ['a stop triggered and filled', stopTriggeredAndFilled, 'ORDER_FILLED', 10],
  ] as const)('%s: the same final state and one story, whatever the order of arrival', (_name, steps, end, filled) => {
    // In order, every step is accepted and the result is the last one.
    const inOrder = fold(steps);
    expect(inOrder.kinds.every((k) => k === 'new' || k === 'advance')).toBe(true);
    expect(inOrder.state).toEqual(steps.at(-1));

    for (let seed = 1; seed <= 200; seed++) {
      const { state, events, kinds } = fold(shuffledWithRepeats(steps, seed));
      expect(kinds, `seed ${seed}`).not.toContain('impossible');
      expect(state, `seed ${seed}`).toEqual(steps.at(-1));
      const count = (type: OrderEventType): number => events.filter((e) => e.type === type).length;
      const ends = events.filter((e) =>
        ['ORDER_FILLED', 'ORDER_CANCELLED', 'ORDER_EXPIRED', 'ORDER_REJECTED'].includes(e.type),
      );
      expect(
        ends.map((e) => e.type),
        `seed ${seed}`,
      ).toEqual(end === null ? [] : [end]);
      expect(count('ORDER_PLACED'), `seed ${seed}`).toBe(end === 'ORDER_REJECTED' ? 0 : 1);
      // The fills reported add up to what was filled, however they were split.
      const fills = events
        .filter((e) => e.type === 'ORDER_PARTIALLY_FILLED' || e.type === 'ORDER_FILLED')
        .reduce((sum, e) => sum + (e.payload as { fill_quantity: number }).fill_quantity, 0);
      expect(fills, `seed ${seed}`).toBe(filled);
    }
  });
});
