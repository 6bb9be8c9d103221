import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GttBook } from '../../../src/paper/gtt/book.js';
import { gttRoutes } from '../../../src/paper/server/routes/gtt.js';
import { shapeDifferences } from '../conformance/same-shape.js';
import { kiteFixture, type RouteServer, serveRoutes } from './route-server.js';

const T0 = new Date('2026-11-25T10:00:00+05:30');

describe('the GTT endpoints, driven by the kiteconnect client', () => {
  let server: RouteServer;
  let gtt: GttBook;
  let now = T0;

  beforeAll(async () => {
    gtt = new GttBook({
      userId: 'PA0001',
      resolve: (ex, sym) => (ex === 'NSE' && sym === 'INFY' ? { instrument_token: 408065, expiry: null } : undefined),
      placeOrder: () => ({ order_id: '261125000000001' }),
    });
    server = await serveRoutes(gttRoutes({ gtt, now: () => now }));
  });
  afterAll(() => server.close());

  const single = (triggers: number[]) => ({
    trigger_type: 'single',
    tradingsymbol: 'INFY',
    exchange: 'NSE',
    trigger_values: triggers,
    last_price: 798,
    orders: [{ transaction_type: 'BUY', quantity: 1, product: 'CNC', order_type: 'LIMIT', price: 702.5 }],
  });

  it("places, lists, reads, modifies and deletes in Kite's shapes", async () => {
    const placedRaw = await server.raw('/gtt/triggers', {
      method: 'POST',
      form: {
        type: 'single',
        condition: '{"exchange":"NSE", "tradingsymbol":"INFY", "trigger_values":[702.0], "last_price": 798.0}',
        orders:
          '[{"exchange":"NSE", "tradingsymbol": "INFY", "transaction_type": "BUY", "quantity": 1, "order_type": "LIMIT","product": "CNC", "price": 702.5}]',
      },
    });
    expect(placedRaw.status).toBe(200);
    expect(shapeDifferences(placedRaw.body, kiteFixture('gtt_place_order.json'))).toEqual([]);

    const placed = (await server.kc.placeGTT(single([700]) as never)) as { trigger_id: number };
    expect(placed.trigger_id).toBe(placedRaw.body.data.trigger_id + 1);

    const list = await server.raw('/gtt/triggers');
    expect(
      shapeDifferences(list.body, kiteFixture('gtt_get_orders.json'), ['$.data[*].orders[*].result', '$.data[*].meta']),
    ).toEqual([]);
    const viaClient = (await server.kc.getGTTs()) as { id: number }[];
    expect(viaClient.map((g) => g.id)).toEqual([placed.trigger_id, placedRaw.body.data.trigger_id]);

    const one = await server.raw(`/gtt/triggers/${placed.trigger_id}`);
    expect(
      shapeDifferences(one.body, kiteFixture('gtt_get_order.json'), ['$.data.orders[*].result', '$.data.meta']),
    ).toEqual([]);

    now = new Date(T0.getTime() + 60_000);
    const modified = await server.kc.modifyGTT(placed.trigger_id, single([690]) as never);
    expect(modified).toEqual({ trigger_id: placed.trigger_id });
    const modifiedRaw = await server.raw(`/gtt/triggers/${placed.trigger_id}`, {
      method: 'PUT',
      form: {
        type: 'single',
        condition: JSON.stringify({ exchange: 'NSE', tradingsymbol: 'INFY', trigger_values: [695], last_price: 798 }),
        orders: JSON.stringify([
          {
            exchange: 'NSE',
            tradingsymbol: 'INFY',
            transaction_type: 'BUY',
            quantity: 1,
            order_type: 'LIMIT',
            product: 'CNC',
            price: 695,
          },
        ]),
      },
    });
    expect(shapeDifferences(modifiedRaw.body, kiteFixture('gtt_modify_order.json'))).toEqual([]);
    expect(
      ((await server.kc.getGTT(placed.trigger_id)) as { condition: { trigger_values: number[] } }).condition
        .trigger_values,
    ).toEqual([695]);

    const deletedRaw = await server.raw(`/gtt/triggers/${placed.trigger_id}`, { method: 'DELETE' });
    expect(shapeDifferences(deletedRaw.body, kiteFixture('gtt_delete_order.json'))).toEqual([]);
    expect(((await server.kc.getGTT(placed.trigger_id)) as { status: string }).status).toBe('deleted');
    await expect(server.kc.deleteGTT(placedRaw.body.data.trigger_id)).resolves.toEqual({
      trigger_id: placedRaw.body.data.trigger_id,
    });
  });

  it("answers a refusal with Kite's error envelope", async () => {
    const tooClose = await server.raw('/gtt/triggers', {
      method: 'POST',
      form: {
        type: 'single',
        condition: JSON.stringify({ exchange: 'NSE', tradingsymbol: 'INFY', trigger_values: [797], last_price: 798 }),
        orders: JSON.stringify([
          {
            exchange: 'NSE',
            tradingsymbol: 'INFY',
            transaction_type: 'BUY',
            quantity: 1,
            order_type: 'LIMIT',
            product: 'CNC',
            price: 797,
          },
        ]),
      },
    });
    expect(tooClose).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'Trigger price should be at least 0.25% away from the last traded price.',
        data: null,
        error_type: 'InputException',
      },
    });
    const missing = await server.raw('/gtt/triggers/424242');
    expect([missing.status, missing.body.error_type]).toEqual([404, 'GeneralException']);
    await expect(server.kc.getGTT('abc')).rejects.toMatchObject({ error_type: 'GeneralException' });
  });
});
