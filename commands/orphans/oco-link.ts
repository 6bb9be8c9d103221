import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';

export interface OcoLinkOptions {
  orders: [string, string];
}

/** `som oco link`: pair an open stop and an open target. */
export function ocoLinkCommand(deps: CliDeps): Command {
  return new Command('link')
    .argument('<orderA>', 'one order of the pair')
    .argument('<orderB>', 'the other')
    .description('pair an open stop and an open target: when one fills, the other is reduced or cancelled')
    .action(action(deps, (io, a: string, b: string) => run({ orders: [a, b] }, io)));
}

/** Pair the two orders. */
export async function run(opts: OcoLinkOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('oco.link', { orders: opts.orders });
  await io.print(result, () => `OCO group ${result.group}: stop ${result.stop}, target ${result.target}`);
}
