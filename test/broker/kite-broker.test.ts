import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/broker/errors.js';
import { KiteBroker, type KiteBrokerOptions } from '../../src/broker/kite-broker.js';
import { type IntentLedger, placeOrderOnce } from '../../src/broker/order-placement.js';
import { newOrderTag } from '../../src/broker/order-tag.js';
import type { PlaceOrderRequest } from '../../src/domain/order.js';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';

/**
 * KiteBroker against the real paper exchange (Kite's REST protocol on loopback) through the
 * official client: sessions, every read, the three writes, Kite's faults, and the
 * duplicate-order trap. Run once with TZ=America/New_York as well: nothing may move.
 */

const API_KEY = 'brokertest';
let ex: PaperExchange;
let accessToken: string;

/** Sign in the way the daemon does: the login page, its redirect, the request token. */
async function requestToken(broker: KiteBroker): Promise<string> {
  const res = await fetch(broker.loginUrl(), { redirect: 'manual' });
  return new URL(res.headers.get('location')!).searchParams.get('request_token')!;
}

function makeBroker(extra: Partial<KiteBrokerOptions> = {}): KiteBroker {
  return new KiteBroker({
    apiKey: API_KEY,
    restRoot: ex.restRoot,
    loginUrl: `${ex.restRoot}/connect/login`,
    timeoutMs: 3_000,
    retry: { baseMs: 5, maxMs: 20 },
    accessToken,
    ...extra,
  });
}

