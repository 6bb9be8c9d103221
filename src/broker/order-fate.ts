import type { BrokerOrder, PlaceOrderRequest } from '../domain/order.js';
import { findByTag } from './order-placement.js';

/**
 * Orders whose fate som could not learn when it sent them (the answer was lost and the order
 * book could not tell in time), and how they are settled: the user is told at once what to
 * look for, som never sends such an order again, and the next full read of the order book
 * decides. Found by its tag: it was placed, and som adopts it. Absent: it was never placed.
 */

/** The alert raised the moment a placement's fate becomes unknown. */
export const ORDER_FATE_UNKNOWN = 'ORDER_FATE_UNKNOWN';

/** The alert's key: one open alert per tag, resolved when the order book settles it. */
export function fateAlertKey(tag: string): string {
  return `order-fate:${tag}`;
}

/** An alert as the store takes it. */
export interface FateAlert {
  type: typeof ORDER_FATE_UNKNOWN;
  priority: 'high';
  title: string;
  message: string;
  strategyId: number;
  payload: Record<string, unknown>;
  dedupeKey: string;
}

/** The ORDER_FATE_UNKNOWN alert: the order, the tag to look for on Kite, and that som will not resend it. */
export function fateUnknownAlert(input: {
  tag: string;
  strategyId: number;
  request: PlaceOrderRequest;
  why: string;
}): FateAlert {
  const { tag, request: r, why } = input;
  const what = `${r.transaction_type} ${r.quantity} ${r.exchange}:${r.tradingsymbol}`;
  const how = [
    r.product,
    r.order_type,
    r.price ? `@ ${r.price}` : null,
    r.trigger_price ? `trigger ${r.trigger_price}` : null,
  ]
    .filter((x) => x !== null)
    .join(' ');
  return {
    type: ORDER_FATE_UNKNOWN,
    priority: 'high',
    title: `Order fate unknown: ${what} (tag ${tag})`,
    message:
      `som sent ${what} (${how}) with tag ${tag} and could not learn whether the broker has it: ${why}. ` +
      `It may be live. Look for tag ${tag} in Kite's order book before placing it again yourself: ` +
      'som will not send it again. som settles this the next time it reads the order book.',
    strategyId: input.strategyId,
    payload: {
      tag,
      exchange: r.exchange,
      tradingsymbol: r.tradingsymbol,
      side: r.transaction_type,
      quantity: r.quantity,
      product: r.product,
      order_type: r.order_type,
      price: r.price ?? null,
      trigger_price: r.trigger_price ?? null,
      why,
    },
    dedupeKey: fateAlertKey(tag),
  };
}

/** An intent whose fate is open. */
export interface OpenIntent {
  tag: string;
  strategyId: number;
}

/** What the order book says of one open intent. */
export type IntentSettlement =
  | { tag: string; strategyId: number; kind: 'placed'; order: BrokerOrder }
  | { tag: string; strategyId: number; kind: 'not_sent' };

/**
 * Judge open intents against the whole order book, read once: found by tag, placed (that
 * order); absent, never placed. The book must be complete (a full GET /orders): absence from a
 * partial view proves nothing.
 */
export function settleIntents(intents: readonly OpenIntent[], book: readonly BrokerOrder[]): IntentSettlement[] {
  return intents.map((i) => {
    const order = findByTag(book, i.tag);
    return order ? { ...i, kind: 'placed', order } : { ...i, kind: 'not_sent' };
  });
}

/** How the ORDER_FATE_UNKNOWN alert ended, in words kept with the alert. */
export function settlementResolution(s: IntentSettlement): string {
  return s.kind === 'placed'
    ? `placed: the order book has tag ${s.tag} as order ${s.order.order_id}; som has adopted it`
    : `never placed: the order book has no order tagged ${s.tag}; som did not send it again`;
}
