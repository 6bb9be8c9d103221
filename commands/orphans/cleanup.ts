import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';

export interface CleanupOptions {
  strategy?: StrategyRef | undefined;
  dryRun: boolean;
  force: boolean;
}

/** `som orphans cleanup`: cancel (or reduce) orphaned orders now. */
export function cleanupCommand(deps: CliDeps): Command {
  return new Command('cleanup')
    .description('cancel (or reduce) orphaned orders now, as the strategy settings allow')
    .option('--strategy <name>', 'only this strategy (name or id)', flag('--strategy', parseStrategyRef))
    .option('--dry-run', 'show what would be done, do nothing')
    .option('--force', 'act even where the strategy allows orphans (strict mode off)')
    .action(
      action(deps, (io, flags: { strategy?: StrategyRef; dryRun?: boolean; force?: boolean }) =>
        run({ strategy: flags.strategy, dryRun: flags.dryRun === true, force: flags.force === true }, io),
      ),
    );
}

/** Ask somd to clean up orphaned orders (or only say what it would do). */
export async function run(opts: CleanupOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('orphans.cleanup', {
    dryRun: opts.dryRun,
    force: opts.force,
    ...(opts.strategy === undefined ? {} : { strategy: opts.strategy }),
  });
  await io.print(result, async () => (await import('../ui/orphans.js')).renderCleanup(result));
  failedCleanup(result.actions, io);
}

/**
 * An order som could not cancel still stands: exit 1, naming it (som keeps trying; its alert
 * says when). The document on stdout carries every action with `failed`.
 */
export function failedCleanup(
  actions: readonly { order_id: string; action: string; result: string; failed: boolean }[],
  io: CommandIO,
): void {
  const failed = actions.filter((a) => a.failed);
  for (const a of failed) {
    io.note(`som: could not ${a.action} ${a.order_id} (${a.result}); som keeps trying while it stays live`);
  }
  if (failed.length > 0) io.exitWith(1);
}
