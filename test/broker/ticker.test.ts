import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { KiteTicker } from 'kiteconnect';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BrokerTicker,
  type BrokerTickerHandlers,
  type BrokerTickerOptions,
  type LiveTick,
  MAX_TOKENS_PER_CONNECTION,
  normaliseTick,
  reconnectDelayMs,
  type TickerState,
} from '../../src/broker/ticker.js';
import { PaperExchange } from '../../src/paper/exchange.js';
import { login, MARKET_OPEN } from '../paper/conformance/paper-session.js';

/** Everything a ticker reported, in order. */
class Recorder {
  readonly states: { state: TickerState; detail: string }[] = [];
  readonly ticks: LiveTick[] = [];
  readonly orders: Record<string, unknown>[] = [];
  readonly staleness: { stale: boolean; detail: string }[] = [];
  readonly handlers: BrokerTickerHandlers = {
    onTicks: (ticks) => this.ticks.push(...ticks),
    onOrderUpdate: (raw) => this.orders.push(raw),
    onState: (state, detail) => this.states.push({ state, detail }),
    onStale: (stale, detail) => this.staleness.push({ stale, detail }),
  };
  count(state: TickerState, detail?: RegExp): number {
    return this.states.filter((s) => s.state === state && (!detail || detail.test(s.detail))).length;
  }
}

/** Poll until `condition` holds; fail naming what never happened. */
async function until(condition: () => boolean, what: string, ms = 4000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reconnectDelayMs', () => {
  const backoff = (r: number) => ({ minMs: 250, maxMs: 30_000, random: () => r });

  it('doubles from minMs, jitter stretching each wait by up to 100 %, capped at maxMs', () => {
    expect(reconnectDelayMs(0, backoff(0))).toBe(250); // 250 * 2^0 * (1 + 0)
    expect(reconnectDelayMs(0, backoff(0.5))).toBe(375); // 250 * 1.5
    expect(reconnectDelayMs(1, backoff(0))).toBe(500); // 250 * 2
    expect(reconnectDelayMs(3, backoff(0.5))).toBe(3000); // 250 * 8 * 1.5
    expect(reconnectDelayMs(6, backoff(0.99))).toBe(30_000); // 250 * 64 * 1.99 = 31840 -> cap
    expect(reconnectDelayMs(7, backoff(0))).toBe(30_000); // 250 * 128 = 32000 -> cap
    expect(reconnectDelayMs(10_000, backoff(0))).toBe(30_000); // no overflow to Infinity/NaN
  });

  it('stays within [minMs, maxMs] whatever the jitter', () => {
    for (let failures = 0; failures < 40; failures++) {
      for (const r of [0, 0.3, 0.999_999]) {
        const d = reconnectDelayMs(failures, { minMs: 50, maxMs: 400, random: () => r });
        expect(d).toBeGreaterThanOrEqual(50);
        expect(d).toBeLessThanOrEqual(400);
      }
    }
  });
});

describe('normaliseTick', () => {
  it("reads Kite's own full-mode packet as Kite documents it", () => {
    const fixtures = join(import.meta.dirname, '../fixtures/kite');
    const packet = Buffer.from(readFileSync(join(fixtures, 'ticker_full.packet'), 'utf8').trim(), 'base64');
    const expected = JSON.parse(readFileSync(join(fixtures, 'ticker_full.json'), 'utf8'));
    // A frame of one packet: [count u16][length u16][packet], big-endian.
    const frame = Buffer.concat([Buffer.from([0, 1, packet.length >> 8, packet.length & 0xff]), packet]);
    const decoder = new KiteTicker({ api_key: 'x', access_token: 'y', reconnect: false });
    const raw = (decoder as unknown as { parseBinary(b: ArrayBuffer): unknown[] }).parseBinary(
      frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.length),
    );
    const tick = normaliseTick(raw[0], 1234)!;
    expect(tick).toMatchObject({
      instrument_token: expected.instrument_token,
      tradable: true,
      mode: 'full',
      last_price: expected.last_price,
      last_quantity: expected.last_quantity,
      average_price: expected.average_price,
      volume: expected.volume,
      buy_quantity: expected.buy_quantity,
      sell_quantity: expected.sell_quantity,
      ohlc: expected.ohlc,
      oi: 0,
      depth: expected.depth,
      received_at: 1234,
    });
    // Kite's JSON gives IST with its offset; the Date is the same instant whatever the host zone.
    expect(tick.timestamp?.toISOString()).toBe('2021-07-05T05:11:27.000Z');
    expect(tick.last_trade_time?.toISOString()).toBe(new Date(expected.last_trade_time).toISOString());
    // 1573.70 - 1567.80 = 5.90 (the fixture's change is this absolute difference)
    expect(tick.net_change).toBeCloseTo(expected.change, 9);
    expect(tick.depth?.buy).toHaveLength(5);
  });

  it('fills what an ltp packet lacks with zeros and nulls, and refuses what is not a tick', () => {
    const tick = normaliseTick({ tradable: true, mode: 'ltp', instrument_token: 408065, last_price: 1573.15 }, 0)!;
    expect(tick).toMatchObject({
      last_price: 1573.15,
      volume: 0,
      ohlc: null,
      depth: null,
      timestamp: null,
      net_change: 0,
    });
    expect(normaliseTick({ last_price: 1 }, 0)).toBeNull();
    expect(normaliseTick('heartbeat', 0)).toBeNull();
  });
});

