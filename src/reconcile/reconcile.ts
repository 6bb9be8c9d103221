import { parseOrderTag } from '../broker/order-tag.js';
import type { BrokerOrder, BrokerTrade } from '../domain/order.js';
import { isTerminalStatus } from '../domain/order-state.js';
import { istDate } from '../market/ist.js';
import { reconcileOrders } from './orders.js';
import { reconcilePositions } from './positions.js';
import { reconcileTrades } from './trades.js';
import {
  type Books,
  DISCREPANCY_KINDS,
  type Discrepancy,
  type DiscrepancyKind,
  type Heal,
  type Reconciliation,
  type RecordKind,
  type SomBooks,
} from './types.js';

/**
 * One reconciliation round: som's books against the broker's, over the union of keys on both
 * sides, with what som adopts to agree (the broker is the truth; a heal never trades).
 *
 * Kite's order and trade books hold one day: som's orders are compared when they belong to
 * that day (order_timestamp on it, in IST) or are still open in som (an earlier day's order
 * the broker no longer lists has lapsed); som's fills when they were filled that day. Every
 * net position is compared. A record without a timestamp is compared.
 *
 * Per strategy: an order's discrepancies belong to its strategy in som, else to the one its
 * tag names; a fill's to its order's. Positions are the account's (strategy null), so a
 * round for one strategy leaves them out.
 */

export interface ReconcileInput {
  /** The IST day (`YYYY-MM-DD`) the broker's order and trade books describe. */
  day: string;
  som: SomBooks;
  broker: Books;
  /** Average prices further apart than this (rupees per unit) differ. */
  priceTolerance: number;
  /** Only this strategy's orders and fills. */
  strategyId?: number | undefined;
}

export const RECORD_ORDER: Record<RecordKind, number> = { order: 0, trade: 1, position: 2, shares: 3 };

function onDay(instant: string | null, day: string): boolean {
  return instant === null || istDate(new Date(instant)) === day;
}

/** Discrepancies in report order: by record, key, then kind. */
export function byRecordKeyKind(a: Discrepancy, b: Discrepancy): number {
  return (
    RECORD_ORDER[a.record] - RECORD_ORDER[b.record] ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
    DISCREPANCY_KINDS.indexOf(a.kind) - DISCREPANCY_KINDS.indexOf(b.kind)
  );
}

/** Compare som's books with the broker's and plan the heals (see the module comment). */
export function reconcileBooks(input: ReconcileInput): Reconciliation {
  const { day, som, broker, priceTolerance } = input;
  const stamp = (o: BrokerOrder) => o.order_timestamp ?? o.exchange_timestamp;
  const somOrders = som.orders.filter((o) => !isTerminalStatus(o.status) || onDay(stamp(o), day));
  const somTrades = som.trades.filter((t: BrokerTrade) => onDay(t.fill_timestamp ?? t.exchange_timestamp, day));

  const strategyOfOrder = new Map<string, number | null>();
  for (const o of broker.orders) strategyOfOrder.set(o.order_id, parseOrderTag(o.tag)?.strategyId ?? null);
  for (const o of som.orders) strategyOfOrder.set(o.order_id, o.strategy_id);
  const brokerOrderIds = new Set(broker.orders.map((o) => o.order_id));

  const parts = [
    reconcileOrders({
      som: somOrders,
      broker: broker.orders,
      brokerTrades: broker.trades,
      earlierDay: (o) => !onDay(stamp(o), day),
      priceTolerance,
    }),
    reconcileTrades({
      som: somTrades,
      broker: broker.trades,
      strategyOf: (orderId) => strategyOfOrder.get(orderId) ?? null,
      brokerHasOrder: (orderId) => brokerOrderIds.has(orderId),
      priceTolerance,
    }),
    reconcilePositions(som.positions, broker.positions, priceTolerance),
  ];

  const wanted = (x: { strategy_id: number | null }) =>
    input.strategyId === undefined || x.strategy_id === input.strategyId;
  const discrepancies = parts.flatMap((p) => p.discrepancies).filter(wanted);
  discrepancies.sort(byRecordKeyKind);
  const heals: Heal[] = parts.flatMap((p) => p.heals).filter(wanted);
  heals.sort((a, b) => RECORD_ORDER[a.record] - RECORD_ORDER[b.record] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const counts = Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])) as Record<DiscrepancyKind, number>;
  for (const d of discrepancies) counts[d.kind] += 1;
  return { discrepancies, heals, counts };
}
