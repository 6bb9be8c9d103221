import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';

export interface ListOptions {
  strategy?: StrategyRef | undefined;
}

/** `som orphans`: orphaned orders open now, then today's already dealt with. */
export function listCommand(deps: CliDeps): Command {
  return new Command('list')
    .description('every orphaned order with its reason and the action taken or pending')
    .option('--strategy <name>', 'only this strategy (name or id)', flag('--strategy', parseStrategyRef))
    .action(action(deps, (io, flags: ListOptions) => run(flags, io)));
}

/** Ask somd for orphaned orders. */
export async function run(opts: ListOptions, io: CommandIO): Promise<void> {
  const { orphans } = await (await io.client()).call(
    'orphans.list',
    opts.strategy === undefined ? {} : { strategy: opts.strategy },
  );
  await io.print({ orphans }, async () => (await import('../ui/orphans.js')).renderOrphans(orphans));
}
