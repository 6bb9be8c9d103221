import type { Broker, BrokerGtt } from '../../src/broker/broker.js';
import { BrokerError } from '../../src/broker/errors.js';
import { normalizeOrder } from '../../src/broker/kite-normalize.js';
import { parseOrderTag } from '../../src/broker/order-tag.js';
import type { NewAuditEvent } from '../../src/domain/audit.js';
import type { BrokerOrder, BrokerTrade } from '../../src/domain/order.js';
import { planOrderUpdate, type UpdateSource } from '../../src/domain/order-update.js';
import {
  type AccountSnapshot,
  accountQuantities,
  attributeExternal,
  instrumentKey,
  planAdoptions,
} from '../../src/domain/position-shares.js';
import { planGttSync } from '../../src/housekeeping/gtt.js';
import type { Clock } from '../../src/market/clock.js';
import type { Store } from '../../src/store/database.js';
import { loadStoredGtts, writeGttSync } from '../../src/store/gtts.js';
import { loadOrderUpdateContext, writeOrderUpdate } from '../../src/store/order-updates.js';
import { listOrderStates, orderStateKey, watchedInstruments } from '../../src/store/orders.js';
import { adoptIntoShares, loadExposures, loadShares } from '../../src/store/position-shares.js';
import { syncPositions } from '../../src/store/positions.js';
import { defaultStrategyId } from '../../src/store/strategies.js';
import { insertTrades } from '../../src/store/trades.js';
import { SerialQueue } from '../../src/util/serial-queue.js';
import type { Logger } from '../logger.js';
import type { CostLedger } from './cost-ledger.js';

export type { UpdateSource } from '../../src/domain/order-update.js';

export interface AccountSyncDeps {
  store: Store;
  /** Links som's orders to their cost estimate and records actual charges as they fill. */
  costs: CostLedger;
  broker: Broker;
  clock: Clock;
  logger: Logger;
  audit(event: NewAuditEvent): Promise<void>;
  /** Every broker failure passes through here (a token error must pause trading at once). */
  onBrokerError(err: BrokerError, during: string): void;
  /** A REST call succeeded: the API is reachable, with this latency. */
  onBrokerOk(during: string, latencyMs: number): void;
  /** The set of instruments with an open order or position changed. */
  onWatchlistChanged(tokens: ReadonlySet<number>): void;
  /** The whole order book was read (a refresh): orders whose placement had an unknown fate are settled from it. */
  onOrderBook?(orders: readonly BrokerOrder[]): Promise<void>;
}

/** Who else wants to know as the account changes (housekeeping reacts at once). */
export interface AccountListener {
  /** An order's state changed (its fills, if any, are already in the strategies' shares). */
  onOrderChanged(order: BrokerOrder, isNew: boolean): void;
  /** The broker's positions, the strategies' shares or the GTTs changed in these instruments. */
  onPositionsChanged(scopes: { exchange: string; tradingsymbol: string }[]): void;
}

/**
 * The account as the broker knows it, kept in the store: every order (placed by som or
 * anywhere else), its trades, the net positions and holdings, the GTTs, and each strategy's
 * share of the positions (src/domain/position-shares.ts). Updates arrive from the WebSocket
 * (fast) and from a periodic REST refresh (the safety net); both go through one queue and one
 * state machine, so duplicates and out-of-order deliveries converge on the same state, and a
 * fill is shared out exactly once.
 */
export class AccountSync {
  readonly #d: AccountSyncDeps;
  /** One update at a time: order, trades, positions and shares writes never interleave. */
  readonly #queue = new SerialQueue();
  #positionsTimer: NodeJS.Timeout | null = null;
  #positionsRefresh: Promise<void> | null = null;
  #lastRefreshAt: Date | null = null;
  #lastUpdateAt: Date | null = null;
  #watch = new Set<number>();
  #updatesApplied = 0;
  #updatesRefused = 0;
  #listener: AccountListener | null = null;
  /** Fills taken in so far (a sequence), and the last one per instrument: when shares last moved. */
  #fillSeq = 0;
  readonly #lastFillSeq = new Map<string, number>();
  /** The previous positions snapshot, for adopting only what the broker has settled on. */
  #snapshot: { quantities: AccountSnapshot; requestSeq: number } | null = null;

  constructor(deps: AccountSyncDeps) {
    this.#d = deps;
  }

  listen(listener: AccountListener): void {
    this.#listener = listener;
  }

