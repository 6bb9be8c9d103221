import { describe, expect, it } from 'vitest';
import { riskConfigSchema } from '../../src/config/risk.js';
import { marketablePrice } from '../../src/risk/exit-price.js';
import { paceRequests } from '../../src/risk/pacing.js';
import {
  maxOrderQuantity,
  type PlannedExit,
  planSquareOff,
  type SquareOffInput,
  type SquareOffOrder,
  sliceQuantity,
} from '../../src/risk/square-off.js';

const SETTINGS = riskConfigSchema.parse({});
const T0 = Date.parse('2026-11-25T05:30:00.000Z');
const NIFTY = { lot_size: 65, tick_size: 0.05, freeze_quantity: 1800 };

function input(o: Partial<SquareOffInput> = {}): SquareOffInput {
  return {
    position: { exchange: 'NFO', tradingsymbol: 'NIFTY26DEC24500CE', product: 'NRML', quantity: -65 * 62 },
    instrument: NIFTY,
    orders: [],
    quote: { bid: 100, ask: 100.5, last: 100.2 },
    limit_price: null,
    now_ms: T0,
    escalate_at_ms: T0 + 10_000,
    settings: SETTINGS,
    ...o,
  };
}

/** What the daemon records once it has sent a planned exit: an intent, not yet acknowledged. */
const recorded = (e: PlannedExit, at = T0): SquareOffOrder => ({
  order_id: null,
  exit: true,
  transaction_type: e.transaction_type,
  order_type: e.order_type,
  price: e.price ?? 0,
  quantity: e.quantity,
  filled_quantity: 0,
  pending_quantity: e.quantity,
  modifications: 0,
  placed_ms: at,
  updated_ms: at,
  cancel_requested: false,
});

const exitOrder = (o: Partial<SquareOffOrder>): SquareOffOrder => ({
  order_id: '261125000000001',
  exit: true,
  transaction_type: 'BUY',
  order_type: 'LIMIT',
  price: 101.5,
  quantity: 65,
  filled_quantity: 0,
  pending_quantity: 65,
  modifications: 0,
  placed_ms: T0,
  updated_ms: T0,
  cancel_requested: false,
  ...o,
});

describe('slicing by freeze quantity', () => {
  it('whole lots within the freeze: NIFTY 1800 with lots of 65 is 27 lots = 1755 an order', () => {
    expect(maxOrderQuantity(NIFTY)).toBe(1755);
    // BANKNIFTY: freeze 600, lot 30: 20 lots = 600 exactly.
    expect(maxOrderQuantity({ lot_size: 30, tick_size: 0.05, freeze_quantity: 600 })).toBe(600);
    expect(maxOrderQuantity({ lot_size: 1, tick_size: 0.05, freeze_quantity: null })).toBe(Number.POSITIVE_INFINITY);
    // 62 lots = 4,030: 1,755 + 1,755 + 520.
    expect(sliceQuantity(4030, 1755)).toEqual([1755, 1755, 520]);
    expect(sliceQuantity(0, 1755)).toEqual([]);
  });

  it('plans the exit of a short 62 lots as three BUY slices at a protected marketable price', () => {
    const plan = planSquareOff(input());
    expect(plan).toMatchObject({ side: 'BUY', open_quantity: 4030, covered: 0, cancel: [], modify: [], done: false });
    // Ask 100.50 + 1% = 101.505, rounded up to the tick: 101.55.
    expect(plan.place).toEqual(
      [1755, 1755, 520].map((quantity) => ({
        exchange: 'NFO',
        tradingsymbol: 'NIFTY26DEC24500CE',
        product: 'NRML',
        transaction_type: 'BUY',
        quantity,
        order_type: 'LIMIT',
        price: 101.55,
        market_protection: null,
      })),
    );
  });
});

