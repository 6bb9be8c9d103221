import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrokerOrder } from '../../src/domain/order.js';
import { openStore, type Store } from '../../src/store/database.js';
import { findOrderByTag, getOrder, listOrders, upsertOrder } from '../../src/store/orders.js';
import { syncPositions } from '../../src/store/positions.js';
import { createStrategy } from '../../src/store/strategies.js';
import { order as baseOrder, T } from '../support/broker-order.js';

const AT = new Date('2026-11-25T04:30:00.000Z'); // 10:00 IST
const LATER = new Date('2026-11-25T04:35:00.000Z');
/** The shared builder, with the strategy named in a second tag as Kite web shows it. */
const order = (overrides: Partial<BrokerOrder> = {}): BrokerOrder =>
  baseOrder({ tags: ['som1', 'strategy:swing'], ...overrides });

describe('orders store', () => {
  let dir: string;
  let store: Store;
  let swing: number;
  let other: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-orders-'));
    store = await openStore(join(dir, 'som.db'));
    swing = (await createStrategy(store.db, 'swing', 'default', AT)).id;
    other = (await createStrategy(store.db, 'other', 'default', AT)).id;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a new order with every broker field, its strategy and source', async () => {
    const o = order();
    expect(await upsertOrder(store.db, { order: o, strategyId: swing, source: 'som', now: AT })).toEqual({
      created: true,
    });
    expect(await getOrder(store.db, o.order_id)).toEqual({
      ...o,
      strategy_id: swing,
      strategy: 'swing',
      source: 'som',
      pre_execution_analysis_id: null,
      cost_breakdown_id: null,
      is_orphaned: false,
      orphaned_reason: null,
      parent_position_id: null,
      created_at: AT.toISOString(),
      updated_at: AT.toISOString(),
    });
  });

  it('writes the columns as well as broker_json, so SQL filters see the broker state', async () => {
    await upsertOrder(store.db, {
      order: order({ status: 'UPDATE', filled_quantity: 4, pending_quantity: 6 }),
      strategyId: swing,
      source: 'som',
      now: AT,
    });
    const row = await store.db.selectFrom('orders').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'UPDATE',
      filled_quantity: 4,
      pending_quantity: 6,
      price: 800.05,
      tag: 'som1',
      placed_by: 'AB1234',
    });
    expect(JSON.parse(row.broker_json)).toMatchObject({ tags: ['som1', 'strategy:swing'], guid: 'g-1' });
  });

  it("an update rewrites the broker state but keeps created_at, ownership and som's own columns", async () => {
    await upsertOrder(store.db, { order: order(), strategyId: swing, source: 'som', now: AT });
    // Other parts of som mark the order: a protected position and an orphan flag.
    const [position] = await syncPositions(
      store.db,
      [
        {
          tradingsymbol: 'SBIN',
          exchange: 'NSE',
          instrument_token: 779521,
          product: 'CNC',
          quantity: 10,
          overnight_quantity: 0,
          multiplier: 1,
          average_price: 800,
          close_price: 0,
          last_price: 800,
          value: -8000,
          pnl: 0,
          m2m: 0,
          unrealised: 0,
          realised: 0,
          buy_quantity: 10,
          buy_price: 800,
          buy_value: 8000,
          buy_m2m: 8000,
          sell_quantity: 0,
          sell_price: 0,
          sell_value: 0,
          sell_m2m: 0,
          day_buy_quantity: 10,
          day_buy_price: 800,
          day_buy_value: 8000,
          day_sell_quantity: 0,
          day_sell_price: 0,
          day_sell_value: 0,
        },
      ],
      AT,
    );
    await store.db
      .updateTable('orders')
      .set({
        is_orphaned: 1,
        orphaned_reason: 'position closed',
        parent_position_id: position?.id ?? null,
        cost_breakdown_id: 7,
      })
      .execute();

    const done = order({
      status: 'COMPLETE',
      filled_quantity: 10,
      pending_quantity: 0,
      average_price: 800.05,
      tags: [],
    });
    expect(await upsertOrder(store.db, { order: done, strategyId: other, source: 'external', now: LATER })).toEqual({
      created: false,
    });

    const stored = await getOrder(store.db, done.order_id);
    expect(stored).toMatchObject({
      status: 'COMPLETE',
      filled_quantity: 10,
      average_price: 800.05,
      tags: [],
      strategy_id: swing,
      strategy: 'swing',
      source: 'som',
      is_orphaned: true,
      orphaned_reason: 'position closed',
      parent_position_id: position?.id,
      cost_breakdown_id: 7,
      created_at: AT.toISOString(),
      updated_at: LATER.toISOString(),
    });
  });

  it('refuses an order for a strategy that does not exist', async () => {
    await expect(
      upsertOrder(store.db, { order: order(), strategyId: 999, source: 'external', now: AT }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await getOrder(store.db, order().order_id)).toBeUndefined();
  });

  it('finds an order by tag, the latest when several carry it', async () => {
    await upsertOrder(store.db, {
      order: order({ order_id: 'A', tag: 'dup', order_timestamp: T('10:00:00') }),
      strategyId: swing,
      source: 'external',
      now: AT,
    });
    await upsertOrder(store.db, {
      order: order({ order_id: 'B', tag: 'dup', order_timestamp: T('10:05:00') }),
      strategyId: swing,
      source: 'external',
      now: AT,
    });
    await upsertOrder(store.db, {
      order: order({ order_id: 'C', tag: 'mine' }),
      strategyId: swing,
      source: 'som',
      now: AT,
    });
    expect((await findOrderByTag(store.db, 'dup'))?.order_id).toBe('B');
    expect((await findOrderByTag(store.db, 'mine'))?.order_id).toBe('C');
    expect(await findOrderByTag(store.db, 'none')).toBeUndefined();
  });

  describe('listOrders', () => {
    beforeEach(async () => {
      const rows: [string, string, number, string][] = [
        ['1', 'OPEN', swing, '10:00:00'],
        ['2', 'COMPLETE', swing, '10:01:00'],
        ['3', 'TRIGGER PENDING', other, '10:02:00'],
        ['4', 'CANCELLED', other, '10:03:00'],
        ['5', 'REJECTED', swing, '10:04:00'],
        ['6', 'AMO REQ RECEIVED', swing, '10:05:00'],
        ['7', 'SOMETHING NEW', other, '10:06:00'],
      ];
      for (const [id, status, strategyId, time] of rows) {
        await upsertOrder(store.db, {
          order: order({ order_id: id, status, order_timestamp: T(time) }),
          strategyId,
          source: 'som',
          now: AT,
        });
      }
    });

    it('lists all, newest first', async () => {
      expect((await listOrders(store.db)).map((o) => o.order_id)).toEqual(['7', '6', '5', '4', '3', '2', '1']);
    });

    it('open: every status that is not COMPLETE, CANCELLED or REJECTED, unknown ones included', async () => {
      expect((await listOrders(store.db, { open: true })).map((o) => o.order_id)).toEqual(['7', '6', '3', '1']);
      expect((await listOrders(store.db, { open: false })).map((o) => o.order_id)).toEqual(['5', '4', '2']);
    });

    it('by strategy, with a limit', async () => {
      expect((await listOrders(store.db, { strategyId: other })).map((o) => o.order_id)).toEqual(['7', '4', '3']);
      expect((await listOrders(store.db, { strategyId: swing, open: true, limit: 1 })).map((o) => o.order_id)).toEqual([
        '6',
      ]);
      expect((await listOrders(store.db, { strategyId: other }))[0]?.strategy).toBe('other');
    });
  });
});
