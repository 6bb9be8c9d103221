import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { type RunningSomd, som, somJson, startSomd, tempHome } from './harness.js';
import { freePort, type Harness, requestToken, until, webSession, writeConfig } from './kite-paper.js';

/**
 * Protection across the close, midnight and the next morning, on the paper exchange's clock:
 * an AMO stop for an NRML position carried overnight, a stop placed on Kite web while somd is
 * down, `som oco protect` the next day, and nothing fought with the exchange after the close.
 * somd keeps time by its broker, so every jump of the exchange's clock is somd's too. The
 * minute sweep runs as configured by default.
 */
describe('protection across days', () => {
  const h = {} as Harness;
  let config: string;
  const NIFTY = 'NIFTY26DECFUT';
  const BANKNIFTY = 'BANKNIFTY26DECFUT';

  async function restart(): Promise<RunningSomd> {
    const somd = await startSomd(h.t, ['--config', config]);
    const login = await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)]);
    expect(login.code, login.stderr).toBe(0);
    return somd;
  }
  async function jump(to: string): Promise<void> {
    h.ex.clock.jump(new Date(to));
    h.ex.sync();
    // somd learns the broker's time from its next answer (the refresh reads the account every 2 s).
    await until(`somd at ${to}`, async () => {
      const status = (await somJson(h.t, ['status'])).doc;
      return Math.abs(Date.parse(status.now) - Date.parse(to)) < 60_000;
    });
  }
  async function exchangeOrder(id: string) {
    return (await h.web.getOrderHistory(id)).at(-1)!;
  }
  async function exchangePosition(symbol: string) {
    return (await h.web.getPositions()).net.find((p) => p.tradingsymbol === symbol && p.product === 'NRML');
  }
  async function ltp(symbol: string): Promise<number> {
    return (await h.web.getLTP([`NFO:${symbol}`]))[`NFO:${symbol}`]!.last_price;
  }
  async function roleOf(id: string): Promise<string | null> {
    const orders = (await somJson(h.t, ['orders'])).doc.orders as any[];
    return orders.find((o) => o.order_id === id)?.role ?? null;
  }
  async function sweptAfter(instant: string): Promise<void> {
    await until(
      `the orphan sweep after ${instant}`,
      async () => {
        const jobs = (await somJson(h.t, ['admin', 'jobs'])).doc.jobs as any[];
        const sweep = jobs.find((j) => j.name === 'orphan-sweep');
        return sweep?.lastRunAt && sweep.lastRunAt > new Date(instant).toISOString();
      },
      90_000,
    );
  }

  beforeAll(async () => {
    h.t = tempHome();
    h.redirectPort = await freePort();
    h.ex = await PaperExchange.start({ seed: 46, clock: MARKET_OPEN, tickIntervalMs: 200, port: 0, rateLimits: false });
    config = writeConfig(h.t, h.ex);
    h.somd = await restart();
    h.web = await webSession(h.ex);
    await until('connected with instruments', async () => {
      const s = (await somJson(h.t, ['status'])).doc;
      return s.broker.state === 'connected' && s.instruments.count > 0 && s.broker.clock.source === 'broker';
    });
  }, 30_000);

  afterAll(async () => {
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  it('an AMO stop for an NRML position survives midnight, the next morning and a stop set while somd was down', async () => {
    for (const name of ['carry', 'swing']) expect((await som(h.t, ['strategies', 'create', name])).code).toBe(0);
    const buy = async (symbol: string, lots: number, strategy: string) => {
      const r = await somJson(h.t, [
        'order',
        'place',
        `NFO:${symbol}`,
        '--side',
        'BUY',
        '--qty',
        String(lots),
        '--type',
        'MARKET',
        '--product',
        'NRML',
        '--strategy',
        strategy,
      ]);
      expect(r.code, r.stderr).toBe(0);
      await until(`long ${symbol}`, async () => (await exchangePosition(symbol))?.quantity === lots);
    };
    await buy(NIFTY, 65, 'carry');
    await buy(BANKNIFTY, 30, 'swing');

    // After the close: an AMO stop for the whole NIFTY position.
    await jump('2026-11-25T15:45:00+05:30');
    const amo = await somJson(h.t, [
      'order',
      'place',
      `NFO:${NIFTY}`,
      '--side',
      'SELL',
      '--qty',
      '65',
      '--type',
      'SL-M',
      '--trigger',
      String(onTick((await ltp(NIFTY)) * 0.95, 0.1)),
      '--product',
      'NRML',
      '--variety',
      'amo',
      '--strategy',
      'carry',
    ]);
    expect(amo.code, amo.stderr).toBe(0);
    const amoId = amo.doc.order_id as string;
    await until('the AMO judged a stop', async () => (await roleOf(amoId)) === 'stop');

    // Midnight: the exchange rolls the day (the position is now overnight); the sweep runs.
    await jump('2026-11-26T00:00:30+05:30');
    await sweptAfter('2026-11-26T00:00:30+05:30');
    expect((await exchangeOrder(amoId)).status).toBe('AMO REQ RECEIVED');
    expect(await exchangePosition(NIFTY)).toMatchObject({ quantity: 65, overnight_quantity: 65 });
    expect(((await somJson(h.t, ['orphans'])).doc.orphans as any[]).some((o) => o.order_id === amoId)).toBe(false);

    // somd is stopped overnight; the session expires at 06:00. In the morning, with somd down,
    // the trader sets a stop for the BANKNIFTY position on Kite web.
    expect(await h.somd.stop()).toBe(0);
    h.ex.clock.jump(new Date('2026-11-26T09:16:00+05:30'));
    h.ex.sync();
    h.web = await webSession(h.ex);
    const { order_id: webStop } = await h.web.placeOrder('regular', {
      exchange: 'NFO',
      tradingsymbol: BANKNIFTY,
      transaction_type: 'SELL',
      quantity: 30,
      product: 'NRML',
      order_type: 'SL-M',
      trigger_price: onTick((await ltp(BANKNIFTY)) * 0.95, 0.2),
      market_protection: -1,
    } as never);
    h.somd = await restart();
    await until('the stop set while somd was down judged a stop', async () => (await roleOf(webStop)) === 'stop');
    // The AMO went to the exchange at the open and still protects the carried position.
    expect((await exchangeOrder(amoId)).status).toBe('TRIGGER PENDING');

    // The next day, `som oco protect` finds the carried position; som's older AMO stop gives way to it.
    const last = await ltp(NIFTY);
    const protect = await somJson(h.t, [
      'oco',
      'protect',
      `NFO:${NIFTY}`,
      '--stop',
      String(onTick(last * 0.96, 0.1)),
      '--target',
      String(onTick(last * 1.04, 0.1)),
      '--product',
      'NRML',
      '--strategy',
      'carry',
    ]);
    expect(protect.code, protect.stderr).toBe(0);
    await until(
      'the older AMO stop cancelled as excess',
      async () => (await exchangeOrder(amoId)).status === 'CANCELLED',
    );
    expect((await exchangeOrder(protect.doc.stop_order_id)).status).toBe('TRIGGER PENDING');

    // A hand exit of the BANKNIFTY position takes its stop with it.
    await h.web.placeOrder('regular', {
      exchange: 'NFO',
      tradingsymbol: BANKNIFTY,
      transaction_type: 'SELL',
      quantity: 30,
      product: 'NRML',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    await until('the web stop cancelled', async () => (await exchangeOrder(webStop)).status === 'CANCELLED');
    expect((await exchangePosition(BANKNIFTY))?.quantity ?? 0).toBe(0);
    expect((await exchangePosition(NIFTY))?.quantity).toBe(65);
  }, 180_000);

  it('after the close som leaves DAY orders to the exchange: no cancel is sent, nothing fails', async () => {
    // Orphans only reported during the day (strict mode off) ...
    expect((await som(h.t, ['settings', 'set', 'allow_orphaned_orders=true'])).code).toBe(0);
    const last = await ltp(BANKNIFTY);
    await h.web.placeOrder('regular', {
      exchange: 'NFO',
      tradingsymbol: BANKNIFTY,
      transaction_type: 'BUY',
      quantity: 30,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    const { order_id: stop } = await h.web.placeOrder('regular', {
      exchange: 'NFO',
      tradingsymbol: BANKNIFTY,
      transaction_type: 'SELL',
      quantity: 30,
      product: 'MIS',
      order_type: 'SL-M',
      trigger_price: onTick(last * 0.95, 0.2),
      market_protection: -1,
    } as never);
    await until('stop judged', async () => (await roleOf(stop)) === 'stop');
    await h.web.placeOrder('regular', {
      exchange: 'NFO',
      tradingsymbol: BANKNIFTY,
      transaction_type: 'SELL',
      quantity: 30,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    await until('reported', async () =>
      ((await somJson(h.t, ['orphans'])).doc.orphans as any[]).some(
        (o) => o.order_id === stop && o.action === 'report',
      ),
    );
    // ... then the close: the exchange ends the DAY stop itself.
    await jump('2026-11-26T15:35:00+05:30');
    await until('the exchange cancelled it', async () => (await exchangeOrder(stop)).status === 'CANCELLED');
    expect((await som(h.t, ['settings', 'set', 'allow_orphaned_orders=false'])).code).toBe(0);
    const cleanup = await somJson(h.t, ['orphans', 'cleanup']);
    expect(cleanup.code, cleanup.stderr).toBe(0);
    expect(cleanup.doc.actions.filter((a: any) => a.order_id === stop)).toEqual([]);
    const logs = (await somJson(h.t, ['admin', 'logs', '--limit', '1000'])).doc.events as any[];
    expect(logs.filter((e) => String(e.result).startsWith('error'))).toEqual([]);
  }, 60_000);
});
