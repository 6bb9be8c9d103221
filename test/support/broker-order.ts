import type { BrokerOrder } from '../../src/domain/order.js';

// 2026-11-25 (a Wednesday) in IST; the store and the domain carry UTC instants.
export const T = (hhmmss: string): string => new Date(`2026-11-25T${hhmmss}+05:30`).toISOString();

/** A SBIN CNC limit buy of 10 at 800.05, as GET /orders shows it just after placement. */
export function order(overrides: Partial<BrokerOrder> = {}): BrokerOrder {
  return {
    order_id: '251125000000001',
    exchange_order_id: '1300000000000001',
    parent_order_id: null,
    status: 'OPEN',
    status_message: null,
    status_message_raw: null,
    order_timestamp: T('10:00:00'),
    exchange_timestamp: T('10:00:00'),
    exchange_update_timestamp: T('10:00:00'),
    variety: 'regular',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    instrument_token: 779521,
    order_type: 'LIMIT',
    transaction_type: 'BUY',
    validity: 'DAY',
    product: 'CNC',
    quantity: 10,
    disclosed_quantity: 0,
    price: 800.05,
    trigger_price: 0,
    average_price: 0,
    filled_quantity: 0,
    pending_quantity: 10,
    cancelled_quantity: 0,
    market_protection: 0,
    tag: 'som1',
    tags: ['som1'],
    placed_by: 'AB1234',
    guid: 'g-1',
    modified: false,
    ...overrides,
  };
}
