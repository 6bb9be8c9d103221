import { parseQuantity } from '../src/domain/parse/quantity.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO } from './context.js';
import { flag } from './flags.js';
import { summaryOf } from './manifest.js';

/** `som alerts list|read`. */
export function alertsCommand(deps: CliDeps): Command {
  return new Command('alerts')
    .description(summaryOf('alerts'))
    .addCommand(
      new Command('list')
        .description('open alerts, newest first')
        .option('--all', 'include resolved alerts')
        .action(action(deps, (io, flags: { all?: boolean }) => runList(flags.all === true, io))),
      { isDefault: true },
    )
    .addCommand(
      new Command('read')
        .argument('<id>', "the alert's id (som alerts)")
        .description('mark an alert as read')
        .action(action(deps, (io, id: string) => runRead(flag('alert id', parseQuantity)(id), io))),
    );
}

/** Ask somd for its alerts (open ones, or all). */
export async function runList(all: boolean, io: CommandIO): Promise<void> {
  const { alerts } = await (await io.client()).call('alerts.list', { all });
  await io.print({ alerts }, async () => (await import('./ui/alerts.js')).renderAlerts(alerts));
}

/** Mark one alert read. */
export async function runRead(id: number, io: CommandIO): Promise<void> {
  const { alert } = await (await io.client()).call('alerts.markRead', { id });
  await io.print({ alert }, () => `alert ${alert.id} marked read`);
}
