import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';

export interface ReconcileOptions {
  strategy?: StrategyRef | undefined;
}

/** `som reconcile`: re-read the account from the broker now. */
export function reconcileCommand(deps: CliDeps): Command {
  return new Command('reconcile')
    .description(summaryOf('reconcile'))
    .option('--strategy <name>', 'only this strategy (name or id)', flag('--strategy', parseStrategyRef))
    .action(action(deps, (io, flags: ReconcileOptions) => run(flags, io)));
}

/** Ask somd to re-read the account from the broker. */
export async function run(opts: ReconcileOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call(
    'reconcile.strategy',
    opts.strategy === undefined ? {} : { strategy: opts.strategy },
  );
  await io.print(result, async () => (await import('../ui/orphans.js')).renderReconciled(result));
}
