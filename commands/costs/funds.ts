import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { summaryOf } from '../manifest.js';

/** `som funds`: free and used margin per fund segment. */
export function fundsCommand(deps: CliDeps): Command {
  return new Command('funds').description(summaryOf('funds')).action(action(deps, (io) => run(io)));
}

/** Ask somd for the account's funds per segment. */
export async function run(io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('margin.available', {});
  await io.print(result, async () => (await import('../ui/costs.js')).renderFunds(result));
}
