import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KiteCharges } from '../../src/costs/charges.js';
import {
  type CostedOrder,
  insertCostEstimate,
  linkCostEstimate,
  recordActualCharges,
} from '../../src/store/cost-breakdowns.js';
import { openStore, type Store } from '../../src/store/database.js';
import { getOrder, upsertOrder } from '../../src/store/orders.js';
import { createStrategy, findStrategy } from '../../src/store/strategies.js';
import { order } from '../support/broker-order.js';

const AT = new Date('2026-11-25T04:30:00.000Z'); // 10:00 IST
const LATER = new Date('2026-11-25T04:45:00.000Z');

/** Hand-made charges (binary fractions, so the sums below are exact). */
function charges(brokerage: number, total: number): KiteCharges {
  return {
    transaction_tax: 1,
    transaction_tax_type: 'stt',
    exchange_turnover_charge: 0.5,
    sebi_turnover_charge: 0.25,
    brokerage,
    stamp_duty: 0.125,
    gst: { igst: 2, cgst: 0, sgst: 0, total: 2 },
    total,
  };
}

describe('cost breakdowns', () => {
  let dir: string;
  let store: Store;
  let swing: number;

  const costed = (overrides: Partial<CostedOrder> = {}): CostedOrder => ({
    strategyId: swing,
    tag: 'so2xabc',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    product: 'MIS',
    side: 'BUY',
    quantity: 10,
    price: 800,
    tradeDate: '2026-11-25',
    charges: charges(2.4, 6.5),
    orderValue: 8000,
    ...overrides,
  });
  const totals = async () => {
    const s = await findStrategy(store.db, swing);
    return { brokerage: s.total_brokerage_paid, taxes: s.total_taxes_paid };
  };
  const actualRows = () =>
    store.db.selectFrom('order_cost_breakdown').selectAll().where('kind', '=', 'actual').execute();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-costs-'));
    store = await openStore(join(dir, 'som.db'));
    swing = (await createStrategy(store.db, 'swing', 'default', AT)).id;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an estimate is stored before the order exists, then linked both ways once the broker names the order', async () => {
    const id = await insertCostEstimate(store.db, costed(), AT);
    await upsertOrder(store.db, {
      order: order({ order_id: '251125000000007', tag: 'so2xabc', tags: ['so2xabc'] }),
      strategyId: swing,
      source: 'som',
      now: AT,
    });
    expect(await linkCostEstimate(store.db, 'so2xabc', '251125000000007')).toBe(id);
    expect((await getOrder(store.db, '251125000000007'))?.cost_breakdown_id).toBe(id);
    const row = await store.db
      .selectFrom('order_cost_breakdown')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'estimate', order_id: '251125000000007', total: 6.5, order_value: 8000 });
    // no estimate under a tag: nothing to link
    expect(await linkCostEstimate(store.db, 'so2xnone', '251125000000008')).toBeNull();
  });

  it("the strategy's totals hold each order's latest actual charges once, however often it fills", async () => {
    // first fill, 4 of 10: brokerage 2, total 5.5 -> taxes 5.5 - 2 = 3.5
    expect(
      await recordActualCharges(
        store.db,
        { ...costed({ quantity: 4, charges: charges(2, 5.5) }), orderId: '251125000000007' },
        AT,
      ),
    ).toEqual({ brokerage: 2, taxes: 3.5 });
    expect(await totals()).toEqual({ brokerage: 2, taxes: 3.5 });
    // filled to 10: charges on all 10 are brokerage 4.75, total 12.25 -> taxes 7.5;
    // the totals move by 4.75 - 2 = 2.75 and 7.5 - 3.5 = 4
    expect(
      await recordActualCharges(
        store.db,
        {
          ...costed({ quantity: 10, tradeDate: '2026-11-26', charges: charges(4.75, 12.25) }),
          orderId: '251125000000007',
        },
        LATER,
      ),
    ).toEqual({ brokerage: 2.75, taxes: 4 });
    expect(await totals()).toEqual({ brokerage: 4.75, taxes: 7.5 });
    const rows = await actualRows();
    expect(rows).toHaveLength(1);
    // the figures follow the fills; the trade date stays the first fill's
    expect(rows[0]).toMatchObject({
      order_id: '251125000000007',
      quantity: 10,
      brokerage: 4.75,
      total: 12.25,
      trade_date: '2026-11-25',
      created_at: AT.toISOString(),
      updated_at: LATER.toISOString(),
    });
  });

  it('a fill is booked whole or not at all: when the totals cannot move, no actual charges are stored', async () => {
    await sql
      .raw(`CREATE TRIGGER frozen BEFORE UPDATE ON strategies BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
      .execute(store.db);
    await expect(recordActualCharges(store.db, { ...costed(), orderId: '251125000000009' }, AT)).rejects.toThrow(
      'disk full',
    );
    expect(await actualRows()).toEqual([]);
    expect(await totals()).toEqual({ brokerage: 0, taxes: 0 });
  });
});
