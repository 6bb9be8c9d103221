import type { AuditType } from './audit.js';
import type { BrokerOrder } from './order.js';
import { type OrderEvent, orderEvents, reconcileOrder } from './order-state.js';
import {
  allocateFill,
  attributeExternal,
  type PositionShare,
  type ShareAllocation,
  type StrategyExposure,
} from './position-shares.js';

/**
 * Where an update came from (kept in the audit trail). `reconcile`: a reconciliation round
 * adopting the broker's order as the truth (src/reconcile), even where it contradicts som's copy.
 */
export type UpdateSource = 'websocket' | 'refresh' | 'placement' | 'history' | 'reconcile';

/** What som holds of an order before the update. */
export interface HeldOrder extends BrokerOrder {
  strategy_id: number;
  source: 'som' | 'external';
  /** How much of its fills is already in the strategies' shares. */
  allocated_quantity: number;
}

/** Everything the update is judged against, loaded from the store. */
export interface OrderUpdateContext {
  held: HeldOrder | undefined;
  /** The strategy named in the order's som tag, when it carries one of an existing strategy. */
  taggedStrategyId: number | null;
  /** The strategy of the order's parent (an iceberg leg, an autoslice), when som holds the parent. */
  parentStrategyId: number | null;
  defaultStrategyId: number;
  /** Shares in the order's instrument and product. */
  shares: readonly PositionShare[];
  /** Per strategy: its share and its working entries in the instrument and product (for attribution). */
  exposures: readonly StrategyExposure[];
}

/** An audit event to write with the update (type, payload; the order and strategy are the update's). */
export interface PlannedEvent {
  type: AuditType;
  payload: Record<string, unknown>;
}

export type OrderUpdatePlan =
  | { kind: 'skip'; reason: 'duplicate' | 'stale' }
  | { kind: 'refused'; orderId: string; strategyId: number; event: PlannedEvent }
  | {
      kind: 'apply';
      order: BrokerOrder;
      strategyId: number;
      source: 'som' | 'external';
      /** First sighting. */
      created: boolean;
      /** How the order was attributed, for an order first seen (null for som's own and known ones). */
      attribution: string | null;
      /** The shares' moves for the newly filled quantity (empty when nothing more filled). */
      allocations: ShareAllocation[];
      /** The order's allocated quantity after this update. */
      allocatedQuantity: number;
      /** The price of the newly filled quantity (null when nothing more filled). */
      fillPrice: number | null;
      /** How much more filled than som knew (0 when nothing). */
      filledMore: number;
      events: PlannedEvent[];
    };

/**
 * Judge one snapshot of an order against what som holds: the order-state machine
 * (order-state.ts) decides whether it is news; a new order is attributed to a strategy (its
 * tag's, its parent's, or by what it works against: see `attributeExternal`); newly filled
 * quantity is shared out among the strategies' positions (`allocateFill`). Pure: the daemon
 * writes the plan in one transaction.
 */
export function planOrderUpdate(incoming: BrokerOrder, ctx: OrderUpdateContext, source: UpdateSource): OrderUpdatePlan {
  const { held } = ctx;
  const transition = reconcileOrder(held, incoming);
  if (transition.kind === 'duplicate') return { kind: 'skip', reason: 'duplicate' };
  if (transition.kind === 'stale') return { kind: 'skip', reason: 'stale' };

  const tagged = ctx.taggedStrategyId !== null;
  let strategyId = held?.strategy_id;
  let attribution: string | null = null;
  if (strategyId === undefined) {
    if (ctx.taggedStrategyId !== null) strategyId = ctx.taggedStrategyId;
    else if (ctx.parentStrategyId !== null) {
      strategyId = ctx.parentStrategyId;
      attribution = "its parent order's strategy";
    } else {
      const found = attributeExternal(
        incoming.transaction_type,
        incoming.quantity,
        ctx.exposures,
        ctx.defaultStrategyId,
      );
      strategyId = found.strategy_id;
      attribution = found.explanation;
    }
  }

  // The broker is the truth in reconciliation: what contradicts som's copy is adopted, not refused.
  if (transition.kind === 'impossible' && source !== 'reconcile') {
    return {
      kind: 'refused',
      orderId: incoming.order_id,
      strategyId,
      event: {
        type: 'ORDER_UPDATE_REFUSED',
        payload: { reason: transition.reason, source, held: held?.status ?? null, offered: incoming.status },
      },
    };
  }

  const orderSource = held?.source ?? (tagged ? 'som' : 'external');
  const allocated = held?.allocated_quantity ?? 0;
  const filledMore = Math.max(0, incoming.filled_quantity - allocated);
  const allocations =
    filledMore > 0
      ? allocateFill(
          {
            exchange: incoming.exchange,
            tradingsymbol: incoming.tradingsymbol,
            product: incoming.product,
            strategy_id: strategyId,
            placed_by_som: orderSource === 'som',
            side: incoming.transaction_type,
            quantity: filledMore,
          },
          ctx.shares,
          ctx.defaultStrategyId,
        )
      : [];

  const events: PlannedEvent[] = [];
  if (!held && !tagged) {
    // som's own orders got ORDER_CREATED when their intent was recorded; others when first seen.
    events.push({
      type: 'ORDER_CREATED',
      payload: {
        source: 'external',
        placed_by: incoming.placed_by,
        attributed: attribution,
        ...orderSummary(incoming),
      },
    });
  }
  const happened: OrderEvent[] = transition.kind === 'impossible' ? orderEvents(held, incoming) : transition.events;
  for (const event of happened) {
    events.push({ type: event.type, payload: { ...event.payload, source } });
  }
  if (allocations.length > 0) {
    events.push({
      type: 'POSITION_ALLOCATED',
      payload: {
        fill_quantity: filledMore,
        shares: allocations.map((a) => ({ strategy_id: a.strategy_id, quantity: a.quantity, reason: a.reason })),
      },
    });
  }
  return {
    kind: 'apply',
    order: incoming,
    strategyId,
    source: orderSource,
    created: held === undefined,
    attribution,
    allocations,
    allocatedQuantity: Math.max(allocated, incoming.filled_quantity),
    fillPrice: filledMore > 0 ? fillPriceOf(held, incoming) : null,
    filledMore,
    events,
  };
}

/** The average price of the newly filled quantity: Kite gives only the order's running average. */
function fillPriceOf(held: BrokerOrder | undefined, next: BrokerOrder): number {
  const before = held?.filled_quantity ?? 0;
  const more = next.filled_quantity - before;
  if (before === 0 || more <= 0) return next.average_price;
  return (next.filled_quantity * next.average_price - before * (held?.average_price ?? 0)) / more;
}

/** The order's defining fields, for audit payloads. */
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