describe('exit prices', () => {
  it('a SELL crosses the bid, a BUY the ask, by the protection, on the tick grid', () => {
    // Bid 24.35 - 1% = 24.1065 -> 24.10; ask 24.40 + 1% = 24.644 -> 24.65.
    expect(marketablePrice('SELL', { bid: 24.35, ask: 24.4, last: 24.35 }, 1, 0.05)).toBe(24.1);
    expect(marketablePrice('BUY', { bid: 24.35, ask: 24.4, last: 24.35 }, 1, 0.05)).toBe(24.65);
    // No bid: the last price is the reference; never below one tick.
    expect(marketablePrice('SELL', { bid: null, ask: 0.1, last: 0.05 }, 1, 0.05)).toBe(0.05);
    // Within the circuit limits: 1,000 - 2.5% = 975 but the lower circuit is 980.
    expect(marketablePrice('SELL', { bid: 1000, ask: 1001, last: 1000, lower_circuit: 980 }, 2.5, 0.05)).toBe(980);
    expect(marketablePrice('BUY', { bid: null, ask: null, last: 0 }, 1, 0.05)).toBeNull();
  });

  it("uses the caller's limit price until the deadline, a MARKET order with protection without a quote", () => {
    expect(planSquareOff(input({ limit_price: 100.75 })).place[0]).toMatchObject({
      order_type: 'LIMIT',
      price: 100.75,
    });
    expect(planSquareOff(input({ quote: null })).place[0]).toMatchObject({
      order_type: 'MARKET',
      price: null,
      market_protection: 1,
    });
  });
});

describe('idempotent planning', () => {
  it('planning again with the exits recorded sends nothing new', () => {
    const first = planSquareOff(input());
    const orders = first.place.map((e) => recorded(e));
    const again = planSquareOff(input({ orders }));
    expect(again).toMatchObject({ place: [], cancel: [], modify: [], covered: 4030, done: false });
    // The same holds after a restart: acknowledged and partly filled, the position follows the fills.
    const filled = orders.map((o, i) => ({
      ...o,
      order_id: `26112500000000${i}`,
      filled_quantity: i === 0 ? 1755 : 0,
      pending_quantity: i === 0 ? 0 : o.quantity,
    }));
    const later = planSquareOff(input({ orders: filled, position: { ...input().position, quantity: -(4030 - 1755) } }));
    expect(later).toMatchObject({ place: [], cancel: [], modify: [] });
  });

  it('only what is still needed: an exit already working for part of the position', () => {
    const plan = planSquareOff(input({ orders: [exitOrder({ quantity: 1755, pending_quantity: 1755 })] }));
    expect(plan.place.map((e) => e.quantity)).toEqual([1755, 520]);
  });

  it('flat with nothing working: done', () => {
    expect(planSquareOff(input({ position: { ...input().position, quantity: 0 } }))).toMatchObject({
      side: null,
      done: true,
      place: [],
      next_check_ms: null,
    });
  });
});

describe("the position's other orders", () => {
  it('are cancelled; a stop on the exit side covers the position until its cancel lands', () => {
    const stop = exitOrder({
      order_id: 'stop',
      exit: false,
      order_type: 'SL-M',
      price: 0,
      quantity: 4030,
      pending_quantity: 4030,
    });
    const entry = exitOrder({
      order_id: 'entry',
      exit: false,
      transaction_type: 'SELL',
      quantity: 65,
      pending_quantity: 65,
    });
    const plan = planSquareOff(input({ orders: [stop, entry] }));
    expect(plan.cancel).toEqual([
      { order_id: 'stop', reason: 'position_order' },
      { order_id: 'entry', reason: 'position_order' },
    ]);
    // The stop could still trigger: no exit yet, or the two together would double the exit.
    expect(plan.place).toEqual([]);
    expect(plan.covered).toBe(4030);
    // Cancel sent, not confirmed: not cancelled twice, still covering.
    const sent = planSquareOff(
      input({
        orders: [
          { ...stop, cancel_requested: true },
          { ...entry, cancel_requested: true },
        ],
      }),
    );
    expect(sent).toMatchObject({ cancel: [], place: [] });
    // Cancel confirmed (nothing pending): the exits go.
    const gone = planSquareOff(input({ orders: [{ ...stop, pending_quantity: 0 }] }));
    expect(gone.place.map((e) => e.quantity)).toEqual([1755, 1755, 520]);
  });
});