async function faults(body: unknown, method = 'POST'): Promise<any> {
  const res = await fetch(`${ex.restRoot}/paper/admin/faults`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return ((await res.json()) as { data: unknown }).data;
}

function memoryLedger() {
  const events: string[] = [];
  const ledger: IntentLedger = {
    record: async (i) => void events.push(`record ${i.tag}`),
    placed: async (tag, id) => void events.push(`placed ${tag} ${id}`),
    failed: async (tag, e) => void events.push(`failed ${tag} ${e.code}`),
    unknown: async (tag, e) => void events.push(`unknown ${tag} ${e.code}`),
  };
  return { ledger, events };
}

/** SBIN 5% under its last price at the start: inside the 10% circuit band, far from filling. */
let restingPrice: number;

/** A buy of SBIN under the market: it rests OPEN, so it can be modified and cancelled. */
function restingBuy(tag: string, price = restingPrice): PlaceOrderRequest {
  return {
    variety: 'regular',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    transaction_type: 'BUY',
    order_type: 'LIMIT',
    product: 'CNC',
    quantity: 1,
    price,
    validity: 'DAY',
    tag,
  };
}

async function ordersTagged(tag: string) {
  return (await makeBroker().orders()).filter((o) => o.tag === tag);
}

beforeAll(async () => {
  // Rate limits off at the exchange: this file tests the adapter, not Kite's 429 pacing.
  ex = await PaperExchange.start({ seed: 11, clock: MARKET_OPEN, port: 0, tickIntervalMs: 60_000, rateLimits: false });
  const broker = new KiteBroker({
    apiKey: API_KEY,
    restRoot: ex.restRoot,
    loginUrl: `${ex.restRoot}/connect/login`,
    timeoutMs: 3_000,
  });
  accessToken = (await broker.generateSession(await requestToken(broker), 'paper')).access_token;
  broker.setAccessToken(accessToken);
  restingPrice = onTick((await broker.quote(['NSE:SBIN']))['NSE:SBIN']!.last_price * 0.95, 0.05);
});

afterAll(async () => ex?.close());
afterEach(async () => void (await faults(undefined, 'DELETE')));

describe('KiteBroker: session', () => {
  it('logs in through its login URL and the request-token exchange', async () => {
    // Its own api_key: a new login ends the earlier session of the same key, as on Kite.
    const broker = makeBroker({ accessToken: null, apiKey: 'brokerlogin' });
    expect(broker.loginUrl()).toBe(`${ex.restRoot}/connect/login?v=3&api_key=brokerlogin`);
    const session = await broker.generateSession(await requestToken(broker), 'paper');
    expect(session.user_id).toBe('PA0001');
    expect(session.access_token).toMatch(/\S/);
    // issued at the paper clock's 10:00 IST = 04:30 UTC (a few seconds may have run)
    expect(session.login_time).toMatch(/^2026-11-25T04:3\d:\d\d\.000Z$/);
    broker.setAccessToken(session.access_token);
    expect((await broker.profile()).user_id).toBe('PA0001');
  });

  it("defaults to Kite's own login page", () => {
    expect(new KiteBroker({ apiKey: 'abc', restRoot: 'https://api.kite.trade', timeoutMs: 7000 }).loginUrl()).toBe(
      'https://kite.zerodha.com/connect/login?v=3&api_key=abc',
    );
  });

  it('fails with a session error (not retried) when there is no token', async () => {
    const broker = makeBroker({ accessToken: null });
    const err = await broker.profile().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect(err).toMatchObject({ kind: 'token', code: 'BROKER_SESSION', brokerType: 'TokenException' });
  });

  it('a refusal of a token a new login replaced while the request was out says so (stale_token)', async () => {
    const broker = makeBroker({ accessToken: 'replaced' });
    await faults({ latency_ms: 200 });
    try {
      const pending = broker.profile().catch((e: unknown) => e);
      // The request is out (the exchange answers 200 ms late) when the new token arrives.
      await new Promise((r) => setTimeout(r, 50));
      broker.setAccessToken(accessToken);
      const err = await pending;
      expect(err).toMatchObject({ kind: 'token', data: { stale_token: true } });
      // With the new token in use, the session itself is fine.
      await expect(broker.profile()).resolves.toMatchObject({ user_id: 'PA0001' });
    } finally {
      await faults(undefined, 'DELETE');
    }
  });

  it('refuses a bad checksum as the broker says', async () => {
    const broker = makeBroker({ accessToken: null, apiKey: 'brokerlogin' });
    await expect(broker.generateSession(await requestToken(broker), 'wrong secret')).rejects.toBeInstanceOf(
      BrokerError,
    );
  });
});

describe('KiteBroker: reads', () => {
  it('maps the whole instrument master, expiries as YYYY-MM-DD in any host zone', async () => {
    const expected = ex.instruments.map(({ paper: _p, ...i }) => i);
    const before = process.env.TZ;
    process.env.TZ = 'America/New_York'; // where new Date("2026-11-26") read as local would slip a day
    try {
      const got = await makeBroker().instruments();
      expect(got).toEqual(expected);
      expect(got.some((i) => i.expiry !== null && /^\d{4}-\d{2}-\d{2}$/.test(i.expiry))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('maps quotes, timestamps back in Kite IST form, unknown keys left out', async () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const quotes = await makeBroker().quote(['NSE:INFY', 'NSE:NOSUCHSYMBOL']);
      expect(Object.keys(quotes)).toEqual(['NSE:INFY']);
      const q = quotes['NSE:INFY']!;
      expect(q.instrument_token).toBe(
        ex.instruments.find((i) => i.tradingsymbol === 'INFY' && i.exchange === 'NSE')!.instrument_token,
      );
      expect(q.timestamp).toMatch(/^2026-11-25 10:0\d:\d\d$/);
      expect(q.last_price).toBeGreaterThan(0);
      expect(q.depth.buy).toHaveLength(5);
      expect(q.ohlc.open).toBeGreaterThan(0);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('asks for nothing when given no keys', async () => {
    expect(await makeBroker().quote([])).toEqual({});
  });

  it('reads margins and the profile', async () => {
    const broker = makeBroker();
    const m = await broker.margins();
    expect(m.equity?.enabled).toBe(true);
    expect(typeof m.equity?.net).toBe('number');
    const p = await broker.profile();
    expect(p.exchanges).toContain('NSE');
    expect(p.order_types).toContain('LIMIT');
  });
});

describe('KiteBroker: writes and the order book', () => {
  it('places, modifies and cancels an order, and reads it back with UTC timestamps', async () => {
    const broker = makeBroker();
    const tag = newOrderTag(1);
    const { order_id } = await broker.placeOrder(restingBuy(tag));
    expect(order_id).toMatch(/^\d+$/);
    const [placed] = (await broker.orders()).filter((o) => o.order_id === order_id);
    expect(placed).toMatchObject({ tag, tags: [tag], status: 'OPEN', price: restingPrice, quantity: 1 });
    expect(placed!.order_timestamp).toMatch(/^2026-11-25T04:3\d:\d\d\.000Z$/); // 10:0x IST

    const newPrice = onTick(restingPrice + 0.5, 0.05);
    expect(await broker.modifyOrder('regular', order_id, { price: newPrice })).toEqual({ order_id });
    expect(await broker.cancelOrder('regular', order_id)).toEqual({ order_id });
    const history = await broker.orderHistory(order_id);
    expect(history.at(-1)!.status).toBe('CANCELLED');
    expect(history.some((h) => h.price === newPrice)).toBe(true);
  });

  it('reads fills as trades and positions', async () => {
    const broker = makeBroker();
    const ltp = (await broker.quote(['NSE:SBIN']))['NSE:SBIN']!.last_price;
    // a marketable limit 2% over the last price, on SBIN's 0.05 tick
    const { order_id } = await broker.placeOrder({
      ...restingBuy(newOrderTag(1), onTick(ltp * 1.02, 0.05)),
      product: 'MIS',
      quantity: 3,
    });
    ex.sync();
    const trades = await broker.orderTrades(order_id);
    expect(trades.reduce((s, t) => s + t.quantity, 0)).toBe(3);
    expect(trades[0]!.fill_timestamp).toMatch(/^2026-11-25T04:\d\d:\d\d\.000Z$/);
    expect((await broker.trades()).map((t) => t.trade_id)).toEqual(
      expect.arrayContaining(trades.map((t) => t.trade_id)),
    );
    const { net } = await broker.positions();
    expect(net.find((p) => p.tradingsymbol === 'SBIN' && p.product === 'MIS')?.quantity).toBe(3);
  });

  it('refuses an order the broker refuses, with its kind and message', async () => {
    const err = await makeBroker()
      .placeOrder({ ...restingBuy(newOrderTag(1)), tradingsymbol: 'NOSUCHSYMBOL' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).kind).toBe('input');
    expect((err as BrokerError).message).toMatch(/\S/);
  });
});

describe('KiteBroker: faults', () => {
  it('rides out a 503 burst on GET /orders by retrying the read', async () => {
    await faults({ errors: [{ path: '/orders', method: 'GET', kind: '503', count: 2 }] });
    expect(Array.isArray(await makeBroker().orders())).toBe(true);
    expect((await faults(undefined, 'GET')).errors[0].count).toBe(0); // both failures were met
  });

  it('rides out a 500 GeneralException and a 429 on quotes', async () => {
    await faults({ errors: [{ path: '/orders', method: 'GET', kind: '500', count: 1 }] });
    expect(Array.isArray(await makeBroker().orders())).toBe(true);
    await faults({ errors: [{ path: '/quote', method: 'GET', kind: '429', count: 2 }] });
    expect((await makeBroker().quote(['NSE:INFY']))['NSE:INFY']).toBeDefined();
  });

  it('reports the failure kind when retries are off (the faults are real)', async () => {
    await faults({ errors: [{ path: '/quote', method: 'GET', kind: '429', count: 1 }] });
    await expect(makeBroker({ retry: { attempts: 1 } }).quote(['NSE:INFY'])).rejects.toMatchObject({
      kind: 'rate_limit',
      message: 'Too many requests',
    });
    await faults({ errors: [{ path: '/orders', method: 'GET', kind: '502', count: 1 }] });
    await expect(makeBroker({ retry: { attempts: 1 } }).orders()).rejects.toMatchObject({ kind: 'network' });
    await faults({ errors: [{ path: '/user/profile', kind: 'reset', count: 1 }] });
    await expect(makeBroker({ retry: { attempts: 1 } }).profile()).rejects.toMatchObject({ kind: 'network' });
  });

  it('never retries a write', async () => {
    const tag = newOrderTag(1);
    await faults({ errors: [{ path: '/orders', method: 'POST', kind: '503', count: 1 }] });
    await expect(makeBroker().placeOrder(restingBuy(tag))).rejects.toMatchObject({ kind: 'network' });
    // a retry would have found the fault spent and placed the order
    expect(await ordersTagged(tag)).toHaveLength(0);
  });

  it('reports a time-out as timeout: the request may still be carried out', async () => {
    await faults({ latency_ms: 400 });
    const err = await makeBroker({ timeoutMs: 150, retry: { attempts: 1 } })
      .profile()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', ambiguous: true });
  });
});

describe('placeOrderOnce against the paper exchange', () => {
  it('the duplicate-order trap: accepted, connection reset, found by tag, exactly one order', async () => {
    await faults({ drop_after_accept: 1 });
    const tag = newOrderTag(2);
    const l = memoryLedger();
    const result = await placeOrderOnce(
      makeBroker(),
      l.ledger,
      { strategyId: 2, request: restingBuy(tag) },
      { lookupDelayMs: 50 },
    );
    const atExchange = await ordersTagged(tag);
    expect(atExchange).toHaveLength(1);
    expect(result).toEqual({ orderId: atExchange[0]!.order_id, recovered: true });
    expect(l.events).toEqual([`record ${tag}`, `placed ${tag} ${result.orderId}`]);
  });

  it('resends once when the request never reached the exchange', async () => {
    await faults({ errors: [{ path: '/orders', method: 'POST', kind: 'reset', count: 1 }] });
    const tag = newOrderTag(2);
    const l = memoryLedger();
    const result = await placeOrderOnce(
      makeBroker(),
      l.ledger,
      { strategyId: 2, request: restingBuy(tag) },
      { lookupDelayMs: 20, lookups: 3 },
    );
    const atExchange = await ordersTagged(tag);
    expect(atExchange).toHaveLength(1);
    expect(result).toEqual({ orderId: atExchange[0]!.order_id, recovered: false });
  });

  it('gives up after one resend and names the tag', async () => {
    await faults({ errors: [{ path: '/orders', method: 'POST', kind: 'reset', count: 2 }] });
    const tag = newOrderTag(2);
    const l = memoryLedger();
    const err = await placeOrderOnce(
      makeBroker(),
      l.ledger,
      { strategyId: 2, request: restingBuy(tag) },
      { lookupDelayMs: 20, lookups: 3 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).message).toContain(tag);
    expect(l.events).toEqual([`record ${tag}`, `unknown ${tag} ORDER_FATE_UNKNOWN`]);
    expect(await ordersTagged(tag)).toHaveLength(0);
  });

  it('does not resend when the order book cannot be read after a lost answer: still exactly one order', async () => {
    // the order is accepted and its answer lost; every look at the order book then fails (503)
    await faults({ drop_after_accept: 1, errors: [{ path: '/orders', method: 'GET', kind: '503', count: 100 }] });
    const tag = newOrderTag(2);
    const l = memoryLedger();
    const broker = makeBroker({ retry: { attempts: 1 } });
    await expect(
      placeOrderOnce(broker, l.ledger, { strategyId: 2, request: restingBuy(tag) }, { lookupDelayMs: 10, lookups: 3 }),
    ).rejects.toMatchObject({ kind: 'network' });
    expect(l.events).toEqual([`record ${tag}`, `unknown ${tag} ORDER_FATE_UNKNOWN`]);
    await faults(undefined, 'DELETE');
    expect(await ordersTagged(tag)).toHaveLength(1);
  });
});
