import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KiteTicker } from 'kiteconnect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaperSession, paperSession } from './paper-session.js';
import { shapeDifferences } from './same-shape.js';

const SBIN = 779521;
const NIFTY_INDEX = 256265;

/** Resolve when `predicate` holds for something `subscribe` delivers; fail after `ms`. */
function waitFor<T>(subscribe: (cb: (v: T) => void) => void, predicate: (v: T) => boolean, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting on the WebSocket')), ms);
    subscribe((v) => {
      if (predicate(v)) {
        clearTimeout(timer);
        resolve(v);
      }
    });
  });
}

describe('paper exchange WebSocket with the official KiteTicker', () => {
  let s: PaperSession;
  let ticker: InstanceType<typeof KiteTicker>;
  const ticks: any[] = [];
  const tickListeners: ((t: any) => void)[] = [];
  const orderListeners: ((o: any) => void)[] = [];
  let option: number;

  beforeAll(async () => {
    s = await paperSession({ tickIntervalMs: 50, rateLimits: false });
    const nfo = await s.kc.getInstruments('NFO');
    option = Number(nfo.find((i) => i.name === 'NIFTY' && i.instrument_type === 'CE')!.instrument_token);
    ticker = new KiteTicker({
      api_key: s.apiKey,
      access_token: s.accessToken,
      root: s.ex.wsRoot,
      reconnect: false,
    } as never);
    ticker.on('ticks', (batch: any[]) => {
      for (const t of batch) {
        ticks.push(t);
        for (const l of tickListeners) l(t);
      }
    });
    ticker.on('order_update', (o: any) => {
      for (const l of orderListeners) l(o);
    });
    await new Promise<void>((resolve) => {
      ticker.on('connect', () => resolve());
      ticker.connect();
    });
  });
  afterAll(async () => {
    ticker?.disconnect();
    await s?.ex.close();
  });

  it('streams ticks the official decoder reads, in ltp, quote and full modes, index packets included', async () => {
    ticker.subscribe([SBIN, NIFTY_INDEX, option]);
    ticker.setMode('full', [SBIN]);
    ticker.setMode('ltp', [option]);
    const full = await waitFor<any>(
      (cb) => tickListeners.push(cb),
      (t) => t.instrument_token === SBIN && t.mode === 'full',
    );
    expect(full.tradable).toBe(true);
    expect(full.depth.buy).toHaveLength(5);
    expect(full.depth.buy[0].price).toBeLessThan(full.depth.sell[0].price);
    expect(full.last_price).toBeGreaterThan(0);
    expect(full.exchange_timestamp).toBeInstanceOf(Date);
    const ltp = await waitFor<any>(
      (cb) => tickListeners.push(cb),
      (t) => t.instrument_token === option,
    );
    expect(ltp.mode).toBe('ltp');
    const index = await waitFor<any>(
      (cb) => tickListeners.push(cb),
      (t) => t.instrument_token === NIFTY_INDEX,
    );
    expect(index).toMatchObject({ tradable: false, mode: 'quote' });
    expect(index.ohlc.close).toBeGreaterThan(10_000);
    // the ticks agree with the REST quote of the same market
    const rest = await s.kc.getQuote([String(SBIN)]);
    expect(Math.abs(rest[String(SBIN)]!.last_price - full.last_price) / full.last_price).toBeLessThan(0.02);
  });

  it('pushes order updates as text frames in the postback shape', async () => {
    const done = waitFor<any>(
      (cb) => orderListeners.push(cb),
      (o) => o.status === 'COMPLETE',
    );
    const placed = await s.kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      quantity: 3,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    const update = await done;
    expect(update.order_id).toBe(placed.order_id);
    expect(update).toMatchObject({
      user_id: 'PA0001',
      filled_quantity: 3,
      unfilled_quantity: 0,
      tradingsymbol: 'SBIN',
    });
    const postback = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/kite/postback.json'), 'utf8'));
    // Fields Kite adds to newer order records (orders.json) may ride along; every postback field must be there, same type.
    const missing = shapeDifferences(update, postback, ['$.tag', '$.guid']).filter(
      (d) => !d.endsWith('not in the fixture'),
    );
    expect(missing).toEqual([]);
    const { createHash } = await import('node:crypto');
    expect(update.checksum).toBe(
      createHash('sha256').update(`${update.order_id}${update.order_timestamp}paper`).digest('hex'),
    );
  });

  it('a dropped connection is seen by the client (fault injection)', async () => {
    const closed = new Promise<void>((resolve) => ticker.on('close', () => resolve()));
    const r = await fetch(`${s.ex.restRoot}/paper/admin/ws/drop`, { method: 'POST' });
    expect(r.status).toBe(200);
    await closed;
    expect(ticker.connected()).toBe(false);
  });
});
