import type { Exchange } from '../domain/values.js';
import { BSE_UNDERLYINGS, MCX_CONTRACT_RULES } from './expiry.js';

/**
 * Where an underlying's futures and options trade, when its name alone says so: the exchange a
 * bare trading symbol such as NIFTY25DEC24500CE belongs to. Kite lists a derivative on exactly
 * one exchange, so a known name gives one answer; currency pairs trade on NSE's CDS and BSE's
 * BCD alike and give two. A name not listed here (a stock's derivatives, a commodity som does
 * not know) gives none: the instrument master has to say, or the user writes the exchange.
 */

/** NSE's indices with futures and options (NFO). */
export const NFO_INDEX_UNDERLYINGS: ReadonlySet<string> = new Set([
  'NIFTY',
  'BANKNIFTY',
  'FINNIFTY',
  'MIDCPNIFTY',
  'NIFTYNXT50',
]);

/** MCX contracts beyond those whose expiry rules som models (src/market/expiry.ts). */
const OTHER_MCX_UNDERLYINGS = [
  'GOLDGUINEA',
  'GOLDPETAL',
  'GOLDTEN',
  'COPPER',
  'ZINC',
  'ZINCMINI',
  'LEAD',
  'LEADMINI',
  'ALUMINIUM',
  'ALUMINI',
  'NICKEL',
  'MENTHAOIL',
  'COTTONCANDY',
];

export const MCX_UNDERLYINGS: ReadonlySet<string> = new Set([
  ...Object.keys(MCX_CONTRACT_RULES),
  ...OTHER_MCX_UNDERLYINGS,
]);

/** Currency pairs: listed on NSE (CDS) and BSE (BCD) both. */
export const CURRENCY_UNDERLYINGS: ReadonlySet<string> = new Set(['USDINR', 'EURINR', 'GBPINR', 'JPYINR']);

/** The exchanges that may list derivatives of `underlying` (Kite's `name`); empty when the name does not say. */
export function derivativeExchanges(underlying: string): readonly Exchange[] {
  if (NFO_INDEX_UNDERLYINGS.has(underlying)) return ['NFO'];
  if (BSE_UNDERLYINGS.has(underlying)) return ['BFO'];
  if (MCX_UNDERLYINGS.has(underlying)) return ['MCX'];
  if (CURRENCY_UNDERLYINGS.has(underlying)) return ['CDS', 'BCD'];
  return [];
}
