import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { som, somJson, startSomd, tempHome } from './harness.js';
import {
  freePort,
  type Harness,
  requestToken,
  riskLimitsAside,
  scenario,
  until,
  webSession,
  writeConfig,
} from './kite-paper.js';

/**
 * Order housekeeping end to end: real somd and som processes, the paper exchange on loopback
 * (in this process, so the test can read its books and inject faults), and the user trading on
 * "Kite web" through the kiteconnect client. The sweep job is pushed far out so that what is
 * tested is the event-driven reaction to each order update.
 */
const SYMBOLS = ['SBIN', 'ITC', 'INFY', 'TCS', 'RELIANCE', 'HDFCBANK', 'ICICIBANK', 'AXISBANK', 'KOTAKBANK', 'LT'];

describe('housekeeping: orphaned stops and targets, OCO, excess, aging', () => {
  const h = {} as Harness;
  let next = 0;
  /** Each test trades its own stock, so positions from one test never meet another's orders. */
  let symbol = SYMBOLS[0]!;

  beforeAll(async () => {
    h.t = tempHome();
    h.redirectPort = await freePort();
    h.ex = await PaperExchange.start({ seed: 33, clock: MARKET_OPEN, tickIntervalMs: 100, port: 0, rateLimits: false });
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

  beforeEach(async () => {
    symbol = SYMBOLS[next++]!;
    tickSize = (await somJson(h.t, ['instruments', 'show', `NSE:${symbol}`])).doc.instrument.tick_size;
    // Back to the defaults: strict mode on, no flattening.
    await som(h.t, [
      'settings',
      'set',
      'allow_orphaned_orders=false',
      'auto_cleanup_enabled=true',
      'flatten_on_overfill=false',
      'cancel_aged_orders=false',
    ]);
  });

  let tickSize = 0.05;
  const tick = (_price: number) => tickSize;
  async function ltp(): Promise<number> {
    return (await h.web.getLTP([`NSE:${symbol}`]))[`NSE:${symbol}`]!.last_price;
  }
  async function place(p: Record<string, unknown>): Promise<string> {
    const { order_id } = await h.web.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: symbol,
      product: 'MIS',
      ...p,
    } as never);
    return order_id;
  }
  const market = (side: 'BUY' | 'SELL', quantity: number) =>
    place({ transaction_type: side, quantity, order_type: 'MARKET', market_protection: -1 });
  async function status(id: string): Promise<string> {
    return (await h.web.getOrderHistory(id)).at(-1)!.status;
  }
  /** A long position with a stop below and a target above, all placed on "Kite web". */
  async function longWithExits(quantity: number): Promise<{ stop: string; target: string; last: number }> {
    await market('BUY', quantity);
    const last = await ltp();
    const stop = await place({
      transaction_type: 'SELL',
      quantity,
      order_type: 'SL-M',
      trigger_price: onTick(last * 0.97, tick(last)),
      market_protection: -1,
    });
    const target = await place({
      transaction_type: 'SELL',
      quantity,
      order_type: 'LIMIT',
      price: onTick(last * 1.03, tick(last)),
    });
    // som has seen both and decided they protect the position.
    await until('roles decided', async () => {
      const orders = (await somJson(h.t, ['orders', '--open'])).doc.orders as any[];
      return [stop, target].every((id) => orders.some((o) => o.order_id === id && o.role !== null));
    });
    return { stop, target, last };
  }

  it('a hand exit cancels the stop and the target within a second of the exit fill', async () => {
    const { stop, target } = await longWithExits(10);
    const orders = (await somJson(h.t, ['orders', '--open'])).doc.orders as any[];
    expect(orders.find((o) => o.order_id === stop).role).toBe('stop');
    expect(orders.find((o) => o.order_id === target).role).toBe('target');
    const exitAt = Date.now();
    const exit = await market('SELL', 10);
    expect(await status(exit)).toBe('COMPLETE');
    await until(
      'both cancelled at the exchange',
      async () => (await status(stop)) === 'CANCELLED' && (await status(target)) === 'CANCELLED',
      3000,
    );
    // The cancels reached the exchange within a second of the exit (measured here, polling included).
    expect(Date.now() - exitAt).toBeLessThan(1000);
    const events = (await somJson(h.t, ['admin', 'logs', '--job', 'event'])).doc.events as any[];
    for (const id of [stop, target]) {
      expect(
        events.find((e) => e.order_id === id && e.action === 'cancel'),
        JSON.stringify(events),
      ).toMatchObject({ reason: 'POSITION_CLOSED', result: 'cancelled' });
    }
    // `som orphans` still lists them, with what was done.
    const listed = (await somJson(h.t, ['orphans'])).doc.orphans as any[];
    expect(listed.find((o) => o.order_id === stop)).toMatchObject({
      reason: 'POSITION_CLOSED',
      action: 'cancel: cancelled',
      side: 'SELL',
      order_type: 'SL-M',
    });
    // The hand exit itself (a MARKET order Kite turns into a protected LIMIT) is the user's exit, never touched.
    expect(events.some((e) => e.order_id === exit)).toBe(false);
    expect(((await somJson(h.t, ['orders'])).doc.orders as any[]).find((o) => o.order_id === exit).role).toBe('exit');
    const audit = (await somJson(h.t, ['audit', '--order', stop])).doc.events.map((e: any) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['ORPHAN_DETECTED', 'ORPHAN_CANCELLED']));
    expect(
      (await somJson(h.t, ['alerts'])).doc.alerts.some((a: any) => a.type === 'ORPHAN_DETECTED' && a.order_id === stop),
    ).toBe(true);
  });

  it('with strict mode off the orphans are reported, not cancelled; cleanup --force cancels them', async () => {
    expect((await som(h.t, ['settings', 'set', 'allow_orphaned_orders=true'])).code).toBe(0);
    const { stop, target } = await longWithExits(5);
    await market('SELL', 5);
    const orphans = await until('orphans reported', async () => {
      const list = (await somJson(h.t, ['orphans'])).doc.orphans as any[];
      return list.filter((o) => o.order_id === stop || o.order_id === target).length === 2 ? list : null;
    });
    for (const o of orphans.filter((x: any) => x.order_id === stop || x.order_id === target)) {
      expect(o).toMatchObject({ reason: 'POSITION_CLOSED', action: 'report', strategy: 'default' });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await status(stop)).toBe('TRIGGER PENDING');
    expect(await status(target)).toBe('OPEN');
    const dry = await somJson(h.t, ['orphans', 'cleanup', '--dry-run', '--force']);
    expect(dry.doc.actions.every((a: any) => a.result === 'dry-run')).toBe(true);
    expect(await status(stop)).toBe('TRIGGER PENDING');
    const forced = await somJson(h.t, ['orphans', 'cleanup', '--force']);
    expect(forced.code).toBe(0);
    expect(
      forced.doc.actions
        .filter((a: any) => a.result === 'cancelled')
        .map((a: any) => a.order_id)
        .sort(),
    ).toEqual([stop, target].sort());
    expect(await status(stop)).toBe('CANCELLED');
  });

  it('a partial fill of the target reduces the stop to the remaining position (OCO)', async () => {
    const quote = (await h.web.getQuote([`NSE:${symbol}`]))[`NSE:${symbol}`]!;
    const bid0 = quote.depth.buy[0]!;
    const quantity = bid0.quantity + 40;
    const { stop, target } = await longWithExits(quantity);
    expect((await somJson(h.t, ['oco', 'link', stop, target])).code).toBe(0);
    // The target moved to the best bid fills part of itself against that level and rests (the
    // market ticks meanwhile: a bid that moved away before the modify landed is chased again).
    // The book is thinned first, so the level holds less than the target whenever it is reached.
    await scenario(h.ex, `NSE:${symbol}`, { dry_up_depth: 10 });
    let partial = (await h.web.getOrderHistory(target)).at(-1)!;
    for (let i = 0; i < 5 && partial.filled_quantity === 0; i++) {
      const bid = (await h.web.getQuote([`NSE:${symbol}`]))[`NSE:${symbol}`]!.depth.buy[0]!;
      await h.web.modifyOrder('regular', target, { price: bid.price } as never);
      partial = (await h.web.getOrderHistory(target)).at(-1)!;
    }
    expect(partial.filled_quantity).toBeGreaterThan(0);
    expect(partial.pending_quantity).toBeGreaterThan(0);
    // The rest of the target is parked above the market, so later ticks do not fill more of it.
    await h.web.modifyOrder('regular', target, { price: onTick(partial.price * 1.02, tick(partial.price)) } as never);
    await scenario(h.ex, `NSE:${symbol}`, { reset: true });
    const filled = (await h.web.getOrderHistory(target)).at(-1)!.filled_quantity;
    const remaining = quantity - filled;
    await until('stop reduced', async () => (await h.web.getOrderHistory(stop)).at(-1)!.quantity === remaining);
    const events = (await somJson(h.t, ['admin', 'logs'])).doc.events as any[];
    expect(events.find((e) => e.order_id === stop && e.action === `reduce to ${remaining}`)).toMatchObject({
      reason: 'OCO_FILLED',
      result: 'reduced',
    });
  });

  it('both legs filling flips the position: a high alert, and the unwanted position is flattened when allowed', async () => {
    expect((await som(h.t, ['settings', 'set', 'flatten_on_overfill=true'])).code).toBe(0);
    const { stop, target } = await longWithExits(10);
    expect((await somJson(h.t, ['oco', 'link', stop, target])).code).toBe(0);
    // The cancel of the other leg will not land: every cancel fails at the exchange for now.
    h.ex.faults.set({ errors: [{ path: '/orders', method: 'DELETE', kind: '503', count: 100 }] });
    try {
      const bid = (await h.web.getQuote([`NSE:${symbol}`]))[`NSE:${symbol}`]!.depth.buy[0]!;
      await h.web.modifyOrder('regular', target, { price: bid.price } as never);
      expect(await status(target)).toBe('COMPLETE');
      await h.web.modifyOrder('regular', stop, { order_type: 'MARKET', market_protection: -1 } as never);
      expect(await status(stop)).toBe('COMPLETE');
    } finally {
      h.ex.faults.clear();
    }
    const alert = await until('overfill alert', async () =>
      ((await somJson(h.t, ['alerts'])).doc.alerts as any[]).find(
        (a) => a.type === 'OCO_OVERFILL' && a.payload.order_ids.includes(stop),
      ),
    );
    expect(alert.priority).toBe('high');
    // som bought the unwanted 10 back: the position is flat at the exchange.
    await until('flattened', async () => {
      const net = (await h.web.getPositions()).net.find((p) => p.tradingsymbol === symbol && p.product === 'MIS');
      return net?.quantity === 0;
    });
    // The flatten is audited once its placement returns, which may be after the fill shows at the exchange.
    const flattened = await until('flatten audited', async () => {
      const events = (await somJson(h.t, ['audit', '--type', 'POSITION_FLATTENED'])).doc.events as any[];
      return events.length > 0 ? events : null;
    });
    expect(flattened[0].payload).toMatchObject({ quantity: 10, side: 'BUY' });
  });

  it("protective orders beyond the open quantity are excess: the user's newest stands, the older goes", async () => {
    await market('BUY', 10);
    const last = await ltp();
    const older = await place({
      transaction_type: 'SELL',
      quantity: 10,
      order_type: 'SL-M',
      trigger_price: onTick(last * 0.97, tick(last)),
      market_protection: -1,
    });
    await until('first stop seen', async () =>
      ((await somJson(h.t, ['orders', '--open'])).doc.orders as any[]).some(
        (o) => o.order_id === older && o.role === 'stop',
      ),
    );
    const younger = await place({
      transaction_type: 'SELL',
      quantity: 10,
      order_type: 'SL-M',
      trigger_price: onTick(last * 0.96, tick(last)),
      market_protection: -1,
    });
    await until('the older stop cancelled', async () => (await status(older)) === 'CANCELLED');
    expect(await status(younger)).toBe('TRIGGER PENDING');
    const events = (await somJson(h.t, ['admin', 'logs'])).doc.events as any[];
    expect(events.find((e) => e.order_id === older && e.action === 'cancel')).toMatchObject({
      reason: 'EXCESS_QUANTITY',
    });
    await market('SELL', 10);
    await until('the newer stop cancelled with the exit', async () => (await status(younger)) === 'CANCELLED');
  });

  it('som oco protect places a linked stop and target for a strategy position; som reconcile shows positions', async () => {
    expect((await som(h.t, ['strategies', 'create', 'hk-swing'])).code).toBe(0);
    const placed = await somJson(h.t, [
      'order',
      'place',
      `NSE:${symbol}`,
      '--side',
      'BUY',
      '--qty',
      '4',
      '--type',
      'MARKET',
      '--product',
      'MIS',
      '--strategy',
      'hk-swing',
    ]);
    expect(placed.code, placed.stderr).toBe(0);
    await until(
      'filled',
      async () =>
        ((await somJson(h.t, ['orders'])).doc.orders as any[]).find((o) => o.order_id === placed.doc.order_id)
          ?.status === 'COMPLETE',
    );
    const last = await ltp();
    const r = await somJson(h.t, [
      'oco',
      'protect',
      `NSE:${symbol}`,
      '--stop',
      String(onTick(last * 0.95, tick(last))),
      '--target',
      String(onTick(last * 1.05, tick(last))),
      '--product',
      'MIS',
      '--strategy',
      'hk-swing',
    ]);
    expect(r.code).toBe(0);
    expect(r.doc.stop).toMatchObject({ role: 'stop', oco_group_id: r.doc.group, strategy: 'hk-swing', quantity: 4 });
    expect(r.doc.target).toMatchObject({
      role: 'target',
      oco_group_id: r.doc.group,
      strategy: 'hk-swing',
      quantity: 4,
    });
    // An order the user says protects nothing any more: MANUAL, cancelled under strict mode.
    // (A sell here would be a third exit beyond the position: cancelled at once as EXCESS_QUANTITY.)
    const extra = await place({
      transaction_type: 'BUY',
      quantity: 1,
      order_type: 'LIMIT',
      price: onTick(last * 0.95, tick(last)),
    });
    await until('extra seen', async () =>
      ((await somJson(h.t, ['orders', '--open'])).doc.orders as any[]).some((o) => o.order_id === extra),
    ).catch(async (err) => {
      throw new Error(
        `${(err as Error).message}: ${JSON.stringify((await h.web.getOrderHistory(extra)).at(-1))} ${JSON.stringify(((await somJson(h.t, ['orders'])).doc.orders as any[]).find((o) => o.order_id === extra))}`,
      );
    });
    const marked = await somJson(h.t, ['orphans', 'mark', extra, '--note', 'no longer wanted']);
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.doc.orphan).toMatchObject({ reason: 'MANUAL', order_id: extra });
    expect(marked.doc.result).toBe('cancelled');
    const rec = await somJson(h.t, ['reconcile', '--strategy', 'hk-swing']);
    expect(rec.code).toBe(0);
    expect(rec.doc.positions).toContainEqual(
      expect.objectContaining({ strategy: 'hk-swing', tradingsymbol: symbol, after: 4 }),
    );
    // A hand exit on Kite web is credited to the strategy whose position it closes, and its exits go.
    await market('SELL', 4);
    await until(
      'exits cancelled',
      async () =>
        (await status(r.doc.stop_order_id)) === 'CANCELLED' && (await status(r.doc.target_order_id)) === 'CANCELLED',
    );
  });
});

