import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperExchange } from '../../src/paper/exchange.js';
import { MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { somJson, startSomd, tempHome } from './harness.js';
import {
  buyPartlyAtAsk,
  type Harness,
  requestToken,
  riskLimitsAside,
  scenario,
  until,
  webSession,
  writeConfig,
} from './kite-paper.js';

/**
 * The audit trail tells every order's story, whoever placed it: one order of each fate
 * (placed, modified, partially filled, filled, cancelled, expired, rejected) walked through
 * the paper exchange, some placed by som, some by the user on Kite web, and each one's events
 * read back with `som audit --order`.
 */
describe("every order's fate is in the audit trail, whoever placed it", () => {
  const h = {} as Harness;

  async function ltp(key: string): Promise<number> {
    return (await h.web.getLTP([key]))[key]!.last_price;
  }
  async function events(orderId: string): Promise<any[]> {
    // Oldest first, as the story happened.
    return [...((await somJson(h.t, ['audit', '--order', orderId])).doc.events as any[])].reverse();
  }
  async function types(orderId: string): Promise<string[]> {
    return (await events(orderId)).map((e) => e.type);
  }
  async function untilTypes(orderId: string, wanted: string[]): Promise<string[]> {
    return until(
      `${wanted.join(', ')} for ${orderId}`,
      async () => {
        const seen = await types(orderId);
        return wanted.every((t) => seen.includes(t)) ? seen : null;
      },
      10_000,
    );
  }
  /**
   * Place an order through som. Its ORDER_CREATED is written with its tag before the order
   * leaves (the broker has given it no id yet): found here by the tag the order carries.
   */
  async function somPlaces(args: string[]): Promise<string> {
    const r = await somJson(h.t, ['order', 'place', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const id = r.doc.order_id as string;
    const tag = (await somJson(h.t, ['order', 'show', id])).doc.order.tag;
    const created = (await somJson(h.t, ['audit', '--type', 'ORDER_CREATED'])).doc.events as any[];
    expect(created.find((e) => e.payload.tag === tag)?.payload).toMatchObject({ source: 'som' });
    return id;
  }

  beforeAll(async () => {
    h.t = tempHome();
    h.ex = await PaperExchange.start({ seed: 61, clock: MARKET_OPEN, tickIntervalMs: 100, port: 0, rateLimits: false });
    const config = writeConfig(h.t, h.ex);
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

  it('placed and modified by som, cancelled by the user on Kite web', async () => {
    const price = onTick((await ltp('NSE:TCS')) * 0.97, 0.1);
    const id = await somPlaces([
      ...['NSE:TCS', '--side', 'BUY', '--qty', '2', '--type', 'LIMIT', '--price', String(price), '--product', 'CNC'],
    ]);
    await untilTypes(id, ['ORDER_PLACED']);
    const lower = onTick(price * 0.99, 0.1);
    const modified = await somJson(h.t, ['order', 'modify', id, '--price', String(lower)]);
    expect(modified.code, modified.stderr).toBe(0);
    await untilTypes(id, ['ORDER_MODIFIED']);
    await h.web.cancelOrder('regular', id);
    const seen = await untilTypes(id, ['ORDER_CANCELLED']);
    expect(seen.filter((t) => t.startsWith('ORDER_') && !t.endsWith('REQUESTED'))).toEqual([
      'ORDER_PLACED',
      'ORDER_MODIFIED',
      'ORDER_CANCELLED',
    ]);
    const change = (await events(id)).find((e) => e.type === 'ORDER_MODIFIED')!.payload;
    expect(change.changes).toContainEqual({ field: 'price', from: price, to: lower });
  }, 60_000);

  it('filled, and partially filled then cancelled, placed on Kite web', async () => {
    const filled = await h.web.placeOrder('regular', {
      ...{ exchange: 'NSE', tradingsymbol: 'SBIN', transaction_type: 'BUY', quantity: 5 },
      ...{ product: 'MIS', order_type: 'MARKET', market_protection: -1 },
    } as never);
    const seen = await untilTypes(filled.order_id, ['ORDER_CREATED', 'ORDER_PLACED', 'ORDER_FILLED']);
    expect(seen.filter((t) => t.startsWith('ORDER_'))).toEqual(['ORDER_CREATED', 'ORDER_PLACED', 'ORDER_FILLED']);
    expect((await events(filled.order_id))[0]!.payload).toMatchObject({ source: 'external' });

    // At the best ask, for more than that level holds: part fills now, the rest rests.
    const partial = await buyPartlyAtAsk(h.ex, h.web, 'NSE:ITC', 5000);
    await untilTypes(partial, ['ORDER_PARTIALLY_FILLED']);
    await h.web.cancelOrder('regular', partial);
    await scenario(h.ex, 'NSE:ITC', { reset: true });
    const story = await untilTypes(partial, ['ORDER_CANCELLED']);
    expect(story.filter((t) => t.startsWith('ORDER_'))[0]).toBe('ORDER_CREATED');
    const cancelled = (await events(partial)).find((e) => e.type === 'ORDER_CANCELLED')!.payload;
    expect(cancelled.filled_quantity).toBeGreaterThan(0);
  }, 60_000);

  it('expired (an IOC the exchange cancels at once, placed by som) and rejected (refused by the RMS, placed on Kite web)', async () => {
    const far = onTick((await ltp('NSE:INFY')) * 0.97, 0.1);
    const ioc = await somPlaces([
      ...['NSE:INFY', '--side', 'BUY', '--qty', '1', '--type', 'LIMIT', '--price', String(far)],
      ...['--product', 'MIS', '--validity', 'IOC'],
    ]);
    const expired = await untilTypes(ioc, ['ORDER_EXPIRED']);
    expect(expired).not.toContain('ORDER_CANCELLED');
    expect((await events(ioc)).find((e) => e.type === 'ORDER_EXPIRED')!.payload).toMatchObject({ reason: 'IOC' });

    h.ex.faults.set({ reject_next_orders: 1 });
    const refused = await h.web.placeOrder('regular', {
      ...{ exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1 },
      ...{ product: 'MIS', order_type: 'MARKET', market_protection: -1 },
    } as never);
    const rejected = await untilTypes(refused.order_id, ['ORDER_CREATED', 'ORDER_REJECTED']);
    expect(rejected).not.toContain('ORDER_PLACED');
    expect(
      (await events(refused.order_id)).find((e) => e.type === 'ORDER_REJECTED')!.payload.status_message,
    ).toBeTruthy();
  }, 60_000);
});
