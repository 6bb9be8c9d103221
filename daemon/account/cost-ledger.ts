import { type KiteCharges, legCharges } from '../../src/costs/charges.js';
import { classifyLeg } from '../../src/costs/classify.js';
import type { UserChargeSchedule } from '../../src/costs/schedule-schema.js';
import { isScheduleError, scheduleFor } from '../../src/costs/schedules.js';
import type { BrokerOrder, PlaceOrderRequest } from '../../src/domain/order.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate } from '../../src/market/ist.js';
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
    const price = request.price ?? request.trigger_price ?? 0;
    const charges = await this.#charges(
      request.exchange,
      request.tradingsymbol,
      request.product,
      request.transaction_type,
      request.quantity,
      price,
      this.#clock.now(),
    );
    if (!charges) return null;
    const now = this.#clock.now().toISOString();
    const row = await this.#store.db
      .insertInto('order_cost_breakdown')
      .values({
        kind: 'estimate',
        strategy_id: strategyId,
        tag: request.tag ?? null,
        order_id: null,
        trade_date: istDate(this.#clock.now()),
        exchange: request.exchange,
        tradingsymbol: request.tradingsymbol,
        side: request.transaction_type,
        product: request.product,
        quantity: request.quantity,
        price,
        ...columns(charges.charges, charges.orderValue),
        margin_required: null,
        margin_available: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Link an order to the estimate recorded under its tag (whichever of placement or the first update comes first). */
  async link(orderId: string, tag: string | null): Promise<void> {
    if (!tag) return;
    const { db } = this.#store;
    const estimate = await db
      .selectFrom('order_cost_breakdown')
      .select('id')
      .where('tag', '=', tag)
      .where('kind', '=', 'estimate')
      .executeTakeFirst();
    if (!estimate) return;
    await db.updateTable('order_cost_breakdown').set({ order_id: orderId }).where('id', '=', estimate.id).execute();
    await db
      .updateTable('orders')
      .set({ cost_breakdown_id: estimate.id })
      .where('order_id', '=', orderId)
      .where('cost_breakdown_id', 'is', null)
      .execute();
  }

  /** The order filled (more): recompute its actual charges and move its strategy's totals by the difference. */
  async recordFill(order: BrokerOrder, strategyId: number): Promise<void> {
    if (order.filled_quantity <= 0) return;
    const when = order.order_timestamp ? new Date(order.order_timestamp) : this.#clock.now();
    const costed = await this.#charges(
      order.exchange,
      order.tradingsymbol,
      order.product,
      order.transaction_type,
      order.filled_quantity,
      order.average_price,
      when,
    );
    if (!costed) return;
    const { db } = this.#store;
    const now = this.#clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const previous = await trx
        .selectFrom('order_cost_breakdown')
        .select(['id', 'brokerage', 'total'])
        .where('order_id', '=', order.order_id)
        .where('kind', '=', 'actual')
        .executeTakeFirst();
      const values = {
        quantity: order.filled_quantity,
        price: order.average_price,
        ...columns(costed.charges, costed.orderValue),
        updated_at: now,
      };
      if (previous) {
        await trx.updateTable('order_cost_breakdown').set(values).where('id', '=', previous.id).execute();
      } else {
        await trx
          .insertInto('order_cost_breakdown')
          .values({
            kind: 'actual',
            strategy_id: strategyId,
            tag: order.tag,
            order_id: order.order_id,
            trade_date: istDate(when),
            exchange: order.exchange,
            tradingsymbol: order.tradingsymbol,
            side: order.transaction_type,
            product: order.product,
            margin_required: null,
            margin_available: null,
            created_at: now,
            ...values,
          })
          .execute();
      }
      const brokerage = costed.charges.brokerage - (previous?.brokerage ?? 0);
      const taxes =
        costed.charges.total - costed.charges.brokerage - ((previous?.total ?? 0) - (previous?.brokerage ?? 0));
      await trx
        .updateTable('strategies')
        .set((eb) => ({
          total_brokerage_paid: eb('total_brokerage_paid', '+', brokerage),
          total_taxes_paid: eb('total_taxes_paid', '+', taxes),
        }))
        .where('id', '=', strategyId)
        .execute();
    });
  }

  async #charges(
    exchange: string,
    tradingsymbol: string,
    product: string,
    side: 'BUY' | 'SELL',
    quantity: number,
    price: number,
    when: Date,
  ): Promise<{ charges: KiteCharges; orderValue: number } | null> {
    const schedule = scheduleFor(istDate(when), this.#schedules());
    if (isScheduleError(schedule)) return null;
    const instrument = await getInstrument(this.#store.db, exchange, tradingsymbol);
    const leg = classifyLeg(exchange, tradingsymbol, product, instrument);
    if ('code' in leg) return null;
    const chargeLeg = { side, quantity, price, multiplier: leg.multiplier };
    return { charges: legCharges(chargeLeg, leg, schedule), orderValue: quantity * price * leg.multiplier };
  }
}

function columns(c: KiteCharges, orderValue: number) {
  return {
    order_value: orderValue,
    brokerage: c.brokerage,
    transaction_tax: c.transaction_tax,
    transaction_tax_type: c.transaction_tax_type,
    exchange_turnover_charge: c.exchange_turnover_charge,
    sebi_turnover_charge: c.sebi_turnover_charge,
    stamp_duty: c.stamp_duty,
    gst: c.gst.total,
    total: c.total,
  };
}
