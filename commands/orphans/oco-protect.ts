import { parsePrice } from '../../src/domain/parse/price.js';
import { parseQuantity } from '../../src/domain/parse/quantity.js';
import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { choiceList, parseProduct, TRADING_PRODUCTS, type TradingProduct } from '../../src/domain/values.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { instrumentKeyOf } from '../instrument-key.js';

export interface OcoProtectOptions {
  instrument: string;
  stop: number;
  target: number;
  product: TradingProduct;
  qty?: number | undefined;
  strategy?: StrategyRef | undefined;
}

/** `som oco protect`: a linked stop and target for a strategy's open position. */
export function ocoProtectCommand(deps: CliDeps): Command {
  return new Command('protect')
    .argument('<instrument>', 'EXCHANGE:TRADINGSYMBOL of the open position')
    .description("place a stop (SL-M) and a target (LIMIT) for a strategy's open position, as an OCO pair")
    .requiredOption('--stop <price>', 'stop trigger price', flag('--stop', parsePrice))
    .requiredOption('--target <price>', 'target limit price', flag('--target', parsePrice))
    .requiredOption(
      '--product <product>',
      `the position's product: ${choiceList(TRADING_PRODUCTS)}`,
      flag('--product', (v, f) => parseProduct(v, f, TRADING_PRODUCTS)),
    )
    .option('--qty <n>', 'quantity (default: the whole open position)', flag('--qty', parseQuantity))
    .option(
      '--strategy <name>',
      'the strategy holding the position, name or id (default: default)',
      flag('--strategy', parseStrategyRef),
    )
    .action(
      action(deps, (io, instrument: string, flags: Omit<OcoProtectOptions, 'instrument'>) =>
        run({ instrument, ...flags }, io),
      ),
    );
}

/** Key the instrument, then ask somd to place the linked stop and target. */
export async function run(opts: OcoProtectOptions, io: CommandIO): Promise<void> {
  const key = await instrumentKeyOf(opts.instrument, io);
  const result = await (await io.client()).call('oco.protect', {
    exchange: key.exchange,
    tradingsymbol: key.tradingsymbol,
    product: opts.product,
    stop: opts.stop,
    target: opts.target,
    ...(opts.qty !== undefined ? { quantity: opts.qty } : {}),
    ...(opts.strategy === undefined ? {} : { strategy: opts.strategy }),
  });
  await io.print(result, async () => (await import('../ui/orphans.js')).renderProtected(result));
}
