import { describe, expect, it } from 'vitest';
import { ocoDecisions } from '../../src/housekeeping/oco.js';
import type { HkOrder, HkPosition } from '../../src/housekeeping/types.js';

function leg(o: Partial<HkOrder>): HkOrder {
  return {
    order_id: 'x',
    strategy_id: 1,
    source: 'som',
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
    order_timestamp: '2026-11-25T04:31:00.000Z',
    role: 'stop',
    oco_group_id: 7,
    parent_position_id: null,
    ...o,
  };
}
const stop = (o: Partial<HkOrder> = {}) => leg({ order_id: '261125000000011', ...o });
const target = (o: Partial<HkOrder> = {}) =>
  leg({
    order_id: '261125000000012',
    order_type: 'LIMIT',
    status: 'OPEN',
    price: 1550,
    trigger_price: 0,
    role: 'target',
    ...o,
  });
const filled = (q: number, quantity = 10): Partial<HkOrder> =>
  q >= quantity
    ? { status: 'COMPLETE', quantity, filled_quantity: q, pending_quantity: 0 }
    : { status: 'OPEN', quantity, filled_quantity: q, pending_quantity: quantity - q };
const pos = (quantity: number): HkPosition => ({
  strategy_id: 1,
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  product: 'MIS',
  quantity,
  position_id: 70,
});
const FLATTEN = { flatten_on_overfill: true };