describe('when the position changes under the square-off', () => {
  it('an outside exit shrank it: the youngest exits are trimmed', () => {
    const old = exitOrder({ order_id: 'old', quantity: 1755, pending_quantity: 1755, placed_ms: T0 });
    const young = exitOrder({ order_id: 'young', quantity: 1755, pending_quantity: 1755, placed_ms: T0 + 5 });
    // An outside exit of 31 lots leaves -31 lots = -2,015: working 3,510, surplus 1,495.
    // The young exit keeps 1,755 - 1,495 = 260: Kite's new total quantity = 0 filled + 260.
    const plan = planSquareOff(input({ orders: [old, young], position: { ...input().position, quantity: -2015 } }));
    expect(plan.modify).toEqual([{ order_id: 'young', reason: 'reduce', price: null, quantity: 260 }]);
    expect(plan.place).toEqual([]);
    // Down to 15 lots = -975: surplus 2,535; the young one goes (1,755), the old one keeps 1,755 - 780 = 975.
    const more = planSquareOff(input({ orders: [old, young], position: { ...input().position, quantity: -975 } }));
    expect(more.cancel).toEqual([{ order_id: 'young', reason: 'surplus' }]);
    expect(more.modify).toEqual([{ order_id: 'old', reason: 'reduce', price: null, quantity: 975 }]);
  });

  it('trimming is idempotent: an exit whose cancel is on its way is not trimmed twice', () => {
    const old = exitOrder({ order_id: 'old', quantity: 1755, pending_quantity: 1755, placed_ms: T0 });
    const young = exitOrder({ order_id: 'young', quantity: 1755, pending_quantity: 1755, placed_ms: T0 + 5 });
    const position = { ...input().position, quantity: -1755 };
    // Surplus 1,755: the young exit is cancelled.
    expect(planSquareOff(input({ orders: [old, young], position })).cancel).toEqual([
      { order_id: 'young', reason: 'surplus' },
    ]);
    // Its cancel sent, not yet confirmed: nothing more (the old exit is left whole).
    const again = planSquareOff(input({ orders: [old, { ...young, cancel_requested: true }], position }));
    expect(again).toMatchObject({ cancel: [], modify: [], place: [] });
  });

  it('flipped or closed: exits on the wrong side are cancelled', () => {
    const buy = exitOrder({ order_id: 'b1' });
    expect(planSquareOff(input({ orders: [buy], position: { ...input().position, quantity: 0 } }))).toMatchObject({
      cancel: [{ order_id: 'b1', reason: 'wrong_side' }],
      done: false,
    });
    const flipped = planSquareOff(input({ orders: [buy], position: { ...input().position, quantity: 65 } }));
    expect(flipped.cancel).toEqual([{ order_id: 'b1', reason: 'wrong_side' }]);
    expect(flipped.place).toMatchObject([{ transaction_type: 'SELL', quantity: 65, price: 99 }]);
  });
});

