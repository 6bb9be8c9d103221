import { parsePrice } from '../../src/domain/parse/price.js';
import { parseQuantity } from '../../src/domain/parse/quantity.js';
import { choiceList, ORDER_TYPES, type OrderType, parseOrderType } from '../../src/domain/values.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO, usageError } from '../context.js';
import { flag } from '../flags.js';

export interface ModifyOptions {
  orderId: string;
  qty?: number | undefined;
  price?: number | undefined;
  trigger?: number | undefined;
  type?: OrderType | undefined;
}

/** `som order modify`: change an open order. */
export function modifyCommand(deps: CliDeps): Command {
  return new Command('modify')
    .argument('<orderId>', "the order's id (som orders)")
    .description('change an open order: quantity, price, trigger or type')
    .option('--qty <n>', 'new quantity', flag('--qty', parseQuantity))
    .option('--price <price>', 'new limit price', flag('--price', parsePrice))
    .option('--trigger <price>', 'new trigger price', flag('--trigger', parsePrice))
    .option('--type <type>', `new order type: ${choiceList(ORDER_TYPES)}`, flag('--type', parseOrderType))
    .action(
      action(deps, (io, orderId: string, flags: Omit<ModifyOptions, 'orderId'>) => run({ orderId, ...flags }, io)),
    );
}

/** Send only what changes; nothing to change is bad usage (exit 2). */
export async function run(opts: ModifyOptions, io: CommandIO): Promise<void> {
  const changes = {
    ...(opts.qty !== undefined ? { quantity: opts.qty } : {}),
    ...(opts.price !== undefined ? { price: opts.price } : {}),
    ...(opts.trigger !== undefined ? { trigger_price: opts.trigger } : {}),
    ...(opts.type !== undefined ? { order_type: opts.type } : {}),
  };
  if (Object.keys(changes).length === 0)
    throw usageError('nothing to change: give --qty, --price, --trigger or --type');
  const result = await (await io.client()).call('orders.modify', { order_id: opts.orderId, ...changes });
  await io.print(result, async () => (await import('../ui/orders.js')).renderSent('modify', result));
}
