import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { som, somJson, startSomd, tempHome } from './harness.js';
import { freePort, type Harness, requestToken, riskLimitsAside, until, webSession, writeConfig } from './kite-paper.js';

/**
 * Protection in the trader's real workflows, end to end: real somd and som processes, the
 * paper exchange on loopback, and the trader on "Kite web" (a second kiteconnect session).
 * Every test ends by reading the EXCHANGE's own order book and positions: no live stop or
 * target that could open a position, and no protection taken from a position that remains.
 */
const SYMBOLS = ['SBIN', 'ITC', 'INFY', 'TCS', 'RELIANCE', 'HDFCBANK', 'ICICIBANK', 'AXISBANK', 'KOTAKBANK', 'LT'];
const LIVE = new Set(['OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED', 'OPEN PENDING', 'MODIFY PENDING']);

describe('protection in the trader’s workflows', () => {
  const h = {} as Harness;
  let next = 0;

  beforeAll(async () => {
    h.t = tempHome();
    h.redirectPort = await freePort();
    h.ex = await PaperExchange.start({ seed: 44, clock: MARKET_OPEN, tickIntervalMs: 100, port: 0, rateLimits: false });
    const config = writeConfig(
      h.t,
      h.ex,
      '\n[housekeeping]\nsweep_schedule = "0 0 1 1 *"\naging_schedule = "0 0 1 1 *"\n',
    );
    h.somd = await startSomd(h.t, ['--config', config]);
    await riskLimitsAside(h.t);
    expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
    h.web = await webSession(h.ex);
    await until('connected with instruments', async () => {
      const s = (await somJson(h.t, ['status'])).doc;
      return s.broker.state === 'connected' && s.instruments.count > 0;
    });
  }, 30_000);

  afterAll(async () => {
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  /** A stock of its own for each test, and its tick size. */
  async function stock(): Promise<{ symbol: string; tick: number; last: number }> {
    const symbol = SYMBOLS[next++]!;
    const tick = (await somJson(h.t, ['instruments', 'show', `NSE:${symbol}`])).doc.instrument.tick_size as number;
    return { symbol, tick, last: await ltp(symbol) };
  }
  async function ltp(symbol: string): Promise<number> {
    return (await h.web.getLTP([`NSE:${symbol}`]))[`NSE:${symbol}`]!.last_price;
  }
  async function web(symbol: string, p: Record<string, unknown>): Promise<string> {
    const { order_id } = await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: symbol,
      product: 'MIS',
      ...p,
    } as never);
    return order_id;
  }
  const market = (symbol: string, side: 'BUY' | 'SELL', quantity: number) =>
    web(symbol, { transaction_type: side, quantity, order_type: 'MARKET', market_protection: -1 });
  async function exchangeOrder(id: string) {
    return (await h.web.getOrderHistory(id)).at(-1)!;
  }
  async function exchangeStatus(id: string): Promise<string> {
    return (await exchangeOrder(id)).status;
  }
  /** The exchange's net position in a symbol and product. */
  async function exchangeNet(symbol: string, product = 'MIS'): Promise<number> {
    return (
      (await h.web.getPositions()).net.find((p) => p.tradingsymbol === symbol && p.product === product)?.quantity ?? 0
    );
  }
  /** Orders still live at the exchange in a symbol, on one side. */
  async function liveAtExchange(symbol: string, side: 'BUY' | 'SELL'): Promise<string[]> {
    const orders = await h.web.getOrders();
    return orders
      .filter((o) => o.tradingsymbol === symbol && o.transaction_type === side && LIVE.has(o.status))
      .map((o) => o.order_id);
  }
  async function roleOf(id: string): Promise<string | null> {
    const orders = (await somJson(h.t, ['orders'])).doc.orders as any[];
    return orders.find((o) => o.order_id === id)?.role ?? null;
  }
  async function rolesAre(expected: Record<string, string>): Promise<void> {
    await until(`roles ${JSON.stringify(expected)}`, async () => {
      for (const [id, role] of Object.entries(expected)) if ((await roleOf(id)) !== role) return false;
      return true;
    });
  }
  async function somPlace(args: string[]): Promise<string> {
    const r = await somJson(h.t, ['order', 'place', ...args]);
    expect(r.code, r.stderr).toBe(0);
    return r.doc.order_id as string;
  }

  it('a stop and a target placed on Kite web with their entry protect it, and go when the position is exited by hand', async () => {
    const { symbol, tick, last } = await stock();
    // The most common way to place a stop: together with an entry that still rests.
    const entry = await web(symbol, {
      transaction_type: 'BUY',
      quantity: 25,
      order_type: 'LIMIT',
      price: onTick(last * 0.99, tick),
    });
    const stop = await web(symbol, {
      transaction_type: 'SELL',
      quantity: 25,
      order_type: 'SL-M',
      trigger_price: onTick(last * 0.95, tick),
      market_protection: -1,
    });
    const target = await web(symbol, {
      transaction_type: 'SELL',
      quantity: 25,
      order_type: 'LIMIT',
      price: onTick(last * 1.05, tick),
    });
    await rolesAre({ [entry]: 'entry', [stop]: 'stop', [target]: 'target' });
    // Protecting a working entry, they are left alone.
    await new Promise((r) => setTimeout(r, 400));
    expect(await exchangeStatus(stop)).toBe('TRIGGER PENDING');
    expect(await exchangeStatus(target)).toBe('OPEN');
    // The entry fills (moved through the market), then the trader exits by hand.
    await h.web.modifyOrder('regular', entry, { price: onTick((await ltp(symbol)) * 1.01, tick) } as never);
    await until('entry filled', async () => (await exchangeStatus(entry)) === 'COMPLETE');
    expect(await exchangeNet(symbol)).toBe(25);
    await new Promise((r) => setTimeout(r, 300));
    expect(await exchangeStatus(stop)).toBe('TRIGGER PENDING');
    const exit = await market(symbol, 'SELL', 25);
    await until(
      'stop and target cancelled at the exchange',
      async () => (await liveAtExchange(symbol, 'SELL')).length === 0,
    );
    expect(await exchangeNet(symbol)).toBe(0);
    expect(await roleOf(exit)).toBe('exit');
    const logs = (await somJson(h.t, ['admin', 'logs'])).doc.events as any[];
    for (const id of [stop, target]) {
      expect(logs.find((e) => e.order_id === id && e.action === 'cancel')).toMatchObject({
        reason: 'POSITION_CLOSED',
        result: 'cancelled',
      });
    }
  });

  it("som's entry with a linked stop and target keeps them while it works, and cancels them if it is cancelled unfilled", async () => {
    const { symbol, tick, last } = await stock();
    expect((await som(h.t, ['strategies', 'create', 'bracket'])).code).toBe(0);
    const common = ['--product', 'MIS', '--strategy', 'bracket'];
    const entry = await somPlace([
      `NSE:${symbol}`,
      '--side',
      'BUY',
      '--qty',
      '25',
      '--type',
      'LIMIT',
      '--price',
      String(onTick(last * 0.99, tick)),
      ...common,
    ]);
    const stop = await somPlace([
      `NSE:${symbol}`,
      '--side',
      'SELL',
      '--qty',
      '25',
      '--type',
      'SL-M',
      '--trigger',
      String(onTick(last * 0.95, tick)),
      ...common,
    ]);
    const target = await somPlace([
      `NSE:${symbol}`,
      '--side',
      'SELL',
      '--qty',
      '25',
      '--type',
      'LIMIT',
      '--price',
      String(onTick(last * 1.05, tick)),
      ...common,
    ]);
    const linked = await somJson(h.t, ['oco', 'link', stop, target]);
    expect(linked.code, linked.stderr).toBe(0);
    await rolesAre({ [entry]: 'entry', [stop]: 'stop', [target]: 'target' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await exchangeStatus(stop)).toBe('TRIGGER PENDING');
    expect(await exchangeStatus(target)).toBe('OPEN');
    // The entry is cancelled unfilled: nothing is left to protect.
    expect((await somJson(h.t, ['order', 'cancel', entry])).code).toBe(0);
    await until(
      'stop and target cancelled at the exchange',
      async () => (await liveAtExchange(symbol, 'SELL')).length === 0,
    );
    expect(await exchangeNet(symbol)).toBe(0);
  });

  it('an oversized stop is cut to the position, so the stops cannot open a short', async () => {
    const { symbol, tick, last } = await stock();
    expect((await som(h.t, ['strategies', 'create', 'oversized'])).code).toBe(0);
    await somPlace([
      `NSE:${symbol}`,
      '--side',
      'BUY',
      '--qty',
      '25',
      '--type',
      'MARKET',
      '--product',
      'MIS',
      '--strategy',
      'oversized',
    ]);
    await until('long 25', async () => (await exchangeNet(symbol)) === 25);
    // On Kite web: a stop for 50 against a long 25. som cuts it to 25 (the user's order is never cancelled as excess).
    const big = await web(symbol, {
      transaction_type: 'SELL',
      quantity: 50,
      order_type: 'SL-M',
      trigger_price: onTick(last * 0.95, tick),
      market_protection: -1,
    });
    await until('the oversized stop cut to 25', async () => (await exchangeOrder(big)).quantity === 25);
    expect(await exchangeStatus(big)).toBe('TRIGGER PENDING');
    // And som's own stop of 40 on top: som's gives way.
    const soms = await somPlace([
      `NSE:${symbol}`,
      '--side',
      'SELL',
      '--qty',
      '40',
      '--type',
      'SL-M',
      '--trigger',
      String(onTick(last * 0.94, tick)),
      '--product',
      'MIS',
      '--strategy',
      'oversized',
    ]);
    await until("som's stop cancelled", async () => (await exchangeStatus(soms)) === 'CANCELLED');
    expect(await exchangeStatus(big)).toBe('TRIGGER PENDING');
    // A reduced stop is no open orphan, and its alert is no high alarm.
    const orphans = (await somJson(h.t, ['orphans'])).doc.orphans as any[];
    const listed = orphans.find((o) => o.order_id === big);
    expect(listed?.action).toMatch(/^reduce to 25: reduced/);
    const alerts = (await somJson(h.t, ['alerts'])).doc.alerts as any[];
    expect(alerts.filter((a) => a.order_id === big && (a.priority === 'high' || a.priority === 'critical'))).toEqual(
      [],
    );
    // The hand exit: nothing is left that could open a short.
    await market(symbol, 'SELL', 25);
    await until('no stop left at the exchange', async () => (await liveAtExchange(symbol, 'SELL')).length === 0);
    expect(await exchangeNet(symbol)).toBe(0);
  });

  it("a resting exit placed by hand is the user's: som's own target gives way, the user's stays", async () => {
    const { symbol, tick } = await stock();
    expect((await som(h.t, ['strategies', 'create', 'resting'])).code).toBe(0);
    await somPlace([
      `NSE:${symbol}`,
      '--side',
      'BUY',
      '--qty',
      '25',
      '--type',
      'MARKET',
      '--product',
      'MIS',
      '--strategy',
      'resting',
    ]);
    await until('long 25', async () => (await exchangeNet(symbol)) === 25);
    const last = await ltp(symbol);
    const protect = await somJson(h.t, [
      'oco',
      'protect',
      `NSE:${symbol}`,
      '--stop',
      String(onTick(last * 0.95, tick)),
      '--target',
      String(onTick(last * 1.05, tick)),
      '--product',
      'MIS',
      '--strategy',
      'resting',
    ]);
    expect(protect.code, protect.stderr).toBe(0);
    const handExit = await web(symbol, {
      transaction_type: 'SELL',
      quantity: 25,
      order_type: 'LIMIT',
      price: onTick(last * 1.02, tick),
    });
    await until(
      "som's target cancelled",
      async () => (await exchangeStatus(protect.doc.target_order_id)) === 'CANCELLED',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await exchangeStatus(handExit)).toBe('OPEN');
    expect(await exchangeStatus(protect.doc.stop_order_id)).toBe('TRIGGER PENDING');
    // The user's exit fills: the stop goes with the position.
    await h.web.modifyOrder('regular', handExit, { price: onTick((await ltp(symbol)) * 0.99, tick) } as never);
    await until('stop cancelled after the exit', async () => (await liveAtExchange(symbol, 'SELL')).length === 0);
    expect(await exchangeNet(symbol)).toBe(0);
  });

  it('a hand exit in an instrument two strategies hold closes the one that entered last', async () => {
    const { symbol, tick } = await stock();
    for (const name of ['first-in', 'last-in']) expect((await som(h.t, ['strategies', 'create', name])).code).toBe(0);
    const protections: Record<string, { stop: string; target: string }> = {};
    for (const name of ['first-in', 'last-in']) {
      await somPlace([
        `NSE:${symbol}`,
        '--side',
        'BUY',
        '--qty',
        '25',
        '--type',
        'MARKET',
        '--product',
        'MIS',
        '--strategy',
        name,
      ]);
      await until(`${name} filled`, async () => (await exchangeNet(symbol)) === (name === 'first-in' ? 25 : 50));
      const last = await ltp(symbol);
      const p = await somJson(h.t, [
        'oco',
        'protect',
        `NSE:${symbol}`,
        '--stop',
        String(onTick(last * 0.95, tick)),
        '--target',
        String(onTick(last * 1.05, tick)),
        '--product',
        'MIS',
        '--strategy',
        name,
      ]);
      expect(p.code, p.stderr).toBe(0);
      protections[name] = { stop: p.doc.stop_order_id, target: p.doc.target_order_id };
    }
    await market(symbol, 'SELL', 25);
    const last = protections['last-in']!;
    await until("last-in's protection cancelled", async () =>
      (await Promise.all([exchangeStatus(last.stop), exchangeStatus(last.target)])).every((s) => s === 'CANCELLED'),
    );
    const first = protections['first-in']!;
    expect(await exchangeStatus(first.stop)).toBe('TRIGGER PENDING');
    expect(await exchangeStatus(first.target)).toBe('OPEN');
    expect(await exchangeNet(symbol)).toBe(25);
    const rec = (await somJson(h.t, ['reconcile'])).doc.positions as any[];
    expect(rec).toContainEqual(expect.objectContaining({ strategy: 'first-in', tradingsymbol: symbol, after: 25 }));
    expect(rec.find((r) => r.strategy === 'last-in' && r.tradingsymbol === symbol && r.after !== 0)).toBeUndefined();
  });

  it('cleanup never gives up: cancels refused by the broker are retried until they land, and the user is told', async () => {
    const { symbol, tick, last } = await stock();
    await market(symbol, 'BUY', 10);
    const stop = await web(symbol, {
      transaction_type: 'SELL',
      quantity: 10,
      order_type: 'SL-M',
      trigger_price: onTick(last * 0.95, tick),
      market_protection: -1,
    });
    const target = await web(symbol, {
      transaction_type: 'SELL',
      quantity: 10,
      order_type: 'LIMIT',
      price: onTick(last * 1.05, tick),
    });
    await rolesAre({ [stop]: 'stop', [target]: 'target' });
    h.ex.faults.set({ errors: [{ path: '/orders', method: 'DELETE', kind: '503', count: 1000 }] });
    try {
      await market(symbol, 'SELL', 10);
      // The broker refuses every cancel: som says so at once, and keeps the danger in view.
      const alert = await until('a cleanup failure alert', async () =>
        ((await somJson(h.t, ['alerts'])).doc.alerts as any[]).find(
          (a) => a.type === 'CLEANUP_FAILED' && a.order_id === stop,
        ),
      );
      expect(alert.message).toContain('keeps trying');
      const attempt = await somJson(h.t, ['orphans', 'cleanup']);
      expect(attempt.code).toBe(1);
      expect(attempt.stderr).toContain(stop);
      expect(attempt.doc.actions.find((a: any) => a.order_id === stop)).toMatchObject({ failed: true });
      // `som orphans mark` tries again too, and says it failed.
      const marked = await somJson(h.t, ['orphans', 'mark', target]);
      expect(marked.code).toBe(1);
      expect(await exchangeStatus(stop)).toBe('TRIGGER PENDING');
      // Refused more than a few times: critical, and the user is asked to act.
      await until(
        'a critical alert',
        async () =>
          ((await somJson(h.t, ['alerts'])).doc.alerts as any[]).some(
            (a) =>
              a.type === 'CLEANUP_FAILED' &&
              a.priority === 'critical' &&
              a.message.includes('cancel it on Kite yourself'),
          ),
        10_000,
      );
    } finally {
      h.ex.faults.clear();
    }
    // The broker recovers: som's own retries land without anyone asking.
    await until(
      'both cancelled once the broker recovers',
      async () => (await liveAtExchange(symbol, 'SELL')).length === 0,
      15_000,
    );
    expect(await exchangeNet(symbol)).toBe(0);
    // The failure alerts are resolved.
    const open = (await somJson(h.t, ['alerts'])).doc.alerts as any[];
    expect(
      open.filter((a) => a.type === 'CLEANUP_FAILED' && [stop, target].includes(a.order_id) && a.resolved_at === null),
    ).toEqual([]);
  }, 40_000);

  it('GTT stops and OCO GTTs are protective too: an orphaned GTT is deleted', async () => {
    const { symbol, tick } = await stock();
    await web(symbol, {
      transaction_type: 'BUY',
      quantity: 10,
      order_type: 'MARKET',
      market_protection: -1,
      product: 'CNC',
    });
    await until('long 10 CNC', async () => (await exchangeNet(symbol, 'CNC')) === 10);
    const last = await ltp(symbol);
    const gttOrder = (price: number) => ({
      exchange: 'NSE',
      tradingsymbol: symbol,
      transaction_type: 'SELL',
      quantity: 10,
      product: 'CNC',
      order_type: 'LIMIT',
      price,
    });
    const { trigger_id: oco } = await h.web.placeGTT({
      trigger_type: 'two-leg',
      exchange: 'NSE',
      tradingsymbol: symbol,
      trigger_values: [onTick(last * 0.95, tick), onTick(last * 1.05, tick)],
      last_price: last,
      orders: [gttOrder(onTick(last * 0.95, tick)), gttOrder(onTick(last * 1.05, tick))],
    } as never);
    await until(
      'GTT judged a stop and a target',
      async () => {
        const g = (await somJson(h.t, ['orphans'])).doc.orphans as any[];
        // Not an orphan while the holding stands; som's judgement shows in the audit trail.
        const judged = ((await somJson(h.t, ['audit', '--type', 'ROLE_JUDGED'])).doc.events as any[]).find(
          (e) => e.payload.gtt_id === oco,
        );
        return g.every((o) => !o.order_id.startsWith(`gtt:${oco}:`)) && judged?.payload.roles.join() === 'stop,target';
      },
      8000,
    );
    await web(symbol, {
      transaction_type: 'SELL',
      quantity: 10,
      order_type: 'MARKET',
      market_protection: -1,
      product: 'CNC',
    });
    await until(
      'the OCO GTT deleted at the exchange',
      async () => {
        const g = (await h.web.getGTTs()).find((x: any) => x.id === oco);
        return g?.status === 'deleted';
      },
      8000,
    );
    const orphans = (await somJson(h.t, ['orphans'])).doc.orphans as any[];
    expect(
      orphans.find((o) => o.order_id === `gtt:${oco}:0`),
      JSON.stringify(orphans),
    ).toMatchObject({
      reason: 'POSITION_CLOSED',
      action: 'delete: deleted',
    });
  });
});
