import type { Instrument } from '../domain/instrument.js';

/**
 * What kind of instrument a book belongs to, for judging its spread and its price protections.
 * An option's premium is small against its underlying and quoted wider in percent than a future
 * or a share, so each class keeps its own spread thresholds (config `[execution]`).
 *
 * - index_options: options on an index (NFO, BFO), and currency options (CDS, BCD): a currency
 *   pair trades like an index, liquid near the money.
 * - stock_options: options on a single stock (NFO, BFO).
 * - commodity_options: options on MCX and NCDEX.
 * - futures: index and stock futures (NFO, BFO) and currency futures (CDS, BCD).
 * - commodity: commodity futures (MCX, NCDEX).
 * - equity: shares and ETFs (NSE, BSE).
 */
export const INSTRUMENT_CLASSES = [
  'index_options',
  'stock_options',
  'commodity_options',
  'futures',
  'commodity',
  'equity',
] as const;
export type InstrumentClass = (typeof INSTRUMENT_CLASSES)[number];

/**
 * The index underlyings of NFO and BFO derivatives (Kite's `name`), as listed in 2026; every
 * other NFO/BFO option is a stock option. Add a new index here when an exchange lists one.
 */
export const INDEX_UNDERLYINGS: ReadonlySet<string> = new Set([
  'NIFTY',
  'BANKNIFTY',
  'FINNIFTY',
  'MIDCPNIFTY',
  'NIFTYNXT50',
  'SENSEX',
  'BANKEX',
  'SENSEX50',
]);

/** The class of an instrument master row. */
export function instrumentClassOf(
  instrument: Pick<Instrument, 'exchange' | 'instrument_type' | 'name'>,
): InstrumentClass {
  const option = instrument.instrument_type === 'CE' || instrument.instrument_type === 'PE';
  switch (instrument.exchange) {
    case 'NSE':
    case 'BSE':
      return 'equity';
    case 'MCX':
    case 'NCO':
      return option ? 'commodity_options' : 'commodity';
    case 'CDS':
    case 'BCD':
      return option ? 'index_options' : 'futures';
    case 'NFO':
    case 'BFO':
      if (!option) return 'futures';
      return INDEX_UNDERLYINGS.has(instrument.name) ? 'index_options' : 'stock_options';
  }
}
