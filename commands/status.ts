import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO } from './context.js';
import { summaryOf } from './manifest.js';

/** `som status`: health of somd. */
export function statusCommand(deps: CliDeps): Command {
  return new Command('status').description(summaryOf('status')).action(action(deps, (io) => run(io)));
}

/** Ask somd for its status. */
export async function run(io: CommandIO): Promise<void> {
  const status = await (await io.client()).call('system.status', {});
  await io.print(status, async () => (await import('./ui/status.js')).renderStatus(status));
}
