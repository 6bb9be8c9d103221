import type { Faults } from '../../faults.js';
import type { MatchingEngine, ModifyParams, OrderResult, PlaceParams } from '../../matching/index.js';
import { DROP_CONNECTION } from '../http-server.js';
import { KiteError, type KiteErrorType } from '../kite-error.js';
import type { Params } from '../request-params.js';
import type { Route } from '../router.js';
import { autosliceResponse, sliceOrder } from './misc.js';

export interface OrderVenue {
  engine: MatchingEngine;
  faults: Faults;
  /** An instrument's freeze quantity and lot size, for `autoslice=true`. */
  sliceLimits(exchange: string, tradingsymbol: string): { freezeQuantity: number | null; lotSize: number } | undefined;
}

/** Kite's order endpoints (kite.trade/docs/connect/v3/orders). */
export function orderRoutes(venue: OrderVenue): Route[] {
  const { engine } = venue;
  // Autoslice parents are grouping ids, not orders (Kite's sample parent is none of its
  // children): 19 digits like Kite's, from this exchange's own counter.
  let autosliceParents = 0n;
  const nextParentId = () => String(1_900_000_000_000_000_000n + ++autosliceParents);
  return [
    { method: 'GET', pattern: '/orders', auth: true, limit: 'other', handle: () => ({ data: engine.orders() }) },
    { method: 'GET', pattern: '/trades', auth: true, limit: 'other', handle: () => ({ data: engine.trades() }) },
    {
      method: 'GET',
      pattern: '/orders/{order_id}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams }) => ({ data: found(engine.history(pathParams.order_id!), pathParams.order_id!) }),
    },
    {
      method: 'GET',
      pattern: '/orders/{order_id}/trades',
      auth: true,
      limit: 'other',
      handle: ({ pathParams }) => ({ data: found(engine.orderTrades(pathParams.order_id!), pathParams.order_id!) }),
    },
    {
      method: 'POST',
      pattern: '/orders/{variety}',
      auth: true,
      limit: 'order',
      handle: ({ pathParams, params }) => {
        const order = placeParams(params);
        if (params.optional('autoslice') === 'true')
          return autoslice(venue, pathParams.variety!, order, nextParentId());
        const result = engine.place(pathParams.variety!, order);
        const answer = unwrap(result);
        // Fault: the exchange has the order, but the client never hears of it.
        if (venue.faults.takeDropAfterAccept()) return DROP_CONNECTION;
        return answer;
      },
    },
    {
      method: 'PUT',
      pattern: '/orders/{variety}/{order_id}',
      auth: true,
      limit: 'order',
      handle: ({ pathParams, params }) =>
        unwrap(engine.modify(pathParams.variety!, pathParams.order_id!, modifyParams(params))),
    },
    {
      method: 'DELETE',
      pattern: '/orders/{variety}/{order_id}',
      auth: true,
      limit: 'order',
      handle: ({ pathParams }) => unwrap(engine.cancel(pathParams.variety!, pathParams.order_id!)),
    },
  ];
}

/** `autoslice=true`: split at the freeze quantity (at most 10 slices) and place each slice. */
function autoslice(venue: OrderVenue, variety: string, order: PlaceParams, parentId: string) {
  const limits = venue.sliceLimits(order.exchange, order.tradingsymbol);
  if (!limits) return unwrap(venue.engine.place(variety, order)); // the engine answers the unknown symbol
  const sliced = sliceOrder(order.quantity, limits.freezeQuantity ?? 0, limits.lotSize);
  if (!sliced.ok) throw new KiteError('InputException', sliced.error.message);
  const outcomes = sliced.slices.map((quantity) => {
    const r = venue.engine.place(variety, { ...order, quantity });
    return r.ok
      ? { order_id: r.order_id }
      : { error: { error_type: r.error.error_type, message: r.error.message, http_status: r.error.http_status } };
  });
  const answer = autosliceResponse(parentId, outcomes);
  if (!answer.ok)
    throw new KiteError(answer.error.error_type as KiteErrorType, answer.error.message, answer.error.http_status);
  return { data: answer.data };
}

function unwrap(result: OrderResult): { data: { order_id: string } } {
  if (result.ok) return { data: { order_id: result.order_id } };
  throw new KiteError(result.error.error_type, result.error.message, result.error.http_status);
}

function found<T>(value: T | undefined, orderId: string): T {
  if (value === undefined)
    throw new KiteError('GeneralException', `Couldn't find that \`order_id\` (${orderId}).`, 404);
  return value;
}

function placeParams(p: Params): PlaceParams {
  const params: PlaceParams = {
    exchange: p.required('exchange'),
    tradingsymbol: p.required('tradingsymbol'),
    transaction_type: p.required('transaction_type'),
    order_type: p.required('order_type'),
    quantity: p.number('quantity') ?? Number.NaN,
    product: p.required('product'),
  };
  p.required('quantity');
  assign(params, 'price', p.number('price'));
  assign(params, 'trigger_price', p.number('trigger_price'));
  assign(params, 'disclosed_quantity', p.number('disclosed_quantity'));
  assign(params, 'validity', p.optional('validity'));
  assign(params, 'validity_ttl', p.number('validity_ttl'));
  assign(params, 'tag', p.optional('tag'));
  assign(params, 'market_protection', p.number('market_protection'));
  return params;
}

function modifyParams(p: Params): ModifyParams {
  const params: ModifyParams = {};
  assign(params, 'order_type', p.optional('order_type'));
  assign(params, 'quantity', p.number('quantity'));
  assign(params, 'price', p.number('price'));
  assign(params, 'trigger_price', p.number('trigger_price'));
  assign(params, 'disclosed_quantity', p.number('disclosed_quantity'));
  assign(params, 'validity', p.optional('validity'));
  assign(params, 'validity_ttl', p.number('validity_ttl'));
  assign(params, 'market_protection', p.number('market_protection'));
  return params;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
