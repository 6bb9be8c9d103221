import { describe, expect, it } from 'vitest';
import { type OrderUpdateContext, planOrderUpdate } from '../../src/domain/order-update.js';
import { order, T } from '../support/broker-order.js';

/** som holds the order COMPLETE: 10 filled at 800.05, all of it in strategy 2's share. */
const held = {
  ...order({
    status: 'COMPLETE',
    filled_quantity: 10,
    pending_quantity: 0,
    average_price: 800.05,
    exchange_update_timestamp: T('10:01:00'),
  }),
  strategy_id: 2,
  source: 'som' as const,
  allocated_quantity: 10,
};

const ctx: OrderUpdateContext = {
  held,
  taggedStrategyId: 2,
  parentStrategyId: null,
  defaultStrategyId: 1,
  shares: [{ strategy_id: 2, exchange: 'NSE', tradingsymbol: 'SBIN', product: 'CNC', quantity: 10, entry_seq: 1 }],
  exposures: [],
};

// The broker's book says the order is still OPEN with 4 filled, later than som's copy: it
// contradicts COMPLETE (fills never shrink, a finished order never reopens).
const contradiction = order({
  status: 'OPEN',
  filled_quantity: 4,
  pending_quantity: 6,
  average_price: 800.05,
  exchange_update_timestamp: T('10:05:00'),
});

describe('an order update that contradicts som’s copy', () => {
  it('is refused from the feed or a refresh', () => {
    for (const source of ['websocket', 'refresh'] as const) {
      const plan = planOrderUpdate(contradiction, ctx, source);
      expect(plan).toMatchObject({ kind: 'refused', event: { type: 'ORDER_UPDATE_REFUSED' } });
    }
  });

  it('is adopted by reconciliation, the broker being the truth; no fill is shared out twice', () => {
    const plan = planOrderUpdate(contradiction, ctx, 'reconcile');
    expect(plan.kind).toBe('apply');
    if (plan.kind !== 'apply') return;
    expect(plan.order.status).toBe('OPEN');
    // 10 were shared out already; the broker's 4 add nothing (the position basis adopts the rest).
    expect(plan.allocations).toEqual([]);
    expect(plan.allocatedQuantity).toBe(10);
    // A finished order's story is over: no lifecycle event is made up for the reopening.
    expect(plan.events).toEqual([]);
  });
});
