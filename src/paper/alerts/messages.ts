/**
 * Every refusal of the alerts endpoints. No Kite error text for alerts was found, so the
 * wording follows Kite's general forms ("Invalid `field`.", "Missing or empty field `field`");
 * `confirmed` says which rules and texts were seen, `source` where.
 */
import { type MessageParams, type MessageSpec, MISSING_FIELD, messageSpec as spec } from '../error-catalogue.js';
import type { AlertError } from './types.js';

export const ALERT_MESSAGES = {
  MISSING_FIELD,
  INVALID_FIELD: spec<{ field: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'Kite\'s generic form for a bad parameter (order API: "Invalid `tag`."); not seen for alerts',
    render: (p) => `Invalid \`${p.field}\`.`,
  }),
  UNKNOWN_INSTRUMENT: spec<{ key: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'composed',
    render: (p) => `Invalid instrument: ${p.key}.`,
  }),
  BASKET_REQUIRED: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'rule: gokiteconnect AlertParams ("Basket: required if Type == AlertTypeATO"); wording composed',
    render: () => 'An ATO alert needs a `basket` with at least one order.',
  }),
  MAX_ALERTS: spec<{ max: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source:
      'limit: support.zerodha.com "What are Kite alerts" ("A maximum of 200 alerts, including disabled ones, can be created"); wording composed',
    render: (p) =>
      `You can have a maximum of ${p.max} alerts, including disabled ones. Delete some to create new ones.`,
  }),
  NOT_FOUND: spec<{ uuid: string }>({
    error_type: 'GeneralException',
    http_status: 404,
    confirmed: false,
    source: 'composed after the order API\'s "Couldn\'t find that `order_id`."',
    render: (p) => `Couldn't find that alert (${p.uuid}).`,
  }),
} as const;

export type AlertErrorCode = keyof typeof ALERT_MESSAGES;

/** The error for `code` with its message parameters. */
export function alertError<C extends AlertErrorCode>(
  code: C,
  ...params: MessageParams<(typeof ALERT_MESSAGES)[C]>
): AlertError {
  const s = ALERT_MESSAGES[code] as MessageSpec<unknown>;
  return { code, message: s.render(params[0]), error_type: s.error_type, http_status: s.http_status };
}
