import { type ChargedOrder, orderCharges } from '../../src/costs/order-charges.js';
import type { UserChargeSchedule } from '../../src/costs/schedule-schema.js';
import type { BrokerOrder, PlaceOrderRequest } from '../../src/domain/order.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate } from '../../src/market/ist.js';
import { insertCostEstimate, linkCostEstimate, recordActualCharges } from '../../src/store/cost-breakdowns.js';
import type { Store } from '../../src/store/database.js';
import { getInstrument } from '../../src/store/instruments.js';

/**
 * What som's orders cost. Before an order is sent its expected charges are stored (kind
 * `estimate`, linked from orders.cost_breakdown_id); as it fills, its actual charges on the
 * filled quantity at the average price are recomputed (kind `actual`) and the strategy's
 * `total_brokerage_paid` and `total_taxes_paid` move by the difference. "Taxes" is every
 * charge other than brokerage: STT/CTT, exchange and SEBI charges, stamp duty and GST.
 */
export class CostLedger {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #schedules: () => readonly UserChargeSchedule[];

  constructor(store: Store, clock: Clock, schedules: () => readonly UserChargeSchedule[]) {
    this.#store = store;
    this.#clock = clock;
    this.#schedules = schedules;
  }

  /** Record the expected charges of an order about to be sent; returns the breakdown id (null if it cannot be costed). */
  async recordEstimate(strategyId: number, request: PlaceOrderRequest): Promise<number | null> {
    const now = this.#clock.now();
    const order: ChargedOrder = {
      exchange: request.exchange,
      tradingsymbol: request.tradingsymbol,
      product: request.product,
      side: request.transaction_type,
      quantity: request.quantity,
      // A MARKET order has no price of its own: its trigger, else nothing, stands in.
      price: request.price ?? request.trigger_price ?? 0,
      tradeDate: istDate(now),
    };
    const costed = await this.#cost(order);
    if (!costed) return null;
    return insertCostEstimate(this.#store.db, { ...order, ...costed, strategyId, tag: request.tag ?? null }, now);
  }

  /** Link an order to the estimate recorded under its tag (whichever of placement or the first update comes first). */
  async link(orderId: string, tag: string | null): Promise<void> {
    if (tag) await linkCostEstimate(this.#store.db, tag, orderId);
  }

  /** The order filled (more): recompute its actual charges and move its strategy's totals by the difference. */
  async recordFill(order: BrokerOrder, strategyId: number): Promise<void> {
    if (order.filled_quantity <= 0) return;
    const now = this.#clock.now();
    const when = order.order_timestamp ? new Date(order.order_timestamp) : now;
    const filled: ChargedOrder = {
      exchange: order.exchange,
      tradingsymbol: order.tradingsymbol,
      product: order.product,
      side: order.transaction_type,
      quantity: order.filled_quantity,
      price: order.average_price,
      tradeDate: istDate(when),
    };
    const costed = await this.#cost(filled);
    if (!costed) return;
    await recordActualCharges(
      this.#store.db,
      { ...filled, ...costed, strategyId, tag: order.tag, orderId: order.order_id },
      now,
    );
  }

  async #cost(order: ChargedOrder) {
    const instrument = await getInstrument(this.#store.db, order.exchange, order.tradingsymbol);
    return orderCharges(order, instrument, this.#schedules());
  }
}
