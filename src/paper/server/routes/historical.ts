import { buildCandles, type CandleInstrument, type PriceSource } from '../../historical/candles.js';
import { type HistoricalError, historicalError } from '../../historical/messages.js';
import { parseHistoricalRequest } from '../../historical/request.js';
import { KiteError } from '../kite-error.js';
import type { Route } from '../router.js';

export interface HistoricalVenue extends PriceSource {
  /** The instrument behind a token, or undefined when there is none. */
  instrument(token: number): CandleInstrument | undefined;
  /** The exchange's clock: no candle is made after it. */
  now(): Date;
}

/**
 * GET /instruments/historical/{instrument_token}/{interval}?from=&to=&continuous=&oi=
 * (kite.trade/docs/connect/v3/historical): `{ candles: [[time, o, h, l, c, v(, oi)]] }`.
 * `continuous` is accepted and has no effect: a paper contract's price path is its own.
 */
export function historicalRoutes(venue: HistoricalVenue): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/instruments/historical/{instrument_token}/{interval}',
      auth: true,
      limit: 'historical',
      handle: ({ pathParams, params }) => {
        const tokenText = pathParams.instrument_token!;
        const instrument = /^\d+$/.test(tokenText) ? venue.instrument(Number(tokenText)) : undefined;
        const parsed = parseHistoricalRequest({
          interval: pathParams.interval!,
          from: params.optional('from'),
          to: params.optional('to'),
          continuous: params.optional('continuous'),
          oi: params.optional('oi'),
        });
        if (!parsed.ok) throw toKiteError(parsed.error);
        if (!instrument) throw toKiteError(historicalError('INVALID_TOKEN'));
        return { data: { candles: buildCandles(instrument, parsed.query, venue.now(), venue) } };
      },
    },
  ];
}

function toKiteError(e: HistoricalError): KiteError {
  return new KiteError(e.error_type, e.message, e.http_status);
}