describe('BrokerTicker against the paper exchange', () => {
  let ex: PaperExchange;
  let SBIN: number;
  let INFY: number;
  const running: BrokerTicker[] = [];

  beforeAll(async () => {
    // Ticks every 50 ms: the ticker sees a live feed, and a heartbeat when it has no subscriptions.
    ex = await PaperExchange.start({ seed: 7, clock: MARKET_OPEN, tickIntervalMs: 50, rateLimits: false });
    SBIN = ex.resolve('NSE:SBIN')!.instrument_token;
    INFY = ex.resolve('NSE:INFY')!.instrument_token;
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await fetch(`${ex.restRoot}/paper/admin/faults`, { method: 'DELETE' });
    await Promise.all(running.splice(0).map((t) => t.stop()));
  });
  afterAll(async () => {
    await ex?.close();
  });

  /** A ticker for a freshly logged-in session (its own api_key, so invalidation stays local). */
  async function ticker(apiKey: string, recorder: Recorder, options: Partial<BrokerTickerOptions> = {}) {
    const session = await login(ex.restRoot, apiKey);
    const t = new BrokerTicker(
      { apiKey, accessToken: session.accessToken, wsRoot: ex.wsRoot, backoff: { minMs: 50, maxMs: 200 }, ...options },
      recorder.handlers,
    );
    running.push(t);
    return { t, ...session };
  }

  const admin = (path: string, body?: unknown) =>
    fetch(`${ex.restRoot}/paper/admin${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });

  const socketsAtExchange = async () => {
    const res = await fetch(`${ex.restRoot}/paper/admin/state`);
    return ((await res.json()) as { data: { websocket_connections: number } }).data.websocket_connections;
  };

  it('connects and streams full-mode ticks with depth for the subscribed tokens only', async () => {
    const rec = new Recorder();
    const { t } = await ticker('h2-stream', rec);
    expect(t.state).toBe('idle');
    expect(t.lastTickAt).toBeNull();
    expect(t.setSubscriptions([SBIN, INFY, SBIN])).toBeNull();
    const before = Date.now();
    t.start();
    expect(t.state).toBe('connecting');
    await until(() => t.state === 'connected', 'connected');
    await until(
      () => [SBIN, INFY].every((token) => rec.ticks.some((k) => k.instrument_token === token && k.mode === 'full')),
      'full ticks for both tokens',
    );
    expect(rec.states.map((s) => s.state).slice(0, 2)).toEqual(['connecting', 'connected']);
    const full = rec.ticks.find((k) => k.instrument_token === SBIN && k.mode === 'full')!;
    expect(full.tradable).toBe(true);
    expect(full.last_price).toBeGreaterThan(0);
    expect(full.depth!.buy).toHaveLength(5);
    expect(full.depth!.sell).toHaveLength(5);
    expect(full.depth!.buy[0]!.price).toBeLessThan(full.depth!.sell[0]!.price);
    expect(full.depth!.buy[0]!.quantity).toBeGreaterThan(0);
    expect(full.timestamp).toBeInstanceOf(Date);
    expect(full.ohlc!.close).toBeGreaterThan(0);
    expect(rec.ticks.every((k) => k.instrument_token === SBIN || k.instrument_token === INFY)).toBe(true);
    expect(t.lastTickAt).toBeGreaterThanOrEqual(before);
    expect(t.reconnects).toBe(0);
    expect(await socketsAtExchange()).toBe(1);

    // Narrow the set while connected: SBIN stops, INFY goes on.
    expect(t.setSubscriptions([INFY])).toBeNull();
    await sleep(100); // a frame already on the wire is filtered out, not counted here
    const from = rec.ticks.length;
    await until(
      () => rec.ticks.slice(from).filter((k) => k.instrument_token === INFY).length >= 3,
      'INFY ticks after narrowing',
    );
    expect(rec.ticks.slice(from).some((k) => k.instrument_token === SBIN)).toBe(false);
  });

  it('passes an order update on with the raw postback object', async () => {
    const rec = new Recorder();
    const { t, kc } = await ticker('h2-orders', rec);
    t.start();
    await until(() => t.state === 'connected', 'connected');
    const placed = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    await until(
      () => rec.orders.some((o) => o.order_id === placed.order_id && o.status === 'COMPLETE'),
      'a COMPLETE order update',
    );
    const update = rec.orders.find((o) => o.order_id === placed.order_id && o.status === 'COMPLETE')!;
    // Untouched: Kite's postback fields, its strings left as strings.
    expect(update).toMatchObject({
      tradingsymbol: 'SBIN',
      filled_quantity: 1,
      unfilled_quantity: 0,
      user_id: 'PA0001',
    });
    expect(typeof update.checksum).toBe('string');
    expect(typeof update.order_timestamp).toBe('string');
    expect(update).toHaveProperty('app_id');
  });

  it('reconnects by itself after the socket is dropped and restores the subscriptions', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const rec = new Recorder();
    const { t } = await ticker('h2-drop', rec);
    t.setSubscriptions([SBIN]);
    t.start();
    await until(() => rec.ticks.some((k) => k.instrument_token === SBIN), 'first SBIN tick');

    expect((await admin('/ws/drop')).status).toBe(200);
    await until(() => rec.count('disconnected') > 0, 'disconnected');
    const lost = rec.states.find((s) => s.state === 'disconnected')!;
    expect(lost.detail).toMatch(/connection lost .*retrying in \d+ ms/);
    await until(() => t.state === 'connected' && t.reconnects === 1, 'reconnected');
    const reconnectedAt = Date.now();
    // Ticks for the same token arrive again, on the new connection, without a new setSubscriptions.
    await until(
      () => rec.ticks.some((k) => k.instrument_token === SBIN && k.received_at >= reconnectedAt),
      'SBIN ticks after reconnect',
    );
    expect(rec.states.map((s) => s.state)).toEqual([
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
    expect(rec.states[3]!.detail).toMatch(/^reconnecting to ws:.* \(retry 1\)$/);
    expect(await socketsAtExchange()).toBe(1);
    expect(exit).not.toHaveBeenCalled();
  });

  it('keeps backing off while the token is refused, and recovers with a fresh login', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const rec = new Recorder();
    const { t, accessToken } = await ticker('h2-token', rec);
    t.setSubscriptions([SBIN]);
    t.start();
    await until(() => rec.ticks.length > 0, 'first tick');

    // The session ends (as at 06:00 IST or a logout) and the socket drops: every handshake is refused.
    await admin('/tokens/invalidate', { api_key: 'h2-token' });
    await admin('/ws/drop');
    await until(() => rec.count('disconnected', /access token is invalid or expired/) >= 3, 'three refused attempts');
    expect(['disconnected', 'connecting']).toContain(t.state);
    expect(rec.count('closed')).toBe(0);
    const refused = rec.states.filter((s) => /HTTP 403/.test(s.detail));
    expect(refused[0]!.detail).toMatch(/^could not connect: .*retrying in \d+ ms$/);
    // Backoff 50..200 ms: the drop retries after 50-100 ms (50 * 2^0 * (1 + jitter)), the refusals
    // after 100-200, then 200 (the cap): never shorter than the one before.
    const delays = refused.map((s) => Number(/retrying in (\d+) ms/.exec(s.detail)![1]));
    expect(delays.every((d, i) => d >= 100 && d <= 200 && (i === 0 || d >= delays[i - 1]!))).toBe(true);

    const fresh = await login(ex.restRoot, 'h2-token');
    const connectedBefore = rec.count('connected');
    t.setAccessToken(fresh.accessToken);
    await until(
      () => t.state === 'connected' && rec.count('connected') > connectedBefore,
      'connected with the new token',
    );
    const back = Date.now();
    await until(
      () => rec.ticks.some((k) => k.instrument_token === SBIN && k.received_at >= back),
      'ticks with the new token',
    );
    expect(t.reconnects).toBe(1);
    // Neither token ever appears in what the ticker reports.
    for (const s of rec.states) {
      expect(s.detail).not.toContain(accessToken);
      expect(s.detail).not.toContain(fresh.accessToken);
    }
    expect(exit).not.toHaveBeenCalled();
  });

  it('shows a stalled feed through lastTickAt and the stale flag, the socket staying up', async () => {
    const rec = new Recorder();
    const { t } = await ticker('h2-stall', rec, { staleAfterMs: 250 });
    t.setSubscriptions([SBIN]);
    t.start();
    await until(() => rec.ticks.length > 0, 'first tick');
    expect(t.stale).toBe(false);

    await admin('/faults', { stall_ticks: true });
    await sleep(100); // let a frame already sent arrive
    const last = t.lastTickAt;
    await until(() => t.stale, 'stale', 2000);
    expect(t.lastTickAt).toBe(last);
    expect(Date.now() - last!).toBeGreaterThanOrEqual(250);
    expect(t.state).toBe('connected'); // heartbeats keep the socket alive
    expect(rec.staleness.at(-1)).toMatchObject({ stale: true, detail: expect.stringMatching(/no tick for \d+ ms/) });

    await fetch(`${ex.restRoot}/paper/admin/faults`, { method: 'DELETE' });
    await until(() => t.lastTickAt! > last!, 'ticks again');
    expect(t.stale).toBe(false);
    expect(rec.staleness.at(-1)?.stale).toBe(false);
  });

  it('is not stale without subscriptions (nothing is owed)', async () => {
    const rec = new Recorder();
    const { t } = await ticker('h2-quiet', rec, { staleAfterMs: 100 });
    t.start();
    await until(() => t.state === 'connected', 'connected');
    await sleep(300);
    expect(t.stale).toBe(false);
    expect(t.lastTickAt).toBeNull();
  });

  it('stop closes the socket for good; another ticker may start only after it', async () => {
    const rec1 = new Recorder();
    const { t: first } = await ticker('h2-one', rec1);
    const rec2 = new Recorder();
    const { t: second } = await ticker('h2-two', rec2);
    first.setSubscriptions([SBIN]);
    first.start();
    await until(() => first.state === 'connected', 'first connected');
    expect(() => second.start()).toThrow(/another BrokerTicker is running/);

    await first.stop();
    expect(first.state).toBe('closed');
    expect(rec1.states.at(-1)).toEqual({ state: 'closed', detail: 'stopped' });
    const ticksAtStop = rec1.ticks.length;

    second.setSubscriptions([INFY]);
    second.start();
    await until(() => rec2.ticks.some((k) => k.instrument_token === INFY), 'second ticker streams');
    await sleep(150);
    // The first one neither reconnected nor heard the second one's feed.
    expect(rec1.states.at(-1)?.state).toBe('closed');
    expect(rec1.ticks.length).toBe(ticksAtStop);
    expect(await socketsAtExchange()).toBe(1);
    await second.stop();
    // stop() resolved on the client's close event; the exchange saw the close too.
    expect(await socketsAtExchange()).toBe(0);
  });

  it('stop while waiting to retry ends at once', async () => {
    const rec = new Recorder();
    const { t } = await ticker('h2-stop-backoff', rec, { backoff: { minMs: 5_000, maxMs: 5_000 } });
    t.setAccessToken('not-a-token');
    t.start();
    await until(() => t.state === 'disconnected', 'first refusal');
    // the retry is 5 s away: stop must not wait for it
    const retry = new Promise<'waited for the retry'>((r) =>
      setTimeout(() => r('waited for the retry'), 4_000).unref(),
    );
    expect(await Promise.race([t.stop().then(() => 'stopped' as const), retry])).toBe('stopped');
    expect(t.state).toBe('closed');
  });

  it('keeps retrying a root that is not a URL, never quoting the token', async () => {
    const rec = new Recorder();
    const token = 'a-secret-token-of-32-characters!';
    const t = new BrokerTicker(
      { apiKey: 'k', accessToken: token, wsRoot: 'not a url', backoff: { minMs: 20, maxMs: 40 } },
      rec.handlers,
    );
    running.push(t);
    t.start();
    await until(() => rec.count('disconnected', /^could not connect: /) >= 2, 'two failed attempts');
    expect(rec.states.every((s) => !s.detail.includes(token))).toBe(true);
  });

  it('refuses more instruments than Kite streams on one connection, keeping the previous set', () => {
    const t = new BrokerTicker({ apiKey: 'k', accessToken: 't', wsRoot: 'ws://127.0.0.1:9/ws' });
    expect(t.setSubscriptions([SBIN])).toBeNull();
    const tooMany = Array.from({ length: MAX_TOKENS_PER_CONNECTION + 1 }, (_, i) => i + 1);
    expect(t.setSubscriptions(tooMany)).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/at most 3000/),
    });
    expect(t.setSubscriptions([SBIN, 1.5])).toMatchObject({ code: 'INVALID_INPUT' });
    expect([...t.subscriptions]).toEqual([SBIN]);
  });

  it('gives up on a handshake that never completes and retries', async () => {
    // A server that accepts TCP and never answers the upgrade (a black-holed proxy).
    const held: Socket[] = [];
    const server: Server = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const rec = new Recorder();
    const t = new BrokerTicker(
      {
        apiKey: 'k',
        accessToken: 't',
        wsRoot: `ws://127.0.0.1:${port}/ws`,
        connectTimeoutMs: 100,
        backoff: { minMs: 50, maxMs: 100 },
      },
      rec.handlers,
    );
    running.push(t);
    try {
      t.start();
      await until(() => rec.count('disconnected', /no handshake within 100 ms/) >= 2, 'two timed-out attempts');
      expect(rec.count('connecting')).toBeGreaterThanOrEqual(2);
      await t.stop();
      expect(t.state).toBe('closed');
    } finally {
      for (const s of held) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
