/**
 * Every refusal of the historical candles endpoint, with where its wording was found
 * (`confirmed: false` means composed in Kite's style, to correct when the real text is seen).
 */
import {
  type CatalogueError,
  type MessageParams,
  type MessageSpec,
  MISSING_FIELD,
  messageSpec as spec,
} from '../error-catalogue.js';

export type HistoricalError = CatalogueError;

export const HISTORICAL_MESSAGES = {
  RANGE_TOO_LONG: spec<{ days: number }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: true,
    source:
      'public code quoting Kite: "InputException: interval exceeds max limit: 2000 days" (day), "...: 100 days" (5minute, probed against the real API)',
    render: (p) => `interval exceeds max limit: ${p.days} days`,
  }),
  INVALID_INTERVAL: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'composed; the intervals are those of kite.trade/docs/connect/v3/historical',
    render: () => 'Invalid `interval`.',
  }),
  MISSING_FIELD,
  INVALID_DATE: spec<{ field: string }>({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'composed; the format (yyyy-mm-dd hh:mm:ss) is kite.trade/docs/connect/v3/historical',
    render: (p) => `Invalid \`${p.field}\` date. Use the format yyyy-mm-dd hh:mm:ss.`,
  }),
  FROM_AFTER_TO: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'composed',
    render: () => 'The `from` date cannot be after the `to` date.',
  }),
  INVALID_TOKEN: spec({
    error_type: 'InputException',
    http_status: 400,
    confirmed: false,
    source: 'composed',
    render: () => 'Invalid `instrument_token`.',
  }),
} as const;

export type HistoricalErrorCode = keyof typeof HISTORICAL_MESSAGES;

/** The error for `code` with its message parameters. */
export function historicalError<C extends HistoricalErrorCode>(
  code: C,
  ...params: MessageParams<(typeof HISTORICAL_MESSAGES)[C]>
): HistoricalError {
  const s = HISTORICAL_MESSAGES[code] as MessageSpec<unknown>;
  return { code, message: s.render(params[0]), error_type: s.error_type, http_status: s.http_status };
}
