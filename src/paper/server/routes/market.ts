import type { Instrument } from '../../../domain/instrument.js';
import type { Quote } from '../../../domain/quote.js';
import { inputError } from '../kite-error.js';
import type { Params } from '../request-params.js';
import type { Route } from '../router.js';

export interface MarketVenue {
  /** An instrument by `EXCHANGE:TRADINGSYMBOL` or by its instrument token (as text). */
  resolve(key: string): Instrument | undefined;
  quote(token: number): Quote | undefined;
  /** The instrument master in Kite's CSV, all exchanges or one. */
  instrumentsCsv(exchange?: string): string;
}

/** Kite caps instruments per call: 500 for full quotes, 1000 for ltp and ohlc (market-quotes docs). */
const MAX_QUOTE = 500;
const MAX_LTP_OHLC = 1000;

/** Market data endpoints (kite.trade/docs/connect/v3/market-quotes, /instruments). */
export function marketRoutes(venue: MarketVenue): Route[] {
  const each = (params: Params, max: number, shape: (q: Quote) => unknown) => {
    const keys = params.all('i');
    if (keys.length === 0) throw inputError('No instruments specified (`i`).');
    if (keys.length > max) throw inputError(`Too many instruments: at most ${max} per request.`);
    const data: Record<string, unknown> = {};
    for (const key of keys) {
      const instrument = venue.resolve(key);
      const quote = instrument && venue.quote(instrument.instrument_token);
      // Kite leaves out instruments it does not know rather than failing the whole call.
      if (quote) data[key] = shape(quote);
    }
    return { data };
  };
  return [
    {
      method: 'GET',
      pattern: '/quote',
      auth: true,
      limit: 'quote',
      handle: ({ params }) => each(params, MAX_QUOTE, (q) => q),
    },
    {
      method: 'GET',
      pattern: '/quote/ltp',
      auth: true,
      limit: 'quote',
      handle: ({ params }) =>
        each(params, MAX_LTP_OHLC, (q) => ({ instrument_token: q.instrument_token, last_price: q.last_price })),
    },
    {
      method: 'GET',
      pattern: '/quote/ohlc',
      auth: true,
      limit: 'quote',
      handle: ({ params }) =>
        each(params, MAX_LTP_OHLC, (q) => ({
          instrument_token: q.instrument_token,
          last_price: q.last_price,
          ohlc: q.ohlc,
        })),
    },
    { method: 'GET', pattern: '/instruments', auth: true, limit: 'other', handle: () => csv(venue.instrumentsCsv()) },
    {
      method: 'GET',
      pattern: '/instruments/{exchange}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams }) => csv(venue.instrumentsCsv(pathParams.exchange!.toUpperCase())),
    },
  ];
}

/** kiteconnect parses the body as CSV only when the content type is exactly `text/csv`. */
function csv(text: string) {
  return { raw: text, contentType: 'text/csv' };
}
