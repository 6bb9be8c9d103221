import { parseQuantity } from '../../src/domain/parse/quantity.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';

/** `som alerts read ID`. */
export function readCommand(deps: CliDeps): Command {
  return new Command('read')
    .argument('<id>', "the alert's id (som alerts)")
    .description('mark an alert as read')
    .action(action(deps, (io, id: string) => run(flag('alert id', parseQuantity)(id), io)));
}

/** Mark one alert read. */
export async function run(id: number, io: CommandIO): Promise<void> {
  const { alert } = await (await io.client()).call('alerts.markRead', { id });
  await io.print({ alert }, () => `alert ${alert.id} marked read`);
}
