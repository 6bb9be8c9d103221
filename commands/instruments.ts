import type { Command } from 'commander';
import { SomError } from '../src/protocol/errors.js';
import {
  INSTRUMENT_EXCHANGES,
  type InstrumentDetail,
  type InstrumentView,
  isInstrumentKeyError,
  parseInstrumentKey,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
} from '../src/protocol/methods/instruments.js';
import { action, usageError } from './context.js';
import { renderRecord, renderTable } from './ui/table.js';

interface SearchFlags {
  exchange?: string;
  limit: string;
}

export function registerInstruments(program: Command): void {
  const instruments = program.command('instruments').description("look up Kite's instrument master kept by somd");

  instruments
    .command('search <text...>')
    .description('instruments whose trading symbol or name matches, best first (NIFTY, reliance, "hdfc bank")')
    .option('--exchange <exchange>', `only this exchange (${INSTRUMENT_EXCHANGES.join(', ')})`)
    .option('--limit <n>', `at most this many rows (1-${SEARCH_LIMIT_MAX})`, String(SEARCH_LIMIT_DEFAULT))
    .action(
      action(async (ctx, words: string[], opts: SearchFlags) => {
        const text = words.join(' ');
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMIT_MAX) {
          throw usageError(`--limit: expected a whole number from 1 to ${SEARCH_LIMIT_MAX}, got "${opts.limit}"`);
        }
        const exchange = opts.exchange?.toUpperCase();
        if (exchange !== undefined && !(INSTRUMENT_EXCHANGES as readonly string[]).includes(exchange)) {
          throw usageError(`--exchange: expected one of ${INSTRUMENT_EXCHANGES.join(', ')}, got "${opts.exchange}"`);
        }
        const result = await (await ctx.client()).call('instruments.search', {
          text,
          limit,
          ...(exchange ? { exchange: exchange as InstrumentView['exchange'] } : {}),
        });
        ctx.print(result, () => renderSearch(text, result.instruments, result.total));
      }),
    );

  instruments
    .command('show <symbol>')
    .description('one instrument by EXCHANGE:TRADINGSYMBOL (NSE:RELIANCE, NFO:NIFTY25DECFUT, "NSE:NIFTY 50")')
    .action(
      action(async (ctx, symbol: string) => {
        // A malformed key needs no daemon to be told so.
        const key = parseInstrumentKey(symbol);
        if (isInstrumentKeyError(key)) throw new SomError(key.code, key.message, key.data);
        const { instrument } = await (await ctx.client()).call('instruments.show', { symbol });
        ctx.print({ instrument }, () => renderInstrument(instrument));
      }),
    );
}

/** The search table, with a line saying when more matched than are shown. */
export function renderSearch(text: string, rows: readonly InstrumentView[], total?: number): string {
  if (rows.length === 0) return `no instruments match "${text}"`;
  const table = renderTable(
    ['symbol', 'name', 'type', 'expiry', 'strike', 'lot', 'tick'],
    rows.map((i) => [
      `${i.exchange}:${i.tradingsymbol}`,
      i.name || '-',
      typeLabel(i),
      i.expiry ?? '-',
      isOption(i) ? String(i.strike) : '-',
      i.lot_size > 0 ? i.lot_size : '-',
      i.tick_size > 0 ? String(i.tick_size) : '-',
    ]),
  );
  if (total !== undefined && total > rows.length) {
    return `${table}\nshowing ${rows.length} of ${total} matches; narrow the text, add --exchange, or raise --limit (up to ${SEARCH_LIMIT_MAX})`;
  }
  return table;
}

/** One instrument as a label/value block. */
export function renderInstrument(i: InstrumentDetail): string {
  return renderRecord([
    ['instrument', `${i.exchange}:${i.tradingsymbol}`],
    ['name', i.name || '-'],
    ['type', `${typeLabel(i)} (segment ${i.segment})`],
    ['expiry', i.expiry ?? '-'],
    ['strike', isOption(i) ? String(i.strike) : '-'],
    ['lot size', i.lot_size > 0 ? String(i.lot_size) : '- (not tradable)'],
    ['tick size', i.tick_size > 0 ? String(i.tick_size) : '-'],
    ['freeze quantity', freezeLabel(i)],
    ['instrument token', String(i.instrument_token)],
    ['exchange token', String(i.exchange_token)],
  ]);
}

function freezeLabel(i: InstrumentDetail): string {
  if (i.freeze_quantity === null) return 'unknown';
  if (i.lot_size <= 0) return String(i.freeze_quantity);
  // The exchange's limit is in units; an order carries whole lots, so the most is the biggest
  // lot multiple within it (NIFTY: 1800 with lots of 65 -> 27 lots, 1755).
  const lots = Math.floor(i.freeze_quantity / i.lot_size);
  return `${i.freeze_quantity} (at most ${lots} lots = ${lots * i.lot_size} per order)`;
}

function typeLabel(i: InstrumentView): string {
  return i.segment === 'INDICES' ? 'INDEX' : i.instrument_type;
}

function isOption(i: InstrumentView): boolean {
  return i.instrument_type === 'CE' || i.instrument_type === 'PE';
}
