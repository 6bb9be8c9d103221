import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountSync } from '../../daemon/account/account-sync.js';
import { CostLedger } from '../../daemon/account/cost-ledger.js';
import { Logger } from '../../daemon/logger.js';
import { KiteBroker } from '../../src/broker/kite-broker.js';
import type { BrokerOrder } from '../../src/domain/order.js';
import { ManualClock } from '../../src/market/clock.js';
import { listAudit } from '../../src/store/audit.js';
import { openStore, type Store } from '../../src/store/database.js';
import { replaceInstruments } from '../../src/store/instruments.js';
import { getOrder } from '../../src/store/orders.js';
import { loadShares } from '../../src/store/position-shares.js';
import { ensureDefaultStrategy } from '../../src/store/strategies.js';
import { MARKET_OPEN, onTick, type PaperSession, paperSession } from '../paper/conformance/paper-session.js';

/**
 * The live account fed the broker's real order snapshots (from the paper exchange, through
 * the kiteconnect client) in the wrong order and more than once, as the WebSocket and the
 * REST refresh can deliver them: the store ends in the broker's final state and the audit
 * trail says each thing once.
 */
describe('AccountSync: out-of-order and duplicate order updates', () => {
  let s: PaperSession;
  let store: Store;
  let sync: AccountSync;
  let dir: string;
  let broker: KiteBroker;

  beforeAll(async () => {
    s = await paperSession({ rateLimits: false });
    dir = mkdtempSync(join(tmpdir(), 'som-sync-'));
    store = await openStore(join(dir, 'som.db'));
    const clock = new ManualClock(MARKET_OPEN);
    await ensureDefaultStrategy(store.db, clock.now());
    await replaceInstruments(store.db, s.ex.instruments, {
      at: clock.now(),
      tradingDay: '2026-11-25',
      source: 'paper',
    });
    broker = new KiteBroker({ apiKey: s.apiKey, restRoot: s.ex.restRoot, timeoutMs: 3000, accessToken: s.accessToken });
    sync = new AccountSync({
      costs: new CostLedger(store, clock, () => []),
      store,
      broker,
      clock,
      logger: new Logger('error', 'text', () => undefined),
      audit: async (e) => {
        await store.db
          .insertInto('audit_events')
          .values({
            at: clock.now().toISOString(),
            type: e.type,
            strategy_id: e.strategyId ?? null,
            order_id: e.orderId ?? null,
            payload: JSON.stringify(e.payload ?? {}),
          })
          .execute();
      },
      onBrokerError: () => undefined,
      onBrokerOk: () => undefined,
      onWatchlistChanged: () => undefined,
    });
  });

  afterAll(async () => {
    sync.stop();
    await store.close();
    await s.ex.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A resting order, modified, then filled by a marketable modify: a history of several steps. */
  async function lifecycle(): Promise<BrokerOrder[]> {
    const ltp = (await s.kc.getLTP(['NSE:SBIN']))['NSE:SBIN']!.last_price;
    const { order_id } = await s.kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: 'BUY',
      quantity: 7,
      product: 'MIS',
      order_type: 'LIMIT',
      price: onTick(ltp * 0.95, 0.05),
    } as never);
    await s.kc.modifyOrder('regular', order_id, { price: onTick(ltp * 0.96, 0.05) } as never);
    await s.kc.modifyOrder('regular', order_id, { price: onTick(ltp * 1.02, 0.05) } as never);
    const history = await broker.orderHistory(order_id);
    expect(history.at(-1)!.status).toBe('COMPLETE');
    return history;
  }

  it('converges on the final state whatever the delivery order, and audits each event once', async () => {
    const history = await lifecycle();
    const id = history[0]!.order_id;
    // Last first, then everything again in reverse, then the first twice.
    const deliveries = [history.at(-1)!, ...[...history].reverse(), history[0]!, history[0]!];
    for (const snapshot of deliveries) await sync.ingest(snapshot, 'websocket');
    await sync.idle();
    const stored = await getOrder(store.db, id);
    expect(stored!.status).toBe('COMPLETE');
    expect(stored!.filled_quantity).toBe(7);
    const types = (await listAudit(store.db, { orderId: id, limit: 100 })).map((e) => e.type);
    expect(types.filter((t) => t === 'ORDER_FILLED')).toHaveLength(1);
    expect(types.filter((t) => t === 'ORDER_PLACED')).toHaveLength(1);
    expect(types.filter((t) => t === 'ORDER_CREATED')).toHaveLength(1);
    // Its fill went into default's share of the position once, whatever the delivery order.
    const shares = await loadShares(store.db, { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS' });
    expect(shares.map((sh) => [sh.strategy_id, sh.quantity])).toEqual([[1, 7]]);
    const allocations = await store.db
      .selectFrom('position_allocations')
      .selectAll()
      .where('order_id', '=', id)
      .execute();
    expect(allocations.map((a) => [a.quantity, a.reason])).toEqual([[7, 'adds']]);
    // Its fill was fetched and recorded once.
    const trades = await store.db.selectFrom('trades').selectAll().where('order_id', '=', id).execute();
    expect(trades.reduce((n, t) => n + t.quantity, 0)).toBe(7);
    // Its actual charges were recorded once, and the strategy's totals moved by exactly them.
    const actual = await store.db
      .selectFrom('order_cost_breakdown')
      .selectAll()
      .where('order_id', '=', id)
      .where('kind', '=', 'actual')
      .execute();
    expect(actual).toHaveLength(1);
    const value = 7 * stored!.average_price;
    expect(actual[0]!.order_value).toBe(value);
    // Intraday equity: brokerage min(0.03% x value, 20); 7 x ~1000 -> 0.0003 x value.
    expect(actual[0]!.brokerage).toBe(Math.min(0.0003 * value, 20));
    const strategy = await store.db
      .selectFrom('strategies')
      .selectAll()
      .where('name', '=', 'default')
      .executeTakeFirstOrThrow();
    expect(strategy.total_brokerage_paid).toBe(actual[0]!.brokerage);
    expect(strategy.total_taxes_paid).toBeCloseTo(actual[0]!.total - actual[0]!.brokerage, 12);
  });

  it('in order, every step is audited: placed, modified, filled', async () => {
    const history = await lifecycle();
    const id = history[0]!.order_id;
    for (const snapshot of history) await sync.ingest(snapshot, 'websocket');
    await sync.ingest(history.at(-1)!, 'refresh');
    const types = (await listAudit(store.db, { orderId: id, limit: 100 })).map((e) => e.type).reverse();
    expect(types).toEqual([
      'ORDER_CREATED',
      'ORDER_PLACED',
      'ORDER_MODIFIED',
      'ORDER_MODIFIED',
      'ORDER_FILLED',
      'POSITION_ALLOCATED',
    ]);
  });

  it('refuses an impossible update (a filled order reopening with fewer fills) and records the refusal', async () => {
    const history = await lifecycle();
    const id = history[0]!.order_id;
    for (const snapshot of history) await sync.ingest(snapshot, 'websocket');
    const bogus: BrokerOrder = {
      ...history.at(-1)!,
      status: 'OPEN',
      filled_quantity: 2,
      pending_quantity: 5,
      exchange_update_timestamp: '2026-11-25T06:00:00.000Z',
    };
    await sync.ingest(bogus, 'websocket');
    expect((await getOrder(store.db, id))!.status).toBe('COMPLETE');
    const refused = await listAudit(store.db, { orderId: id, type: 'ORDER_UPDATE_REFUSED', limit: 10 });
    expect(refused).toHaveLength(1);
    expect(refused[0]!.payload).toMatchObject({ held: 'COMPLETE', offered: 'OPEN' });
  });
});
