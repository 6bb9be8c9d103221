import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';

export interface ShowOptions {
  orderId: string;
}

/** `som order show`: one order with its fills. */
export function showCommand(deps: CliDeps): Command {
  return new Command('show')
    .argument('<orderId>', "the order's id (som orders)")
    .description('one order with its fills')
    .action(action(deps, (io, orderId: string) => run({ orderId }, io)));
}

/** Ask somd for one order with its fills. */
export async function run(opts: ShowOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('orders.show', { order_id: opts.orderId });
  await io.print(result, async () => (await import('../ui/orders.js')).renderOrder(result.order));
}
