import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';

export interface ReconcileOptions {
  strategy?: StrategyRef | undefined;
  data?: boolean | undefined;
}

/** `som reconcile [--data]`: re-read the account from the broker now, or reconcile som's books with it. */
export function reconcileCommand(deps: CliDeps): Command {
  return new Command('reconcile')
    .description(summaryOf('reconcile'))
    .option('--strategy <name>', 'only this strategy (name or id)', flag('--strategy', parseStrategyRef))
    .option(
      '--data',
      "compare som's orders, fills, positions and shares with the broker's, every kind of difference, and adopt " +
        "the broker's records (never trades); exit 1 when something is left unhealed",
    )
    .action(action(deps, (io, flags: ReconcileOptions) => run(flags, io)));
}

/** Ask somd to re-read the account, or (`--data`) to run a reconciliation round. */
export async function run(opts: ReconcileOptions, io: CommandIO): Promise<void> {
  const client = await io.client();
  const strategy = opts.strategy === undefined ? {} : { strategy: opts.strategy };
  if (opts.data) {
    // A round reads four books from the broker under its rate limits and heals one change at a time.
    const round = await client.call('reconcile.data', strategy, 5 * 60_000);
    await io.print(round, async () => (await import('../ui/reconcile.js')).renderRound(round));
    if (round.unhealed > 0) {
      io.note(`som: ${round.unhealed} ${round.unhealed === 1 ? 'difference is' : 'differences are'} left unhealed`);
      io.exitWith(1);
    }
    return;
  }
  const result = await client.call('reconcile.strategy', strategy);
  await io.print(result, async () => (await import('../ui/orphans.js')).renderReconciled(result));
}
