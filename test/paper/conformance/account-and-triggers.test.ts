import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onTick, type PaperSession, paperSession } from './paper-session.js';
import { shapeDifferences } from './same-shape.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/kite');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

/**
 * Conformance of the account, margin, GTT, alert and historical endpoints as served by the
 * assembled paper exchange, after real trading through the official client.
 */
describe('paper exchange account and trigger endpoints', () => {
  let s: PaperSession;
  const same = (actual: unknown, name: string, nullable: string[] = []) =>
    expect(shapeDifferences(actual, fixture(name), nullable)).toEqual([]);

  beforeAll(async () => {
    s = await paperSession({ rateLimits: false });
    const nfo = await s.kc.getInstruments('NFO');
    const fut = nfo.find((i) => i.name === 'NIFTY' && i.instrument_type === 'FUT')!;
    for (const order of [
      { exchange: 'NSE', tradingsymbol: 'SBIN', transaction_type: 'BUY', quantity: 10, product: 'MIS' },
      { exchange: 'NSE', tradingsymbol: 'SBIN', transaction_type: 'SELL', quantity: 4, product: 'MIS' },
      { exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 2, product: 'CNC' },
      {
        exchange: 'NFO',
        tradingsymbol: fut.tradingsymbol,
        transaction_type: 'BUY',
        quantity: fut.lot_size,
        product: 'NRML',
      },
    ]) {
      await s.kc.placeOrder('regular', { ...order, order_type: 'MARKET', market_protection: -1 } as never);
    }
  });
  afterAll(async () => s?.ex.close());

  it('positions follow the fills, in positions.json shape', async () => {
    const r = await s.raw('/portfolio/positions');
    same(r.body, 'positions.json');
    const sbin = r.body.data.net.find((p: any) => p.tradingsymbol === 'SBIN');
    expect(sbin).toMatchObject({ quantity: 6, buy_quantity: 10, sell_quantity: 4, product: 'MIS' });
    expect(r.body.data.net.map((p: any) => p.tradingsymbol)).toEqual(expect.arrayContaining(['SBIN', 'INFY']));
  });

  it('holdings and funds', async () => {
    same((await s.raw('/portfolio/holdings')).body, 'holdings.json');
    same((await s.raw('/user/margins')).body, 'margins.json');
    same((await s.raw('/user/margins/equity')).body, 'margins_equity.json');
    same((await s.raw('/user/margins/commodity')).body, 'margin_commodity.json');
    const funds = await s.kc.getMargins('equity');
    expect((funds as unknown as { net: number }).net).toBeLessThan(1_000_000); // margin is in use after the trades
  });

  it('margins for orders and baskets, in basket_margins.json shape', async () => {
    const nfo = await s.kc.getInstruments('NFO');
    const ce = nfo.find((i) => i.name === 'NIFTY' && i.instrument_type === 'CE')!;
    const legs = [
      {
        exchange: 'NFO',
        tradingsymbol: ce.tradingsymbol,
        transaction_type: 'SELL',
        variety: 'regular',
        product: 'NRML',
        order_type: 'MARKET',
        quantity: ce.lot_size,
        price: 0,
        trigger_price: 0,
      },
      {
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        transaction_type: 'BUY',
        variety: 'regular',
        product: 'CNC',
        order_type: 'LIMIT',
        quantity: 10,
        price: 900,
        trigger_price: 0,
      },
    ];
    const basket = await s.raw('/margins/basket?consider_positions=true&mode=full', { method: 'POST', json: legs });
    same(basket.body, 'basket_margins.json');
    expect(basket.body.data.initial.total).toBeGreaterThan(0);
    const orders = await s.raw('/margins/orders?mode=full', { method: 'POST', json: legs });
    expect(shapeDifferences(orders.body.data, fixture('basket_margins.json').data.orders)).toEqual([]);
    const bad = await s.raw('/margins/orders', { method: 'POST', json: [{ exchange: 'NSE' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error_type).toBe('InputException');
  });

  it('position conversion (convert_position.json)', async () => {
    const r = await s.raw('/portfolio/positions', {
      method: 'PUT',
      form: {
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        transaction_type: 'BUY',
        position_type: 'day',
        quantity: '2',
        old_product: 'MIS',
        new_product: 'CNC',
      },
    });
    same(r.body, 'convert_position.json');
    const net = (await s.kc.getPositions()).net.filter((p) => p.tradingsymbol === 'SBIN');
    expect(net.find((p) => p.product === 'CNC')?.quantity).toBe(2);
  });

  it('GTT: place, read, modify, fire on the price, delete', async () => {
    const ltp = (await s.kc.getLTP(['NSE:ITC']))['NSE:ITC']!.last_price;
    const tick = s.ex.resolve('NSE:ITC')!.tick_size;
    const trigger = onTick(ltp * 1.02, tick);
    const placed = await s.raw('/gtt/triggers', {
      method: 'POST',
      form: {
        type: 'single',
        condition: JSON.stringify({
          exchange: 'NSE',
          tradingsymbol: 'ITC',
          trigger_values: [trigger],
          last_price: ltp,
        }),
        orders: JSON.stringify([
          {
            exchange: 'NSE',
            tradingsymbol: 'ITC',
            transaction_type: 'BUY',
            quantity: 1,
            order_type: 'LIMIT',
            product: 'CNC',
            price: trigger,
          },
        ]),
      },
    });
    same(placed.body, 'gtt_place_order.json');
    const id = placed.body.data.trigger_id;
    same((await s.raw(`/gtt/triggers/${id}`)).body, 'gtt_get_order.json', [
      '$.data.orders[*].result',
      '$.data.meta',
      '$.data.parent_trigger',
    ]);
    same((await s.raw('/gtt/triggers')).body, 'gtt_get_orders.json', [
      '$.data[*].orders[*].result',
      '$.data[*].meta',
      '$.data[*].parent_trigger',
    ]);
    const higher = onTick(ltp * 1.03, tick);
    const modified = await s.raw(`/gtt/triggers/${id}`, {
      method: 'PUT',
      form: {
        type: 'single',
        condition: JSON.stringify({ exchange: 'NSE', tradingsymbol: 'ITC', trigger_values: [higher], last_price: ltp }),
        orders: JSON.stringify([
          {
            exchange: 'NSE',
            tradingsymbol: 'ITC',
            transaction_type: 'BUY',
            quantity: 1,
            order_type: 'LIMIT',
            product: 'CNC',
            price: higher,
          },
        ]),
      },
    });
    same(modified.body, 'gtt_modify_order.json');
    // the price rises through the trigger: the GTT fires and places its order on the exchange
    await fetch(`${s.ex.restRoot}/paper/admin/scenario/NSE:ITC`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ price_path: [{ offset_ms: 1000, price: ltp * 1.05 }] }),
    });
    s.ex.clock.advance(2000);
    s.ex.sync();
    const fired = (await s.raw(`/gtt/triggers/${id}`)).body.data;
    expect(fired.status).toBe('triggered');
    const orderId = fired.orders[0].result.order_result.order_id;
    expect((await s.kc.getOrders()).some((o) => o.order_id === orderId)).toBe(true);
    const second = await s.raw('/gtt/triggers', {
      method: 'POST',
      form: {
        type: 'single',
        condition: JSON.stringify({ exchange: 'NSE', tradingsymbol: 'SBIN', trigger_values: [100], last_price: 900 }),
        orders: JSON.stringify([
          {
            exchange: 'NSE',
            tradingsymbol: 'SBIN',
            transaction_type: 'BUY',
            quantity: 1,
            order_type: 'LIMIT',
            product: 'CNC',
            price: 100,
          },
        ]),
      },
    });
    same(
      (await s.raw(`/gtt/triggers/${second.body.data.trigger_id}`, { method: 'DELETE' })).body,
      'gtt_delete_order.json',
    );
  });

  it('alerts: create, read, modify, history, delete', async () => {
    const created = await s.raw('/alerts', {
      method: 'POST',
      form: {
        name: 'NIFTY up',
        type: 'simple',
        lhs_exchange: 'INDICES',
        lhs_tradingsymbol: 'NIFTY 50',
        lhs_attribute: 'LastTradedPrice',
        operator: '>=',
        rhs_type: 'constant',
        rhs_constant: '99999',
      },
    });
    same(created.body, 'alerts_create.json');
    const uuid = created.body.data.uuid;
    same((await s.raw(`/alerts/${uuid}`)).body, 'alerts_get_one.json');
    same((await s.raw('/alerts')).body, 'alerts_get.json', ['$.data[*].basket']);
    const modified = await s.raw(`/alerts/${uuid}`, {
      method: 'PUT',
      form: {
        name: 'NIFTY up',
        type: 'simple',
        lhs_exchange: 'INDICES',
        lhs_tradingsymbol: 'NIFTY 50',
        lhs_attribute: 'LastTradedPrice',
        operator: '>=',
        rhs_type: 'constant',
        rhs_constant: '1',
      },
    });
    same(modified.body, 'alerts_modify.json');
    s.ex.sync(); // NIFTY is above 1: the alert fires
    const history = await s.raw(`/alerts/${uuid}/history`);
    same(history.body, 'alerts_history.json', ['$.data[*].order_meta']);
    expect(history.body.data.length).toBe(1);
    same((await s.raw(`/alerts?uuid=${uuid}`, { method: 'DELETE' })).body, 'alerts_delete.json');
  });

  it('historical candles, trigger range and auctions', async () => {
    const token = s.ex.resolve('NSE:SBIN')!.instrument_token;
    const minute = await s.raw(
      `/instruments/historical/${token}/minute?from=2026-11-23+09:15:00&to=2026-11-23+15:30:00`,
    );
    expect(minute.status).toBe(200);
    expect(minute.body.data.candles.length).toBe(375);
    const [t, o, h, l, c, v] = minute.body.data.candles[0];
    expect(t).toBe('2026-11-23T09:15:00+0530'); // 24 Nov 2026 is an NSE holiday
    expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
    expect(l).toBeLessThanOrEqual(Math.min(o, c));
    expect(v).toBeGreaterThan(0);
    const viaClient = await s.kc.getHistoricalData(
      token,
      'day',
      new Date('2026-11-01T00:00:00+05:30'),
      new Date('2026-11-24T23:59:00+05:30'),
    );
    expect(viaClient.length).toBeGreaterThan(10);
    const tooLong = await s.raw(
      `/instruments/historical/${token}/minute?from=2026-01-01+09:15:00&to=2026-11-24+15:30:00`,
    );
    expect(tooLong.status).toBe(400);
    const range = fixture('trigger_range.json');
    const shape = { ...range, data: { 'NSE:INFY': range.data['NSE:INFY'] } };
    expect(shapeDifferences((await s.raw('/instruments/trigger_range/buy?i=NSE:INFY')).body, shape)).toEqual([]);
    same((await s.raw('/portfolio/holdings/auctions')).body, 'auctions_list.json');
  });
});
