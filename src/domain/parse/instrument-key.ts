import { derivativeExchanges } from '../../market/derivative-exchange.js';
import { isTradingSymbolError, parseTradingSymbol } from '../../market/tradingsymbol.js';
import { CASH_EXCHANGES, choiceList, EXCHANGES, type Exchange } from '../values.js';
import { invalid, isParseError, type ParseError } from './error.js';
import { splitInstrumentKey, type WrittenInstrument } from './instrument-key-syntax.js';

/** An instrument as Kite keys it: exchange and trading symbol. */
export interface InstrumentKey {
  exchange: Exchange;
  tradingsymbol: string;
}

/** Which exchanges the instrument master lists a trading symbol on (none when it does not list it). */
export interface SymbolListing {
  exchangesListing(tradingsymbol: string): readonly Exchange[];
}

/** Derivatives whose underlying the grammar does not place: where they may trade. */
const ANY_DERIVATIVES_EXCHANGE: readonly Exchange[] = ['NFO', 'BFO', 'MCX', 'CDS'];

const EXPECTED = 'EXCHANGE:TRADINGSYMBOL';

function ambiguous(
  field: string,
  value: unknown,
  symbol: string,
  exchanges: readonly Exchange[],
  how: string,
  conjunction: 'or' | 'and' = 'or',
) {
  const spellings = exchanges.map((e) => `${e}:${symbol}`);
  return invalid(
    field,
    EXPECTED,
    value,
    `${how} ${choiceList(exchanges, conjunction)}: write ${choiceList(spellings)}`,
  );
}

/**
 * The exchange of a bare trading symbol, when only one fits: the one exchange the instrument
 * master lists it on, else the one the symbol's grammar implies (NIFTY's, BANKNIFTY's ...
 * futures and options are NFO's, SENSEX's and BANKEX's BFO's, CRUDEOIL's and GOLD's MCX's).
 * Otherwise an error naming the exchanges it could be on and how to write each.
 */
export function exchangeOfBareSymbol(
  tradingsymbol: string,
  listing: SymbolListing | undefined,
  field = 'instrument',
  value: unknown = tradingsymbol,
): Exchange | ParseError {
  // In Kite's order of exchanges (NSE before BSE), whatever order the master gave.
  const found = listing?.exchangesListing(tradingsymbol) ?? [];
  const listed = EXCHANGES.filter((e) => found.includes(e));
  if (listed.length === 1) return listed[0]!;
  if (listed.length > 1) return ambiguous(field, value, tradingsymbol, listed, 'listed on', 'and');
  const parsed = parseTradingSymbol(tradingsymbol);
  if (isTradingSymbolError(parsed)) {
    if (parsed.code === 'TRADINGSYMBOL_INVALID') return invalid(field, EXPECTED, value, parsed.message);
    return ambiguous(field, value, tradingsymbol, CASH_EXCHANGES, 'it could be on');
  }
  const exchanges = derivativeExchanges(parsed.underlying);
  if (exchanges.length === 1) return exchanges[0]!;
  return ambiguous(
    field,
    value,
    tradingsymbol,
    exchanges.length > 0 ? exchanges : ANY_DERIVATIVES_EXCHANGE,
    `${parsed.kind === 'FUT' ? 'a future' : 'an option'} on ${parsed.underlying} could be on`,
  );
}

/**
 * Read an instrument: `EXCHANGE:TRADINGSYMBOL` (exchange in any case, symbol upper-cased unless it has
 * a space, as index names do), or a bare symbol whose exchange is unambiguous (see
 * {@link exchangeOfBareSymbol}; pass the instrument master's `listing` where there is one).
 */
export function parseInstrumentKey(
  value: unknown,
  options: { field?: string; listing?: SymbolListing } = {},
): InstrumentKey | ParseError {
  const field = options.field ?? 'instrument';
  const written = splitInstrumentKey(value, field);
  return isParseError(written) ? written : placeInstrument(written, options.listing, field, value);
}

/** The second half of {@link parseInstrumentKey}, for a caller that split the text first (to look it up). */
export function placeInstrument(
  written: WrittenInstrument,
  listing: SymbolListing | undefined,
  field = 'instrument',
  value: unknown = written.tradingsymbol,
): InstrumentKey | ParseError {
  if (written.exchange !== null) return { exchange: written.exchange, tradingsymbol: written.tradingsymbol };
  const exchange = exchangeOfBareSymbol(written.tradingsymbol, listing, field, value);
  return isParseError(exchange) ? exchange : { exchange, tradingsymbol: written.tradingsymbol };
}
