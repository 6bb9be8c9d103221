import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { summaryOf } from '../manifest.js';

/** `som risk`: states, limits, headroom and recent breaches. */
export function riskCommand(deps: CliDeps): Command {
  return new Command('risk').description(summaryOf('risk')).action(action(deps, (io) => run(io)));
}

/** Ask somd for the risk picture. */
export async function run(io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('risk.status', {});
  await io.print(result, async () => (await import('../ui/risk.js')).renderRisk(result));
}
