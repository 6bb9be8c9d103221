import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';

export interface CancelOptions {
  orderId: string;
}

/** `som order cancel`: cancel an open order. */
export function cancelCommand(deps: CliDeps): Command {
  return new Command('cancel')
    .argument('<orderId>', "the order's id (som orders)")
    .description('cancel an open order')
    .action(action(deps, (io, orderId: string) => run({ orderId }, io)));
}

/** Ask somd to cancel the order. */
export async function run(opts: CancelOptions, io: CommandIO): Promise<void> {
  const result = await (await io.client()).call('orders.cancel', { order_id: opts.orderId });
  await io.print(result, async () => (await import('../ui/orders.js')).renderSent('cancel', result));
}
