import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onTick, type PaperSession, paperSession } from './paper-session.js';
import { shapeDifferences } from './same-shape.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/kite');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

/**
 * Conformance: the paper exchange answers each endpoint with the same fields, nesting and
 * JSON types as Zerodha's own sample response, and the official kiteconnect client accepts it.
 */
describe('paper exchange REST conformance with Kite fixtures', () => {
  let s: PaperSession;
  let filledOrderId: string;
  let openOrderId: string;

  beforeAll(async () => {
    s = await paperSession({ rateLimits: false });
    const buy = await s.kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      quantity: 5,
      product: 'CNC',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    filledOrderId = buy.order_id;
    const quote = await s.kc.getQuote(['NSE:INFY']);
    const bid = quote['NSE:INFY']!.depth.buy[0]!.price;
    const limit = await s.kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'CNC',
      order_type: 'LIMIT',
      price: onTick(bid * 0.98, s.ex.resolve('NSE:INFY')!.tick_size),
      tag: 'conformance',
    } as never);
    openOrderId = limit.order_id;
  });
  afterAll(async () => s?.ex.close());

  const same = (actual: unknown, name: string, nullable: string[] = []) => {
    expect(shapeDifferences(actual, fixture(name), nullable)).toEqual([]);
  };

  it('POST /session/token answers as generate_session.json', async () => {
    const res = await fetch(`${s.ex.restRoot}/connect/login?v=3&api_key=shape`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('status')).toBe('success');
    const requestToken = location.searchParams.get('request_token')!;
    const { createHash } = await import('node:crypto');
    const checksum = createHash('sha256').update(`shape${requestToken}paper`).digest('hex');
    const r = await fetch(`${s.ex.restRoot}/session/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Kite-Version': '3' },
      body: new URLSearchParams({ api_key: 'shape', request_token: requestToken, checksum }).toString(),
    });
    same(await r.json(), 'generate_session.json', ['$.data.avatar_url']);
  });

  it('GET /user/profile and /user/profile/full', async () => {
    same((await s.raw('/user/profile')).body, 'profile.json', ['$.data.avatar_url']);
    expect((await s.kc.getProfile()).user_id).toBe('PA0001');
    same((await s.raw('/user/profile/full')).body, 'full_profile.json', ['$.data.avatar_url']);
  });

  it('GET /orders, /orders/{id}, /orders/{id}/trades, /trades', async () => {
    const nullableOrder = [
      '$.data[*].status_message',
      '$.data[*].status_message_raw',
      '$.data[*].tag',
      '$.data[*].guid',
      '$.data[*].parent_order_id',
      '$.data[*].exchange_order_id',
      '$.data[*].exchange_timestamp',
      '$.data[*].exchange_update_timestamp',
    ];
    const orders = await s.raw('/orders');
    expect(orders.body.data.length).toBeGreaterThanOrEqual(2);
    same(orders.body, 'orders.json', nullableOrder);
    // order_info.json is an older sample with fewer fields than today's order records: the
    // history must fit the union of it and orders.json.
    const history = { status: 'success', data: [...fixture('order_info.json').data, ...fixture('orders.json').data] };
    expect(shapeDifferences((await s.raw(`/orders/${openOrderId}`)).body, history, nullableOrder)).toEqual([]);
    same((await s.raw(`/orders/${filledOrderId}/trades`)).body, 'order_trades.json');
    same((await s.raw('/trades')).body, 'trades.json');
    expect((await s.kc.getOrders()).map((o) => o.order_id).slice(0, 2)).toEqual([filledOrderId, openOrderId]);
    expect((await s.kc.getTrades()).every((t) => t.order_id === filledOrderId)).toBe(true);
  });

  it('POST, PUT and DELETE /orders/{variety} answer as order_response/modify/cancel.json', async () => {
    const ltp = (await s.kc.getLTP(['NSE:TCS']))['NSE:TCS']!.last_price;
    const below = (pct: number) => String(onTick(ltp * (1 - pct), s.ex.resolve('NSE:TCS')!.tick_size));
    const placed = await s.raw('/orders/regular', {
      method: 'POST',
      form: {
        exchange: 'NSE',
        tradingsymbol: 'TCS',
        transaction_type: 'BUY',
        quantity: '1',
        product: 'CNC',
        order_type: 'LIMIT',
        price: below(0.03),
      },
    });
    same(placed.body, 'order_response.json');
    const id = placed.body.data.order_id as string;
    const modified = await s.raw(`/orders/regular/${id}`, { method: 'PUT', form: { price: below(0.04) } });
    same(modified.body, 'order_modify.json');
    const cancelled = await s.raw(`/orders/regular/${id}`, { method: 'DELETE' });
    same(cancelled.body, 'order_cancel.json');
    expect((await s.kc.getOrderHistory(id)).at(-1)!.status).toBe('CANCELLED');
  });

  it('autoslice=true splits an order above the freeze quantity (autoslice_response.json)', async () => {
    const nifty = s.ex.instruments.find((i) => i.name === 'NIFTY' && i.instrument_type === 'FUT')!;
    const freeze = nifty.paper.freezeQuantity!;
    const lots = Math.floor(freeze / nifty.lot_size) * nifty.lot_size;
    const r = await s.raw('/orders/regular', {
      method: 'POST',
      form: {
        exchange: 'NFO',
        tradingsymbol: nifty.tradingsymbol,
        transaction_type: 'BUY',
        quantity: String(lots * 2 + nifty.lot_size),
        product: 'NRML',
        order_type: 'MARKET',
        market_protection: '-1',
        autoslice: 'true',
      },
    });
    same(r.body, 'autoslice_response.json', ['$.data.children[*].error']);
    expect(r.body.data.children).toHaveLength(3);
    const placed = await s.kc.getOrders();
    const children = new Set(r.body.data.children.map((c: { order_id?: string }) => c.order_id));
    const quantities = placed.filter((o) => children.has(o.order_id)).map((o) => o.quantity);
    expect(quantities).toEqual([lots, lots, nifty.lot_size]);
  });

  it('GET /quote, /quote/ltp, /quote/ohlc', async () => {
    const q = await s.raw('/quote?i=NSE:INFY');
    same({ ...q.body, data: { 'NSE:INFY': q.body.data['NSE:INFY'] } }, 'quote.json');
    same((await s.raw('/quote/ltp?i=NSE:INFY')).body, 'ltp.json');
    same((await s.raw('/quote/ohlc?i=NSE:INFY')).body, 'ohlc.json');
    // unknown instruments are left out, not an error
    expect(Object.keys((await s.raw('/quote/ltp?i=NSE:INFY&i=NSE:NOSUCHTHING')).body.data)).toEqual(['NSE:INFY']);
    const viaClient = await s.kc.getLTP(['NSE:INFY', '256265']);
    expect(viaClient['NSE:INFY']!.last_price).toBeGreaterThan(0);
    expect(viaClient['256265']!.instrument_token).toBe(256265);
  });

  it('GET /instruments is Kite CSV the client parses', async () => {
    const header = readFileSync(join(FIXTURES, 'instruments_all.csv'), 'utf8').split(/\r?\n/)[0];
    const text = (await s.raw('/instruments')).body as string;
    expect(text.split(/\r?\n/)[0]).toBe(header);
    const nse = await s.kc.getInstruments('NSE');
    const sbin = nse.find((i) => i.tradingsymbol === 'SBIN')!;
    expect(sbin).toMatchObject({ exchange: 'NSE', instrument_type: 'EQ', lot_size: 1 });
    const nfo = await s.kc.getInstruments('NFO');
    expect(nfo.some((i) => i.instrument_type === 'CE' && i.name === 'NIFTY')).toBe(true);
  });

  it('errors come in Kite envelope with Kite HTTP codes', async () => {
    const noAuth = await fetch(`${s.ex.restRoot}/orders`);
    expect(noAuth.status).toBe(403);
    expect(await noAuth.json()).toMatchObject({ status: 'error', error_type: 'TokenException', data: null });
    const bad = await s.raw('/orders/regular', { method: 'POST', form: { exchange: 'NSE', tradingsymbol: 'SBIN' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 'error', error_type: 'InputException' });
    expect(Object.keys(bad.body).sort()).toEqual(['data', 'error_type', 'message', 'status']);
    const notFound = await s.raw('/no/such/route');
    expect(notFound.status).toBe(404);
    await expect(s.kc.getOrderHistory('999999999999999')).rejects.toMatchObject({ status: 'error' });
  });

  it('DELETE /session/token logs out (session_logout.json) and the token stops working', async () => {
    const { login } = await import('./paper-session.js');
    const other = await login(s.ex.restRoot, 'logout-app');
    const r = await fetch(`${s.ex.restRoot}/session/token?api_key=logout-app&access_token=${other.accessToken}`, {
      method: 'DELETE',
      headers: { 'X-Kite-Version': '3' },
    });
    same(await r.json(), 'session_logout.json');
    await expect(other.kc.getProfile()).rejects.toMatchObject({ error_type: 'TokenException' });
    // the other app's session is untouched
    expect((await s.kc.getProfile()).user_id).toBe('PA0001');
  });
});