  get lastRefreshAt(): Date | null {
    return this.#lastRefreshAt;
  }
  get lastUpdateAt(): Date | null {
    return this.#lastUpdateAt;
  }
  get watchlist(): ReadonlySet<number> {
    return this.#watch;
  }
  get counters(): { applied: number; refused: number } {
    return { applied: this.#updatesApplied, refused: this.#updatesRefused };
  }

  /** A WebSocket order update (the text frame's data, as Kite sent it). */
  applyOrderUpdate(raw: Record<string, unknown>): Promise<void> {
    let order: BrokerOrder;
    try {
      order = normalizeOrder(raw);
    } catch (err) {
      this.#d.logger.warn('order_update.unreadable', { error: (err as Error).message });
      return Promise.resolve();
    }
    return this.#serial(() => this.#ingest(order, 'websocket'));
  }

  /** An order the daemon just placed, modified or cancelled: learn its state now. */
  ingest(order: BrokerOrder, source: UpdateSource): Promise<void> {
    return this.#serial(() => this.#ingest(order, source));
  }

  /**
   * The safety net: positions, orders, trades, GTTs and positions again over REST. Positions
   * are read before and after, so that what the broker reports and no fill explains can be
   * adopted at once when it held still in between (at start-up, an overnight position is
   * known before any order is judged).
   */
  async refresh(): Promise<void> {
    await this.#serial(() => this.#refreshPositionsNow(true));
    // The REST calls and the comparison run outside the update queue, and only orders whose
    // state differs from ours are queued, one at a time: a live WebSocket update never waits
    // behind the day's whole order book.
    const orders = await this.#call('orders', () => this.#d.broker.orders());
    await this.#d.onOrderBook?.(orders);
    const held = await listOrderStates(this.#d.store.db);
    for (const order of orders) {
      if (held.get(order.order_id) !== orderStateKey(order)) {
        await this.#serial(() => this.#ingest(order, 'refresh', { skipTrades: true }));
      }
    }
    const trades = await this.#call('trades', () => this.#d.broker.trades());
    await this.#serial(() => this.#recordTrades(trades));
    const gtts = await this.#call('GTTs', () => this.#d.broker.gtts());
    await this.#serial(() => this.#syncGtts(gtts));
    await this.#serial(() => this.#refreshPositionsNow(true));
    this.#lastRefreshAt = this.#d.clock.now();
  }

  /** Positions after a fill: coalesced, so a burst of fills costs one REST call. */
  schedulePositionsRefresh(delayMs = 150): void {
    if (this.#positionsTimer) return;
    this.#positionsTimer = setTimeout(() => {
      this.#positionsTimer = null;
      this.#serial(() => this.#refreshPositionsNow(false)).catch((err) =>
        this.#d.logger.warn('positions.refresh_failed', { error: (err as Error).message }),
      );
    }, delayMs);
    this.#positionsTimer.unref();
  }

