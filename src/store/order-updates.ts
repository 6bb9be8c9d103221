import type { Kysely } from 'kysely';
import type { BrokerOrder } from '../domain/order.js';
import type { HeldOrder, OrderUpdateContext, OrderUpdatePlan } from '../domain/order-update.js';
import { DEFAULT_STRATEGY } from '../domain/strategy.js';
import { appendAudit } from './audit.js';
import { getOrder, upsertOrderRow } from './orders.js';
import { applyShareAllocations, loadExposures, loadShares } from './position-shares.js';
import type { Database } from './schema.js';

/**
 * Loading what an order update is judged against, and writing the judgement (the order, the
 * moves of the strategies' shares, the audit events) in one transaction. The rules are in
 * src/domain/order-update.ts.
 */

/**
 * The context of `planOrderUpdate` for one incoming snapshot. `taggedStrategy` reads a som tag
 * (src/broker/order-tag.ts) and is given the order's tags; a tag naming a strategy that does
 * not exist is ignored.
 */
export async function loadOrderUpdateContext(
  db: Kysely<Database>,
  incoming: BrokerOrder,
  taggedStrategy: (tags: readonly (string | null)[]) => number | null,
): Promise<OrderUpdateContext> {
  const strategies = await db.selectFrom('strategies').select(['id', 'name']).execute();
  const ids = new Set(strategies.map((s) => s.id));
  const defaultStrategyId = strategies.find((s) => s.name === DEFAULT_STRATEGY)?.id ?? strategies[0]?.id ?? 1;
  const stored = await getOrder(db, incoming.order_id);
  let held: HeldOrder | undefined;
  if (stored) {
    const row = await db
      .selectFrom('orders')
      .select('allocated_quantity')
      .where('order_id', '=', incoming.order_id)
      .executeTakeFirstOrThrow();
    held = { ...stored, allocated_quantity: row.allocated_quantity };
  }
  const tagged = taggedStrategy([incoming.tag, ...incoming.tags]);
  let parentStrategyId: number | null = null;
  if (!stored && incoming.parent_order_id) {
    parentStrategyId = (await getOrder(db, incoming.parent_order_id))?.strategy_id ?? null;
  }
  const where = { exchange: incoming.exchange, tradingsymbol: incoming.tradingsymbol, product: incoming.product };
  return {
    held,
    taggedStrategyId: tagged !== null && ids.has(tagged) ? tagged : null,
    parentStrategyId,
    defaultStrategyId,
    shares: await loadShares(db, where),
    exposures: stored ? [] : await loadExposures(db, where),
  };
}

/** Write an `apply` or `refused` plan: order row, allocated quantity, shares, audit events, at once. */
export async function writeOrderUpdate(db: Kysely<Database>, plan: OrderUpdatePlan, now: Date): Promise<void> {
  if (plan.kind === 'skip') return;
  await db.transaction().execute(async (trx) => {
    if (plan.kind === 'refused') {
      await appendAudit(trx, { ...plan.event, strategyId: plan.strategyId, orderId: plan.orderId }, now);
      return;
    }
    const { order } = plan;
    await upsertOrderRow(trx, { order, strategyId: plan.strategyId, source: plan.source, now });
    await trx
      .updateTable('orders')
      .set({ allocated_quantity: plan.allocatedQuantity })
      .where('order_id', '=', order.order_id)
      .execute();
    await applyShareAllocations(trx, plan.allocations, { orderId: order.order_id, price: plan.fillPrice }, now);
    for (const event of plan.events) {
      await appendAudit(trx, { ...event, strategyId: plan.strategyId, orderId: order.order_id }, now);
    }
  });
}
