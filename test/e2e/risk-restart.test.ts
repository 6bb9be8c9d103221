import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN } from '../paper/conformance/paper-session.js';
import { somJson, startSomd, tempHome } from './harness.js';
import { type Harness, requestToken, somdSaid, until, webSession, writeConfig } from './kite-paper.js';

/**
 * kill -9 in the middle of a square-off must never double an exit. The square-off is paced at
 * one order a second so that it is still going when somd is killed: once after two exits
 * reached the exchange, and once while an exit's answer was lost in transit (the exchange took
 * it; somd was still looking for it by its tag). Each restart resumes the run from the store and
 * the exchange's order book. At the end every position is flat at the exchange and was sold
 * exactly once.
 */
const SYMBOLS = ['SBIN', 'ITC', 'INFY', 'TCS', 'LT', 'AXISBANK'];
const QTY = 10;

describe('a square-off across somd crashes', () => {
  const h = {} as Harness;
  let config = '';

  beforeAll(async () => {
    h.t = tempHome();
    h.ex = await PaperExchange.start({ seed: 62, clock: MARKET_OPEN, tickIntervalMs: 100, port: 0, rateLimits: false });
    config = writeConfig(h.t, h.ex, '\n[risk]\nsquare_off_orders_per_second = 1\n');
    h.somd = await startSomd(h.t, ['--config', config]);
    expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
    h.web = await webSession(h.ex);
    await connected();
  }, 30_000);

  afterAll(async () => {
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  async function connected(): Promise<void> {
    await until(
      'connected with instruments',
      async () => {
        const s = (await somJson(h.t, ['status'])).doc;
        return s.broker.state === 'connected' && s.instruments.count > 0;
      },
      15_000,
    );
  }
  async function net(symbol: string): Promise<number> {
    return (
      (await h.web.getPositions()).net.find((p) => p.tradingsymbol === symbol && p.product === 'MIS')?.quantity ?? 0
    );
  }
  /** som's exits at the exchange: SELL orders it tagged, in the test's symbols. */
  async function exits() {
    return (await h.web.getOrders()).filter(
      (o) => SYMBOLS.includes(o.tradingsymbol) && o.transaction_type === 'SELL' && (o.tag ?? '').startsWith('so'),
    );
  }

  it('resumes after kill -9 without a second exit for any position', async () => {
    expect((await somJson(h.t, ['strategies', 'create', 'crash'])).code).toBe(0);
    for (const symbol of SYMBOLS) {
      const r = await somJson(h.t, [
        'order',
        'place',
        `NSE:${symbol}`,
        '--side',
        'BUY',
        '--qty',
        String(QTY),
        '--type',
        'MARKET',
        '--product',
        'MIS',
        '--strategy',
        'crash',
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
    await until('every position open', async () => {
      for (const s of SYMBOLS) if ((await net(s)) !== QTY) return false;
      return true;
    });

    const halt = await somJson(h.t, ['halt', '--strategy', 'crash', '--flatten']);
    expect(halt.code, halt.stderr).toBe(0);
    // Kill 1: two exits are at the exchange, the rest recorded or still to come.
    await until('two exits at the exchange', async () => (await exits()).length >= 2, 10_000);
    await h.somd.stop('SIGKILL');

    // Kill 2: the next exit is taken by the exchange but its answer never reaches somd.
    h.ex.faults.set({ drop_after_accept: 1 });
    const before = (await exits()).length;
    h.somd = await startSomd(h.t, ['--config', config]);
    await until(
      'an exit taken whose answer was lost',
      async () => (await exits()).length > before,
      30_000,
      somdSaid(h.somd),
    );
    await h.somd.stop('SIGKILL');
    h.ex.faults.clear();

    h.somd = await startSomd(h.t, ['--config', config]);
    await connected();
    await until(
      'every position flat at the exchange',
      async () => {
        for (const s of SYMBOLS) if ((await net(s)) !== 0) return false;
        return true;
      },
      30_000,
    );
    await until(
      'the square-off done',
      async () => {
        const runs = (await somJson(h.t, ['risk'])).doc.square_offs as any[];
        return runs.some((r) => r.strategy === 'crash' && r.status === 'done');
      },
      30_000,
    );
    // Each position sold exactly once: one exit order per symbol, for the whole position.
    const orders = await exits();
    for (const symbol of SYMBOLS) {
      const mine = orders.filter((o) => o.tradingsymbol === symbol);
      expect(
        mine.map((o) => [o.status, o.filled_quantity]),
        symbol,
      ).toEqual([['COMPLETE', QTY]]);
      expect(await net(symbol)).toBe(0);
    }
    // The crashes did come mid-way: exits recorded but never sent were found and placed afresh,
    // and the exit whose answer was lost was found in the order book by its tag, not resent.
    const audit = (await somJson(h.t, ['audit', '--strategy', 'crash', '--limit', '500'])).doc.events as any[];
    expect(audit.filter((e) => e.type === 'SQUARE_OFF_EXIT' && e.payload.action === 'not sent').length).toBeGreaterThan(
      0,
    );
    expect(audit.some((e) => e.type === 'ORDER_RECOVERED')).toBe(true);
  }, 180_000);

  it('an armed exit a breach sent just before kill -9 is adopted by the square-off after the restart, never sent again', async () => {
    const symbol = 'RELIANCE';
    expect((await somJson(h.t, ['strategies', 'create', 'gap'])).code).toBe(0);
    const set = await somJson(h.t, ['settings', 'set', 'auto_square_off_on_loss_limit=true', '--strategy', 'gap']);
    expect(set.code, set.stderr).toBe(0);
    const r = await somJson(h.t, [
      ...['order', 'place', `NSE:${symbol}`, '--side', 'BUY', '--qty', String(QTY)],
      ...['--type', 'MARKET', '--product', 'MIS', '--strategy', 'gap'],
    ]);
    expect(r.code, r.stderr).toBe(0);
    await until('the position open', async () => (await net(symbol)) === QTY);
    const armed = await until('its exit armed', async () => {
      const doc = (await somJson(h.t, ['risk'])).doc;
      return (doc.armed_exits as any[]).find((a) => a.strategy === 'gap' && a.tradingsymbol === symbol);
    });
    await h.somd.stop('SIGKILL');

    // Where a kill just after a breach leaves things: the armed exit at the exchange (resting,
    // priced above the market, in whole rupees: on every tick grid), and nothing of the breach written.
    const key = `NSE:${symbol}`;
    const ltp = (await h.web.getLTP([key]))[key]!.last_price;
    await h.web.placeOrder('regular', {
      ...{ exchange: 'NSE', tradingsymbol: symbol, transaction_type: 'SELL', product: 'MIS', order_type: 'LIMIT' },
      ...{ quantity: QTY, price: Math.ceil(ltp * 1.02), tag: armed.tag },
    } as never);

    h.somd = await startSomd(h.t, ['--config', config]);
    await connected();
    await until('the position flat at the exchange', async () => (await net(symbol)) === 0, 30_000, somdSaid(h.somd));
    await until('the square-off done', async () => {
      const runs = (await somJson(h.t, ['risk'])).doc.square_offs as any[];
      return runs.some((q) => q.strategy === 'gap' && q.cause === 'loss_limit' && q.status === 'done');
    });
    // The armed exit was the run's exit (re-priced until it filled), not cancelled and replaced.
    const sells = (await h.web.getOrders()).filter((o) => o.tradingsymbol === symbol && o.transaction_type === 'SELL');
    expect(sells.map((o) => [o.tag, o.status, o.filled_quantity])).toEqual([[armed.tag, 'COMPLETE', QTY]]);
    const audit = (await somJson(h.t, ['audit', '--strategy', 'gap', '--limit', '200'])).doc.events as any[];
    expect(audit.some((e) => e.type === 'ORDER_RECOVERED' && e.payload.tag === armed.tag)).toBe(true);
    expect(
      audit.some((e) => e.type === 'SQUARE_OFF_EXIT' && e.payload.action === 'adopted' && e.payload.tag === armed.tag),
    ).toBe(true);
  }, 120_000);
});