  /** Wait for every queued update to be applied (tests and shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      await this.#queue.idle();
      if (!this.#positionsTimer && this.#queue.pending === 0) return;
      if (this.#positionsTimer) await new Promise((r) => setTimeout(r, 20));
    }
  }

  stop(): void {
    if (this.#positionsTimer) clearTimeout(this.#positionsTimer);
    this.#positionsTimer = null;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    return this.#queue.run(work);
  }

  async #call<T>(during: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await fn();
      this.#d.onBrokerOk(during, performance.now() - started);
      return result;
    } catch (err) {
      if (err instanceof BrokerError) this.#d.onBrokerError(err, during);
      throw err;
    }
  }

  async #ingest(order: BrokerOrder, source: UpdateSource, options: { skipTrades?: boolean } = {}): Promise<void> {
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    const ctx = await loadOrderUpdateContext(db, order, taggedStrategy);
    const plan = planOrderUpdate(order, ctx, source);
    if (plan.kind === 'skip') return;
    await writeOrderUpdate(db, plan, now);
    if (plan.kind === 'refused') {
      this.#updatesRefused++;
      this.#d.logger.warn('order_update.refused', {
        orderId: order.order_id,
        reason: plan.event.payload.reason,
        source,
      });
      return;
    }
    this.#updatesApplied++;
    this.#lastUpdateAt = now;
    if (plan.allocations.length > 0) {
      this.#lastFillSeq.set(instrumentKey(order), ++this.#fillSeq);
    }
    if (plan.created && plan.source === 'som') await this.#d.costs.link(order.order_id, order.tag);
    this.#listener?.onOrderChanged(order, plan.created);
    if (plan.filledMore > 0) {
      await this.#d.costs
        .recordFill(order, plan.strategyId)
        .catch((err) =>
          this.#d.logger.warn('costs.fill_failed', { orderId: order.order_id, error: (err as Error).message }),
        );
      if (!options.skipTrades) {
        const trades = await this.#call('order trades', () => this.#d.broker.orderTrades(order.order_id)).catch(
          () => [],
        );
        await this.#recordTrades(trades);
      }
      this.schedulePositionsRefresh();
    }
    await this.#updateWatchlist();
  }

  async #recordTrades(trades: readonly BrokerTrade[]): Promise<void> {
    if (trades.length === 0) return;
    const fresh = await insertTrades(this.#d.store.db, trades, this.#d.clock.now());
    if (fresh.length > 0) this.schedulePositionsRefresh();
  }

  async #syncGtts(seen: readonly BrokerGtt[]): Promise<void> {
    const { db } = this.#d.store;
    const defaultId = await defaultStrategyId(db);
    const stored = await loadStoredGtts(db);
    const fresh = seen.filter((g) => !stored.some((s) => s.gtt_id === g.id) && g.status === 'active');
    const exposures = new Map<number, Awaited<ReturnType<typeof loadExposures>>>();
    for (const g of fresh) {
      const first = g.orders[0];
      if (first) exposures.set(g.id, await loadExposures(db, { ...g, product: first.product }));
    }
    const shares = await loadShares(db);
    const sync = planGttSync({
      seen,
      stored,
      attribute: (g) =>
        attributeExternal(g.orders[0]!.transaction_type, g.orders[0]!.quantity, exposures.get(g.id) ?? [], defaultId)
          .strategy_id,
      shareOf: (strategyId, g) =>
        shares.find(
          (s) =>
            s.strategy_id === strategyId &&
            s.exchange === g.exchange &&
            s.tradingsymbol === g.tradingsymbol &&
            s.product === g.orders[0]?.product,
        )?.quantity ?? 0,
    });
    await writeGttSync(db, sync, new Map(seen.map((g) => [g.id, g])), this.#d.clock.now());
    const scopes = [
      ...sync.writes.map((g) => ({ exchange: g.exchange, tradingsymbol: g.tradingsymbol })),
      ...seen.filter((g) => sync.gone.includes(g.id)),
    ];
    if (scopes.length > 0) this.#listener?.onPositionsChanged(scopes);
  }

  /**
   * Read the broker's positions into the store. Only a full refresh (`settle`: positions read on
   * either side of the whole order book) adopts what no fill explains: a read after a fill comes
   * while other fills may still be on their way over the WebSocket, and two such reads agreeing
   * would take a fill not yet seen for a position no fill explains.
   */
  async #refreshPositionsNow(settle: boolean): Promise<void> {
    this.#positionsRefresh ??= (async () => {
      try {
        const { db } = this.#d.store;
        const requestSeq = this.#fillSeq;
        const [{ net }, holdings] = await Promise.all([
          this.#call('positions', () => this.#d.broker.positions()),
          this.#call('holdings', () => this.#d.broker.holdings()),
        ]);
        const now = this.#d.clock.now();
        const changes = await syncPositions(db, net, now);
        for (const change of changes) {
          if (change.kind === 'opened' || change.kind === 'closed') {
            await this.#d.audit({
              type: change.kind === 'opened' ? 'POSITION_OPENED' : 'POSITION_CLOSED',
              payload: {
                exchange: change.exchange,
                tradingsymbol: change.tradingsymbol,
                product: change.product,
                quantity: change.to.quantity,
                average_price: change.to.average_price,
                position_id: change.id,
              },
            });
          }
        }
        const quantities = accountQuantities(net, holdings);
        const adoptions = !settle
          ? []
          : planAdoptions({
              now: quantities,
              previous: this.#snapshot,
              shares: await loadShares(db),
              lastFillSeq: (key) => this.#lastFillSeq.get(key) ?? 0,
              defaultStrategyId: await defaultStrategyId(db),
            });
        if (settle) this.#snapshot = { quantities, requestSeq };
        await adoptIntoShares(db, adoptions, now);
        const scopes = [...changes, ...adoptions].map((c) => ({
          exchange: c.exchange,
          tradingsymbol: c.tradingsymbol,
        }));
        if (scopes.length > 0) this.#listener?.onPositionsChanged(scopes);
        await this.#updateWatchlist();
      } finally {
        this.#positionsRefresh = null;
      }
    })();
    return this.#positionsRefresh;
  }

  async #updateWatchlist(): Promise<void> {
    const next = await watchedInstruments(this.#d.store.db);
    if (next.size === this.#watch.size && [...next].every((t) => this.#watch.has(t))) return;
    this.#watch = next;
    this.#d.onWatchlistChanged(next);
  }
}

/** The strategy a som tag names, if any of the order's tags is one. */
function taggedStrategy(tags: readonly (string | null)[]): number | null {
  for (const tag of tags) {
    const parsed = tag ? parseOrderTag(tag) : null;
    if (parsed) return parsed.strategyId;
  }
  return null;
}
