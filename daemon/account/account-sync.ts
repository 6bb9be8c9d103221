import type { Broker } from '../../src/broker/broker.js';
import { BrokerError } from '../../src/broker/errors.js';
import { normalizeOrder } from '../../src/broker/kite-normalize.js';
import { parseOrderTag } from '../../src/broker/order-tag.js';
import type { NewAuditEvent } from '../../src/domain/audit.js';
import { type BrokerOrder, TERMINAL_STATUSES } from '../../src/domain/order.js';
import { reconcileOrder } from '../../src/domain/order-state.js';
import type { Clock } from '../../src/market/clock.js';
import { istDayStart } from '../../src/market/ist.js';
import type { Store } from '../../src/store/database.js';
import { getOrder, upsertOrder } from '../../src/store/orders.js';
import { syncPositions } from '../../src/store/positions.js';
import { insertTrades } from '../../src/store/trades.js';
import type { Logger } from '../logger.js';
import type { CostLedger } from './cost-ledger.js';

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
}

/** Who else wants to know as the account changes (housekeeping reacts at once). */
export interface AccountListener {
  /** An order's state changed; `isNew` on its first sighting. */
  onOrderChanged(order: BrokerOrder, isNew: boolean): void;
  /** The broker's net positions changed in these instruments. */
  onPositionsChanged(scopes: { exchange: string; tradingsymbol: string }[]): void;
}

export type UpdateSource = 'websocket' | 'refresh' | 'placement' | 'history';

/**
 * The account as the broker knows it, kept in the store: every order (placed by som or
 * anywhere else), its trades, and the net positions. Updates arrive from the WebSocket (fast)
 * and from a periodic REST refresh (the safety net); both go through one queue and one state
 * machine, so duplicates and out-of-order deliveries converge on the same state.
 */
export class AccountSync {
  readonly #d: AccountSyncDeps;
  /** One update at a time: order, trades and positions writes never interleave. */
  #queue: Promise<unknown> = Promise.resolve();
  #strategyIds = new Set<number>();
  #defaultStrategyId = 0;
  #positionsTimer: NodeJS.Timeout | null = null;
  #positionsRefresh: Promise<void> | null = null;
  #lastRefreshAt: Date | null = null;
  #lastUpdateAt: Date | null = null;
  #watch = new Set<number>();
  #updatesApplied = 0;
  #updatesRefused = 0;
  #listener: AccountListener | null = null;

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

  /** Load the strategies som can attribute orders to (call again when one is created). */
  async loadStrategies(): Promise<void> {
    const rows = await this.#d.store.db.selectFrom('strategies').select(['id', 'name']).execute();
    this.#strategyIds = new Set(rows.map((r) => r.id));
    this.#defaultStrategyId = rows.find((r) => r.name === 'default')?.id ?? rows[0]?.id ?? 1;
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

  /** The safety net: orders, trades and positions over REST, reconciled with what we hold. */
  async refresh(): Promise<void> {
    // The REST calls and the comparison run outside the update queue, and only orders whose
    // state differs from ours are queued, one at a time: a live WebSocket update never waits
    // behind the day's whole order book.
    const orders = await this.#call('orders', () => this.#d.broker.orders());
    const held = new Map(
      (
        await this.#d.store.db
          .selectFrom('orders')
          .select([
            'order_id',
            'status',
            'filled_quantity',
            'pending_quantity',
            'quantity',
            'price',
            'trigger_price',
            'average_price',
            'order_type',
          ])
          .execute()
      ).map((r) => [r.order_id, stateKey(r)]),
    );
    for (const order of orders) {
      if (held.get(order.order_id) !== stateKey(order))
        await this.#serial(() => this.#ingest(order, 'refresh', { skipTrades: true }));
    }
    const trades = await this.#call('trades', () => this.#d.broker.trades());
    await this.#serial(() => this.#recordTrades(trades));
    await this.#serial(() => this.#refreshPositionsNow());
    this.#lastRefreshAt = this.#d.clock.now();
  }

  /** Positions after a fill: coalesced, so a burst of fills costs one REST call. */
  schedulePositionsRefresh(delayMs = 150): void {
    if (this.#positionsTimer) return;
    this.#positionsTimer = setTimeout(() => {
      this.#positionsTimer = null;
      void this.#serial(() => this.#refreshPositionsNow()).catch(() => undefined);
    }, delayMs);
    this.#positionsTimer.unref();
  }

