import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountSync } from '../../daemon/account/account-sync.js';
import { CostLedger } from '../../daemon/account/cost-ledger.js';
import { OrderDesk } from '../../daemon/account/order-desk.js';
import { BrokerLink } from '../../daemon/broker-link.js';
import { Logger } from '../../daemon/logger.js';
import { Recorder } from '../../daemon/recorder.js';
import { KiteBroker } from '../../src/broker/kite-broker.js';
import { normalizeOrder } from '../../src/broker/kite-normalize.js';
import { fateAlertKey } from '../../src/broker/order-fate.js';
import { OrderFateUnknown } from '../../src/broker/order-placement.js';
import { newOrderTag } from '../../src/broker/order-tag.js';
import { configSchema } from '../../src/config/schema.js';
import type { PlaceOrderRequest } from '../../src/domain/order.js';
import { PaperExchange } from '../../src/paper/exchange.js';
import { type Alert, listAlerts } from '../../src/store/alerts.js';
import { listAudit } from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/database.js';
import { createIntentLedger, getIntent, recordNewIntents } from '../../src/store/intents.js';
import { ensureDefaultStrategy } from '../../src/store/strategies.js';
import { type Kite, login, MARKET_OPEN, onTick } from '../paper/conformance/paper-session.js';
import { unhandledRejections } from '../util/unhandled-rejections.js';

const SOMD_KEY = 'somfate';
const DEFAULT_STRATEGY_ID = 1;

/**
 * An order whose answer is lost (the paper exchange's drop_after_accept, resets, latency)
 * and whose fate the order book cannot tell in time: the caller gets a clear answer naming the
 * tag within the placement's deadline, an ORDER_FATE_UNKNOWN alert is raised at once, and the
 * next full read of the order book settles it, with the exchange's own book as the witness.
 */
