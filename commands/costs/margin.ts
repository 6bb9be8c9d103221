import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';
import { readBasket } from './basket.js';

export interface MarginOptions {
  strategy?: StrategyRef | undefined;
  file?: string | undefined;
}

/** `som margin`: a strategy's open legs (or the account's) plus proposed ones, against the free margin. */
export function marginCommand(deps: CliDeps): Command {
  return new Command('margin')
    .description(summaryOf('margin'))
    .option(
      '--strategy <name>',
      'the strategy, name or id (default: every open position on the account)',
      flag('--strategy', parseStrategyRef),
    )
    .option('--file <path>', 'proposed legs as a basket {"instruments": [...]}; - reads standard input')
    .action(action(deps, (io, flags: MarginOptions) => run(flags, io)));
}

/** Send the proposed legs (exit prices left out) to `margin.calculate`. */
export async function run(opts: MarginOptions, io: CommandIO): Promise<void> {
  const instruments = opts.file === undefined ? [] : readBasket(opts.file, io);
  const result = await (await io.client()).call('margin.calculate', {
    instruments: instruments.map(({ exit_price: _ignored, ...leg }) => leg),
    ...(opts.strategy !== undefined ? { strategy: opts.strategy } : {}),
  });
  await io.print(result, async () => (await import('../ui/costs.js')).renderMarginCalculation(result));
}