describe('housekeeping jobs on the paper clock: expiry and aging by day and time', () => {
  it('lists the jobs with their next runs in IST, trading days only where they should', async () => {
    const t = tempHome();
    try {
      const { writeFileSync } = await import('node:fs');
      const config = join(t.dir, 'config.toml');
      // Friday 27 Nov 2026, 15:50 IST: the next expiry run skips the weekend.
      writeFileSync(config, '[paper]\nclock = "2026-11-27T15:50:00+05:30"\n');
      const somd = await startSomd(t, ['--config', config, '--paper']);
      try {
        const jobs = (await somJson(t, ['admin', 'jobs'])).doc.jobs as any[];
        const byName = Object.fromEntries(jobs.map((j) => [j.name, j]));
        expect(byName.expiry.nextRunAt).toBe('2026-11-30T03:30:00.000Z'); // Monday 09:00 IST
        expect(byName.eod.nextRunAt).toBe('2026-11-30T10:05:00.000Z'); // Monday 15:35 IST
        expect(byName['orphan-sweep'].nextRunAt).toBe('2026-11-27T10:21:00.000Z');
      } finally {
        await somd.stop();
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('aging and expiry on the paper clock (somd --paper takes its time from it)', () => {
  let t: ReturnType<typeof tempHome>;
  let somd: Awaited<ReturnType<typeof startSomd>>;
  let restRoot: string;
  const jump = (to: string) =>
    fetch(`${restRoot}/paper/admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jump_to: to }),
    });
  const job = async (name: string) => {
    const r = await somJson(t, ['admin', 'jobs']);
    // A failure names what som said and what somd last logged.
    if (!Array.isArray(r.doc.jobs))
      throw new Error(`som admin jobs: ${JSON.stringify(r.doc)}\n${somd.stderr().slice(-4000)}`);
    return (r.doc.jobs as any[]).find((j) => j.name === name);
  };

  beforeAll(async () => {
    t = tempHome();
    const { writeFileSync } = await import('node:fs');
    const config = join(t.dir, 'config.toml');
    // Wednesday 25 Nov 2026, 10:00 IST; the orphan sweep is pushed out of the way.
    writeFileSync(
      config,
      '[paper]\nclock = "2026-11-25T10:00:00+05:30"\n[housekeeping]\nsweep_schedule = "0 0 1 1 *"\n',
    );
    somd = await startSomd(t, ['--config', config, '--paper']);
    const s = await until('connected', async () => {
      const doc = (await somJson(t, ['status'])).doc;
      return doc.broker.state === 'connected' && doc.instruments.count > 0 ? doc : null;
    });
    restRoot = s.paper.restRoot;
  }, 30_000);
  afterAll(async () => {
    await somd?.stop();
    t?.cleanup();
  });

  it('an open order an hour old raises an alert; past four hours it is cancelled where the strategy allows', async () => {
    const { login } = await import('../paper/conformance/paper-session.js');
    const { kc } = await login(restRoot, 'agingweb');
    const last = (await kc.getLTP(['NSE:SBIN']))['NSE:SBIN']!.last_price;
    const { order_id } = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'CNC',
      order_type: 'LIMIT',
      price: onTick(last * 0.95, 0.05),
    } as never);
    await until('tracked', async () =>
      ((await somJson(t, ['orders', '--open'])).doc.orders as any[]).some((o) => o.order_id === order_id),
    );
    // 11:05: the 11:00 aging run (every 15 minutes) finds it 65 minutes old.
    await jump('2026-11-25T11:05:00+05:30');
    const alert = await until('aged alert', async () =>
      ((await somJson(t, ['alerts'])).doc.alerts as any[]).find(
        (a) => a.type === 'ORDER_AGED' && a.order_id === order_id,
      ),
    );
    expect(alert.title).toMatch(/open for 6\d minutes/);
    expect((await kc.getOrderHistory(order_id)).at(-1)!.status).toBe('OPEN');
    expect((await som(t, ['settings', 'set', 'cancel_aged_orders=true'])).code).toBe(0);
    // 14:05: past 4 hours; the strategy now allows cancelling.
    await jump('2026-11-25T14:05:00+05:30');
    await until('cancelled for age', async () => (await kc.getOrderHistory(order_id)).at(-1)!.status === 'CANCELLED');
    const events = (await somJson(t, ['admin', 'logs', '--job', 'aging'])).doc.events as any[];
    expect(events.some((e) => e.order_id === order_id && e.action === 'cancel' && e.result === 'cancelled')).toBe(true);
  });

  // A month of the paper market is run to the clock at the first jump: seconds on a busy machine.
  it('the expiry job runs at 09:00 on trading days only: not on a weekend or a holiday', async () => {
    // Thursday 24 Dec 18:00 -> Friday 25 Dec (Christmas, NSE closed) 10:00: no run.
    await jump('2026-12-24T18:00:00+05:30');
    const before = (await job('expiry')).runs;
    await jump('2026-12-25T10:00:00+05:30');
    await new Promise((r) => setTimeout(r, 600));
    expect((await job('expiry')).runs).toBe(before);
    // Saturday and Sunday: still none; Monday 28 Dec 09:10: it has run, once.
    await jump('2026-12-27T10:00:00+05:30');
    await new Promise((r) => setTimeout(r, 600));
    expect((await job('expiry')).runs).toBe(before);
    await jump('2026-12-28T09:10:00+05:30');
    const ran = await until('expiry ran', async () => {
      const j = await job('expiry');
      return j.runs === before + 1 ? j : null;
    });
    expect(ran.lastRunAt, JSON.stringify(ran)).toMatch(/^2026-12-28T03:/);
    expect(ran.lastResult).toMatch(/orders cancelled, \d+ positions archived/);
    const audit = (await somJson(t, ['audit', '--type', 'HOUSEKEEPING_RUN'])).doc.events as any[];
    expect(audit.some((e) => e.payload.job === 'expiry')).toBe(true);
  }, 60_000);
});

describe('expiry day: a weekly option position is archived at its settlement the next trading morning', () => {
  it('archives the expired NRML position with its settlement P&L, booked to its strategy', async () => {
    const t = tempHome();
    const { writeFileSync } = await import('node:fs');
    const config = join(t.dir, 'config.toml');
    // Monday 30 Nov 2026; NIFTY's weekly options expire on Tuesday 1 Dec.
    writeFileSync(
      config,
      '[paper]\nclock = "2026-11-30T10:00:00+05:30"\n[housekeeping]\nsweep_schedule = "0 0 1 1 *"\n',
    );
    const somd = await startSomd(t, ['--config', config, '--paper']);
    try {
      const s = await until('connected', async () => {
        const doc = (await somJson(t, ['status'])).doc;
        return doc.broker.state === 'connected' && doc.instruments.count > 0 ? doc : null;
      });
      const found = (await somJson(t, ['instruments', 'search', 'NIFTY', '--exchange', 'NFO', '--limit', '200'])).doc
        .instruments as any[];
      const weekly = found
        .filter((i) => i.expiry === '2026-12-01' && i.instrument_type === 'CE')
        .sort((a, b) => a.strike - b.strike);
      expect(weekly.length).toBeGreaterThan(0);
      const option = weekly[Math.floor(weekly.length / 2)];
      expect((await som(t, ['strategies', 'create', 'weekly'])).code).toBe(0);
      const buy = await somJson(t, [
        'order',
        'place',
        `NFO:${option.tradingsymbol}`,
        '--side',
        'BUY',
        '--qty',
        String(option.lot_size),
        '--type',
        'MARKET',
        '--product',
        'NRML',
        '--strategy',
        'weekly',
      ]);
      expect(buy.code, buy.stderr).toBe(0);
      await until('position held', async () =>
        ((await somJson(t, ['positions'])).doc.positions as any[]).some(
          (p) => p.tradingsymbol === option.tradingsymbol && p.quantity === option.lot_size,
        ),
      );
      // Wednesday 2 Dec, 09:05 IST: the 09:00 expiry run has come due.
      await fetch(`${s.paper.restRoot}/paper/admin/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jump_to: '2026-12-02T09:05:00+05:30' }),
      });
      const archived = await until(
        'archived',
        async () =>
          ((await somJson(t, ['audit', '--type', 'POSITION_ARCHIVED'])).doc.events as any[]).find(
            (e) => e.payload.tradingsymbol === option.tradingsymbol,
          ),
        8000,
      );
      expect(archived.strategy).toBe('weekly');
      expect(archived.payload.quantity).toBe(option.lot_size);
      expect(archived.payload.expiry).toBe('2026-12-01');
      // Settlement P&L = quantity x (settlement - average) x multiplier, booked to the strategy.
      const p = archived.payload;
      expect(p.realised_pnl).toBeCloseTo(p.quantity * (p.settlement_price - p.average_price), 6);
      const strategy = (await somJson(t, ['strategies', 'show', 'weekly'])).doc.strategy;
      expect(strategy.realised_pnl).toBeCloseTo(p.realised_pnl, 6);
      expect(strategy.last_housekeeping_run).not.toBeNull();
      // Archived once: a second run finds nothing more to do.
      const again = await somJson(t, ['admin', 'run', 'expiry']);
      expect(again.doc.result).toMatch(/0 positions archived/);
    } finally {
      await somd.stop();
      t.cleanup();
    }
  }, 30_000);
});
