import { describe, expect, it } from 'vitest';
import type { BrokerOrder, BrokerPosition, BrokerTrade } from '../../src/domain/order.js';
import { CLOSED_BY_RECONCILIATION, tradeBookAverage } from '../../src/reconcile/orders.js';
import { type ReconcileInput, reconcileBooks } from '../../src/reconcile/reconcile.js';
import type { Books, SomBooks, SomOrder } from '../../src/reconcile/types.js';
import { order, T } from '../support/broker-order.js';

// The broker's books describe 2026-11-25 (IST); T('10:00:00') is 10:00 IST that day.
const DAY = '2026-11-25';
const YESTERDAY = (hhmmss: string) => new Date(`2026-11-24T${hhmmss}+05:30`).toISOString();
const SOM_TAG = 'so2xk3v9q0z7m1a8b2c'; // som's tag for strategy 2

const mine = (o: BrokerOrder, strategy_id = 2): SomOrder => ({ ...o, strategy_id });

function trade(trade_id: string, over: Partial<BrokerTrade> = {}): BrokerTrade {
  return {
    trade_id,
    order_id: '251125000000001',
    exchange_order_id: '1300000000000001',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    instrument_token: 779521,
    product: 'CNC',
    transaction_type: 'BUY',
    quantity: 10,
    average_price: 800.05,
    fill_timestamp: T('10:01:00'),
    exchange_timestamp: T('10:01:00'),
    ...over,
  };
}

function position(over: Partial<BrokerPosition> = {}): BrokerPosition {
  return {
    tradingsymbol: 'SBIN',
    exchange: 'NSE',
    instrument_token: 779521,
    product: 'MIS',
    quantity: 10,
    overnight_quantity: 0,
    multiplier: 1,
    average_price: 800.05,
    close_price: 0,
    last_price: 801,
    value: -8000.5,
    pnl: 9.5,
    m2m: 9.5,
    unrealised: 9.5,
    realised: 0,
    buy_quantity: 10,
    buy_price: 800.05,
    buy_value: 8000.5,
    buy_m2m: 8000.5,
    sell_quantity: 0,
    sell_price: 0,
    sell_value: 0,
    sell_m2m: 0,
    day_buy_quantity: 10,
    day_buy_price: 800.05,
    day_buy_value: 8000.5,
    day_sell_quantity: 0,
    day_sell_price: 0,
    day_sell_value: 0,
    ...over,
  };
}

const none = { orders: [], trades: [], positions: [] };

function run(som: Partial<SomBooks>, broker: Partial<Books>, over: Partial<ReconcileInput> = {}) {
  return reconcileBooks({
    day: DAY,
    som: { ...none, ...som },
    broker: { ...none, ...broker },
    priceTolerance: 0.01,
    ...over,
  });
}

/** A SBIN order filled in full: 10 at 800.05, its status COMPLETE at 10:01. */
const filled = order({
  tag: SOM_TAG,
  tags: [SOM_TAG],
  status: 'COMPLETE',
  filled_quantity: 10,
  pending_quantity: 0,
  average_price: 800.05,
  exchange_update_timestamp: T('10:01:00'),
});

describe('agreement', () => {
  it('identical books: no discrepancy, every count 0', () => {
    const r = run(
      { orders: [mine(filled)], trades: [trade('T1')], positions: [position()] },
      { orders: [filled], trades: [trade('T1')], positions: [position()] },
    );
    expect(r).toEqual({
      discrepancies: [],
      heals: [],
      counts: { QTY_MISMATCH: 0, MISSING: 0, PHANTOM: 0, PRICE_DISCREPANCY: 0, STATUS_MISMATCH: 0 },
    });
  });

  it("som's UPDATE (a WebSocket fill notice) is the broker's OPEN with the same fills", () => {
    const part = { status: 'OPEN', filled_quantity: 4, pending_quantity: 6, average_price: 800.05 };
    const r = run({ orders: [mine(order({ ...part, status: 'UPDATE' }))] }, { orders: [order(part)] });
    expect(r.discrepancies).toEqual([]);
  });

  it("earlier days' finished orders and fills are not in the broker's day books, and not compared", () => {
    const old = order({ order_id: 'OLD', status: 'COMPLETE', order_timestamp: YESTERDAY('10:00:00') });
    const oldFill = trade('T0', { order_id: 'OLD', fill_timestamp: YESTERDAY('10:01:00') });
    expect(run({ orders: [mine(old)], trades: [oldFill] }, {}).discrepancies).toEqual([]);
  });
});

