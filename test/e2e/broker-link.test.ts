import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { cleanEnv, ROOT, type RunningSomd, som, somJson, startSomd, type TempHome, tempHome } from './harness.js';
import {
  API_KEY,
  buyPartlyAtAsk,
  freePort,
  type Harness,
  requestToken,
  riskLimitsAside,
  scenario,
  until,
  webSession,
  writeConfig,
} from './kite-paper.js';

const status = async (h: Harness) => (await somJson(h.t, ['status'])).doc;
const orders = async (h: Harness, ...args: string[]) => (await somJson(h.t, ['orders', ...args])).doc.orders as any[];

async function ltp(h: Harness, key: string): Promise<number> {
  const q = await h.web.getLTP([key]);
  return q[key]!.last_price;
}

describe('the broker link against the paper exchange, as the real Kite', () => {
  const h = {} as Harness;

  beforeAll(async () => {
    h.t = tempHome();
    h.redirectPort = await freePort();
    h.ex = await PaperExchange.start({
      seed: 21,
      clock: MARKET_OPEN,
      tickIntervalMs: 100,
      port: 0,
      rateLimits: false,
      redirectUrl: `http://127.0.0.1:${h.redirectPort}/`,
    });
    const config = writeConfig(h.t, h.ex);
    h.somd = await startSomd(h.t, ['--config', config]);
    // These tests trade thousands of shares of one stock at market, crossing the spread each time:
    // the risk engine's position and loss limits are not theirs to test.
    await riskLimitsAside(h.t);
    h.web = await webSession(h.ex);
  }, 30_000);

  afterAll(async () => {
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  it('without a session, status says so, placement is paused and an alert asks the user to log in', async () => {
    const s = await until('session state none', async () => {
      const doc = await status(h);
      return doc.broker.session.state === 'none' ? doc : null;
    });
    expect(s.mode).toBe('kite');
    expect(s.broker.placement.paused).toBe(true);
    expect(s.broker.placement.reason).toMatch(/som login/);
    // The health check fails (exit 1), and the one alert is the login one: no pile of
    // "API unreachable" alerts that are only the missing session.
    expect((await somJson(h.t, ['admin', 'run', 'health'])).code).toBe(1);
    const alerts = (await somJson(h.t, ['alerts'])).doc.alerts;
    expect(alerts.map((a: any) => a.type)).toEqual(['LOGIN_REQUIRED']);
    const refused = await som(h.t, [
      'order',
      'place',
      'NSE:SBIN',
      '--side',
      'BUY',
      '--qty',
      '1',
      '--type',
      'MARKET',
      '--product',
      'MIS',
    ]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/paused/);
  });

  it("som login prints the login page, takes Kite's redirect on loopback, and keeps the token in a 0600 file", async () => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/som'),
        '--socket',
        h.t.socket,
        '--json',
        'login',
        '--port',
        String(h.redirectPort),
        '--timeout',
        '10',
      ],
      {
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    // The user opens the printed page and signs in; Kite redirects the browser to som's port.
    const url = await until('the login URL', async () => /https?:\/\/\S+connect\/login\S*/.exec(err)?.[0]);
    expect(url).toContain(`api_key=${API_KEY}`);
    const signIn = await fetch(url, { redirect: 'manual' });
    const landing = await fetch(signIn.headers.get('location')!);
    expect(await landing.text()).toMatch(/logged in/);
    expect(await exited).toBe(0);
    const r = { doc: JSON.parse(out) };
    expect(r.doc.user_id).toBe('PA0001');
    // 06:00 IST the day after the login (the test's wall clock is somd's clock in kite mode).
    expect(new Date(r.doc.expires_at).getUTCHours()).toBe(0);
    expect(new Date(r.doc.expires_at).getUTCMinutes()).toBe(30);
    const { statSync, readFileSync } = await import('node:fs');
    const file = join(h.t.home, 'kite_session.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const accessToken = JSON.parse(readFileSync(file, 'utf8')).access_token as string;
    expect(JSON.stringify(r.doc)).not.toContain(accessToken);
    const s = await until('connected', async () => {
      const doc = await status(h);
      return doc.broker.state === 'connected' ? doc : null;
    });
    expect(JSON.stringify(s)).not.toContain(accessToken);
    expect(h.somd.stderr()).not.toContain(accessToken);
    expect(s.broker.placement.paused).toBe(false);
    expect((await somJson(h.t, ['alerts'])).doc.alerts.map((a: any) => a.type)).not.toContain('LOGIN_REQUIRED');
    // The instrument master arrives with the session.
    const inst = await until('instruments', async () => {
      const r2 = await somJson(h.t, ['instruments', 'show', 'NSE:SBIN']);
      return r2.code === 0 ? r2.doc : null;
    });
    expect(JSON.stringify(inst)).toMatch(/"tick_size":\s*0\.05/);
  });

  it('an order placed on Kite web appears in som orders with its fill within a second, attributed to default', async () => {
    const price = onTick((await ltp(h, 'NSE:SBIN')) * 1.01, 0.05);
    const started = Date.now();
    const { order_id } = await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      quantity: 10,
      product: 'MIS',
      order_type: 'LIMIT',
      price,
    } as never);
    const seen = await until(
      'the external order, filled',
      async () => {
        const list = await orders(h);
        const o = list.find((x) => x.order_id === order_id);
        return o && o.status === 'COMPLETE' && o.trades.length > 0 ? o : null;
      },
      3000,
    );
    // somd recorded the filled state (its clock is the wall clock in kite mode) within a second.
    expect(new Date(seen.updated_at).getTime() - started).toBeLessThan(1000);
    expect(seen.strategy).toBe('default');
    expect(seen.source).toBe('external');
    expect(seen.filled_quantity).toBe(10);
    expect(seen.trades.reduce((n: number, tr: any) => n + tr.quantity, 0)).toBe(10);
    const audit = (await somJson(h.t, ['audit', '--order', order_id])).doc.events.map((e: any) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['ORDER_CREATED', 'ORDER_PLACED', 'ORDER_FILLED']));
  });

  it('som order place attributes the order to its strategy through the tag, and modify/cancel reach the exchange', async () => {
    expect((await som(h.t, ['strategies', 'create', 'swing'])).code).toBe(0);
    const last = await ltp(h, 'NSE:INFY');
    const far = onTick(last * 0.9, 0.1);
    const placed = await somJson(h.t, [
      'order',
      'place',
      'NSE:INFY',
      '--side',
      'BUY',
      '--qty',
      '2',
      '--type',
      'LIMIT',
      '--price',
      String(far),
      '--product',
      'CNC',
      '--strategy',
      'swing',
    ]);
    expect(placed.code).toBe(0);
    expect(placed.doc.strategy).toBe('swing');
    // Its expected charges were stored before it was sent, and the order links to them.
    expect(placed.doc.order.cost_breakdown_id).toEqual(expect.any(Number));
    const id = placed.doc.order_id as string;
    const atExchange = (await h.web.getOrders()).find((o) => o.order_id === id)!;
    expect(atExchange.tag).toBe(placed.doc.tag);
    const lower = onTick(far - 1, 0.1);
    expect((await som(h.t, ['order', 'modify', id, '--price', String(lower)])).code).toBe(0);
    await until('modified price', async () => (await orders(h)).find((o) => o.order_id === id)?.price === lower);
    expect((await som(h.t, ['order', 'cancel', id])).code).toBe(0);
    await until('cancelled', async () => (await orders(h)).find((o) => o.order_id === id)?.status === 'CANCELLED');
    const swing = await orders(h, '--strategy', 'swing');
    expect(swing.map((o) => o.order_id)).toContain(id);
    const audit = (await somJson(h.t, ['audit', '--order', id])).doc.events.map((e: any) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['ORDER_PLACED', 'ORDER_MODIFIED', 'ORDER_CANCELLED']));
    const created = (await somJson(h.t, ['audit', '--type', 'ORDER_CREATED', '--strategy', 'swing'])).doc.events;
    expect(created.some((e: any) => e.payload.tag === placed.doc.tag)).toBe(true);
  });

  it('bad orders are refused with exit 2 naming the problem, before the broker is asked', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['NSE:NOSUCHCO', '--side', 'BUY', '--qty', '1', '--type', 'MARKET', '--product', 'CNC'],
        /no instrument NSE:NOSUCHCO/,
      ],
      [
        ['NSE:SBIN', '--side', 'BUY', '--qty', '1.5', '--type', 'MARKET', '--product', 'CNC'],
        /--qty must be a whole number/,
      ],
      [
        ['NSE:SBIN', '--side', 'BUY', '--qty', '-3', '--type', 'MARKET', '--product', 'CNC'],
        /--qty must be a whole number/,
      ],
      [
        ['NSE:SBIN', '--side', 'BUY', '--qty', '1', '--type', 'LIMIT', '--price', '500.03', '--product', 'CNC'],
        /not a multiple of .*tick size 0\.05/,
      ],
      [['NSE:SBIN', '--side', 'BUY', '--qty', '1', '--type', 'LIMIT', '--product', 'CNC'], /needs a price/],
      [['SBIN', '--side', 'BUY', '--qty', '1', '--type', 'MARKET', '--product', 'CNC'], /EXCHANGE:TRADINGSYMBOL/],
    ];
    const before = (await h.web.getOrders()).length;
    for (const [args, message] of cases) {
      const r = await som(h.t, ['order', 'place', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect((await h.web.getOrders()).length).toBe(before);
  });

  it('positions match the exchange after buys, sells and partial fills', async () => {
    // A sell that walks past the first bid levels fills in parts; a buy back; a resting partial.
    const last = await ltp(h, 'NSE:RELIANCE');
    await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'RELIANCE',
      transaction_type: 'BUY',
      quantity: 40,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'RELIANCE',
      transaction_type: 'SELL',
      quantity: 15,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    // som's own MARKET order goes out with Kite's automatic market protection.
    const market = await somJson(h.t, [
      'order',
      'place',
      'NSE:RELIANCE',
      '--side',
      'SELL',
      '--qty',
      '5',
      '--type',
      'MARKET',
      '--product',
      'MIS',
    ]);
    expect(market.code).toBe(0);
    // Its fill's actual charges reach the strategy's totals.
    await until(
      'brokerage recorded',
      async () => (await somJson(h.t, ['strategies', 'show', 'default'])).doc.strategy.total_brokerage_paid > 0,
    );
    // Priced at the best ask, for more than that level holds: it fills in part now and the rest rests.
    const partial = await buyPartlyAtAsk(h.ex, h.web, 'NSE:ITC', 500);
    expect(last).toBeGreaterThan(0);
    // Fills arrive in parts (the level's quantity now, more as the depth comes back); som
    // records each part. What is left is cancelled, unless the market filled it first.
    await until(
      'a fill seen',
      async () => ((await orders(h)).find((x) => x.order_id === partial)?.filled_quantity ?? 0) > 0,
    );
    await h.web.cancelOrder('regular', partial).catch(() => undefined);
    await scenario(h.ex, 'NSE:ITC', { reset: true });
    const final = (await h.web.getOrderHistory(partial)).at(-1)!;
    await until('the final state in som', async () => {
      const o = (await orders(h)).find((x) => x.order_id === partial);
      return o && o.status === final.status && o.filled_quantity === final.filled_quantity;
    });
    const exchangeNet = async () =>
      (await h.web.getPositions()).net
        .map((p) => ({ key: `${p.exchange}:${p.tradingsymbol}:${p.product}`, q: p.quantity, avg: p.average_price }))
        .sort((a, b) => a.key.localeCompare(b.key));
    await until('positions to match', async () => {
      const ours = ((await somJson(h.t, ['positions', '--all'])).doc.positions as any[])
        .map((p) => ({ key: `${p.exchange}:${p.tradingsymbol}:${p.product}`, q: p.quantity, avg: p.average_price }))
        .sort((a, b) => a.key.localeCompare(b.key));
      const theirs = await exchangeNet();
      return (
        JSON.stringify(ours) === JSON.stringify(theirs) &&
        theirs.some((p) => p.key === 'NSE:RELIANCE:MIS' && p.q === 20)
      );
    });
    // Every instrument with a position is streamed in full mode, and ticks arrive.
    const feed = await until('ticks for the positions', async () => {
      const s = await status(h);
      return s.broker.ticker.subscribed >= 3 && s.broker.ticker.lastTickAt ? s.broker.ticker : null;
    });
    expect(feed.state).toBe('connected');
    const types = (await somJson(h.t, ['audit', '--order', partial])).doc.events.map((e: any) => e.type);
    expect(types).toContain('ORDER_PARTIALLY_FILLED');
    expect(types).toContain(final.status === 'CANCELLED' ? 'ORDER_CANCELLED' : 'ORDER_FILLED');
  });

  it('a placement that times out after the exchange accepted it is found by its tag, not sent twice', async () => {
    h.ex.faults.set({ drop_after_accept: 1 });
    const before = (await h.web.getOrders()).length;
    const price = onTick((await ltp(h, 'NSE:SBIN')) * 0.95, 0.05);
    const r = await somJson(h.t, [
      'order',
      'place',
      'NSE:SBIN',
      '--side',
      'BUY',
      '--qty',
      '3',
      '--type',
      'LIMIT',
      '--price',
      String(price),
      '--product',
      'MIS',
    ]);
    h.ex.faults.clear();
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.recovered).toBe(true);
    const after = await h.web.getOrders();
    expect(after.length).toBe(before + 1);
    expect(after.filter((o) => o.tag === r.doc.tag)).toHaveLength(1);
    const audit = (await somJson(h.t, ['audit', '--type', 'ORDER_RECOVERED'])).doc.events;
    expect(audit[0].order_id).toBe(r.doc.order_id);
  });

  it('429 and 5xx bursts: reads are retried, status stays truthful, and the account keeps up', async () => {
    h.ex.faults.set({
      errors: [
        { path: '/orders', method: 'GET', kind: '503', count: 2 },
        { path: '/portfolio', method: 'GET', kind: '429', count: 2 },
      ],
    });
    const { order_id } = await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'ITC',
      transaction_type: 'BUY',
      quantity: 5,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    await until(
      'ITC order tracked',
      async () => (await orders(h)).find((o) => o.order_id === order_id)?.status === 'COMPLETE',
    );
    h.ex.faults.set({ errors: [{ path: '*', method: '*', kind: '503' }] });
    const run = await somJson(h.t, ['admin', 'run', 'health']);
    expect(run.code).toBe(1);
    const down = await status(h);
    expect(down.broker.state).not.toBe('connected');
    expect(down.broker.checks.find((c: any) => c.name === 'api').ok).toBe(false);
    expect(down.broker.placement.paused).toBe(true);
    expect((await somJson(h.t, ['alerts'])).doc.alerts.some((a: any) => a.type === 'BROKER_HEALTH')).toBe(true);
    h.ex.faults.clear();
    expect((await somJson(h.t, ['admin', 'run', 'health'])).code).toBe(0);
    const up = await status(h);
    expect(up.broker.checks.find((c: any) => c.name === 'api').ok).toBe(true);
    expect(up.broker.placement.paused).toBe(false);
    expect((await somJson(h.t, ['alerts'])).doc.alerts.some((a: any) => a.type === 'BROKER_HEALTH')).toBe(false);
  });

  it('a dropped WebSocket reconnects by itself and order updates flow again', async () => {
    const before = (await status(h)).broker.ticker.reconnects;
    await fetch(`${h.ex.restRoot}/paper/admin/ws/drop`, { method: 'POST' });
    await until('reconnected', async () => {
      const s = await status(h);
      return s.broker.ticker.reconnects > before && s.broker.ticker.state === 'connected';
    });
    const { order_id } = await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'SELL',
      quantity: 10,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    await until(
      'update after reconnect',
      async () => (await orders(h)).find((o) => o.order_id === order_id)?.status === 'COMPLETE',
      2000,
    );
  });

  it('an invalidated token pauses placement and raises the login alert; logging in again resumes', async () => {
    await fetch(`${h.ex.restRoot}/paper/admin/tokens/invalidate`, { method: 'POST' });
    await somJson(h.t, ['admin', 'run', 'health']);
    const s = await until('session invalid', async () => {
      const doc = await status(h);
      return doc.broker.session.state === 'invalid' ? doc : null;
    });
    expect(s.broker.placement.paused).toBe(true);
    expect((await somJson(h.t, ['alerts'])).doc.alerts.map((a: any) => a.type)).toContain('LOGIN_REQUIRED');
    h.web = await webSession(h.ex);
    expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
    await until('connected again', async () => (await status(h)).broker.state === 'connected');
    expect((await somJson(h.t, ['admin', 'run', 'health'])).code).toBe(0);
  });

  it('a restart mid-session rebuilds the same orders and positions from the store and the broker', async () => {
    // Orders still working could fill while somd is down and so change the picture being compared.
    const working = (await h.web.getOrders()).filter((o) => ['OPEN', 'TRIGGER PENDING'].includes(o.status));
    for (const o of working) await h.web.cancelOrder('regular', o.order_id);
    await until('nothing working', async () =>
      (await orders(h)).every((o) => !['OPEN', 'TRIGGER PENDING', 'PUT ORDER REQ RECEIVED'].includes(o.status)),
    );
    const beforeOrders = (await orders(h))
      .map((o) => `${o.order_id}:${o.status}:${o.filled_quantity}:${o.strategy}`)
      .sort();
    const beforePositions = (await somJson(h.t, ['positions', '--all'])).doc.positions
      .map((p: any) => `${p.tradingsymbol}:${p.product}:${p.quantity}`)
      .sort();
    expect(await h.somd.stop()).toBe(0);
    // While somd is down the user trades on Kite web: the restart must catch up.
    const { order_id } = await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'ITC',
      transaction_type: 'SELL',
      quantity: 5,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    h.somd = await startSomd(h.t, ['--config', join(h.t.dir, 'config.toml')]);
    await until('connected after restart', async () => (await status(h)).broker.state === 'connected');
    const after = await until('the order placed while down', async () => {
      const list = await orders(h);
      return list.some((o) => o.order_id === order_id && o.status === 'COMPLETE') ? list : null;
    });
    const rebuilt = after
      .filter((o) => o.order_id !== order_id)
      .map((o) => `${o.order_id}:${o.status}:${o.filled_quantity}:${o.strategy}`)
      .sort();
    expect(rebuilt).toEqual(beforeOrders);
    const positions = (await somJson(h.t, ['positions', '--all'])).doc.positions
      .map((p: any) => `${p.tradingsymbol}:${p.product}:${p.quantity}`)
      .sort();
    // The same positions, ITC 5 fewer (sold while somd was down).
    const expected = beforePositions.map((p: string) =>
      p.startsWith('ITC:MIS:') ? `ITC:MIS:${Number(p.split(':')[2]) - 5}` : p,
    );
    expect(positions).toEqual(expected);
  });
});

