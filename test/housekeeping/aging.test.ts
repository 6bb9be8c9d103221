import { describe, expect, it } from 'vitest';
import { agingDecisions, agingStartMs } from '../../src/housekeeping/aging.js';
import type { HkOrder, HkSettings } from '../../src/housekeeping/types.js';
import { istInstant } from '../../src/market/ist.js';

/** The default thresholds: notify after 1 hour, cancel after 4 (when allowed), archive after a day. */
const SETTINGS: HkSettings = {
  auto_cleanup_enabled: true,
  cleanup_sl_on_exit: true,
  cleanup_target_on_exit: true,
  allow_orphaned_orders: false,
  notify_on_orphan_detection: true,
  order_age_notify_minutes: 60,
  order_age_cancel_minutes: 240,
  cancel_aged_orders: true,
  order_age_archive_hours: 24,
  flatten_on_overfill: false,
};
const ist = (date: string, time: string) => istInstant(date, time);
const PLACED = ist('2026-11-25', '10:00').toISOString();

function order(o: Partial<HkOrder> = {}): HkOrder {
  return {
    order_id: '261125000000021',
    strategy_id: 1,
    source: 'external',
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    instrument_token: 408065,
    product: 'MIS',
    transaction_type: 'BUY',
    order_type: 'LIMIT',
    variety: 'regular',
    status: 'OPEN',
    quantity: 10,
    filled_quantity: 0,
    pending_quantity: 10,
    price: 1400,
    trigger_price: 0,
    average_price: 0,
    order_timestamp: PLACED,
    role: 'entry',
    oco_group_id: null,
    parent_position_id: null,
    ...o,
  };
}
const age = (
  orders: HkOrder[],
  date: string,
  time: string,
  s: Partial<HkSettings> = {},
  notified = new Set<string>(),
) =>
  agingDecisions(orders, ist(date, time), () => ({ ...SETTINGS, ...s }), notified).map((d) => [
    d.order_id,
    d.kind,
    d.age_minutes,
  ]);

describe('agingDecisions at the thresholds (order placed 10:00 IST)', () => {
  const o = order();
  it('nothing before an hour; notify at exactly 60 minutes', () => {
    expect(age([o], '2026-11-25', '10:59:59')).toEqual([]);
    expect(age([o], '2026-11-25', '11:00')).toEqual([[o.order_id, 'notify', 60]]);
  });

  it('notifies once', () => {
    expect(age([o], '2026-11-25', '11:15', {}, new Set([o.order_id]))).toEqual([]);
  });

  it('cancels an entry at exactly 240 minutes when cancel_aged_orders is on', () => {
    expect(age([o], '2026-11-25', '13:59:59', {}, new Set([o.order_id]))).toEqual([]);
    expect(age([o], '2026-11-25', '14:00')).toEqual([[o.order_id, 'cancel', 240]]);
  });

  it('only notifies (once) past 240 minutes when cancel_aged_orders is off', () => {
    expect(age([o], '2026-11-25', '14:00', { cancel_aged_orders: false })).toEqual([[o.order_id, 'notify', 240]]);
    expect(age([o], '2026-11-25', '14:00', { cancel_aged_orders: false }, new Set([o.order_id]))).toEqual([]);
  });

  it('archives at exactly 24 hours (a regular order does not live that long: stale data)', () => {
    expect(age([o], '2026-11-26', '09:59:59')).toEqual([[o.order_id, 'cancel', 1439]]);
    expect(age([o], '2026-11-26', '10:00')).toEqual([[o.order_id, 'archive', 1440]]);
  });

  it('takes the thresholds from the settings, and a threshold of 0 switches a step off', () => {
    expect(age([o], '2026-11-25', '10:30', { order_age_notify_minutes: 30 })).toEqual([[o.order_id, 'notify', 30]]);
    expect(age([o], '2026-11-27', '10:00', { order_age_archive_hours: 0, order_age_cancel_minutes: 0 })).toEqual([
      [o.order_id, 'notify', 2880],
    ]);
  });
});

