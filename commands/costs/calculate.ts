import { parseCalendarDate } from '../../src/domain/parse/date.js';
import { splitInstrumentKey } from '../../src/domain/parse/instrument-key-syntax.js';
import { parsePrice } from '../../src/domain/parse/price.js';
import { parseQuantity } from '../../src/domain/parse/quantity.js';
import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import {
  parseProduct,
  parseTransactionType,
  TRADING_PRODUCTS,
  type TradingProduct,
  type TransactionType,
} from '../../src/domain/values.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { flag, orUsageError } from '../flags.js';
import { summaryOf } from '../manifest.js';
import { type BasketLeg, readBasket } from './basket.js';

export interface CalculateOptions {
  /** `EXCHANGE:TRADINGSYMBOL` for one leg from flags; `-` for a basket on standard input. */
  instrument?: string | undefined;
  file?: string | undefined;
  qty?: number | undefined;
  price?: number | undefined;
  side?: TransactionType | undefined;
  product?: TradingProduct | undefined;
  exitPrice?: number | undefined;
  date?: string | undefined;
  strategy?: StrategyRef | undefined;
  margin: boolean;
}

const LEG_FLAGS = { qty: '--qty', price: '--price', side: '--side', product: '--product', exitPrice: '--exit-price' };

/** `som costs`: every charge of an order or a basket, and the margin it needs. */
export function calculateCommand(deps: CliDeps): Command {
  return new Command('costs')
    .argument('[instrument]', 'EXCHANGE:TRADINGSYMBOL for one leg given by flags; - reads a basket from standard input')
    .description(summaryOf('costs'))
    .option(
      '--file <path>',
      'a basket: {"instruments": [{"symbol", "quantity", "price", "side", "product"?, "exit_price"?}]}; - reads standard input',
    )
    .option('--qty <n>', 'quantity (one leg)', flag('--qty', parseQuantity))
    .option('--price <price>', 'entry price (one leg)', flag('--price', parsePrice))
    .option('--side <side>', 'BUY or SELL (one leg)', flag('--side', parseTransactionType))
    .option(
      '--product <product>',
      'CNC delivery, MIS intraday, NRML derivatives (one leg; default NRML for derivatives, CNC for equity)',
      flag('--product', (v, f) => parseProduct(v, f, TRADING_PRODUCTS)),
    )
    .option('--exit-price <price>', 'expected exit price (default: the entry price)', flag('--exit-price', parsePrice))
    .option(
      '--date <YYYY-MM-DD>',
      'the trade date whose charge rates apply (default: today, IST)',
      flag('--date', parseCalendarDate),
    )
    .option(
      '--strategy <name>',
      'whose margin buffer and utilisation limit apply (default: default)',
      flag('--strategy', parseStrategyRef),
    )
    .option('--no-margin', 'charges only: do not ask the broker for margin')
    .addHelpText(
      'after',
      [
        '',
        'A leg without "product" is costed as NRML (a derivative) or CNC (an equity), with a',
        'PRODUCT_DEFAULTED warning; a symbol without its exchange (NIFTY25DEC24500CE) is placed',
        'on the one exchange that lists it.',
        '',
        'Examples:',
        '  som costs NSE:SBIN --qty 10 --price 560 --side BUY --product CNC',
        '  som costs --file basket.json --strategy hedged',
        '  cat basket.json | som costs - --json',
        '',
        'Exit codes: 0 done (whether or not the margin suffices: see margin.can_execute); 2 bad input,',
        'naming the leg and the problem; 3 somd not reachable; 5 broker error or no session (the margin',
        'comes from the broker; --no-margin does without it).',
      ].join('\n'),
    )
    .action(
      action(deps, (io, instrument: string | undefined, flags: Omit<CalculateOptions, 'instrument'>) =>
        run({ instrument, ...flags }, io),
      ),
    );
}

/** The legs of `som costs`: a file, standard input, or one leg from flags (never two sources). */
export function costLegs(opts: CalculateOptions, io: Pick<CommandIO, 'readStdin' | 'readFile'>): BasketLeg[] {
  const given = (Object.keys(LEG_FLAGS) as (keyof typeof LEG_FLAGS)[]).filter((k) => opts[k] !== undefined);
  const file = opts.file ?? (opts.instrument === '-' ? '-' : undefined);
  if (file !== undefined) {
    if (opts.instrument !== undefined && opts.instrument !== '-')
      throw usageError('give one instrument with flags, or a basket with --file, not both');
    if (given.length > 0)
      throw usageError(
        `${given.map((k) => LEG_FLAGS[k]).join(', ')} describe a single leg; put them in the file's legs instead`,
      );
    return readBasket(file, io);
  }
  if (opts.instrument === undefined)
    throw usageError(
      'say what to cost: EXCHANGE:TRADINGSYMBOL with --qty --price --side [--product], or --file F (- for standard input)',
    );
  orUsageError(splitInstrumentKey(opts.instrument));
  const missing = (['qty', 'side'] as const).filter((k) => opts[k] === undefined).map((k) => LEG_FLAGS[k]);
  if (missing.length > 0) throw usageError(`${opts.instrument}: give ${missing.join(', ')}`);
  // --price is not required here: somd's message for a leg without a price is the same for files and flags.
  return [
    {
      symbol: opts.instrument,
      quantity: opts.qty!,
      side: opts.side!,
      ...(opts.product !== undefined ? { product: opts.product } : {}),
      ...(opts.price !== undefined ? { price: opts.price } : {}),
      ...(opts.exitPrice !== undefined ? { exit_price: opts.exitPrice } : {}),
    },
  ];
}

/** Send the legs to `costs.calculate`; print the confirmation box, or the document with --json. */
export async function run(opts: CalculateOptions, io: CommandIO): Promise<void> {
  const instruments = costLegs(opts, io);
  const result = await (await io.client()).call('costs.calculate', {
    instruments,
    margin: opts.margin,
    ...(opts.date !== undefined ? { date: opts.date } : {}),
    ...(opts.strategy !== undefined ? { strategy: opts.strategy } : {}),
  });
  await io.print(result, async () => (await import('../ui/cost-box.js')).renderCostBox(result));
}
