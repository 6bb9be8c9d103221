import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { failedCleanup } from './cleanup.js';

export interface MarkOptions {
  orderId: string;
  note?: string | undefined;
}

/** `som orphans mark`: mark an open order orphaned by hand. */
export function markCommand(deps: CliDeps): Command {
  return new Command('mark')
    .argument('<orderId>', "the order's id (som orders --open)")
    .description(
      'mark an open order orphaned by hand (reason MANUAL): cancelled if the strategy cleans up, else reported',
    )
    .option('--note <text>', 'why, for the record')
    .action(action(deps, (io, orderId: string, flags: { note?: string }) => run({ orderId, note: flags.note }, io)));
}

/** Mark the order orphaned by hand. */
export async function run(opts: MarkOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('orphans.mark', {
    order_id: opts.orderId,
    ...(opts.note ? { note: opts.note } : {}),
  });
  await io.print(result, async () => (await import('../ui/orphans.js')).renderMarked(result));
  failedCleanup([result.action], io);
}
