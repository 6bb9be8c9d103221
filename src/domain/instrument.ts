/**
 * An instrument as Kite's instrument master (GET /instruments, CSV) describes it.
 * Field names and meanings are Kite's own so that a row round-trips without renaming.
 */
import type { Exchange } from './values.js';

export { EXCHANGES, type Exchange } from './values.js';

/** EQ for cash equities and indices, FUT for futures, CE/PE for options. */
export type InstrumentType = 'EQ' | 'FUT' | 'CE' | 'PE';

export interface Instrument {
  instrument_token: number;
  exchange_token: number;
  tradingsymbol: string;
  name: string;
  last_price: number;
  /** Expiry date as YYYY-MM-DD (Asia/Kolkata), or null for instruments that never expire. */
  expiry: string | null;
  strike: number;
  tick_size: number;
  lot_size: number;
  instrument_type: InstrumentType;
  /** Kite's segment: NSE, BSE, NFO-FUT, NFO-OPT, BFO-FUT, BFO-OPT, MCX-FUT, MCX-OPT, CDS-FUT, CDS-OPT, INDICES. */
  segment: string;
  exchange: Exchange;
}

/** `EXCHANGE:TRADINGSYMBOL`, the key Kite's quote APIs use. */
export function instrumentKey(i: Pick<Instrument, 'exchange' | 'tradingsymbol'>): string {
  return `${i.exchange}:${i.tradingsymbol}`;
}
