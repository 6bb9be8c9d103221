import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { som, somJson, startSomd, tempHome } from './harness.js';
import { type Harness, requestToken, riskLimitsAside, until, webSession, writeConfig } from './kite-paper.js';

/**
 * Data reconciliation end to end: somd in kite mode against the paper exchange (in this
 * process), the user trading on "Kite web" meanwhile. The account's periodic refresh and the
 * health check (which refreshes on recovery) are pushed far out, and the hourly round too, so
 * what is tested is the round itself: at start-up, after a reconnect, on demand.
 */
describe('reconciliation with the broker', () => {
  const h = {} as Harness;
  let config = '';
  let pattern = '';

  const orders = async () => (await somJson(h.t, ['orders'])).doc.orders as any[];
  const healed = async () =>
    (await somJson(h.t, ['audit', '--type', 'RECONCILE_HEALED', '--limit', '500'])).doc.events as any[];
  const rounds = async () =>
    ((await somJson(h.t, ['admin', 'logs', '--job', 'reconcile'])).doc.events as any[]).filter(
      (e) => e.action === 'run',
    );
  async function ltp(key: string): Promise<number> {
    return (await h.web.getLTP([key]))[key]!.last_price;
  }
  async function connected(): Promise<void> {
    await until(
      'connected',
      async () => {
        const s = (await somJson(h.t, ['status'])).doc;
        return s.broker.state === 'connected' && s.instruments.count > 0;
      },
      15_000,
    );
  }
  const db = () => new BetterSqlite3(join(h.t.home, 'som.db'));

  beforeAll(async () => {
    h.t = tempHome();
    h.ex = await PaperExchange.start({ seed: 57, clock: MARKET_OPEN, tickIntervalMs: 200, port: 0, rateLimits: false });
    config = writeConfig(
      h.t,
      h.ex,
      '\n[reconcile]\nschedule = "0 0 1 1 *"\nescalate_after_rounds = 2\n[housekeeping]\naging_schedule = "0 0 1 1 *"\n',
    );
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'refresh_seconds = 2',
        'refresh_seconds = 3600\nhealth_schedule = "0 0 1 1 *"',
      ),
    );
    h.somd = await startSomd(h.t, ['--config', config]);
    await riskLimitsAside(h.t);
    expect((await somJson(h.t, ['login', '--request-token', await requestToken(h.ex)])).code).toBe(0);
    h.web = await webSession(h.ex);
    await connected();
    expect((await som(h.t, ['strategies', 'create', 'swing'])).code).toBe(0);
    // An order of the day, as a pattern for the records the store edits below make.
    const placed = await somJson(h.t, [
      ...['order', 'place', 'NSE:LT', '--side', 'BUY', '--qty', '1', '--type', 'MARKET', '--product', 'MIS'],
    ]);
    expect(placed.code, placed.stderr).toBe(0);
    pattern = placed.doc.order_id;
    await until(
      'som holds it',
      async () => (await orders()).find((o) => o.order_id === pattern)?.status === 'COMPLETE',
    );
  }, 30_000);

  afterAll(async () => {
    await h.somd?.stop();
    await h.ex?.close();
    h.t?.cleanup();
  });

  it('stop somd, trade on the exchange directly, start somd: the start-up round adopts it all, nothing is left unhealed', async () => {
    // som's own resting order, before the stop.
    const low = onTick((await ltp('NSE:TCS')) * 0.95, 0.1);
    const placed = await somJson(h.t, [
      ...['order', 'place', 'NSE:TCS', '--side', 'BUY', '--qty', '3', '--type', 'LIMIT'],
      ...['--price', String(low), '--product', 'CNC', '--strategy', 'swing'],
    ]);
    expect(placed.code, placed.stderr).toBe(0);
    const mine = placed.doc.order_id as string;
    await until('som holds it open', async () => (await orders()).find((o) => o.order_id === mine)?.status === 'OPEN');
    expect(await h.somd.stop()).toBe(0);

    // With somd down: a fill, an order placed and cancelled, and som's order cancelled, all on Kite web.
    const bought = await h.web.placeOrder('regular', {
      ...{ exchange: 'NSE', tradingsymbol: 'SBIN', transaction_type: 'BUY', quantity: 10 },
      ...{ product: 'MIS', order_type: 'MARKET', market_protection: -1 },
    } as never);
    const resting = await h.web.placeOrder('regular', {
      ...{ exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 2, product: 'CNC' },
      ...{ order_type: 'LIMIT', price: onTick((await ltp('NSE:INFY')) * 0.95, 0.1) },
    } as never);
    await h.web.cancelOrder('regular', resting.order_id);
    await h.web.cancelOrder('regular', mine);

    h.somd = await startSomd(h.t, ['--config', config]);
    await connected();
    // The start-up round ran with the session and healed what changed while somd was down.
    const start = await until('the start-up round', async () =>
      (await rounds()).find((e) => e.detail.trigger === 'start'),
    );
    expect(start.detail.unhealed).toBe(0);
    expect(start.detail.counts.MISSING).toBeGreaterThanOrEqual(3);
    expect(start.detail.counts.STATUS_MISMATCH).toBe(1);

    const check = await somJson(h.t, ['reconcile', '--data']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.doc.unhealed).toBe(0);
    expect(check.doc.discrepancies.filter((d: any) => !d.healed)).toEqual([]);

    // The audit shows each adoption, before and after.
    const heals = await healed();
    const of = (key: string) => heals.find((e) => e.payload.key === key)?.payload;
    expect(of(bought.order_id)).toMatchObject({ record: 'order', action: 'adopt', before: null });
    expect(of(resting.order_id)).toMatchObject({ record: 'order', action: 'adopt', after: { status: 'CANCELLED' } });
    expect(of(mine)).toMatchObject({
      record: 'order',
      action: 'update',
      before: { status: 'OPEN' },
      after: { status: 'CANCELLED' },
    });
    expect(of('NSE:SBIN:MIS')).toMatchObject({ record: 'position', action: 'adopt', after: { quantity: 10 } });
    expect(heals.some((e) => e.payload.record === 'trade' && e.order_id === bought.order_id)).toBe(true);
    // ... and som's books say so: the fill is default's, som's own order is cancelled.
    const now = await orders();
    expect(now.find((o) => o.order_id === bought.order_id)).toMatchObject({ status: 'COMPLETE', strategy: 'default' });
    expect(now.find((o) => o.order_id === mine)).toMatchObject({ status: 'CANCELLED', strategy: 'swing' });
    const positions = (await somJson(h.t, ['positions'])).doc.positions as any[];
    expect(positions.find((p) => p.tradingsymbol === 'SBIN')).toMatchObject({ quantity: 10 });
  }, 60_000);

  it('a WebSocket drop during fills: the reconnect round finds and heals the updates Kite never replays', async () => {
    const low = onTick((await ltp('NSE:TCS')) * 0.95, 0.1);
    const placed = await somJson(h.t, [
      ...['order', 'place', 'NSE:TCS', '--side', 'BUY', '--qty', '2', '--type', 'LIMIT'],
      ...['--price', String(low), '--product', 'CNC', '--strategy', 'swing'],
    ]);
    expect(placed.code, placed.stderr).toBe(0);
    const mine = placed.doc.order_id as string;
    await until('som holds it open', async () => (await orders()).find((o) => o.order_id === mine)?.status === 'OPEN');
    const before = (await rounds()).length;

    // The feed drops; before it is back (a quarter second at the earliest) the user buys on
    // Kite web and cancels som's order. Kite sends those updates to no one.
    await fetch(`${h.ex.restRoot}/paper/admin/ws/drop`, { method: 'POST' });
    const bought = await h.web.placeOrder('regular', {
      ...{ exchange: 'NSE', tradingsymbol: 'ITC', transaction_type: 'BUY', quantity: 5 },
      ...{ product: 'MIS', order_type: 'MARKET', market_protection: -1 },
    } as never);
    await h.web.cancelOrder('regular', mine);

    const round = await until(
      'the reconnect round',
      async () =>
        (await rounds()).slice(0, (await rounds()).length - before).find((e) => e.detail.trigger === 'reconnect'),
      15_000,
    );
    expect(round.detail.unhealed).toBe(0);
    expect(round.detail.counts).toMatchObject({ MISSING: expect.any(Number), STATUS_MISMATCH: 1 });
    const heals = await healed();
    expect(heals.find((e) => e.payload.key === bought.order_id)?.payload).toMatchObject({ action: 'adopt' });
    expect(heals.find((e) => e.payload.key === mine && e.payload.action === 'update')?.payload).toMatchObject({
      before: { status: 'OPEN' },
      after: { status: 'CANCELLED' },
    });
    const now = await orders();
    expect(now.find((o) => o.order_id === bought.order_id)?.status).toBe('COMPLETE');
    expect(now.find((o) => o.order_id === mine)?.status).toBe('CANCELLED');
    expect((await somJson(h.t, ['status'])).doc.broker.ticker.state).toBe('connected');
  }, 60_000);

  it('a PHANTOM (an order som recorded that the broker never had) is closed as REJECTED, audited before and after', async () => {
    const raw = db();
    const row = raw.prepare('select * from orders where order_id = ?').get(pattern) as Record<string, any>;
    const broker = {
      ...JSON.parse(row.broker_json),
      ...{ order_id: '991125000000001', status: 'OPEN', tag: null, tags: [] },
      ...{ filled_quantity: 0, pending_quantity: row.quantity, average_price: 0 },
    };
    // Written long ago as far as the round can tell, so it is not taken for an update in flight.
    raw
      .prepare(
        `insert into orders (${Object.keys(row).join(', ')}) values (${Object.keys(row)
          .map((k) => `@${k}`)
          .join(', ')})`,
      )
      .run({
        ...row,
        order_id: broker.order_id,
        status: 'OPEN',
        filled_quantity: 0,
        pending_quantity: row.quantity,
        average_price: 0,
        tag: null,
        broker_json: JSON.stringify(broker),
        cost_breakdown_id: null,
        oco_group_id: null,
        allocated_quantity: 0,
        archived_at: null,
        created_at: '2026-11-25T03:00:00.000Z',
        updated_at: '2026-11-25T03:00:00.000Z',
      });
    raw.close();

    const r = await somJson(h.t, ['reconcile', '--data']);
    expect(r.code, r.stderr).toBe(0);
    const phantom = (r.doc.discrepancies as any[]).find((d) => d.key === broker.order_id);
    expect(phantom).toMatchObject({ kind: 'PHANTOM', record: 'order', healed: true });
    expect(phantom.how).toMatch(/^closed as REJECTED: status OPEN -> REJECTED/);
    const shown = (await somJson(h.t, ['order', 'show', broker.order_id])).doc.order;
    expect(shown).toMatchObject({ status: 'REJECTED', pending_quantity: 0 });
    expect(shown.status_message).toMatch(/not in the broker's order book/);
    const events = (await somJson(h.t, ['audit', '--order', broker.order_id])).doc.events as any[];
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['RECONCILE_HEALED', 'ORDER_REJECTED']));
    // Not reported again.
    const again = await somJson(h.t, ['reconcile', '--data']);
    expect((again.doc.discrepancies as any[]).some((d) => d.key === broker.order_id)).toBe(false);
  }, 60_000);

  it('a difference som may not heal is reported in every round, escalated after two, and resolved when it goes', async () => {
    const raw = db();
    const row = raw.prepare('select * from orders where order_id = ?').get(pattern) as Record<string, any>;
    const id = '991125000000002';
    // som records fills of an order the broker does not have: a person must look.
    const broker = { ...JSON.parse(row.broker_json), order_id: id, status: 'COMPLETE', filled_quantity: 1 };
    raw
      .prepare(
        `insert into orders (${Object.keys(row).join(', ')}) values (${Object.keys(row)
          .map((k) => `@${k}`)
          .join(', ')})`,
      )
      .run({
        ...row,
        order_id: id,
        status: 'COMPLETE',
        quantity: 1,
        filled_quantity: 1,
        pending_quantity: 0,
        tag: null,
        broker_json: JSON.stringify({ ...broker, quantity: 1, pending_quantity: 0 }),
        cost_breakdown_id: null,
        oco_group_id: null,
        archived_at: null,
        created_at: '2026-11-25T03:00:00.000Z',
        updated_at: '2026-11-25T03:00:00.000Z',
      });
    raw.close();
    const alerts = async () => (await somJson(h.t, ['alerts'])).doc.alerts as any[];

    const first = await somJson(h.t, ['reconcile', '--data']);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/1 difference is left unhealed/);
    expect((first.doc.discrepancies as any[]).find((d) => d.key === id)).toMatchObject({
      kind: 'PHANTOM',
      healed: false,
      unhealed: expect.stringMatching(/left for a person/),
    });
    expect(first.doc.escalated).toEqual([]);
    expect((await alerts()).some((a) => a.type === 'RECONCILE_DISCREPANCY')).toBe(false);

    const second = await somJson(h.t, ['reconcile', '--data']);
    expect(second.doc.escalated).toEqual([`PHANTOM:order:${id}`]);
    expect((await alerts()).find((a) => a.type === 'RECONCILE_DISCREPANCY')).toMatchObject({ priority: 'high' });
    const third = await somJson(h.t, ['reconcile', '--data']);
    expect(third.doc.escalated).toEqual([]);
    expect(third.doc.open).toEqual([`PHANTOM:order:${id}`]);

    // The user removes it; the next round no longer finds it and the alert is resolved.
    const fix = db();
    fix.prepare('delete from orders where order_id = ?').run(id);
    fix.close();
    const fourth = await somJson(h.t, ['reconcile', '--data']);
    expect(fourth.code, fourth.stderr).toBe(0);
    expect((await alerts()).some((a) => a.type === 'RECONCILE_DISCREPANCY')).toBe(false);
  }, 60_000);
});
