import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/domain/strategy-settings.js';
import { type HousekeepingState, planHousekeeping } from '../../src/housekeeping/plan.js';
import type { HkOrder, HkPosition, HkSettings } from '../../src/housekeeping/types.js';
import { istInstant } from '../../src/market/ist.js';

const NOW = istInstant('2026-11-25', '10:45');
let seq = 0;
const order = (o: Partial<HkOrder>): HkOrder => {
  seq += 1;
  return {
    order_id: `26112500000${String(seq).padStart(4, '0')}`,
    strategy_id: 1,
    source: 'external',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    instrument_token: 779521,
    product: 'MIS',
    transaction_type: 'SELL',
    order_type: 'SL-M',
    variety: 'regular',
    status: 'TRIGGER PENDING',
    quantity: 25,
    filled_quantity: 0,
    pending_quantity: 25,
    price: 0,
    trigger_price: 950,
    average_price: 0,
    order_timestamp: istInstant('2026-11-25', `10:${String(seq % 60).padStart(2, '0')}`).toISOString(),
    role: null,
    oco_group_id: null,
    parent_position_id: null,
    ...o,
  };
};
const share = (quantity: number): HkPosition => ({
  strategy_id: 1,
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  product: 'MIS',
  quantity,
  position_id: 1,
});
const state = (orders: HkOrder[], positions: HkPosition[], s: Partial<HousekeepingState> = {}): HousekeepingState => ({
  orders,
  gttLegs: [],
  positions,
  settingsFor: () => PROFILES.default as HkSettings,
  isExpired: () => false,
  retry: () => ({ attempts: 0, nextAt: null }),
  firstSight: () => ({}),
  ...s,
});

describe('a housekeeping pass', () => {
  it('judges a stop first seen after its position closed, and cancels it in the same pass', () => {
    const stop = order({});
    const plan = planHousekeeping(state([stop], [share(0)]), { now: NOW, trigger: 'event' });
    // No position and no entry: it opens a position when it fires (a breakout entry), so it stays an entry.
    expect(plan.roles).toMatchObject([{ order_id: stop.order_id, role: 'entry' }]);
    expect(plan.orphans).toEqual([]);
    // The same stop judged while the long 25 stood, then the position closed: an orphan, cancelled now.
    const judged = { ...stop, role: 'stop' as const };
    const closed = planHousekeeping(state([judged], [share(0)]), { now: NOW, trigger: 'event' });
    expect(closed.orphans).toMatchObject([
      { act: { kind: 'cancel' }, deferral: null, detection: { reason: 'POSITION_CLOSED' } },
    ]);
  });

  it('a stop and a target placed with their entry are judged protective and kept (pending protection)', () => {
    const entry = order({ transaction_type: 'BUY', order_type: 'LIMIT', status: 'OPEN', price: 940, trigger_price: 0 });
    const stop = order({});
    const target = order({ order_type: 'LIMIT', status: 'OPEN', price: 990, trigger_price: 0 });
    const plan = planHousekeeping(state([entry, stop, target], [share(0)]), { now: NOW, trigger: 'event' });
    expect(Object.fromEntries(plan.roles.map((r) => [r.order_id, r.role]))).toEqual({
      [entry.order_id]: 'entry',
      [stop.order_id]: 'stop',
      [target.order_id]: 'target',
    });
    expect(plan.orphans).toEqual([]);
  });

  it('an orphan waiting out its backoff is deferred on an order update, acted on by the sweep', () => {
    const stop = order({ role: 'stop' });
    const retry = () => ({ attempts: 2, nextAt: istInstant('2026-11-25', '10:46').toISOString() });
    const onEvent = planHousekeeping(state([stop], [share(0)], { retry }), { now: NOW, trigger: 'event' });
    expect(onEvent.orphans).toMatchObject([{ act: null, deferral: { kind: 'backoff' } }]);
    const onSweep = planHousekeeping(state([stop], [share(0)], { retry }), { now: NOW, trigger: 'sweep' });
    expect(onSweep.orphans).toMatchObject([{ act: { kind: 'cancel' }, deferral: null }]);
  });

  it('strict mode off reports; --force acts all the same; --strategy keeps to one strategy', () => {
    const stop = order({ role: 'stop' });
    const relaxed = () => ({ ...(PROFILES.default as HkSettings), allow_orphaned_orders: true });
    const reported = planHousekeeping(state([stop], [share(0)], { settingsFor: relaxed }), {
      now: NOW,
      trigger: 'user',
    });
    expect(reported.orphans).toMatchObject([{ act: null, deferral: null }]);
    const forced = planHousekeeping(state([stop], [share(0)], { settingsFor: relaxed }), {
      now: NOW,
      trigger: 'user',
      force: true,
    });
    expect(forced.orphans).toMatchObject([{ act: { kind: 'cancel' } }]);
    expect(planHousekeeping(state([stop], [share(0)]), { now: NOW, trigger: 'user', strategyId: 9 }).orphans).toEqual(
      [],
    );
  });

  it('closes an OCO group whose legs are all done, and reports an overfill', () => {
    const stop = order({ role: 'stop', oco_group_id: 5, status: 'COMPLETE', filled_quantity: 25, pending_quantity: 0 });
    const target = order({
      role: 'target',
      oco_group_id: 5,
      order_type: 'LIMIT',
      status: 'COMPLETE',
      filled_quantity: 25,
      pending_quantity: 0,
    });
    const plan = planHousekeeping(state([stop, target], [share(-25)]), { now: NOW, trigger: 'sweep' });
    expect(plan.finishedGroups).toEqual([5]);
    expect(plan.overfills).toMatchObject([{ kind: 'overfill', excess: 25, quantity: 25, side: 'BUY' }]);
  });
});
