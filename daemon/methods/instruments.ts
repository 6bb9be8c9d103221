import { masterSlice } from '../../src/domain/master-slice.js';
import { isParseError } from '../../src/domain/parse/error.js';
import { placeInstrument } from '../../src/domain/parse/instrument-key.js';
import { splitInstrumentKey } from '../../src/domain/parse/instrument-key-syntax.js';
import { freezeQuantity } from '../../src/market/freeze-quantity.js';
import { isTradingSymbolError, parseTradingSymbol } from '../../src/market/tradingsymbol.js';
import { invalidInput, SomError } from '../../src/protocol/errors.js';
import { instrumentCount, instrumentsListing, lastDownload, searchInstruments } from '../../src/store/instruments.js';
import type { Handler } from './index.js';

// These read the store only: downloading the master is the daemon's job at start and daily.

const search: Handler<'instruments.search'> = async ({ text, exchange, limit }, ctx) =>
  searchInstruments(ctx.store.db, text, { exchange, limit });

const show: Handler<'instruments.show'> = async ({ symbol }, ctx) => {
  const written = splitInstrumentKey(symbol, 'symbol');
  if (isParseError(written)) throw invalidInput(written, { symbol });
  // Index names keep the case they were written in; the master may spell them in capitals.
  const { tradingsymbol: asWritten } = written;
  const slice = masterSlice(await instrumentsListing(ctx.store.db, [asWritten, asWritten.toUpperCase()]));
  const key = placeInstrument(written, slice, 'symbol', symbol);
  if (isParseError(key)) throw invalidInput(key, { symbol });
  const { exchange, tradingsymbol } = key;
  const instrument = slice.instrument(exchange, tradingsymbol);
  if (!instrument) {
    const wanted = `${exchange}:${tradingsymbol}`;
    if ((await instrumentCount(ctx.store.db)) === 0) {
      throw new SomError(
        'NOT_FOUND',
        `no instrument ${wanted}: the instrument master has not been downloaded yet; see \`som status\``,
        {
          symbol: wanted,
        },
      );
    }
    const hint = searchHint(tradingsymbol);
    throw new SomError('NOT_FOUND', `no instrument ${wanted}; try \`som instruments search ${hint}\``, {
      symbol: wanted,
      search: hint,
    });
  }
  return { instrument: { ...instrument, freeze_quantity: freezeQuantity(instrument, ctx.clock.now()) } };
};

const status: Handler<'instruments.status'> = async (_params, ctx) => {
  const [count, last] = await Promise.all([instrumentCount(ctx.store.db), lastDownload(ctx.store.db)]);
  return { count, downloadedAt: last?.at ?? null, tradingDay: last?.tradingDay ?? null, source: last?.source ?? null };
};

/** What to search for when a symbol is unknown: a derivative's underlying, else the symbol. */
export function searchHint(tradingsymbol: string): string {
  const upper = tradingsymbol.toUpperCase();
  const parsed = parseTradingSymbol(upper);
  const text = isTradingSymbolError(parsed) ? upper : parsed.underlying;
  // Quote what a shell would split or expand (NIFTY 50, M&M).
  return /^[A-Z0-9._-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export const instrumentHandlers = {
  'instruments.search': search,
  'instruments.show': show,
  'instruments.status': status,
};
