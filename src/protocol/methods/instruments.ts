import { z } from 'zod';
import { EXCHANGES } from '../../domain/instrument.js';
import { exchangeFieldSchema } from '../fields.js';
import { SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX } from '../limits.js';

export { SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX } from '../limits.js';

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

export const instrumentMethods = {
  /** Find instruments by trading symbol or name, best matches first. */
  'instruments.search': {
    params: z
      .object({
        text: z.string().trim().min(1, 'say what to search for'),
        exchange: exchangeFieldSchema.optional(),
        limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT),
      })
      .strict(),
    result: z.object({ instruments: z.array(instrumentSchema), total: z.number().int().optional() }),
  },
  /**
   * One instrument by `EXCHANGE:TRADINGSYMBOL`, as Kite's quote APIs name it, or by a bare
   * symbol that the instrument master or the symbol's grammar places on one exchange.
   */
  'instruments.show': {
    params: z.object({ symbol: z.string().trim().min(1, 'say which instrument, as NSE:SBIN') }).strict(),
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
