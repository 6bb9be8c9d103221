import type { Kysely } from 'kysely';
import { TERMINAL_STATUSES } from '../domain/order.js';
import type { OrderView, PositionView } from '../protocol/methods/orders.js';
import type { Database } from './schema.js';

/** What `som orders` filters on. */
export interface OrderViewFilter {
  open?: boolean;
  strategyId?: number;
  orderId?: string;
  orderIds?: readonly string[];
  limit: number;
}

/**
 * Orders as the CLI shows them: the broker's fields, the strategy by name, the fills. One
 * query for the orders and one for all their trades, whatever the number of orders.
 */
export async function orderViews(db: Kysely<Database>, filter: OrderViewFilter): Promise<OrderView[]> {
  let q = db
    .selectFrom('orders as o')
    .innerJoin('strategies as s', 's.id', 'o.strategy_id')
    .selectAll('o')
    .select('s.name as strategy');
  if (filter.open) q = q.where('o.status', 'not in', [...TERMINAL_STATUSES]);
  if (filter.strategyId !== undefined) q = q.where('o.strategy_id', '=', filter.strategyId);
  if (filter.orderId !== undefined) q = q.where('o.order_id', '=', filter.orderId);
  if (filter.orderIds !== undefined) q = q.where('o.order_id', 'in', [...filter.orderIds]);
  const rows = await q.orderBy('o.order_timestamp', 'desc').orderBy('o.order_id', 'desc').limit(filter.limit).execute();
  if (rows.length === 0) return [];
  const trades = await db
    .selectFrom('trades')
    .select(['order_id', 'trade_id', 'quantity', 'average_price', 'fill_timestamp'])
    .where(
      'order_id',
      'in',
      rows.map((r) => r.order_id),
    )
    .orderBy('fill_timestamp')
    .execute();
  const byOrder = new Map<string, OrderView['trades']>();
  for (const t of trades) {
    const list = byOrder.get(t.order_id) ?? [];
    list.push({
      trade_id: t.trade_id,
      quantity: t.quantity,
      average_price: t.average_price,
      fill_timestamp: t.fill_timestamp,
    });
    byOrder.set(t.order_id, list);
  }
  return rows.map((r) => ({
    order_id: r.order_id,
    strategy: r.strategy,
    source: r.source,
    tag: r.tag,
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    transaction_type: r.transaction_type,
    order_type: r.order_type,
    product: r.product,
    variety: r.variety,
    validity: r.validity,
    quantity: r.quantity,
    price: r.price,
    trigger_price: r.trigger_price,
    average_price: r.average_price,
    filled_quantity: r.filled_quantity,
    pending_quantity: r.pending_quantity,
    cancelled_quantity: r.cancelled_quantity,
    status: r.status,
    status_message: r.status_message,
    parent_order_id: r.parent_order_id,
    exchange_order_id: r.exchange_order_id,
    placed_by: r.placed_by,
    order_timestamp: r.order_timestamp,
    exchange_update_timestamp: r.exchange_update_timestamp,
    is_orphaned: r.is_orphaned === 1,
    orphaned_reason: r.orphaned_reason,
    parent_position_id: r.parent_position_id,
    cost_breakdown_id: r.cost_breakdown_id,
    pre_execution_analysis_id: r.pre_execution_analysis_id,
    role: r.role,
    oco_group_id: r.oco_group_id,
    updated_at: r.updated_at,
    trades: byOrder.get(r.order_id) ?? [],
  }));
}

/** Net positions, open ones only unless `all` (closed ones keep their row and realised P&L). */
export async function positionViews(db: Kysely<Database>, all: boolean): Promise<PositionView[]> {
  let q = db
    .selectFrom('positions')
    .select([
      'id',
      'exchange',
      'tradingsymbol',
      'instrument_token',
      'product',
      'quantity',
      'overnight_quantity',
      'multiplier',
      'average_price',
      'last_price',
      'pnl',
      'realised',
      'unrealised',
      'm2m',
      'buy_quantity',
      'sell_quantity',
      'updated_at',
    ]);
  if (!all) q = q.where('quantity', '!=', 0);
  return q.orderBy('exchange').orderBy('tradingsymbol').orderBy('product').execute();
}
