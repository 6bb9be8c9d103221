import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';

/** `som alerts list` (the default): held orders waiting for an answer first, then newest first. */
export function listCommand(deps: CliDeps): Command {
  return new Command('list')
    .description('open alerts: held orders waiting for your answer first (with their deadline), then newest first')
    .option('--all', 'include resolved alerts')
    .action(action(deps, (io, flags: { all?: boolean }) => run(flags.all === true, io)));
}

/** Ask somd for its alerts (open ones, or all). */
export async function run(all: boolean, io: CommandIO): Promise<void> {
  const { alerts } = await (await io.client()).call('alerts.list', { all });
  await io.print({ alerts }, async () => (await import('../ui/alerts.js')).renderAlerts(alerts));
}
