import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';

export interface GreeksOptions {
  strategy?: StrategyRef | undefined;
}

/** `som greeks`: per option position and net. */
export function greeksCommand(deps: CliDeps): Command {
  return new Command('greeks')
    .description(summaryOf('greeks'))
    .option(
      '--strategy <name>',
      'this strategy (name or id); default: the account',
      flag('--strategy', parseStrategyRef),
    )
    .action(action(deps, (io, flags: GreeksOptions) => run(flags, io)));
}

/** Ask somd for the Greeks now. */
export async function run(opts: GreeksOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call(
    'pnl.greeks',
    opts.strategy === undefined ? {} : { strategy: opts.strategy },
  );
  await io.print(result, async () => (await import('../ui/pnl.js')).renderGreeks(result));
}
