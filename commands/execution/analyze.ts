import { parseQuantity } from '../../src/domain/parse/quantity.js';
import { parseStrategyRef, type StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import {
  parseProduct,
  parseTransactionType,
  TRADING_PRODUCTS,
  type TradingProduct,
  type TransactionType,
} from '../../src/domain/values.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { instrumentKeyOf } from '../instrument-key.js';
import { summaryOf } from '../manifest.js';

export interface AnalyzeOptions {
  instrument: string;
  side: TransactionType;
  qty: number;
  product?: TradingProduct | undefined;
  strategy?: StrategyRef | undefined;
}

/** `som analyze`: the market depth, spread, impact and liquidity of an order, and how som would send it. */
export function analyzeCommand(deps: CliDeps): Command {
  return new Command('analyze')
    .argument('<instrument>', 'EXCHANGE:TRADINGSYMBOL (NSE:SBIN), or a symbol listed on one exchange only')
    .description(summaryOf('analyze'))
    .requiredOption('--side <side>', 'BUY or SELL', flag('--side', parseTransactionType))
    .requiredOption('--qty <n>', 'quantity (a multiple of the lot size for derivatives)', flag('--qty', parseQuantity))
    .option(
      '--product <product>',
      'CNC, MIS or NRML (shown with the analysis)',
      flag('--product', (v, f) => parseProduct(v, f, TRADING_PRODUCTS)),
    )
    .option(
      '--strategy <name>',
      'whose lines judge it: max_order_spread_pct, min_liquidity_score, max_market_impact_bps (default: default)',
      flag('--strategy', parseStrategyRef),
    )
    .addHelpText(
      'after',
      [
        '',
        'Decisions: EXECUTE_MARKET (MARKET with protection), EXECUTE_LIMIT (LIMIT at the computed price),',
        'ALERT_USER_HIGH_COST (held when the strategy requires approval, else sent as LIMIT with an alert),',
        'REQUIRE_APPROVAL (always held). Nothing is sent; the analysis is stored with the depth it used.',
        '',
        'Exit codes: 0 analysed (whatever the decision); 2 bad input; 3 somd not reachable; 4 the book',
        'cannot be judged (empty, one-sided, crossed); 5 broker error.',
      ].join('\n'),
    )
    .action(
      action(deps, (io, instrument: string, flags: Omit<AnalyzeOptions, 'instrument'>) =>
        run({ instrument, ...flags }, io),
      ),
    );
}

/** Key the instrument, analyse, print the alert box (or the document with --json). */
export async function run(opts: AnalyzeOptions, io: CommandIO): Promise<void> {
  const key = await instrumentKeyOf(opts.instrument, io);
  const result = await (await io.client()).call('execution.analyze', {
    exchange: key.exchange,
    tradingsymbol: key.tradingsymbol,
    side: opts.side,
    quantity: opts.qty,
    ...(opts.product !== undefined ? { product: opts.product } : {}),
    ...(opts.strategy !== undefined ? { strategy: opts.strategy } : {}),
  });
  await io.print(result, async () => (await import('../ui/execution.js')).renderAnalysis(result));
}