describe('orders', () => {
  it("MISSING: the broker's order is adopted, for the strategy its tag names", () => {
    const r = run({}, { orders: [filled] });
    expect(r.discrepancies).toEqual([
      {
        id: 'MISSING:order:251125000000001',
        kind: 'MISSING',
        record: 'order',
        key: '251125000000001',
        strategy_id: 2,
        som: null,
        broker: {
          exchange: 'NSE',
          tradingsymbol: 'SBIN',
          transaction_type: 'BUY',
          status: 'COMPLETE',
          quantity: 10,
          filled_quantity: 10,
          pending_quantity: 0,
          cancelled_quantity: 0,
          average_price: 800.05,
        },
        message: 'the broker has order 251125000000001 (COMPLETE); som does not',
        heal: 'order:251125000000001',
        unhealed: null,
      },
    ]);
    expect(r.heals).toMatchObject([
      { id: 'order:251125000000001', action: 'adopt', strategy_id: 2, before: null, row: filled },
    ]);
    // An order placed elsewhere (not som's tag) belongs to no strategy until som files it.
    expect(run({}, { orders: [order({ tag: 'kiteweb' })] }).discrepancies[0]!.strategy_id).toBeNull();
    expect(r.counts.MISSING).toBe(1);
  });

  it('PHANTOM today: closed as REJECTED (the broker never had it); once closed it is not reported again', () => {
    const open = mine(order()); // OPEN, 10 pending, placed 10:00 today
    const r = run({ orders: [open] }, {});
    expect(r.discrepancies).toMatchObject([
      { kind: 'PHANTOM', record: 'order', key: '251125000000001', strategy_id: 2, broker: null },
    ]);
    const heal = r.heals[0]!;
    expect(heal).toMatchObject({
      action: 'close',
      before: { status: 'OPEN', pending_quantity: 10, status_message: null },
      after: { status: 'REJECTED', pending_quantity: 0, status_message: CLOSED_BY_RECONCILIATION },
      resolves: ['PHANTOM:order:251125000000001'],
    });
    // The row to store is the broker's shape only (som's own columns are not in it).
    expect(Object.keys(heal.row ?? {})).not.toContain('strategy_id');
    const closed = mine(heal.row as BrokerOrder);
    expect(run({ orders: [closed] }, {}).discrepancies).toEqual([]);
  });

  it('PHANTOM from an earlier day, still open in som: closed as CANCELLED (it lapsed)', () => {
    const stale = mine(order({ order_id: 'OLD', order_timestamp: YESTERDAY('10:00:00'), pending_quantity: 10 }));
    const [heal] = run({ orders: [stale] }, {}).heals;
    // cancelled 0 + pending 10 = 10
    expect(heal).toMatchObject({
      action: 'close',
      after: { status: 'CANCELLED', pending_quantity: 0, cancelled_quantity: 10 },
    });
  });

  it('PHANTOM with fills: nothing is changed, a person decides', () => {
    const r = run({ orders: [mine(filled)] }, {});
    expect(r.heals).toEqual([]);
    expect(r.discrepancies).toMatchObject([
      {
        kind: 'PHANTOM',
        heal: null,
        unhealed: 'som records fills of an order the broker does not have: left for a person',
      },
    ]);
  });

  it('STATUS_MISMATCH with QTY_MISMATCH: a cancel som missed; one heal adopts the broker order', () => {
    const cancelled = order({
      status: 'CANCELLED',
      pending_quantity: 0,
      cancelled_quantity: 10,
      exchange_update_timestamp: T('10:05:00'),
    });
    const r = run({ orders: [mine(order())] }, { orders: [cancelled] });
    expect(r.discrepancies.map((d) => [d.kind, d.heal])).toEqual([
      ['QTY_MISMATCH', 'order:251125000000001'],
      ['STATUS_MISMATCH', 'order:251125000000001'],
    ]);
    expect(r.discrepancies[1]).toMatchObject({ som: { status: 'OPEN' }, broker: { status: 'CANCELLED' } });
    expect(r.heals).toEqual([
      {
        id: 'order:251125000000001',
        action: 'update',
        record: 'order',
        key: '251125000000001',
        strategy_id: 2,
        before: { status: 'OPEN', pending_quantity: 10, cancelled_quantity: 0 },
        after: { status: 'CANCELLED', pending_quantity: 0, cancelled_quantity: 10 },
        row: cancelled,
        resolves: ['QTY_MISMATCH:order:251125000000001', 'STATUS_MISMATCH:order:251125000000001'],
      },
    ]);
  });

  it('QTY_MISMATCH alone: fills som missed while disconnected', () => {
    const part = (filledQty: number, at: string) =>
      order({
        filled_quantity: filledQty,
        pending_quantity: 10 - filledQty,
        average_price: 800.05,
        exchange_update_timestamp: T(at),
      });
    const r = run({ orders: [mine(part(3, '10:01:00'))] }, { orders: [part(6, '10:02:00')] });
    expect(r.discrepancies).toMatchObject([
      {
        kind: 'QTY_MISMATCH',
        som: { quantity: 10, filled_quantity: 3, pending_quantity: 7, cancelled_quantity: 0 },
        broker: { quantity: 10, filled_quantity: 6, pending_quantity: 4, cancelled_quantity: 0 },
        message: 'order 251125000000001: som has 3 of 10 filled, the broker 6 of 10',
      },
    ]);
    expect(r.heals[0]).toMatchObject({ before: { filled_quantity: 3, pending_quantity: 7 } });
  });

  it("som's copy newer than the broker's book: reported, not healed, looked at again next round", () => {
    // som saw the fill at 10:05 on the WebSocket; the REST book still shows 10:01, 5 filled.
    const ahead = mine(filled);
    const behind = order({
      filled_quantity: 5,
      pending_quantity: 5,
      average_price: 800.05,
      exchange_update_timestamp: T('10:00:30'),
    });
    const r = run({ orders: [ahead] }, { orders: [behind] });
    expect(r.heals).toEqual([]);
    expect(r.discrepancies.map((d) => d.kind)).toEqual(['QTY_MISMATCH', 'STATUS_MISMATCH']);
    expect(r.discrepancies[0]!.unhealed).toMatch(
      /^som's copy is newer than the broker's book \(.+\): checked again next round$/,
    );
  });

  describe('PRICE_DISCREPANCY against the trade book', () => {
    // Fills 4 at 800.00 and 6 at 800.10: (3200 + 4800.6) / 10 = 800.06
    const fills = [
      trade('T1', { quantity: 4, average_price: 800 }),
      trade('T2', { quantity: 6, average_price: 800.1 }),
    ];
    const at = (avg: number) => order({ ...filled, average_price: avg });

    it('the trade book average is the quantity-weighted average of all the order fills', () => {
      expect(tradeBookAverage(at(800.06), fills)).toBeCloseTo(800.06, 9);
      expect(tradeBookAverage(at(800.06), fills.slice(0, 1))).toBeNull(); // 4 of 10: not all of them
    });

    it("som's average off by 0.06: healed by adopting the broker's order, which agrees with its book", () => {
      const r = run({ orders: [mine(at(800))], trades: fills }, { orders: [at(800.06)], trades: fills });
      expect(r.discrepancies).toMatchObject([
        {
          kind: 'PRICE_DISCREPANCY',
          som: { average_price: 800 },
          broker: { average_price: 800.06 },
          heal: 'order:251125000000001',
        },
      ]);
      expect((r.discrepancies[0]!.broker!.trade_book_average as number) - 800.06).toBeCloseTo(0, 9);
      expect(r.heals[0]).toMatchObject({ before: { average_price: 800 }, after: { average_price: 800.06 } });
    });

    it('within the tolerance: no discrepancy (800.055 against 800.06 is 0.005 apart)', () => {
      expect(
        run({ orders: [mine(at(800.055))], trades: fills }, { orders: [at(800.06)], trades: fills }).discrepancies,
      ).toEqual([]);
    });

    it("the broker's own order disagrees with its trade book: reported, left for a person", () => {
      const r = run({ orders: [mine(at(800))], trades: fills }, { orders: [at(800)], trades: fills });
      expect(r.heals).toEqual([]);
      expect(r.discrepancies).toMatchObject([
        {
          kind: 'PRICE_DISCREPANCY',
          heal: null,
          unhealed: expect.stringMatching(/^the broker's order shows average price 800, its trade book 800\.06/),
        },
      ]);
    });

    it("without all the fills in the trade book, the broker order's average is the reference", () => {
      const r = run({ orders: [mine(at(800))], trades: fills }, { orders: [at(800.06)], trades: fills.slice(0, 1) });
      expect(r.discrepancies.find((d) => d.kind === 'PRICE_DISCREPANCY')).toMatchObject({
        broker: { average_price: 800.06, trade_book_average: null },
      });
    });
  });
});

describe('trades', () => {
  it('MISSING: a fill som missed is adopted, for its order strategy', () => {
    const r = run({ orders: [mine(filled, 5)] }, { orders: [filled], trades: [trade('T1')] });
    expect(r.discrepancies).toMatchObject([{ kind: 'MISSING', record: 'trade', key: 'NSE:T1', strategy_id: 5 }]);
    expect(r.heals).toMatchObject([{ action: 'adopt', record: 'trade', row: trade('T1') }]);
  });

  it('PHANTOM: removed when the broker has the order; left for a person when it has not', () => {
    const r = run(
      { orders: [mine(filled)], trades: [trade('T1'), trade('T9')] },
      { orders: [filled], trades: [trade('T1')] },
    );
    expect(r.discrepancies).toMatchObject([{ kind: 'PHANTOM', record: 'trade', key: 'NSE:T9' }]);
    expect(r.heals).toMatchObject([
      { action: 'remove', key: 'NSE:T9', before: { quantity: 10 }, after: null, row: null },
    ]);

    const orphanFill = trade('T7', { order_id: 'GONE' });
    const lone = run({ trades: [orphanFill] }, {});
    expect(lone.discrepancies).toMatchObject([
      { kind: 'PHANTOM', heal: null, unhealed: 'the broker has no order GONE either: left for a person' },
    ]);
  });

  it('QTY_MISMATCH and PRICE_DISCREPANCY on one fill: one update', () => {
    const r = run(
      { orders: [mine(filled)], trades: [trade('T1', { quantity: 5, average_price: 800 })] },
      { orders: [filled], trades: [trade('T1')] },
    );
    expect(r.discrepancies.map((d) => d.kind)).toEqual(['QTY_MISMATCH', 'PRICE_DISCREPANCY']);
    expect(r.heals).toMatchObject([
      { action: 'update', before: { quantity: 5, average_price: 800 }, after: { quantity: 10, average_price: 800.05 } },
    ]);
  });
});

describe('positions', () => {
  it('MISSING: adopted, even flat (it carries the day realised P&L)', () => {
    const flat = position({ quantity: 0, realised: 12.5 });
    const r = run({}, { positions: [flat] });
    expect(r.discrepancies).toMatchObject([
      { kind: 'MISSING', record: 'position', key: 'NSE:SBIN:MIS', strategy_id: null },
    ]);
    expect(r.heals).toMatchObject([{ action: 'adopt', row: flat }]);
  });

  it('PHANTOM: an open position the broker does not list is closed; a flat one is no discrepancy', () => {
    const r = run({ positions: [position()] }, {});
    expect(r.heals).toMatchObject([{ action: 'close', before: { quantity: 10 }, after: { quantity: 0 } }]);
    expect(r.heals[0]!.row).toEqual({ ...position(), quantity: 0 });
    expect(run({ positions: [position({ quantity: 0 })] }, {}).discrepancies).toEqual([]);
  });

  it('QTY_MISMATCH and PRICE_DISCREPANCY: the broker position is adopted', () => {
    const theirs = position({ quantity: 15, buy_quantity: 15, average_price: 800.2 });
    const r = run({ positions: [position()] }, { positions: [theirs] });
    expect(r.discrepancies).toMatchObject([
      { kind: 'QTY_MISMATCH', som: { quantity: 10, buy_quantity: 10 }, broker: { quantity: 15, buy_quantity: 15 } },
      { kind: 'PRICE_DISCREPANCY', som: { average_price: 800.05 }, broker: { average_price: 800.2 } },
    ]);
    expect(r.heals).toMatchObject([
      { action: 'update', before: { quantity: 10, buy_quantity: 10, average_price: 800.05 } },
    ]);
  });

  it('a flat position has no average price to compare', () => {
    const flat = (avg: number) => position({ quantity: 0, average_price: avg });
    expect(run({ positions: [flat(800.05)] }, { positions: [flat(0)] }).discrepancies).toEqual([]);
  });
});

describe('per strategy', () => {
  it("a round for one strategy keeps its orders and fills, and leaves out others' and the account's positions", () => {
    const two = order({ order_id: 'A', tag: SOM_TAG });
    const three = order({ order_id: 'B', tag: 'so3xk3v9q0z7m1a8b2c' });
    const broker: Partial<Books> = {
      orders: [two, three],
      trades: [trade('T1', { order_id: 'A' })],
      positions: [position()],
    };
    const all = run({}, broker);
    expect(all.discrepancies.map((d) => [d.key, d.strategy_id])).toEqual([
      ['A', 2],
      ['B', 3],
      ['NSE:T1', 2],
      ['NSE:SBIN:MIS', null],
    ]);
    const only2 = run({}, broker, { strategyId: 2 });
    expect(only2.discrepancies.map((d) => d.key)).toEqual(['A', 'NSE:T1']);
    expect(only2.heals.map((h) => h.key)).toEqual(['A', 'NSE:T1']);
    expect(only2.counts).toEqual({ QTY_MISMATCH: 0, MISSING: 2, PHANTOM: 0, PRICE_DISCREPANCY: 0, STATUS_MISMATCH: 0 });
  });
});