  /** Wait for every queued update to be applied (tests and shutdown). */
  async idle(): Promise<void> {
    while (true) {
      const q = this.#queue;
      await q.catch(() => undefined);
      if (q === this.#queue && !this.#positionsTimer) return;
      if (this.#positionsTimer) await new Promise((r) => setTimeout(r, 20));
    }
  }

  stop(): void {
    if (this.#positionsTimer) clearTimeout(this.#positionsTimer);
    this.#positionsTimer = null;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
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
    const stored = await getOrder(db, order.order_id);
    const current: BrokerOrder | undefined = stored;
    const transition = reconcileOrder(current, order);
    if (transition.kind === 'duplicate' || transition.kind === 'stale') return;
    const strategyId = stored?.strategy_id ?? (await this.#attribute(order));
    if (transition.kind === 'impossible') {
      this.#updatesRefused++;
      this.#d.logger.warn('order_update.refused', { orderId: order.order_id, reason: transition.reason, source });
      await this.#d.audit({
        type: 'ORDER_UPDATE_REFUSED',
        strategyId,
        orderId: order.order_id,
        payload: { reason: transition.reason, source, held: current?.status ?? null, offered: order.status },
      });
      return;
    }
    const tagged = parseOrderTag(order.tag ?? '') !== null || order.tags.some((t) => parseOrderTag(t) !== null);
    await upsertOrder(db, { order, strategyId, source: tagged ? 'som' : 'external', now });
    this.#updatesApplied++;
    this.#lastUpdateAt = now;
    if (!stored && !tagged) {
      // som's own orders got ORDER_CREATED when their intent was recorded; others when first seen.
      await this.#d.audit({
        type: 'ORDER_CREATED',
        strategyId,
        orderId: order.order_id,
        payload: { source: 'external', placed_by: order.placed_by, ...orderSummary(order) },
      });
    }
    for (const event of transition.events) {
      await this.#d.audit({
        type: event.type,
        strategyId,
        orderId: order.order_id,
        payload: { ...event.payload, source },
      });
    }
    if (!stored && tagged) await this.#d.costs.link(order.order_id, order.tag);
    this.#listener?.onOrderChanged(order, !stored);
    const filledMore = order.filled_quantity > (current?.filled_quantity ?? 0);
    if (filledMore) {
      await this.#d.costs
        .recordFill(order, strategyId)
        .catch((err) =>
          this.#d.logger.warn('costs.fill_failed', { orderId: order.order_id, error: (err as Error).message }),
        );
    }
    if (filledMore && !options.skipTrades) {
      const trades = await this.#call('order trades', () => this.#d.broker.orderTrades(order.order_id)).catch(() => []);
      await this.#recordTrades(trades);
    }
    if (filledMore) this.schedulePositionsRefresh();
    await this.#updateWatchlist();
  }

  async #attribute(order: BrokerOrder): Promise<number> {
    for (const tag of [order.tag, ...order.tags]) {
      const parsed = tag ? parseOrderTag(tag) : null;
      if (parsed && this.#strategyIds.has(parsed.strategyId)) return parsed.strategyId;
    }
    // A child (an iceberg leg, an autoslice, a bracket's exit) belongs where its parent does.
    if (order.parent_order_id) {
      const parent = await getOrder(this.#d.store.db, order.parent_order_id);
      if (parent) return parent.strategy_id;
    }
    return (await this.#reducedStrategy(order)) ?? this.#defaultStrategyId;
  }

  /**
   * An order placed elsewhere that works against a strategy's open position (a stop or target
   * set on Kite web, a hand exit) belongs to that strategy: otherwise the strategy would still
   * look long while `default` looked short, and its protective orders would never be seen as
   * orphaned. The strategy holding the largest opposite position today wins.
   */
  async #reducedStrategy(order: BrokerOrder): Promise<number | null> {
    const dayStart = istDayStart(this.#d.clock.now()).toISOString();
    const rows = await this.#d.store.db
      .selectFrom('orders')
      .select(['strategy_id', 'transaction_type', 'filled_quantity'])
      .where('exchange', '=', order.exchange)
      .where('tradingsymbol', '=', order.tradingsymbol)
      .where('product', '=', order.product)
      .where('filled_quantity', '>', 0)
      .where('order_timestamp', '>=', dayStart)
      .where('strategy_id', '!=', this.#defaultStrategyId)
      .execute();
    const net = new Map<number, number>();
    for (const r of rows)
      net.set(
        r.strategy_id,
        (net.get(r.strategy_id) ?? 0) + (r.transaction_type === 'BUY' ? r.filled_quantity : -r.filled_quantity),
      );
    const against = order.transaction_type === 'BUY' ? -1 : 1;
    let best: { id: number; size: number } | null = null;
    for (const [id, q] of net) {
      if (Math.sign(q) === against && (!best || Math.abs(q) > best.size)) best = { id, size: Math.abs(q) };
    }
    return best?.id ?? null;
  }

  async #recordTrades(trades: Parameters<typeof insertTrades>[1]): Promise<void> {
    if (trades.length === 0) return;
    const fresh = await insertTrades(this.#d.store.db, trades, this.#d.clock.now());
    if (fresh.length > 0) this.schedulePositionsRefresh();
  }

  async #refreshPositionsNow(): Promise<void> {
    this.#positionsRefresh ??= (async () => {
      try {
        const { net } = await this.#call('positions', () => this.#d.broker.positions());
        const changes = await syncPositions(this.#d.store.db, net, this.#d.clock.now());
        if (changes.length > 0)
          this.#listener?.onPositionsChanged(
            changes.map((c) => ({ exchange: c.exchange, tradingsymbol: c.tradingsymbol })),
          );
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
        await this.#updateWatchlist();
      } finally {
        this.#positionsRefresh = null;
      }
    })();
    return this.#positionsRefresh;
  }

  async #updateWatchlist(): Promise<void> {
    const { db } = this.#d.store;
    const open = await db
      .selectFrom('orders')
      .select('instrument_token')
      .distinct()
      .where('status', 'not in', [...TERMINAL_STATUSES])
      .execute();
    const held = await db.selectFrom('positions').select('instrument_token').where('quantity', '!=', 0).execute();
    const next = new Set<number>([...open, ...held].map((r) => r.instrument_token));
    if (next.size === this.#watch.size && [...next].every((t) => this.#watch.has(t))) return;
    this.#watch = next;
    this.#d.onWatchlistChanged(next);
  }
}

/** The parts of an order's state that change as it lives: equal keys, nothing to apply. */
function stateKey(o: {
  status: string;
  filled_quantity: number;
  pending_quantity: number;
  quantity: number;
  price: number;
  trigger_price: number;
  average_price: number;
  order_type: string;
}): string {
  return `${o.status}|${o.filled_quantity}|${o.pending_quantity}|${o.quantity}|${o.price}|${o.trigger_price}|${o.average_price}|${o.order_type}`;
}

export function orderSummary(o: BrokerOrder): Record<string, unknown> {
  return {
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    transaction_type: o.transaction_type,
    order_type: o.order_type,
    product: o.product,
    quantity: o.quantity,
    price: o.price,
    trigger_price: o.trigger_price,
    status: o.status,
  };
}
