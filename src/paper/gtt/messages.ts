/**
 * Every refusal of the GTT endpoints, with Kite's wording where it was found.
 *
 * `confirmed: true` means the text (or the rule) was seen in Kite's docs, samples or support
 * pages; `false` means the wording was composed in Kite's style (its "Invalid `field`." form)
 * because no Kite response with that text was found; correct it when the real text is seen.
 */
import {
  formatPrice,
  type MessageParams,
  type MessageSpec,
  MISSING_FIELD,
  messageSpec as spec,
} from '../error-catalogue.js';
import type { GttError } from './types.js';

export const GTT_MESSAGES = {
  INVALID_FIELD: spec<{ field: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'Kite\'s generic form for a bad parameter (order API: "Invalid `tag`."); not seen for GTT',
    render: (p) => `Invalid \`${p.field}\`.`,
  }),
  MISSING_FIELD,
  TRIGGER_COUNT: spec<{ type: string; expected: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: "composed; the rule (one value for single, two for two-leg) is kiteconnect's own client-side check",
    render: (p) =>
      `Invalid \`trigger_values\`. A ${p.type} trigger takes ${p.expected === 1 ? 'one value' : 'two values'}.`,
  }),
  ORDER_COUNT: spec<{ type: string; expected: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'composed; kite.trade/docs/connect/v3/gtt: the index of the order says which trigger value it belongs to',
    render: (p) => `Invalid \`orders\`. A ${p.type} trigger takes ${p.expected === 1 ? 'one order' : 'two orders'}.`,
  }),
  INSTRUMENT_MISMATCH: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'composed: every order of a GTT trades the instrument its condition watches',
    render: () => 'Invalid `orders`. The orders must be for the instrument in the condition.',
  }),
  INVALID_TRADINGSYMBOL: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: "the order API's wording for an unknown instrument (matching/rejections.ts INVALID_TRADINGSYMBOL)",
    render: () => 'Invalid `tradingsymbol`.',
  }),
  ORDER_TYPE_NOT_ALLOWED: spec<{ order_type: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'kite.trade/docs/connect/v3/gtt lists order_type LIMIT only; wording composed',
    render: (p) => `Order type ${p.order_type} is not allowed for GTT. Use LIMIT.`,
  }),
  PRODUCT_NOT_ALLOWED: spec<{ product: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'Zerodha support: GTT for equity is CNC, for F&O NRML only; wording composed',
    render: (p) => `Product ${p.product} is not allowed for GTT.`,
  }),
  TRIGGER_TOO_CLOSE: spec<{ minimum: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'rule: support.zerodha.com "Why was my buy GTT order rejected in Kite?" (trigger 0.25% away from the market price above Rs 50, 9 paise below); wording composed',
    render: (p) => `Trigger price should be at least ${p.minimum} away from the last traded price.`,
  }),
  OCO_NOT_AROUND_LTP: spec<{ ltp: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'rule: a two-leg GTT watches a stoploss below and a target above the price (kite.trade/docs/connect/v3/gtt, gokiteconnect GTTOneCancelsOtherTrigger lower/upper); wording composed',
    render: (p) =>
      `For a two-leg trigger the stoploss trigger must be below and the target trigger above the last traded price (${formatPrice(p.ltp)}).`,
  }),
  MAX_ACTIVE: spec<{ max: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'limit: support.zerodha.com "One account can have a maximum of 250 active GTTs simultaneously"; wording composed',
    render: (p) => `You can have a maximum of ${p.max} active GTTs. Delete some to place new ones.`,
  }),
  NOT_FOUND: spec<{ id: string }>({
    error_type: 'GeneralException',
    http_status: 404,
    confirmed: false,
    source: 'composed after the order API\'s "Couldn\'t find that `order_id`."',
    render: (p) => `Couldn't find that \`trigger_id\` (${p.id}).`,
  }),
  NOT_ACTIVE: spec<{ status: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'rule: kite.trade/docs/connect/v3/gtt "PUT Modify an active GTT", "DELETE Delete an active GTT"; wording composed',
    render: (p) => `The trigger is ${p.status} and can no longer be changed.`,
  }),
  INSTRUMENT_CHANGED: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'rule: pykiteconnect review of modify_gtt (tradingsymbol and exchange cannot be modified); wording composed',
    render: () => 'The exchange and tradingsymbol of a trigger cannot be modified.',
  }),
} as const;

export type GttErrorCode = keyof typeof GTT_MESSAGES;

/** The error for `code` with its message parameters. */
export function gttError<C extends GttErrorCode>(
  code: C,
  ...params: MessageParams<(typeof GTT_MESSAGES)[C]>
): GttError {
  const s = GTT_MESSAGES[code] as MessageSpec<unknown>;
  return { code, message: s.render(params[0]), error_type: s.error_type, http_status: s.http_status };
}
