import { splitInstrumentKey } from '../src/domain/parse/instrument-key-syntax.js';
import { parseQuantity } from '../src/domain/parse/quantity.js';
import { choiceList, EXCHANGES, type Exchange, parseExchange } from '../src/domain/values.js';
import { SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX } from '../src/protocol/limits.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO } from './context.js';
import { flag, orUsageError } from './flags.js';
import { summaryOf } from './manifest.js';

export interface SearchOptions {
  text: string;
  exchange?: Exchange | undefined;
  limit: number;
}

/** `som instruments search|show`: Kite's instrument master as somd keeps it. */
export function instrumentsCommand(deps: CliDeps): Command {
  return new Command('instruments')
    .description(summaryOf('instruments'))
    .addCommand(
      new Command('search')
        .argument('<text...>', 'a trading symbol or a name, or the start of one')
        .description('instruments whose trading symbol or name matches, best first (NIFTY, reliance, "hdfc bank")')
        .option(
          '--exchange <exchange>',
          `only this exchange (${choiceList(EXCHANGES)})`,
          flag('--exchange', parseExchange),
        )
        .option(
          '--limit <n>',
          `at most this many rows (1-${SEARCH_LIMIT_MAX})`,
          flag('--limit', (v, f) => parseQuantity(v, f, { max: SEARCH_LIMIT_MAX })),
          SEARCH_LIMIT_DEFAULT,
        )
        .action(
          action(deps, (io, words: string[], flags: Omit<SearchOptions, 'text'>) =>
            runSearch({ text: words.join(' '), ...flags }, io),
          ),
        ),
    )
    .addCommand(
      new Command('show')
        .argument(
          '<symbol>',
          'EXCHANGE:TRADINGSYMBOL (NSE:RELIANCE, NFO:NIFTY25DECFUT, "NSE:NIFTY 50"), or a symbol alone',
        )
        .description('one instrument: lot, tick, expiry, segment, freeze quantity')
        .action(action(deps, (io, symbol: string) => runShow(symbol, io))),
    );
}

/** Search the instrument master kept by somd. */
export async function runSearch(opts: SearchOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('instruments.search', {
    text: opts.text,
    limit: opts.limit,
    ...(opts.exchange ? { exchange: opts.exchange } : {}),
  });
  await io.print(result, async () =>
    (await import('./ui/instruments.js')).renderSearch(opts.text, result.instruments, result.total),
  );
}

/** One instrument, its key checked here first; a bare symbol is placed by somd. */
export async function runShow(symbol: string, io: CommandIO): Promise<void> {
  // A malformed key needs no daemon to be told so; a bare symbol is placed by somd.
  orUsageError(splitInstrumentKey(symbol, 'symbol'));
  const { instrument } = await (await io.client()).call('instruments.show', { symbol });
  await io.print({ instrument }, async () => (await import('./ui/instruments.js')).renderInstrument(instrument));
}
