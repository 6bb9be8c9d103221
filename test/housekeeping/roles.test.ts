import { describe, expect, it } from 'vitest';
import { inferRole } from '../../src/housekeeping/roles.js';
import type { HkOrder } from '../../src/housekeeping/types.js';

function order(o: Partial<HkOrder>): HkOrder {
  return {
    order_id: '261125000000001',
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
    order_timestamp: '2026-11-25T04:31:00.000Z',
    role: null,
    oco_group_id: null,
    parent_position_id: null,
    ...o,
  };
}

describe('inferRole: an order som did not place, judged against the position before it', () => {
  it('calls a stop-loss against a long position a stop', () => {
    expect(inferRole(order({ order_type: 'SL-M' }), 10).role).toBe('stop');
    expect(inferRole(order({ order_type: 'SL', price: 1479, quantity: 5, pending_quantity: 5 }), 10).role).toBe('stop');
  });

  it('calls a resting LIMIT exit a target, and records how it decided', () => {
    const r = inferRole(order({ order_type: 'LIMIT', price: 1550, trigger_price: 0, status: 'OPEN' }), 10);
    expect(r.role).toBe('target');
    expect(r.reason).toContain('long position of 10');
    // Priced beyond the market (a sell above the last price): still a target.
    expect(inferRole(order({ order_type: 'LIMIT', price: 1550, status: 'OPEN' }), 10, { lastPrice: 1500 }).role).toBe(
      'target',
    );
  });

  it('treats a marketable LIMIT exit as an immediate exit, not a target', () => {
    const r = inferRole(order({ order_type: 'LIMIT', price: 1490, status: 'OPEN' }), 10, { lastPrice: 1500 });
    expect(r).toEqual({ role: 'entry', reason: expect.stringContaining('marketable') });
  });

  it('classes a MARKET exit as entry, so the orphan rules never cancel it', () => {
    const r = inferRole(order({ order_type: 'MARKET', trigger_price: 0 }), 10);
    expect(r.role).toBe('entry');
    expect(r.reason).toContain('market exit');
  });

  it('works the same way for a short position (BUY exits)', () => {
    expect(inferRole(order({ transaction_type: 'BUY', order_type: 'SL-M' }), -10).role).toBe('stop');
    expect(inferRole(order({ transaction_type: 'BUY', order_type: 'LIMIT', price: 1400 }), -10).role).toBe('target');
  });

  it('calls an order that opens, adds or reverses an entry', () => {
    expect(inferRole(order({ order_type: 'SL-M' }), 0).role).toBe('entry'); // no position: a breakout entry
    expect(inferRole(order({ transaction_type: 'BUY', order_type: 'SL-M' }), 10).role).toBe('entry'); // adds to the long
    const reverse = inferRole(order({ order_type: 'SL-M', quantity: 15, pending_quantity: 15 }), 10);
    expect(reverse.role).toBe('entry');
    expect(reverse.reason).toContain('reverses');
    // Equal to the position is still protective.
    expect(inferRole(order({ order_type: 'SL-M', quantity: 10 }), 10).role).toBe('stop');
  });

  it('leaves an order type it does not know alone', () => {
    expect(inferRole(order({ order_type: 'ICEBERG?' }), 10).role).toBe('entry');
  });
});
