import type { Broker } from '../../src/broker/broker.js';
import { BrokerError } from '../../src/broker/errors.js';
import { type IntentLedger, placeOrderOnce } from '../../src/broker/order-placement.js';
import { newOrderTag } from '../../src/broker/order-tag.js';
import type { NewAuditEvent } from '../../src/domain/audit.js';
import { type ModifyOrderRequest, type PlaceOrderRequest, TERMINAL_STATUSES } from '../../src/domain/order.js';
import { SomError } from '../../src/protocol/errors.js';
import type { Store } from '../../src/store/database.js';
import { getOrder } from '../../src/store/orders.js';
import type { AccountSync } from './account-sync.js';
import type { CostLedger } from './cost-ledger.js';

export interface OrderDeskDeps {
  store: Store;
  costs: CostLedger;
  broker: Broker;
  ledger: IntentLedger;
  account: AccountSync;
  audit(event: NewAuditEvent): Promise<void>;
  /** Why orders may not go out now (session invalid, broker unhealthy), or null. */
  placementBlocked(): string | null;
  onBrokerError(err: BrokerError, during: string): void;
  /** Placement round trip, for the order-latency health check. */
  onPlacementLatency(ms: number): void;
}

/** How many recent placement latencies the health check looks at. */
const LATENCY_WINDOW = 20;

/**
 * Sends som's orders: each gets a fresh tag carrying its strategy, recorded as an intent
 * (and audited as ORDER_CREATED) before the request leaves; a request that times out is
 * looked up by tag instead of being resent blindly (order-placement.ts).
 */
export class OrderDesk {
  readonly #d: OrderDeskDeps;
  readonly latencies: number[] = [];

  constructor(deps: OrderDeskDeps) {
    this.#d = deps;
  }

  async place(
    strategyId: number,
    request: Omit<PlaceOrderRequest, 'tag'>,
  ): Promise<{ orderId: string; tag: string; recovered: boolean }> {
    this.#assertOpen();
    const tag = newOrderTag(strategyId);
    const tagged: PlaceOrderRequest = { ...request, tag };
    // The expected charges are stored before the order leaves (a costing failure never blocks it).
    const costBreakdownId = await this.#d.costs.recordEstimate(strategyId, tagged).catch(() => null);
    await this.#d.audit({
      type: 'ORDER_CREATED',
      strategyId,
      payload: { source: 'som', tag, request: tagged, cost_breakdown_id: costBreakdownId },
    });
    const started = performance.now();
    try {
      const { orderId, recovered } = await placeOrderOnce(this.#d.broker, this.#d.ledger, {
        strategyId,
        request: tagged,
      });
      this.#latency(performance.now() - started);
      if (recovered) {
        await this.#d.audit({
          type: 'ORDER_RECOVERED',
          strategyId,
          orderId,
          payload: { tag, note: 'request failed in transit; found in the order book by its tag, not resent' },
        });
      }
      await this.#d.costs.link(orderId, tag);
      await this.#learn(orderId);
      return { orderId, tag, recovered };
    } catch (err) {
      const error = err instanceof SomError ? err.toValue() : { code: 'FAILED', message: String(err) };
      await this.#d.audit({ type: 'ORDER_SEND_FAILED', strategyId, payload: { tag, error } });
      if (err instanceof BrokerError) this.#d.onBrokerError(err, 'place order');
      throw err;
    }
  }

  async modify(orderId: string, changes: ModifyOrderRequest): Promise<void> {
    this.#assertOpen();
    const order = await this.#liveOrder(orderId, 'modify');
    if (Object.keys(changes).length === 0)
      throw new SomError(
        'INVALID_INPUT',
        'nothing to change: give a quantity, price, trigger price, order type or validity',
      );
    try {
      await this.#d.broker.modifyOrder(order.variety, orderId, changes);
    } catch (err) {
      if (err instanceof BrokerError) this.#d.onBrokerError(err, 'modify order');
      throw err;
    }
    await this.#d.audit({
      type: 'ORDER_MODIFY_REQUESTED',
      strategyId: order.strategy_id,
      orderId,
      payload: { changes },
    });
    await this.#learn(orderId);
  }

  async cancel(orderId: string): Promise<void> {
    this.#assertOpen();
    const order = await this.#liveOrder(orderId, 'cancel');
    try {
      await this.#d.broker.cancelOrder(order.variety, orderId, order.parent_order_id ?? undefined);
    } catch (err) {
      if (err instanceof BrokerError) this.#d.onBrokerError(err, 'cancel order');
      throw err;
    }
    await this.#d.audit({ type: 'ORDER_CANCEL_REQUESTED', strategyId: order.strategy_id, orderId, payload: {} });
    await this.#learn(orderId);
  }

  /** The median of recent placement round trips, or null before the first. */
  medianLatencyMs(): number | null {
    if (this.latencies.length === 0) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  #latency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
    this.#d.onPlacementLatency(ms);
  }

  #assertOpen(): void {
    const blocked = this.#d.placementBlocked();
    if (blocked) throw new SomError('BROKER_UNAVAILABLE', `order placement is paused: ${blocked}`);
  }

  async #liveOrder(orderId: string, verb: string) {
    const order = await getOrder(this.#d.store.db, orderId);
    if (!order) throw new SomError('NOT_FOUND', `no order ${orderId}; see \`som orders\``);
    if (TERMINAL_STATUSES.has(order.status)) {
      throw new SomError('INVALID_INPUT', `cannot ${verb} order ${orderId}: it is already ${order.status}`);
    }
    return order;
  }

  /** Read the order's latest state now rather than waiting for the WebSocket. */
  async #learn(orderId: string): Promise<void> {
    try {
      const history = await this.#d.broker.orderHistory(orderId);
      const latest = history.at(-1);
      if (latest) await this.#d.account.ingest(latest, 'history');
    } catch (err) {
      // The WebSocket or the next refresh will bring it; the order itself went through.
      if (err instanceof BrokerError) this.#d.onBrokerError(err, 'order history');
    }
  }
}