describe('orders whose fate is unknown', () => {
  let ex: PaperExchange;
  let web: Kite;
  let somdToken: string;
  let dir: string;
  let store: Store;
  let recorder: Recorder;
  const unhandled = unhandledRejections();
  const logger = new Logger('error', 'text', () => undefined);

  beforeAll(async () => {
    ex = await PaperExchange.start({ seed: 31, clock: MARKET_OPEN, tickIntervalMs: 200, rateLimits: false });
    web = (await login(ex.restRoot, 'webapp')).kc;
    somdToken = (await login(ex.restRoot, SOMD_KEY)).accessToken;
    dir = mkdtempSync(join(tmpdir(), 'som-fate-'));
    store = await openStore(join(dir, 'som.db'));
    await ensureDefaultStrategy(store.db, ex.clock.now());
    recorder = new Recorder({ store, clock: ex.clock, logger });
  });

  afterAll(async () => {
    await recorder.idle();
    await store.close();
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => ex.faults.clear());
  afterEach(async () => {
    ex.faults.clear();
    await recorder.idle();
    expect(unhandled).toEqual([]);
  });

  /** The account and the order desk, wired as somd wires them. */
  async function rig(o: { timeoutMs: number; deadlineMs: number }) {
    const clock = ex.clock;
    // One try per read: a look-up the fault refuses fails at once.
    const broker = new KiteBroker({
      apiKey: SOMD_KEY,
      restRoot: ex.restRoot,
      timeoutMs: o.timeoutMs,
      accessToken: somdToken,
      retry: { attempts: 1 },
    });
    const costs = new CostLedger(store, clock, () => []);
    const account = new AccountSync({
      costs,
      store,
      broker,
      clock,
      logger,
      audit: (e) => recorder.audit(e),
      onBrokerError: () => undefined,
      onBrokerOk: () => undefined,
      onWatchlistChanged: () => undefined,
    });
    const desk = new OrderDesk({
      store,
      costs,
      broker,
      ledger: createIntentLedger(store.db, clock),
      account,
      recorder,
      logger,
      placementBlocked: () => null,
      onBrokerError: () => undefined,
      requestTimeoutMs: o.timeoutMs,
      placementDeadlineMs: o.deadlineMs,
    });
    return { account, desk };
  }

  /** A LIMIT buy resting well below the market: it stays open in the book. */
  async function restingBuy(quantity: number): Promise<Omit<PlaceOrderRequest, 'tag'>> {
    const ltp = (await web.getLTP(['NSE:SBIN']))['NSE:SBIN']!.last_price;
    return {
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      product: 'MIS',
      quantity,
      price: onTick(ltp * 0.97, 0.05),
      validity: 'DAY',
    };
  }

  const atExchange = async (tag: string) => (await web.getOrders()).filter((o) => o.tag === tag);
  const fateAlert = async (tag: string): Promise<Alert | undefined> =>
    (await listAlerts(store.db)).find((a) => a.dedupe_key === fateAlertKey(tag));

  async function placeExpectingUnknown(desk: OrderDesk, request: Omit<PlaceOrderRequest, 'tag'>) {
    const err = await desk.place(DEFAULT_STRATEGY_ID, request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderFateUnknown);
    return err as OrderFateUnknown;
  }

  it('accepted, answer lost, book unreadable: an alert at once with the tag; the next book read adopts the order', async () => {
    const { account, desk } = await rig({ timeoutMs: 1500, deadlineMs: 20_000 });
    // the exchange takes the order and the connection drops; every look at the book then fails
    ex.faults.set({ drop_after_accept: 1, errors: [{ path: '/orders', method: 'GET', kind: '503' }] });
    const err = await placeExpectingUnknown(desk, await restingBuy(3));
    const tag = err.tag;
    expect(err.toValue()).toMatchObject({ code: 'BROKER_UNAVAILABLE', data: { tag, fate: 'unknown' } });
    expect(err.message).toContain(`look for tag ${tag}`);

    // raised before the caller heard back: high priority, the order, the tag, no resend
    const alert = await fateAlert(tag);
    expect(alert).toMatchObject({
      type: 'ORDER_FATE_UNKNOWN',
      priority: 'high',
      resolved_at: null,
      payload: { tag, side: 'BUY', quantity: 3, exchange: 'NSE', tradingsymbol: 'SBIN' },
    });
    expect(alert!.message).toContain('som will not send it again');
    expect((await getIntent(store.db, tag))?.state).toBe('unknown');

    // the broker recovers: the exchange has the order, once; the account's next full read settles it
    ex.faults.clear();
    expect(await atExchange(tag)).toHaveLength(1);
    await account.refresh();
    const settled = (await desk.settleFates()).filter((s) => s.tag === tag);
    const orderId = (await atExchange(tag))[0]!.order_id;
    expect(settled).toMatchObject([{ kind: 'placed', order: { order_id: orderId } }]);
    expect(await getIntent(store.db, tag)).toMatchObject({ state: 'placed', order_id: orderId });
    const resolved = await fateAlert(tag);
    expect(resolved!.resolved_at).not.toBeNull();
    expect(resolved!.payload.resolution).toBe(
      `placed: the order book has tag ${tag} as order ${orderId}; som has adopted it`,
    );
    const recovered = await listAudit(store.db, { orderId, type: 'ORDER_RECOVERED', limit: 5 });
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.payload).toMatchObject({ tag });
    // never sent twice
    expect(await atExchange(tag)).toHaveLength(1);
    // a second read has nothing left to settle
    expect((await desk.settleFates()).filter((s) => s.tag === tag)).toEqual([]);
  });

  it('never reached the exchange (sent twice, both reset): the book read says never placed, and it is not resent', async () => {
    const { account, desk } = await rig({ timeoutMs: 1500, deadlineMs: 20_000 });
    ex.faults.set({ errors: [{ path: '/orders', method: 'POST', kind: 'reset', count: 2 }] });
    const err = await placeExpectingUnknown(desk, await restingBuy(4));
    const tag = err.tag;
    expect(err.why).toBe('it was sent twice without a clear answer and is not in the order book');
    expect((await fateAlert(tag))?.resolved_at).toBeNull();

    await account.refresh();
    const settled = (await desk.settleFates()).filter((s) => s.tag === tag);
    expect(settled).toMatchObject([{ kind: 'not_sent' }]);
    expect(await getIntent(store.db, tag)).toMatchObject({ state: 'failed', error: { code: 'NOT_SENT' } });
    const resolved = await fateAlert(tag);
    expect(resolved!.resolved_at).not.toBeNull();
    expect(resolved!.payload.resolution).toBe(
      `never placed: the order book has no order tagged ${tag}; som did not send it again`,
    );
    const failed = (await listAudit(store.db, { type: 'ORDER_SEND_FAILED', limit: 20 })).filter(
      (e) => e.payload.tag === tag && (e.payload.error as { code: string }).code === 'NOT_SENT',
    );
    expect(failed).toHaveLength(1);
    expect(await atExchange(tag)).toEqual([]);
  });

  it('an intent its caller recorded and claimed: not judged before its send, then sent once and recorded once', async () => {
    const { account, desk } = await rig({ timeoutMs: 1500, deadlineMs: 20_000 });
    const request = await restingBuy(2);
    const tag = newOrderTag(DEFAULT_STRATEGY_ID);
    desk.claim([tag]);
    await recordNewIntents(
      store.db,
      [{ tag, strategyId: DEFAULT_STRATEGY_ID, request: { ...request, tag } }],
      ex.clock.now(),
    );
    // A full read of the book before the send: pending and claimed, so not called never placed.
    await account.refresh();
    expect((await desk.settleFates()).filter((s) => s.tag === tag)).toEqual([]);
    expect((await getIntent(store.db, tag))?.state).toBe('pending');

    const placed = await desk.place(DEFAULT_STRATEGY_ID, request, { tag, recorded: true });
    expect(await atExchange(tag)).toMatchObject([{ order_id: placed.orderId }]);
    expect(await getIntent(store.db, tag)).toMatchObject({ state: 'placed', order_id: placed.orderId, attempts: 1 });
    const created = (await listAudit(store.db, { type: 'ORDER_CREATED', limit: 50 })).filter(
      (e) => e.payload.tag === tag,
    );
    expect(created).toHaveLength(1);

    // Claimed, and then its record failed: nothing holds the tag back from being settled.
    const lost = newOrderTag(DEFAULT_STRATEGY_ID);
    desk.claim([lost]);
    await recordNewIntents(
      store.db,
      [{ tag: lost, strategyId: DEFAULT_STRATEGY_ID, request: { ...request, tag: lost } }],
      ex.clock.now(),
    );
    desk.unclaim([lost]);
    expect((await desk.settleFates()).filter((s) => s.tag === lost)).toMatchObject([{ kind: 'not_sent' }]);
    expect(await atExchange(lost)).toEqual([]);
  });

  it('a slow exchange: the caller is answered at the deadline, and the order is not judged while its send is out', async () => {
    // every answer comes 1.5 s late; the client would wait 5 s, the placement only 0.5 s
    const { desk } = await rig({ timeoutMs: 5000, deadlineMs: 500 });
    ex.faults.set({ latency_ms: 1500 });
    const err = await placeExpectingUnknown(desk, await restingBuy(5));
    const tag = err.tag;
    expect(err.why).toBe('the broker did not answer within 0.5 s');
    expect(await fateAlert(tag)).toMatchObject({ type: 'ORDER_FATE_UNKNOWN', resolved_at: null });
    ex.faults.clear();

    // the send left behind has not reached the book yet: reading it now must not call it never placed
    expect(
      (await desk.settleFates((await web.getOrders()).map((o) => normalizeOrder(o)))).filter((s) => s.tag === tag),
    ).toEqual([]);
    expect((await getIntent(store.db, tag))?.state).toBe('unknown');

    // once the late send is done, the next read adopts the order it made
    let settled: Awaited<ReturnType<OrderDesk['settleFates']>> = [];
    for (let i = 0; i < 100 && settled.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      settled = (await desk.settleFates()).filter((s) => s.tag === tag);
    }
    expect(settled).toMatchObject([{ kind: 'placed' }]);
    expect(await atExchange(tag)).toHaveLength(1);
    expect((await fateAlert(tag))?.resolved_at).not.toBeNull();
  });

  it('through the broker link: the periodic refresh settles what was unknown', async () => {
    const broker = configSchema.parse({}).broker;
    const link = new BrokerLink({
      mode: 'paper',
      config: { ...broker, timeout_ms: 1500, refresh_seconds: 3600 },
      home: dir,
      store,
      clock: ex.clock,
      logger,
      paper: ex,
      paperApiSecret: 'paper',
      chargeSchedules: () => [],
      recorder,
    });
    await link.start();
    try {
      ex.faults.set({ errors: [{ path: '/orders', method: 'POST', kind: 'reset', count: 2 }] });
      const err = await placeExpectingUnknown(link.desk, await restingBuy(6));
      expect((await fateAlert(err.tag))?.resolved_at).toBeNull();
      await link.refreshAccount();
      expect((await fateAlert(err.tag))?.payload.resolution).toContain('never placed');
      expect((await getIntent(store.db, err.tag))?.state).toBe('failed');
    } finally {
      await link.stop();
    }
  });
});
