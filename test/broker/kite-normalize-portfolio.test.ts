import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeGtt, normalizeHolding } from '../../src/broker/kite-normalize.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/kite', name), 'utf8')).data as unknown[];

describe("Kite's GTT triggers and holdings as som reads them", () => {
  it("reads Kite's sample GTTs: type, status, condition and orders; IST stamps as instants", () => {
    const [single, twoLeg] = fixture('gtt_get_orders.json').map(normalizeGtt);
    expect(single).toMatchObject({
      id: 112127,
      type: 'single',
      status: 'active',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      instrument_token: 408065,
      trigger_values: [702],
      last_price: 798,
      orders: [{ transaction_type: 'BUY', quantity: 1, product: 'CNC', order_type: 'LIMIT', price: 702.5 }],
      // 2019-09-12 13:25:16 IST
      created_at: '2019-09-12T07:55:16.000Z',
    });
    expect(twoLeg).toMatchObject({ type: 'two-leg', status: 'triggered', trigger_values: [102, 103.7] });
    expect(twoLeg?.orders).toHaveLength(2);
  });

  it('refuses a GTT it cannot read, naming what is wrong', () => {
    expect(() => normalizeGtt({ id: 1, type: 'three-leg', condition: {}, orders: [] })).toThrow(
      /type Kite does not document/,
    );
    expect(() => normalizeGtt({ id: 1, type: 'single', condition: { trigger_values: [] }, orders: [] })).toThrow(
      /no trigger values/,
    );
  });

  it("reads Kite's sample holdings: settled, T+1 and sold-today quantities", () => {
    const holdings = fixture('holdings.json').map(normalizeHolding);
    expect(holdings.length).toBeGreaterThan(0);
    for (const h of holdings) {
      expect(h.exchange).toMatch(/^(NSE|BSE)$/);
      expect(Number.isInteger(h.quantity) && Number.isInteger(h.t1_quantity)).toBe(true);
    }
    expect(holdings[0]).toMatchObject({ tradingsymbol: 'AARON', quantity: 1, average_price: 161 });
  });
});