describe('which orders age', () => {
  it('stops and targets are never notified or cancelled for their age, only archived when stale', () => {
    const sl = order({
      order_id: '261125000000022',
      role: 'stop',
      transaction_type: 'SELL',
      order_type: 'SL-M',
      status: 'TRIGGER PENDING',
    });
    const tgt = order({ order_id: '261125000000023', role: 'target', transaction_type: 'SELL', price: 1550 });
    expect(age([sl, tgt], '2026-11-25', '14:00')).toEqual([]);
    expect(age([sl, tgt], '2026-11-26', '10:00')).toEqual([
      [sl.order_id, 'archive', 1440],
      [tgt.order_id, 'archive', 1440],
    ]);
  });

  it('an order whose role is undecided is notified but not cancelled', () => {
    expect(age([order({ role: null })], '2026-11-25', '14:00')).toEqual([['261125000000021', 'notify', 240]]);
  });

  it('an order already being cancelled, or finished, gets nothing but an archive when stale', () => {
    expect(age([order({ status: 'CANCEL PENDING' })], '2026-11-25', '14:00')).toEqual([]);
    expect(age([order({ status: 'CANCEL PENDING' })], '2026-11-26', '10:00')).toEqual([
      ['261125000000021', 'archive', 1440],
    ]);
    expect(
      age([order({ status: 'COMPLETE', filled_quantity: 10, pending_quantity: 0 })], '2026-11-26', '10:00'),
    ).toEqual([]);
  });

  it('an order without a timestamp has no age', () => {
    expect(age([order({ order_timestamp: null })], '2026-11-30', '10:00')).toEqual([]);
  });

  it('a partly filled entry ages like any other', () => {
    expect(age([order({ filled_quantity: 4, pending_quantity: 6 })], '2026-11-25', '14:00')).toEqual([
      ['261125000000021', 'cancel', 240],
    ]);
  });

  it('lists each strategy in order, then order ids', () => {
    const a = order({ order_id: '261125000000031', strategy_id: 2 });
    const b = order({ order_id: '261125000000032', strategy_id: 1 });
    const c = order({ order_id: '261125000000030', strategy_id: 2 });
    expect(age([a, b, c], '2026-11-25', '11:00').map((d) => d[0])).toEqual([b.order_id, c.order_id, a.order_id]);
  });
});

describe('AMOs age from the session they go live in', () => {
  // Placed Friday 2026-11-27 at 18:00 IST for Monday's open (NFO normal session from 09:15).
  const amo = order({
    variety: 'amo',
    exchange: 'NFO',
    tradingsymbol: 'NIFTY26DECFUT',
    product: 'NRML',
    status: 'AMO REQ RECEIVED',
    order_timestamp: ist('2026-11-27', '18:00').toISOString(),
  });

  it('starts the clock at the next normal session open', () => {
    expect(new Date(agingStartMs(amo)).toISOString()).toBe(ist('2026-11-30', '09:15').toISOString());
  });

  it('is not stale on Sunday, 50 hours after it was placed', () => {
    expect(age([amo], '2026-11-29', '20:00')).toEqual([]);
  });

  it('is notified an hour after the open', () => {
    const live = { ...amo, status: 'OPEN' };
    expect(age([live], '2026-11-30', '10:14')).toEqual([]);
    expect(age([live], '2026-11-30', '10:15')).toEqual([[amo.order_id, 'notify', 60]]);
  });

  it('skips the holiday: placed Monday 2026-11-23 evening, live Wednesday 11-25 (Tuesday is Guru Nanak Jayanti)', () => {
    const hol = { ...amo, order_timestamp: ist('2026-11-23', '17:00').toISOString() };
    expect(new Date(agingStartMs(hol)).toISOString()).toBe(ist('2026-11-25', '09:15').toISOString());
  });

  it('a regular order ages from its timestamp whatever the session', () => {
    expect(agingStartMs(order())).toBe(Date.parse(PLACED));
  });
});