describe("somd --paper: the day's session ends at 06:00 IST", () => {
  let t: TempHome;
  let somd: RunningSomd;
  beforeAll(async () => {
    t = tempHome();
    const config = join(t.dir, 'config.toml');
    writeFileSync(config, '[paper]\nclock = "2026-11-25T15:00:00+05:30"\n');
    somd = await startSomd(t, ['--config', config, '--paper']);
  });
  afterAll(async () => {
    await somd?.stop();
    t?.cleanup();
  });

  it('knows when the token expires, notices when the clock passes it, and (paper) signs in again by itself', async () => {
    const first = await until('connected', async () => {
      const s = (await somJson(t, ['status'])).doc;
      return s.broker.state === 'connected' ? s : null;
    });
    expect(first.broker.session.expires_at).toBe('2026-11-26T00:30:00.000Z');
    await fetch(`${first.paper.restRoot}/paper/admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jump_to: '2026-11-26T09:20:00+05:30' }),
    });
    const renewed = await until('a new session', async () => {
      const s = (await somJson(t, ['status'])).doc;
      return s.broker.session.state === 'valid' && s.broker.session.expires_at === '2026-11-27T00:30:00.000Z'
        ? s
        : null;
    });
    expect(renewed.broker.session.login_time).toMatch(/^2026-11-26T03:5/);
    // Placement resumes by itself once the feed is back on the new token.
    await until('placement open', async () => (await somJson(t, ['status'])).doc.broker.placement.paused === false);
    const types = (await somJson(t, ['audit', '--limit', '50'])).doc.events.map((e: any) => e.type);
    expect(types).toContain('SESSION_EXPIRED');
    expect(types.filter((x: string) => x === 'SESSION_LOGIN')).toHaveLength(2);
  });
});
