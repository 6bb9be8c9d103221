import type { AlertBook } from '../../alerts/book.js';
import { alertError } from '../../alerts/messages.js';
import type { AlertError, AlertRequest } from '../../alerts/types.js';
import { inputError, KiteError } from '../kite-error.js';
import type { Params } from '../request-params.js';
import type { Route } from '../router.js';

export interface AlertVenue {
  alerts: AlertBook;
  /** The exchange's clock. */
  now(): Date;
}

const FIELDS = [
  'name',
  'type',
  'lhs_exchange',
  'lhs_tradingsymbol',
  'lhs_attribute',
  'operator',
  'rhs_type',
  'rhs_constant',
  'rhs_exchange',
  'rhs_tradingsymbol',
  'rhs_attribute',
  'basket',
] as const;

/** Kite's alerts endpoints (kite.trade/docs/connect/v3/alerts): form fields in, alerts out. */
export function alertRoutes(venue: AlertVenue): Route[] {
  const { alerts } = venue;
  return [
    {
      method: 'GET',
      pattern: '/alerts',
      auth: true,
      limit: 'other',
      handle: ({ params }) => {
        const status = params.optional('status');
        const type = params.optional('type');
        return { data: alerts.list({ ...(status ? { status } : {}), ...(type ? { type } : {}) }) };
      },
    },
    {
      method: 'POST',
      pattern: '/alerts',
      auth: true,
      limit: 'other',
      handle: ({ params }) => {
        const r = alerts.create(request(params), venue.now());
        if (!r.ok) throw toKiteError(r.error);
        return { data: r.alert };
      },
    },
    {
      method: 'DELETE',
      pattern: '/alerts',
      auth: true,
      limit: 'other',
      handle: ({ params }) => {
        const uuids = params.all('uuid').filter((u) => u !== '');
        if (uuids.length === 0) throw inputError('Missing or empty field `uuid`');
        const r = alerts.delete(uuids, venue.now());
        if (!r.ok) throw toKiteError(r.error);
        return { data: null };
      },
    },
    {
      method: 'GET',
      pattern: '/alerts/{uuid}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams }) => {
        const alert = alerts.get(pathParams.uuid!);
        if (!alert) throw toKiteError(alertError('NOT_FOUND', { uuid: pathParams.uuid! }));
        return { data: alert };
      },
    },
    {
      method: 'PUT',
      pattern: '/alerts/{uuid}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams, params }) => {
        const r = alerts.modify(pathParams.uuid!, request(params), venue.now());
        if (!r.ok) throw toKiteError(r.error);
        return { data: r.alert };
      },
    },
    {
      method: 'GET',
      pattern: '/alerts/{uuid}/history',
      auth: true,
      limit: 'other',
      handle: ({ pathParams }) => {
        const history = alerts.history(pathParams.uuid!);
        if (!history) throw toKiteError(alertError('NOT_FOUND', { uuid: pathParams.uuid! }));
        return { data: history };
      },
    },
  ];
}

/** The alert fields from a form body, or from a JSON body with the same keys. */
function request(params: Params): AlertRequest {
  const req: AlertRequest = {};
  const body = params.json;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    for (const f of FIELDS) if (b[f] !== undefined) req[f] = b[f];
    return req;
  }
  for (const f of FIELDS) {
    const v = params.optional(f);
    if (v !== undefined) req[f] = v;
  }
  return req;
}

function toKiteError(e: AlertError): KiteError {
  return new KiteError(e.error_type, e.message, e.http_status);
}