describe('re-pricing within the modification budget', () => {
  const one = input({ position: { ...input().position, quantity: -65 } });
  const resting = exitOrder({ price: 100.5, updated_ms: T0 });

  it('re-prices an exit behind the market once it has rested, to the current marketable price', () => {
    const quote = { bid: 101, ask: 101.5, last: 101.2 };
    // Rested 1.9 s of 2: not yet; check again at T0 + 2 s.
    const early = planSquareOff({ ...one, orders: [resting], quote, now_ms: T0 + 1900 });
    expect(early).toMatchObject({ modify: [], next_check_ms: T0 + 2000 });
    // 101.50 + 1% = 102.515 -> 102.55.
    const due = planSquareOff({ ...one, orders: [resting], quote, now_ms: T0 + 2000 });
    expect(due.modify).toEqual([{ order_id: resting.order_id, reason: 'reprice', price: 102.55, quantity: null }]);
    // An exit already at or through the price is left alone.
    expect(planSquareOff({ ...one, orders: [{ ...resting, price: 103 }], quote, now_ms: T0 + 5000 }).modify).toEqual(
      [],
    );
  });

  it('escalates every exit at the deadline at once, with the wider protection', () => {
    const quote = { bid: 100, ask: 100.5, last: 100.2 };
    const atDeadline = planSquareOff({
      ...one,
      orders: [{ ...resting, updated_ms: T0 + 9500 }],
      quote,
      now_ms: T0 + 10_000,
    });
    // 100.50 + 2.5% = 103.0125 -> 103.05, although it rested only half a second.
    expect(atDeadline.escalated).toBe(true);
    expect(atDeadline.modify).toEqual([
      { order_id: resting.order_id, reason: 'escalate', price: 103.05, quantity: null },
    ]);
    // After the deadline the caller's limit price no longer applies; new exits carry the escalated price.
    const fresh = planSquareOff({ ...one, quote, limit_price: 100.5, now_ms: T0 + 10_000 });
    expect(fresh.place[0]).toMatchObject({ price: 103.05 });
  });

  it('keeps one modification for the escalation, then cancels to replace an exit whose budget is spent', () => {
    const quote = { bid: 101, ask: 101.5, last: 101.2 };
    // 24 of 25 used before the deadline: no more re-pricing until the escalation.
    const spent = { ...resting, modifications: 24 };
    expect(planSquareOff({ ...one, orders: [spent], quote, now_ms: T0 + 5000 })).toMatchObject({
      modify: [],
      cancel: [],
    });
    // At the deadline the 25th goes.
    expect(planSquareOff({ ...one, orders: [spent], quote, now_ms: T0 + 10_000 }).modify).toHaveLength(1);
    // All 25 used and still behind after the deadline: cancel; once it lands, the remainder is placed afresh.
    const done = { ...resting, modifications: 25, updated_ms: T0 + 10_000 };
    const cancel = planSquareOff({
      ...one,
      orders: [done],
      quote: { bid: 104, ask: 104.5, last: 104 },
      now_ms: T0 + 12_000,
    });
    expect(cancel.cancel).toEqual([{ order_id: resting.order_id, reason: 'budget_spent' }]);
    expect(cancel.place).toEqual([]);
    const replaced = planSquareOff({
      ...one,
      orders: [{ ...done, pending_quantity: 0, cancel_requested: true }],
      quote: { bid: 104, ask: 104.5, last: 104 },
      now_ms: T0 + 12_100,
    });
    expect(replaced.place).toMatchObject([{ quantity: 65, price: 107.15 }]);
  });

  it('an exit only recorded (no order id yet) is neither re-priced nor cancelled, but covers', () => {
    const intent = { ...resting, order_id: null };
    const plan = planSquareOff({
      ...one,
      orders: [intent],
      quote: { bid: 110, ask: 111, last: 110 },
      now_ms: T0 + 20_000,
    });
    expect(plan).toMatchObject({ place: [], modify: [], cancel: [], covered: 65 });
  });
});

describe('pacing', () => {
  it('at most 10 requests in any second, counting those already sent', () => {
    // 25 requests, none sent before: 10 now, 10 a second later, 5 two seconds later.
    const times = paceRequests(25, 10, [], T0);
    expect(times.filter((t) => t === T0)).toHaveLength(10);
    expect(times.filter((t) => t === T0 + 1000)).toHaveLength(10);
    expect(times.filter((t) => t === T0 + 2000)).toHaveLength(5);
    // 8 sent in the last second (at T0 - 300): 2 go now, the next when those leave the window.
    const busy = paceRequests(4, 10, Array(8).fill(T0 - 300), T0);
    expect(busy).toEqual([T0, T0, T0 + 700, T0 + 700]);
  });

  it('asked one request at a time, counts the times already handed out, even those still to come', () => {
    // The square-off engine's way: each exit asks alone and keeps the time it was given. At one a
    // second, six exits asked at once go a second apart, not the first now and five together.
    const recent: number[] = [];
    for (let i = 0; i < 6; i++) recent.push(paceRequests(1, 1, recent, T0)[0]!);
    expect(recent).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000, T0 + 5000]);
    // At ten a second, thirty asked over 20 ms: never more than ten in any second.
    const paced: number[] = [];
    for (let i = 0; i < 30; i++) paced.push(paceRequests(1, 10, paced, T0 + Math.floor(i / 10) * 10)[0]!);
    for (const t of paced) expect(paced.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(10);
    expect(Math.max(...paced)).toBe(T0 + 2000);
  });
});
