import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERIES_COLOURS } from '../../src/eod/html.js';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { countColour, decodePng } from '../support/png.js';
import { som, somJson, startSomd, tempHome } from './harness.js';
import { type Harness, requestToken, riskLimitsAside, until, webSession, writeConfig } from './kite-paper.js';

/** Headless Chromium, when this machine has it (Debian: `apt-get install -y chromium`). */
function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not this one
    }
  }
  return null;
}
const CHROMIUM = findChromium();
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The end of a trading day on the paper clock: three strategies trade on Wednesday 25 Nov
 * 2026, the exchange's clock moves past the close, somd (kite mode, keeping time by its
 * broker) runs its scheduled end of day, and the report's figures are checked against the
 * exchange's own books: its trade book for P&L, its contract note for the charges.
 */
describe('end of day on the paper clock', () => {
  const h = {} as Harness;
  const DAY = '2026-11-25';

  async function ltp(key: string): Promise<number> {
    return (await h.web.getLTP([key]))[key]!.last_price;
  }
  async function place(strategy: string, symbol: string, side: string, qty: number, product: string): Promise<string> {
    const r = await somJson(h.t, [
      ...['order', 'place', `NSE:${symbol}`, '--side', side, '--qty', String(qty)],
      ...['--type', 'MARKET', '--product', product, '--strategy', strategy],
    ]);
    expect(r.code, r.stderr).toBe(0);
    await until(
      `${r.doc.order_id} complete`,
      async () => (await h.web.getOrderHistory(r.doc.order_id)).at(-1)!.status === 'COMPLETE',
    );
    return r.doc.order_id;
  }

  beforeAll(async () => {
    h.t = tempHome();
    h.ex = await PaperExchange.start({ seed: 71, clock: MARKET_OPEN, tickIntervalMs: 200, port: 0, rateLimits: false });
    const config = writeConfig(h.t, h.ex);
    h.somd = await startSomd(h.t, ['--config', config]);
    await riskLimitsAside(h.t);
    expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
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

  it("three strategies' day: the scheduled end of day reports figures equal to the fills' P&L and actual charges", async () => {
    for (const name of ['alpha', 'beta', 'gamma'])
      expect((await som(h.t, ['strategies', 'create', name])).code).toBe(0);
    // alpha and gamma trade intraday round trips; beta buys for delivery and keeps it, protected by a GTT stop.
    await place('alpha', 'SBIN', 'BUY', 10, 'MIS');
    await place('gamma', 'ITC', 'BUY', 40, 'MIS');
    await place('beta', 'INFY', 'BUY', 4, 'CNC');
    await place('alpha', 'SBIN', 'SELL', 10, 'MIS');
    await place('gamma', 'ITC', 'SELL', 40, 'MIS');
    const last = await ltp('NSE:INFY');
    const stop = onTick(last * 0.95, 0.1);
    const { trigger_id: gtt } = await h.web.placeGTT({
      trigger_type: 'single',
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      trigger_values: [stop],
      last_price: last,
      orders: [{ transaction_type: 'SELL', quantity: 4, product: 'CNC', order_type: 'LIMIT', price: stop }],
    } as never);
    await until('every fill costed', async () => {
      const list = (await somJson(h.t, ['strategies', 'list'])).doc.strategies as any[];
      // Delivery is free of brokerage at Zerodha: the taxes say beta's buy was costed.
      return ['alpha', 'beta', 'gamma'].every((n) => list.find((s) => s.name === n)?.total_taxes_paid > 0);
    });

    // Past the close: somd learns the broker's time from its next answer and runs end of day at 15:35.
    h.ex.clock.jump(new Date(`${DAY}T15:36:00+05:30`));
    h.ex.sync();
    const eod = await until(
      'the scheduled end of day',
      async () => {
        const job = ((await somJson(h.t, ['admin', 'jobs'])).doc.jobs as any[]).find((j) => j.name === 'eod');
        return job?.lastRunAt && !job.busy ? job : null;
      },
      30_000,
    );
    expect(eod.lastTrigger).toBe('schedule');
    expect(eod.lastResult).toMatch(/^2026-11-25: net .* over 3 strategies, 5 trades; reconciled, 0 discrepancies left/);

    const { code, doc } = await somJson(h.t, ['report', 'eod', '--date', DAY]);
    expect(code).toBe(0);
    const report = doc.report;
    expect(report).toMatchObject({ trading_day: DAY, preliminary: false });
    expect(doc.html_path).toBe(join(h.t.home, 'reports', `${DAY}.html`));

    // The exchange's own word: each strategy's fills from the trade book, charges from the contract note.
    const orders = (await somJson(h.t, ['orders'])).doc.orders as any[];
    const trades = await h.web.getTrades();
    const positions = (await h.web.getPositions()).net;
    for (const name of ['alpha', 'beta', 'gamma']) {
      const mine = orders.filter((o) => o.strategy === name && o.status === 'COMPLETE');
      const fills = trades.filter((t) => mine.some((o) => o.order_id === t.order_id));
      const side = (s: string) => fills.filter((t) => t.transaction_type === s);
      const [bought, sold] = [side('BUY'), side('SELL')].map((f) => ({
        q: f.reduce((n, t) => n + t.quantity, 0),
        v: f.reduce((n, t) => n + t.quantity * t.average_price, 0),
      })) as [{ q: number; v: number }, { q: number; v: number }];
      // Kite's day position: realised on what was both bought and sold, the rest marked at the last price.
      const matched = Math.min(bought.q, sold.q);
      const realised = matched === 0 ? 0 : matched * (sold.v / sold.q - bought.v / bought.q);
      const open = bought.q - sold.q;
      const lastPrice = positions.find((p) => p.tradingsymbol === 'INFY' && p.product === 'CNC')!.last_price;
      const unrealised = open === 0 ? 0 : open * (lastPrice - bought.v / bought.q);
      const note = await h.web.getvirtualContractNote(
        mine.map((o) => ({
          order_id: o.order_id,
          exchange: o.exchange,
          tradingsymbol: o.tradingsymbol,
          transaction_type: o.transaction_type,
          variety: o.variety,
          product: o.product,
          order_type: o.order_type,
          quantity: o.filled_quantity,
          average_price: o.average_price,
        })) as never,
      );
      const charges = note.reduce((n: number, row: any) => n + row.charges.total, 0);
      const s = report.strategies.find((x: any) => x.strategy === name);
      // Every unit the exchange filled is in the strategy's trades, on its side.
      for (const [sideName, total] of [
        ['BUY', bought.q],
        ['SELL', sold.q],
      ] as const) {
        const traded = s.trades
          .filter((f: any) => f.side === sideName)
          .reduce((n: number, f: any) => n + f.quantity, 0);
        expect(traded, `${name} ${sideName}`).toBe(total);
      }
      expect(s.realised, name).toBeCloseTo(realised, 9);
      expect(s.unrealised, name).toBeCloseTo(unrealised, 9);
      expect(s.charges.total, name).toBeCloseTo(charges, 9);
      expect(s.net, name).toBeCloseTo(realised + unrealised - charges, 9);
    }
    expect(report.totals.net).toBeCloseTo(
      report.strategies.reduce((n: number, s: any) => n + s.net, 0),
      9,
    );
    // beta's holding is carried overnight with its GTT stop; nothing is left unreconciled.
    expect(report.carried).toEqual([
      expect.objectContaining({
        strategy: 'beta',
        tradingsymbol: 'INFY',
        product: 'CNC',
        quantity: 4,
        protection: [
          expect.objectContaining({ kind: 'gtt', order_id: `gtt:${gtt}:0`, role: 'stop', trigger_price: stop }),
        ],
      }),
    ]);
    expect(report.metrics.discrepancies_at_eod).toMatchObject({ value: 0, met: true });
    expect(report.metrics.cost_breakdown_coverage).toMatchObject({ value: 100, met: true });
    expect(report.orders).toMatchObject({ total: 5, matched: 5, unmatched: [], archived: 5 });
    expect(report.m2m.series.map((s: any) => s.strategy)).toEqual(['alpha', 'beta', 'gamma']);
    const html = readFileSync(doc.html_path, 'utf8');
    expect(html).toContain('<svg id="m2m"');
    expect(html).not.toMatch(/<script|<link|src="http/);
  }, 120_000);

  it.skipIf(CHROMIUM === null)(
    'the HTML report opens in headless Chromium: the chart and the tables are drawn',
    async () => {
      const path = join(h.t.home, 'reports', `${DAY}.html`);
      expect(existsSync(path)).toBe(true);
      const url = `file://${path}`;
      const dom = execFileSync(CHROMIUM!, [...CHROMIUM_FLAGS, '--dump-dom', url], {
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      expect(dom.match(/<polyline /g)).toHaveLength(3);
      for (const caption of ['P&amp;L by strategy', 'Charges by kind', 'Trades', 'Open positions carried overnight']) {
        expect(dom).toContain(`<h2>${caption}</h2>`);
      }
      const png = join(h.t.dir, 'eod.png');
      execFileSync(CHROMIUM!, [...CHROMIUM_FLAGS, `--screenshot=${png}`, '--window-size=1100,1500', url], {
        timeout: 60_000,
        stdio: 'ignore',
      });
      const image = decodePng(readFileSync(png));
      expect(image.width).toBe(1100);
      // The chart (below the heading and the cards): each strategy's line in its colour.
      const chart = { x0: 0, y0: 150, x1: image.width, y1: 560 };
      for (const colour of SERIES_COLOURS.slice(0, 3))
        expect(countColour(image, colour, 24, chart), colour).toBeGreaterThan(50);
      // The tables' header rows, dark across their width.
      expect(countColour(image, '#1f2937', 4)).toBeGreaterThan(5000);
    },
    120_000,
  );
});
