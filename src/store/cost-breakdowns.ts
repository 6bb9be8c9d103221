import type { Kysely } from 'kysely';
import type { KiteCharges } from '../costs/charges.js';
import { type ChargedOrder, type ChargesDelta, chargesDelta } from '../costs/order-charges.js';
import type { Database } from './schema.js';

/**
 * What som's orders cost, kept in `order_cost_breakdown`: the charges expected before an order
 * is sent (kind `estimate`, linked from `orders.cost_breakdown_id`) and its actual charges as
 * it fills (kind `actual`, one row per order), which move the strategy's
 * `total_brokerage_paid` and `total_taxes_paid`.
 */

/** An order's charges, with whose and which order they are. */
export interface CostedOrder extends ChargedOrder {
  strategyId: number;
  tag: string | null;
  charges: KiteCharges;
  orderValue: number;
}

/** Store the expected charges of an order about to be sent; returns the breakdown's id. */
export async function insertCostEstimate(db: Kysely<Database>, estimate: CostedOrder, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await db
    .insertInto('order_cost_breakdown')
    .values({
      kind: 'estimate',
      strategy_id: estimate.strategyId,
      tag: estimate.tag,
      order_id: null,
      ...orderColumns(estimate),
      margin_required: null,
      margin_available: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Link the order the broker made to the estimate stored under its tag, both ways (the
 * breakdown names the order; the order points at its breakdown unless it already does), in one
 * transaction. Returns the estimate's id, or null when none was stored under the tag.
 */
export function linkCostEstimate(db: Kysely<Database>, tag: string, orderId: string): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const estimate = await trx
      .selectFrom('order_cost_breakdown')
      .select('id')
      .where('tag', '=', tag)
      .where('kind', '=', 'estimate')
      .executeTakeFirst();
    if (!estimate) return null;
    await trx.updateTable('order_cost_breakdown').set({ order_id: orderId }).where('id', '=', estimate.id).execute();
    await trx
      .updateTable('orders')
      .set({ cost_breakdown_id: estimate.id })
      .where('order_id', '=', orderId)
      .where('cost_breakdown_id', 'is', null)
      .execute();
    return estimate.id;
  });
}

/**
 * An order filled (more): store its actual charges on the whole filled quantity (replacing the
 * previous figures for the order) and move its strategy's totals by the difference
 * ({@link chargesDelta}), all in one transaction, so a fill is booked once or not at all.
 * Returns the amounts the totals moved by.
 */
export function recordActualCharges(
  db: Kysely<Database>,
  actual: CostedOrder & { orderId: string },
  now: Date,
): Promise<ChargesDelta> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('order_cost_breakdown')
      .select(['id', 'brokerage', 'total'])
      .where('order_id', '=', actual.orderId)
      .where('kind', '=', 'actual')
      .executeTakeFirst();
    if (previous) {
      // The order and its first trade date stay; the filled quantity, price and charges move.
      await trx
        .updateTable('order_cost_breakdown')
        .set({ ...figureColumns(actual), updated_at: at })
        .where('id', '=', previous.id)
        .execute();
    } else {
      await trx
        .insertInto('order_cost_breakdown')
        .values({
          kind: 'actual',
          strategy_id: actual.strategyId,
          tag: actual.tag,
          order_id: actual.orderId,
          ...orderColumns(actual),
          margin_required: null,
          margin_available: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
    const delta = chargesDelta(previous ?? null, actual.charges);
    await trx
      .updateTable('strategies')
      .set((eb) => ({
        total_brokerage_paid: eb('total_brokerage_paid', '+', delta.brokerage),
        total_taxes_paid: eb('total_taxes_paid', '+', delta.taxes),
      }))
      .where('id', '=', actual.strategyId)
      .execute();
    return delta;
  });
}

/** The order's identity and its figures. */
function orderColumns(o: CostedOrder) {
  return {
    trade_date: o.tradeDate,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    side: o.side,
    product: o.product,
    ...figureColumns(o),
  };
}

/** Quantity, price, turnover and each charge. */
function figureColumns(o: CostedOrder) {
  const c = o.charges;
  return {
    quantity: o.quantity,
    price: o.price,
    order_value: o.orderValue,
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
