import { describe, expect, it } from 'vitest';
import { judgeRoles } from '../../src/housekeeping/roles.js';
import type { HkOrder } from '../../src/housekeeping/types.js';

let seq = 0;
/** An open SELL SL-M 10 on INFY MIS placed at 10:0N IST on 2026-11-25 (N grows with each order). */
function order(o: Partial<HkOrder>): HkOrder {
  seq += 1;
  return {
    order_id: `26112500000000${String(seq).padStart(2, '0')}`,
    strategy_id: 1,
    source: 'external',
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    instrument_token: 408065,
    product: 'MIS',
    transaction_type: 'SELL',
    order_type: 'SL-M',
    variety: 'regular',
    status: 'TRIGGER PENDING',
    quantity: 10,
    filled_quantity: 0,
    pending_quantity: 10,
    price: 0,
    trigger_price: 1480,
    average_price: 0,
    order_timestamp: `2026-11-25T04:${String(30 + seq).padStart(2, '0')}:00.000Z`,
    role: null,
    oco_group_id: null,
    parent_position_id: null,
    ...o,
  };
}
const limitBuy = (o: Partial<HkOrder> = {}) =>
  order({ transaction_type: 'BUY', order_type: 'LIMIT', status: 'OPEN', price: 1450, trigger_price: 0, ...o });
const roles = (judged: { order_id: string; role: string }[]) =>
  Object.fromEntries(judged.map((j) => [j.order_id, j.role]));

describe('judging roles against the position', () => {
  it('calls a stop-loss against a long position a stop, and a resting LIMIT exit a target', () => {
    const sl = order({});
    const tgt = order({ order_type: 'LIMIT', status: 'OPEN', price: 1550, trigger_price: 0 });
    const judged = judgeRoles([sl, tgt], 10);
    expect(roles(judged)).toEqual({ [sl.order_id]: 'stop', [tgt.order_id]: 'target' });
    expect(judged[0]?.reason).toContain('long position of 10');
  });

  it('calls an exit-side order larger than the position a stop all the same (the excess is trimmed, not the role)', () => {
    const big = order({ quantity: 50, pending_quantity: 50 });
    expect(roles(judgeRoles([big], 25))).toEqual({ [big.order_id]: 'stop' });
  });

  it("treats MARKET, a mktp-tagged LIMIT and a LIMIT through the market at first sight as the user's exit", () => {
    const market = order({ order_type: 'MARKET', status: 'OPEN', trigger_price: 0 });
    const protectedLimit = order({
      order_type: 'LIMIT',
      status: 'OPEN',
      price: 1400,
      trigger_price: 0,
      tags: ['mktp'],
    });
    const through = order({ order_type: 'LIMIT', status: 'OPEN', price: 1490, trigger_price: 0 });
    const judged = judgeRoles([market, protectedLimit, through], 30, () => ({ lastPrice: 1500 }));
    expect(roles(judged)).toEqual({
      [market.order_id]: 'exit',
      [protectedLimit.order_id]: 'exit',
      [through.order_id]: 'exit',
    });
    // A sell above the last price rests: a target.
    const resting = order({ order_type: 'LIMIT', status: 'OPEN', price: 1550, trigger_price: 0 });
    expect(roles(judgeRoles([resting], 10, () => ({ lastPrice: 1500 })))).toEqual({ [resting.order_id]: 'target' });
  });

  it('calls an order that opens or adds an entry, and works the same for a short position', () => {
    const add = limitBuy();
    expect(roles(judgeRoles([add], 10))).toEqual({ [add.order_id]: 'entry' });
    const cover = order({ transaction_type: 'BUY' });
    expect(roles(judgeRoles([cover], -10))).toEqual({ [cover.order_id]: 'stop' });
    // A lone SL with nothing held and nothing entering is a breakout entry, not a stop.
    const breakout = order({});
    expect(roles(judgeRoles([breakout], 0))).toEqual({ [breakout.order_id]: 'entry' });
  });

  it('leaves an order type it does not know as an entry', () => {
    const odd = order({ order_type: 'ICEBERG-LIKE' });
    expect(judgeRoles([odd], 10)[0]).toMatchObject({
      role: 'entry',
      reason: expect.stringContaining('does not judge'),
    });
  });
});

describe('pending protection: a stop placed with its entry', () => {
  it('judges the stop and the target protective while the entry still rests', () => {
    const entry = limitBuy();
    const sl = order({});
    const tgt = order({ order_type: 'LIMIT', status: 'OPEN', price: 1550, trigger_price: 0 });
    const judged = judgeRoles([tgt, sl, entry], 0);
    expect(roles(judged)).toEqual({ [entry.order_id]: 'entry', [sl.order_id]: 'stop', [tgt.order_id]: 'target' });
    expect(judged.find((j) => j.order_id === sl.order_id)?.reason).toContain(`entry ${entry.order_id}`);
  });

  it('a stop first seen before its entry becomes protective once the entry arrives', () => {
    const sl = order({});
    expect(roles(judgeRoles([sl], 0))).toEqual({ [sl.order_id]: 'entry' });
    const entry = limitBuy({ order_timestamp: '2026-11-25T05:59:00.000Z' });
    const again = judgeRoles([{ ...sl, role: 'entry' }, entry], 0);
    expect(roles(again)).toEqual({ [entry.order_id]: 'entry', [sl.order_id]: 'stop' });
  });
});

describe('roles stay protective for the life of the order', () => {
  it('a stop whose position closed is still a stop (the orphan rules cancel it), never an entry again', () => {
    const sl = order({ role: 'stop' });
    const tgt = order({ order_type: 'LIMIT', status: 'OPEN', price: 1550, trigger_price: 0, role: 'target' });
    expect(judgeRoles([sl, tgt], 0)).toEqual([]);
    expect(judgeRoles([sl, tgt], -10)).toEqual([]);
  });

  it('judges nothing that is finished, unless first seen already filled', () => {
    expect(judgeRoles([order({ status: 'CANCELLED', pending_quantity: 0 })], 10)).toEqual([]);
    // A MARKET exit that filled at once: judged against the share before its own fill (10 + 0 -> 0).
    const exit = order({ order_type: 'MARKET', status: 'COMPLETE', filled_quantity: 10, pending_quantity: 0 });
    expect(judgeRoles([exit], 0)).toEqual([{ order_id: exit.order_id, role: 'exit', reason: expect.any(String) }]);
    const buy = limitBuy({ status: 'COMPLETE', filled_quantity: 10, pending_quantity: 0 });
    expect(roles(judgeRoles([buy], 10))).toEqual({ [buy.order_id]: 'entry' });
  });
});
