import type { GttBook } from '../../gtt/book.js';
import { gttError } from '../../gtt/messages.js';
import type { GttError, GttOutcome, GttRequest } from '../../gtt/types.js';
import { KiteError } from '../kite-error.js';
import type { Params } from '../request-params.js';
import type { Route } from '../router.js';

export interface GttVenue {
  gtt: GttBook;
  /** The exchange's clock. */
  now(): Date;
}

/**
 * Kite's GTT endpoints (kite.trade/docs/connect/v3/gtt). kiteconnect sends `type`, and
 * `condition` and `orders` as JSON text, in a form body; a JSON body with the same keys works too.
 */
export function gttRoutes(venue: GttVenue): Route[] {
  const { gtt } = venue;
  return [
    {
      method: 'GET',
      pattern: '/gtt/triggers',
      auth: true,
      limit: 'other',
      handle: () => ({ data: gtt.list(venue.now()) }),
    },
    {
      method: 'GET',
      pattern: '/gtt/triggers/{trigger_id}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams }) => {
        const id = triggerId(pathParams.trigger_id!);
        const found = id === null ? undefined : gtt.get(id, venue.now());
        if (!found) throw notFound(pathParams.trigger_id!);
        return { data: found };
      },
    },
    {
      method: 'POST',
      pattern: '/gtt/triggers',
      auth: true,
      limit: 'other',
      handle: ({ params }) => answer(gtt.place(request(params), venue.now())),
    },
    {
      method: 'PUT',
      pattern: '/gtt/triggers/{trigger_id}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams, params }) => {
        const id = triggerId(pathParams.trigger_id!);
        if (id === null) throw notFound(pathParams.trigger_id!);
        return answer(gtt.modify(id, request(params), venue.now()));
      },
    },
    {
      method: 'DELETE',
      pattern: '/gtt/triggers/{trigger_id}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams }) => {
        const id = triggerId(pathParams.trigger_id!);
        if (id === null) throw notFound(pathParams.trigger_id!);
        return answer(gtt.delete(id, venue.now()));
      },
    },
  ];
}

function request(params: Params): GttRequest {
  const body = params.json;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    return { type: typeof b.type === 'string' ? b.type : undefined, condition: b.condition, orders: b.orders };
  }
  return { type: params.optional('type'), condition: params.optional('condition'), orders: params.optional('orders') };
}

function answer(outcome: GttOutcome): { data: { trigger_id: number } } {
  if (outcome.ok) return { data: { trigger_id: outcome.trigger_id } };
  throw toKiteError(outcome.error);
}

function toKiteError(e: GttError): KiteError {
  return new KiteError(e.error_type, e.message, e.http_status);
}

function triggerId(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : null;
}

function notFound(id: string): KiteError {
  return toKiteError(gttError('NOT_FOUND', { id }));
}