describe('ocoDecisions', () => {
  it('does nothing while neither leg has filled', () => {
    expect(ocoDecisions({ group: [stop(), target()], position: pos(10), settings: FLATTEN })).toEqual([]);
    // Even when the position shrank by other means: that is excess quantity, not OCO.
    expect(ocoDecisions({ group: [stop(), target()], position: pos(5), settings: FLATTEN })).toEqual([]);
  });

  it('one leg filled fully: cancels the other', () => {
    expect(ocoDecisions({ group: [stop(), target(filled(10))], position: pos(0), settings: FLATTEN })).toMatchObject([
      { kind: 'cancel', order_id: '261125000000011', reason: 'OCO_FILLED' },
    ]);
  });

  it('target partly filled 6 of 10: the stop keeps 4 pending, new total quantity 0 + 4 = 4', () => {
    expect(ocoDecisions({ group: [stop(), target(filled(6))], position: pos(4), settings: FLATTEN })).toMatchObject([
      { kind: 'reduce', order_id: '261125000000011', quantity: 4 },
    ]);
  });

  it('the stop partly filled 3: the target is reduced to 7; a later partial fill reduces again from there', () => {
    expect(ocoDecisions({ group: [stop(filled(3)), target()], position: pos(7), settings: FLATTEN })).toMatchObject([
      { kind: 'reduce', order_id: '261125000000012', quantity: 7 },
    ]);
    // Target now 7 (reduced), 2 of it filled; stop still 3 of 10: F = 5, Q = 10, 5 left.
    // Target pending 5 = 5 left: unchanged; stop pending 7 > 5: new quantity 3 + 5 = 8.
    expect(
      ocoDecisions({ group: [stop(filled(3)), target(filled(2, 7))], position: pos(5), settings: FLATTEN }),
    ).toMatchObject([{ kind: 'reduce', order_id: '261125000000011', quantity: 8 }]);
  });

  it('needs no position: without one it goes by the fills alone', () => {
    expect(ocoDecisions({ group: [stop(), target(filled(6))], position: null, settings: FLATTEN })).toMatchObject([
      { kind: 'reduce', quantity: 4 },
    ]);
  });

  it('never protects more than the position on the entry side', () => {
    // Target filled 6 and the user sold 2 more by hand: position 2, so each leg keeps 2 pending:
    // the stop 0 + 2 = 2, the target 6 + 2 = 8.
    expect(ocoDecisions({ group: [stop(), target(filled(6))], position: pos(2), settings: FLATTEN })).toMatchObject([
      { kind: 'reduce', order_id: '261125000000011', quantity: 2 },
      { kind: 'reduce', order_id: '261125000000012', quantity: 8 },
    ]);
  });

  it('a group protecting part of a larger position only shrinks by its own fills', () => {
    // Long 20, the group covers 10; the target fills 6: 4 left for the group, though 14 are held.
    expect(ocoDecisions({ group: [stop(), target(filled(6))], position: pos(14), settings: FLATTEN })).toMatchObject([
      { kind: 'reduce', quantity: 4 },
    ]);
  });

  it('both legs filled: an overfill of 10, BUY to flatten, high priority, flatten per the setting', () => {
    // Long 10; stop and target each sold 10: short 10. F = 20, Q = 10, excess 10.
    const both = [stop(filled(10)), target(filled(10))];
    const [d] = ocoDecisions({ group: both, position: pos(-10), settings: FLATTEN });
    expect(d).toMatchObject({
      kind: 'overfill',
      excess: 10,
      quantity: 10,
      side: 'BUY',
      flatten: true,
      priority: 'high',
      oco_group_id: 7,
      order_ids: ['261125000000011', '261125000000012'],
      tradingsymbol: 'INFY',
      product: 'MIS',
    });
    expect(
      ocoDecisions({ group: both, position: pos(-10), settings: { flatten_on_overfill: false } })[0],
    ).toMatchObject({
      kind: 'overfill',
      quantity: 10,
      flatten: false,
    });
  });

  it('overfill while one leg still rests: cancels it and reports the overfill', () => {
    // The stop, reduced to 4, filled its 4; the target meanwhile filled 8 of 10.
    // F = 12, Q = 10: 2 too many; position 10 - 12 = -2. The target's last 2 are cancelled.
    const found = ocoDecisions({
      group: [stop(filled(4, 4)), target(filled(8))],
      position: pos(-2),
      settings: FLATTEN,
    });
    expect(found.map((d) => d.kind)).toEqual(['cancel', 'overfill']);
    expect(found[1]).toMatchObject({ excess: 2, quantity: 2, side: 'BUY', flatten: true });
  });

  it('flattens no more than what stands on the exit side', () => {
    // The group covered 10 of a long 20; both legs filled: flat, nothing unwanted to flatten.
    const [d] = ocoDecisions({ group: [stop(filled(10)), target(filled(10))], position: pos(0), settings: FLATTEN });
    expect(d).toMatchObject({ kind: 'overfill', excess: 10, quantity: 0, flatten: false });
    // A short group (BUY exits) that overfilled leaves a long: SELL to flatten.
    const [s] = ocoDecisions({
      group: [stop({ transaction_type: 'BUY', ...filled(10) }), target({ transaction_type: 'BUY', ...filled(10) })],
      position: pos(10),
      settings: FLATTEN,
    });
    expect(s).toMatchObject({ kind: 'overfill', quantity: 10, side: 'SELL' });
  });

  it('refuses a group that is not two exits of one position', () => {
    expect(ocoDecisions({ group: [stop()], position: null, settings: FLATTEN })).toMatchObject([
      { kind: 'error', code: 'OCO_GROUP_SIZE' },
    ]);
    expect(
      ocoDecisions({ group: [stop(), target({ transaction_type: 'BUY' })], position: null, settings: FLATTEN }),
    ).toMatchObject([{ kind: 'error', code: 'OCO_GROUP_MISMATCH' }]);
    expect(
      ocoDecisions({ group: [stop(), target({ tradingsymbol: 'TCS' })], position: null, settings: FLATTEN }),
    ).toMatchObject([{ kind: 'error', code: 'OCO_GROUP_MISMATCH' }]);
  });

  it('does not touch a leg already being cancelled', () => {
    expect(
      ocoDecisions({
        group: [stop({ status: 'CANCEL PENDING' }), target(filled(10))],
        position: pos(0),
        settings: FLATTEN,
      }),
    ).toEqual([]);
  });
});
