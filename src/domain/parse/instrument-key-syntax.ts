import { choiceList, EXCHANGES, type Exchange, parseExchange } from '../values.js';
import { invalid, isBlank, isParseError, missing, type ParseError } from './error.js';

/**
 * How an instrument is written: `EXCHANGE:TRADINGSYMBOL` as Kite's quote APIs key it (NSE:SBIN,
 * NFO:NIFTY25DEC24500CE, "NSE:NIFTY 50"), or a bare symbol whose exchange is still to be found
 * (src/domain/parse/instrument-key.ts). This is the reading of the text alone: no lookups, cheap
 * enough for the command line to load.
 */
export interface WrittenInstrument {
  /** Null for a bare symbol. */
  exchange: Exchange | null;
  tradingsymbol: string;
}

export const INSTRUMENT_KEY_EXAMPLE = 'EXCHANGE:TRADINGSYMBOL, as NSE:SBIN or NFO:NIFTY25DEC24500CE';

/**
 * Kite's tradable symbols are upper case, so `nfo:nifty25decfut` means NFO:NIFTY25DECFUT. Index
 * names have spaces and some are mixed case ("NIFTY 50", "NIFTY50 EQL Wgt"): a symbol with a space
 * is kept as written (its lookups also try the upper-case spelling).
 */
export function normalizeSymbol(symbol: string): string {
  const trimmed = symbol.trim();
  return /\s/.test(trimmed) ? trimmed : trimmed.toUpperCase();
}

/**
 * Read `EXCHANGE:TRADINGSYMBOL` or a bare `SYMBOL`. The exchange is read case-insensitively and must
 * be one of Kite's; the symbol is everything after the first colon, trimmed, with no further
 * colon. `field` names the input in errors (`instrument`, `symbol`).
 */
export function splitInstrumentKey(value: unknown, field = 'instrument'): WrittenInstrument | ParseError {
  if (isBlank(value)) return missing(field, INSTRUMENT_KEY_EXAMPLE);
  if (typeof value !== 'string') return invalid(field, INSTRUMENT_KEY_EXAMPLE, value);
  const text = value.trim();
  const colon = text.indexOf(':');
  if (colon < 0) return { exchange: null, tradingsymbol: normalizeSymbol(text) };
  const exchangeText = text.slice(0, colon).trim();
  const symbol = text.slice(colon + 1).trim();
  if (!exchangeText || !symbol || symbol.includes(':')) return invalid(field, INSTRUMENT_KEY_EXAMPLE, value);
  const exchange = parseExchange(exchangeText);
  if (isParseError(exchange)) {
    return invalid(
      field,
      INSTRUMENT_KEY_EXAMPLE,
      value,
      `unknown exchange ${exchangeText.toUpperCase()}: one of ${choiceList(EXCHANGES)}`,
    );
  }
  return { exchange, tradingsymbol: normalizeSymbol(symbol) };
}
