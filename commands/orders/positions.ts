import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { summaryOf } from '../manifest.js';

export interface PositionsOptions {
  all: boolean;
}

/** `som positions`: the account's net positions. */
export function positionsCommand(deps: CliDeps): Command {
  return new Command('positions')
    .description(summaryOf('positions'))
    .option('--all', 'include positions closed today (quantity 0)')
    .action(action(deps, (io, flags: { all?: boolean }) => run({ all: flags.all === true }, io)));
}

/** Ask somd for the account's positions. */
export async function run(opts: PositionsOptions, io: CommandIO): Promise<void> {
  const { positions } = await (await io.client()).call('positions.list', { all: opts.all });
  await io.print({ positions }, async () => (await import('../ui/orders.js')).renderPositions(positions));
}
