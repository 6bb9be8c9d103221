import { z } from 'zod';
import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import type { SomErrorValue } from '../errors.js';

/** Most rows one `instruments.search` returns. */
export const SEARCH_LIMIT_MAX = 200;
export const SEARCH_LIMIT_DEFAULT = 20;

/** A row of Kite's instrument master, with Kite's field names. */
export const instrumentSchema = z.object({
  instrument_token: z.number().int(),
  exchange_token: z.number().int(),
  tradingsymbol: z.string(),
  name: z.string(),
  last_price: z.number(),
  expiry: z.string().nullable(),
  strike: z.number(),
  tick_size: z.number(),
  lot_size: z.number().int(),
  instrument_type: z.enum(['EQ', 'FUT', 'CE', 'PE']),
  segment: z.string(),
  exchange: z.enum(EXCHANGES),
});

export type InstrumentView = z.infer<typeof instrumentSchema>;

/** An instrument with the facts som adds: the exchange's freeze limit (units) where known. */
export const instrumentDetailSchema = instrumentSchema.extend({ freeze_quantity: z.number().nullable() });
export type InstrumentDetail = z.infer<typeof instrumentDetailSchema>;

/** The exchanges an instrument key or `--exchange` may name (Kite's). */
export const INSTRUMENT_EXCHANGES: readonly Exchange[] = EXCHANGES;

const exchangeSchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(EXCHANGES));

export const instrumentMethods = {
  /** Find instruments by trading symbol or name, best matches first. */
  'instruments.search': {
    params: z
      .object({
        text: z.string().trim().min(1, 'say what to search for'),
        exchange: exchangeSchema.optional(),
        limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT),
      })
      .strict(),
    result: z.object({ instruments: z.array(instrumentSchema), total: z.number().int().optional() }),
  },
  /** One instrument by `EXCHANGE:TRADINGSYMBOL`, as Kite's quote APIs name it. */
  'instruments.show': {
    params: z.object({ symbol: z.string().min(1) }).strict(),
    result: z.object({ instrument: instrumentDetailSchema }),
  },
  /** The instrument master in the store: how many rows and the last download. */
  'instruments.status': {
    params: z.object({}).strict().default({}),
    result: z.object({
      count: z.number().int(),
      downloadedAt: z.string().nullable(),
      tradingDay: z.string().nullable(),
      source: z.string().nullable(),
    }),
  },
} as const;

/**
 * Read `EXCHANGE:TRADINGSYMBOL` (`NFO:NIFTY25DECFUT`, `NSE:NIFTY 50`). The exchange is
 * case-insensitive; the trading symbol is kept as written. An error value names what is wrong.
 */
export function parseInstrumentKey(key: string): { exchange: Exchange; tradingsymbol: string } | SomErrorValue {
  const colon = key.indexOf(':');
  const exchange = colon < 0 ? '' : key.slice(0, colon).trim().toUpperCase();
  const tradingsymbol = colon < 0 ? '' : key.slice(colon + 1).trim();
  if (colon < 0 || !exchange || !tradingsymbol) {
    return {
      code: 'INVALID_INPUT',
      message: `${JSON.stringify(key)} is not EXCHANGE:TRADINGSYMBOL (for example NSE:RELIANCE or NFO:NIFTY25DECFUT)`,
      data: { symbol: key },
    };
  }
  if (!(EXCHANGES as readonly string[]).includes(exchange)) {
    return {
      code: 'INVALID_INPUT',
      message: `unknown exchange ${exchange} in ${JSON.stringify(key)}; one of ${EXCHANGES.join(', ')}`,
      data: { symbol: key, exchange },
    };
  }
  return { exchange: exchange as Exchange, tradingsymbol };
}

export function isInstrumentKeyError(x: ReturnType<typeof parseInstrumentKey>): x is SomErrorValue {
  return 'code' in x;
}
