import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PaperExchange } from '../../../src/paper/exchange.js';
import { MARKET_OPEN, onTick, type PaperSession, paperSession } from '../conformance/paper-session.js';

/** A wall clock the test moves by hand, so paper time never depends on how fast the test runs. */
function manualWall(start = Date.now()) {
  let now = start;
  return { wall: () => now, advance: (ms: number) => (now += ms) };
}

const admin = (s: PaperSession, path: string, body?: unknown, method = 'POST') =>
  fetch(`${s.ex.restRoot}/paper/admin${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

const marketBuy = (tradingsymbol: string, quantity: number, extra: Record<string, unknown> = {}) =>
  ({
    exchange: 'NSE',
    tradingsymbol,
    transaction_type: 'BUY',
    quantity,
    product: 'MIS',
    order_type: 'MARKET',
    market_protection: -1,
    ...extra,
  }) as never;

describe('paper exchange faults', () => {
  let s: PaperSession;
  afterEach(async () => s?.ex.close());

  it('injects each HTTP failure Kite produces, for a counted number of requests', async () => {
    s = await paperSession({ rateLimits: false });
    const cases: [string, number, string][] = [
      ['429', 429, 'NetworkException'],
      ['500', 500, 'GeneralException'],
      ['502', 502, 'NetworkException'],
      ['503', 503, 'NetworkException'],
      ['504', 504, 'NetworkException'],
    ];
    for (const [kind, status, errorType] of cases) {
      expect((await admin(s, '/faults', { errors: [{ path: '/orders', kind, count: 2 }] })).status).toBe(200);
      for (let i = 0; i < 2; i++) {
        const r = await s.raw('/orders');
        expect(r.status, kind).toBe(status);
        expect(r.body).toMatchObject({ status: 'error', error_type: errorType });
      }
      expect((await s.raw('/orders')).status, `${kind} after the burst`).toBe(200);
    }
    // other endpoints were never affected
    expect((await s.raw('/user/profile')).status).toBe(200);
  });

  it('a network reset reaches the client as a network error', async () => {
    s = await paperSession({ rateLimits: false });
    await admin(s, '/faults', { errors: [{ path: '/user/profile', kind: 'reset', count: 1 }] });
    await expect(s.kc.getProfile()).rejects.toBeTruthy();
    expect((await s.kc.getProfile()).user_id).toBe('PA0001');
  });

  it('an order accepted by the exchange whose answer is lost is still in the order book', async () => {
    s = await paperSession({ rateLimits: false });
    await admin(s, '/faults', { drop_after_accept: 1 });
    await expect(s.kc.placeOrder('regular', marketBuy('SBIN', 2, { tag: 'lost1' }))).rejects.toBeTruthy();
    const orders = await s.kc.getOrders();
    expect(orders.filter((o) => o.tag === 'lost1')).toHaveLength(1);
    // the next placement is answered normally
    const again = await s.kc.placeOrder('regular', marketBuy('SBIN', 2, { tag: 'ok2' }));
    expect(again.order_id).toMatch(/^\d{15}$/);
  });

  it('rejects the next N orders, then accepts again', async () => {
    s = await paperSession({ rateLimits: false });
    await admin(s, '/faults', { reject_next_orders: 2 });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await s.kc.placeOrder('regular', marketBuy('INFY', 1))).order_id);
    s.ex.sync();
    const byId = new Map((await s.kc.getOrders()).map((o) => [o.order_id, o]));
    expect(ids.map((id) => byId.get(id)!.status)).toEqual(['REJECTED', 'REJECTED', 'COMPLETE']);
  });

  it('added latency delays every answer', async () => {
    s = await paperSession({ rateLimits: false });
    await admin(s, '/faults', { latency_ms: 120 });
    const t0 = performance.now();
    await s.kc.getProfile();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    await admin(s, '/faults', undefined, 'DELETE');
    const t1 = performance.now();
    await s.kc.getProfile();
    expect(performance.now() - t1).toBeLessThan(100);
  });

  it('invalidated tokens get TokenException 403, per api_key or all', async () => {
    s = await paperSession({ rateLimits: false });
    const { login } = await import('../conformance/paper-session.js');
    const web = await login(s.ex.restRoot, 'kite-web');
    expect((await admin(s, '/tokens/invalidate', { api_key: 'kite-web' })).body.data.invalidated).toBe(1);
    await expect(web.kc.getProfile()).rejects.toMatchObject({ error_type: 'TokenException', status: 'error' });
    expect((await s.kc.getProfile()).user_id).toBe('PA0001');
    await admin(s, '/tokens/invalidate', {});
    const r = await s.raw('/orders');
    expect(r.status).toBe(403);
  });

  it('Kite rate limits: a second quote within a second is 429', async () => {
    s = await paperSession();
    await s.kc.getLTP(['NSE:SBIN']);
    await expect(s.kc.getLTP(['NSE:SBIN'])).rejects.toMatchObject({
      error_type: 'NetworkException',
      message: 'Too many requests',
    });
    // other classes have their own budget
    expect((await s.kc.getProfile()).user_id).toBe('PA0001');
  });

  it('stalled ticks: the socket stays up with heartbeats, and no ticks flow', async () => {
    s = await paperSession({ tickIntervalMs: 30, rateLimits: false });
    await admin(s, '/faults', { stall_ticks: true });
    const ws = new WebSocket(`${s.ex.wsRoot}?api_key=${s.apiKey}&access_token=${s.accessToken}`);
    const sizes: number[] = [];
    ws.on('message', (data: Buffer, binary: boolean) => binary && sizes.push(data.length));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ a: 'subscribe', v: [779521] }));
    await new Promise((r) => setTimeout(r, 200));
    expect(sizes.length).toBeGreaterThan(2);
    expect(sizes.every((n) => n === 1)).toBe(true);
    await admin(s, '/faults', { stall_ticks: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(sizes.some((n) => n > 1)).toBe(true);
    ws.close();
  });

  it('a WebSocket handshake with a bad token is refused with 403', async () => {
    s = await paperSession({ rateLimits: false });
    const ws = new WebSocket(`${s.ex.wsRoot}?api_key=${s.apiKey}&access_token=wrong`);
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!)),
    );
    expect(status).toBe(403);
  });

  it('refuses bad fault settings with a message naming the field', async () => {
    s = await paperSession({ rateLimits: false });
    const r = await admin(s, '/faults', { errors: [{ path: '/orders', kind: '418' }] });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/errors\.0\.kind/);
  });
});

describe('paper exchange scenarios and clock', () => {
  let s: PaperSession;
  afterEach(async () => s?.ex.close());

  it('a price path drives the price down through a stop, which triggers and fills', async () => {
    const w = manualWall();
    s = await paperSession({ wall: w.wall, rateLimits: false });
    const ltp = (await s.kc.getLTP(['NSE:SBIN']))['NSE:SBIN']!.last_price;
    await s.kc.placeOrder('regular', marketBuy('SBIN', 10));
    const trigger = onTick(ltp * 0.97, s.ex.resolve('NSE:SBIN')!.tick_size);
    const stop = await s.kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'SELL',
      quantity: 10,
      product: 'MIS',
      order_type: 'SL-M',
      trigger_price: trigger,
      market_protection: -1,
    } as never);
    expect(
      (await admin(s, '/scenario/NSE:SBIN', { price_path: [{ offset_ms: 10_000, price: ltp * 0.95 }] })).status,
    ).toBe(200);
    for (let i = 0; i < 12; i++) {
      w.advance(1000);
      s.ex.sync();
    }
    const after = (await s.kc.getLTP(['NSE:SBIN']))['NSE:SBIN']!.last_price;
    expect(after).toBeLessThan(trigger);
    const history = await s.kc.getOrderHistory(stop.order_id);
    expect(history.map((h) => h.status)).toContain('TRIGGER PENDING');
    expect(history.at(-1)!.status).toBe('COMPLETE');
  });

  it('a market order after the price has moved fills at the new price, not the last trade', async () => {
    const w = manualWall();
    s = await paperSession({ wall: w.wall, rateLimits: false });
    const before = (await s.kc.getLTP(['NSE:LT']))['NSE:LT']!.last_price;
    const first = await s.kc.placeOrder('regular', marketBuy('LT', 2));
    expect((await s.kc.getOrderHistory(first.order_id)).at(-1)!.status).toBe('COMPLETE');
    // No order works on LT while its price rises 3%.
    await admin(s, '/scenario/NSE:LT', { price_path: [{ offset_ms: 1000, price: before * 1.03 }] });
    w.advance(1000);
    s.ex.sync();
    const now = (await s.kc.getLTP(['NSE:LT']))['NSE:LT']!.last_price;
    expect(now).toBeGreaterThan(before * 1.02);
    const second = await s.kc.placeOrder('regular', marketBuy('LT', 2));
    const done = (await s.kc.getOrderHistory(second.order_id)).at(-1)!;
    // Armed from the price now (LT's protection is 0.5%), so it fills against today's offers.
    expect(done.status).toBe('COMPLETE');
    expect(done.average_price).toBeGreaterThan(before * 1.02);
    expect(done.price).toBeGreaterThanOrEqual(now);
  });

  it('widening the spread and drying up depth show in the quote', async () => {
    s = await paperSession({ rateLimits: false });
    const spread = (q: any) => q.depth.sell[0].price - q.depth.buy[0].price;
    const depthQty = (q: any) => [...q.depth.buy, ...q.depth.sell].reduce((n: number, l: any) => n + l.quantity, 0);
    const before = (await s.raw('/quote?i=NSE:RELIANCE')).body.data['NSE:RELIANCE'];
    await admin(s, '/scenario/NSE:RELIANCE', { widen_spread: 10, dry_up_depth: 10 });
    const after = (await s.raw('/quote?i=NSE:RELIANCE')).body.data['NSE:RELIANCE'];
    expect(spread(after)).toBeGreaterThan(spread(before) * 3);
    expect(depthQty(after)).toBeLessThan(depthQty(before) / 3);
    await admin(s, '/scenario/NSE:RELIANCE', { reset: true });
    const reset = (await s.raw('/quote?i=NSE:RELIANCE')).body.data['NSE:RELIANCE'];
    expect(spread(reset)).toBeLessThan(spread(after));
    expect((await admin(s, '/scenario/NSE:NOPE', { reset: true })).status).toBe(400);
  });

  it('jumping the clock past the close cancels open DAY orders and closes the market to new ones', async () => {
    s = await paperSession({ wall: manualWall().wall, rateLimits: false });
    const ltp = (await s.kc.getLTP(['NSE:ITC']))['NSE:ITC']!.last_price;
    const resting = await s.kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'ITC',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'CNC',
      order_type: 'LIMIT',
      price: onTick(ltp * 0.97, s.ex.resolve('NSE:ITC')!.tick_size),
    } as never);
    const jumped = await admin(s, '/clock', { jump_to: '2026-11-25T15:45:00+05:30' });
    expect(jumped.body.data.now).toBe('2026-11-25T10:15:00.000Z');
    expect((await s.kc.getOrderHistory(resting.order_id)).at(-1)!.status).toBe('CANCELLED');
    await expect(s.kc.placeOrder('regular', marketBuy('ITC', 1))).rejects.toMatchObject({ status: 'error' });
    // an AMO is accepted after hours
    const amo = await s.kc.placeOrder('amo', {
      exchange: 'NSE',
      tradingsymbol: 'ITC',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'CNC',
      order_type: 'LIMIT',
      price: onTick(ltp * 0.99, s.ex.resolve('NSE:ITC')!.tick_size),
    } as never);
    expect(amo.order_id).toMatch(/^\d+$/);
  });
});

describe('paper market determinism', () => {
  it('the same seed gives the same market; another seed another', async () => {
    const quotesAfter = async (seed: number) => {
      const w = manualWall(0);
      const ex = await PaperExchange.start({ seed, clock: MARKET_OPEN, wall: w.wall, tickIntervalMs: 60_000 });
      try {
        w.advance(90_000);
        ex.sync();
        const tokens = ['NSE:SBIN', 'NSE:INFY', 'NSE:NIFTY 50'].map((k) => ex.resolve(k)!.instrument_token);
        return tokens.map((t) => ex.market.quote(t));
      } finally {
        await ex.close();
      }
    };
    const a = await quotesAfter(42);
    const b = await quotesAfter(42);
    const c = await quotesAfter(43);
    expect(a).toEqual(b);
    expect(a.map((q) => q!.last_price)).not.toEqual(c.map((q) => q!.last_price));
  });
});
