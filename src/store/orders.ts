import type { Kysely, Selectable, Transaction } from 'kysely';
import { type BrokerOrder, TERMINAL_STATUSES } from '../domain/order.js';
import { orderWorks } from './open-orders.js';
import type { Database, OrdersTable } from './schema.js';

/** Who placed an order: som itself (through an intent) or anyone else (Kite web, another app). */
export type OrderSource = 'som' | 'external';

/**
 * An order as som keeps it: the broker's last description plus what som knows about it
 * (its strategy, where it came from, and the housekeeping columns other parts of som set).
 */
export type StoredOrder = BrokerOrder & {
  strategy_id: number;
  strategy: string;
  source: OrderSource;
  pre_execution_analysis_id: number | null;
  cost_breakdown_id: number | null;
  is_orphaned: boolean;
  orphaned_reason: string | null;
  parent_position_id: number | null;
  created_at: string;
  updated_at: string;
};

export interface UpsertOrder {
  order: BrokerOrder;
  /** The owning strategy; used when the order is first stored, kept afterwards. */
  strategyId: number;
  source: OrderSource;
  now: Date;
}

/**
 * Write the broker's description of an order: every broker column and broker_json. A new
 * order is inserted with `strategyId` and `source`; an existing one keeps its created_at,
 * strategy and source (ownership is decided at first sighting, from the intent's tag) and
 * the columns other parts of som own (is_orphaned, orphaned_reason, parent_position_id,
 * pre_execution_analysis_id, cost_breakdown_id). Whether the description is newer than the
 * stored one is the caller's call (reconcileOrder); this writes what it is given.
 */
export async function upsertOrder(db: Kysely<Database>, input: UpsertOrder): Promise<{ created: boolean }> {
  return db.transaction().execute((trx) => upsertOrderRow(trx, input));
}

/** {@link upsertOrder} inside the caller's transaction. */
export async function upsertOrderRow(
  trx: Kysely<Database> | Transaction<Database>,
  input: UpsertOrder,
): Promise<{ created: boolean }> {
  const { order, strategyId, source, now } = input;
  const at = now.toISOString();
  const broker = brokerColumns(order);
  const existing = await trx
    .selectFrom('orders')
    .select('order_id')
    .where('order_id', '=', order.order_id)
    .executeTakeFirst();
  if (existing) {
    await trx
      .updateTable('orders')
      .set({ ...broker, updated_at: at })
      .where('order_id', '=', order.order_id)
      .execute();
    return { created: false };
  }
  await trx
    .insertInto('orders')
    .values({
      ...broker,
      order_id: order.order_id,
      strategy_id: strategyId,
      source,
      pre_execution_analysis_id: null,
      cost_breakdown_id: null,
      orphaned_reason: null,
      parent_position_id: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return { created: true };
}

/** The columns that mirror the broker's description (everything but som's own). */
function brokerColumns(o: BrokerOrder) {
  return {
    tag: o.tag,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    instrument_token: o.instrument_token,
    transaction_type: o.transaction_type,
    order_type: o.order_type,
    product: o.product,
    variety: o.variety,
    validity: o.validity,
    quantity: o.quantity,
    price: o.price,
    trigger_price: o.trigger_price,
    average_price: o.average_price,
    filled_quantity: o.filled_quantity,
    pending_quantity: o.pending_quantity,
    cancelled_quantity: o.cancelled_quantity,
    status: o.status,
    status_message: o.status_message,
    parent_order_id: o.parent_order_id,
    exchange_order_id: o.exchange_order_id,
    placed_by: o.placed_by,
    order_timestamp: o.order_timestamp,
    exchange_timestamp: o.exchange_timestamp,
    exchange_update_timestamp: o.exchange_update_timestamp,
    broker_json: JSON.stringify(o),
  } satisfies Partial<OrdersTable>;
}

export async function getOrder(db: Kysely<Database>, orderId: string): Promise<StoredOrder | undefined> {
  const row = await selectOrders(db).where('o.order_id', '=', orderId).executeTakeFirst();
  return row && toStoredOrder(row);
}

/**
 * The order carrying `tag` (som's intent tag), the latest if several do: a tag is unique
 * among som's own intents, but an external order may carry any tag.
 */
export async function findOrderByTag(db: Kysely<Database>, tag: string): Promise<StoredOrder | undefined> {
  const row = await newestFirst(selectOrders(db).where('o.tag', '=', tag)).executeTakeFirst();
  return row && toStoredOrder(row);
}

export interface OrderFilter {
  /** true: only orders not yet COMPLETE, CANCELLED or REJECTED; false: only those. */
  open?: boolean | undefined;
  strategyId?: number | undefined;
  limit?: number | undefined;
}

/** Newest first (by the broker's order time, then by when som first stored the order). */
export async function listOrders(db: Kysely<Database>, filter: OrderFilter = {}): Promise<StoredOrder[]> {
  let q = selectOrders(db);
  const terminal = [...TERMINAL_STATUSES];
  if (filter.open === true) q = q.where('o.status', 'not in', terminal);
  if (filter.open === false) q = q.where('o.status', 'in', terminal);
  if (filter.strategyId !== undefined) q = q.where('o.strategy_id', '=', filter.strategyId);
  q = newestFirst(q);
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return (await q.execute()).map(toStoredOrder);
}

function selectOrders(db: Kysely<Database>) {
  return db
    .selectFrom('orders as o')
    .innerJoin('strategies as s', 's.id', 'o.strategy_id')
    .selectAll('o')
    .select('s.name as strategy');
}

type OrderQuery = ReturnType<typeof selectOrders>;

function newestFirst(q: OrderQuery): OrderQuery {
  return q
    .orderBy((eb) => eb.fn.coalesce('o.order_timestamp', 'o.created_at'), 'desc')
    .orderBy('o.created_at', 'desc')
    .orderBy('o.order_id', 'desc');
}

type OrderRow = Selectable<OrdersTable> & { strategy: string };

function toStoredOrder(row: OrderRow): StoredOrder {
  // broker_json has the fields without a column (tags, guid, disclosed_quantity, ...); the
  // columns were written from the same description, so either source agrees.
  const broker = JSON.parse(row.broker_json) as BrokerOrder;
  return {
    ...broker,
    order_id: row.order_id,
    status: row.status,
    strategy_id: row.strategy_id,
    strategy: row.strategy,
    source: row.source,
    pre_execution_analysis_id: row.pre_execution_analysis_id,
    cost_breakdown_id: row.cost_breakdown_id,
    is_orphaned: row.is_orphaned === 1,
    orphaned_reason: row.orphaned_reason,
    parent_position_id: row.parent_position_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Every order's changing state as a key (see the account sync's refresh): what REST must differ from to be news. */
export async function listOrderStates(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db
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
    .execute();
  return new Map(rows.map((o) => [o.order_id, orderStateKey(o)]));
}

/** The parts of an order's state that change as it lives: equal keys, nothing to apply. */
export function orderStateKey(o: {
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

/** The instruments to stream: those with an open order, an open position or an active GTT. */
export async function watchedInstruments(db: Kysely<Database>): Promise<Set<number>> {
  const open = await db.selectFrom('orders').select('instrument_token').distinct().where(orderWorks).execute();
  const held = await db.selectFrom('positions').select('instrument_token').where('quantity', '!=', 0).execute();
  const gtts = await db.selectFrom('gtts').select('instrument_token').where('status', '=', 'active').execute();
  return new Set<number>([...open, ...held, ...gtts].map((r) => r.instrument_token));
}

/** How many orders som holds. */
export async function countOrders(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
