import { parseQuantity } from '../../src/domain/parse/quantity.js';
import type { StrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { parseStrategyRef } from '../../src/domain/parse/strategy-ref.js';
import { ORDERS_LIMIT_DEFAULT, ORDERS_LIMIT_MAX } from '../../src/protocol/limits.js';
import { Command } from '../commander.js';
import { action, type CliDeps, type CommandIO } from '../context.js';
import { flag } from '../flags.js';
import { summaryOf } from '../manifest.js';

export interface ListOptions {
  open: boolean;
  strategy?: StrategyRef | undefined;
  limit: number;
}

/** `som orders`: every order on the account, newest first. */
export function listCommand(deps: CliDeps): Command {
  return new Command('orders')
    .description(summaryOf('orders'))
    .option('--open', 'only orders still working (open, trigger pending, ...)')
    .option('--strategy <name>', 'only this strategy (name or id)', flag('--strategy', parseStrategyRef))
    .option(
      '--limit <n>',
      `at most this many (1-${ORDERS_LIMIT_MAX})`,
      flag('--limit', (v, f) => parseQuantity(v, f, { max: ORDERS_LIMIT_MAX })),
      ORDERS_LIMIT_DEFAULT,
    )
    .action(
      action(deps, (io, flags: { open?: boolean; strategy?: StrategyRef; limit: number }) =>
        run({ open: flags.open === true, strategy: flags.strategy, limit: flags.limit }, io),
      ),
    );
}

/** Ask somd for the orders the options select. */
export async function run(opts: ListOptions, io: CommandIO): Promise<void> {
  const { orders } = await (await io.client()).call('orders.list', {
    open: opts.open,
    limit: opts.limit,
    ...(opts.strategy !== undefined ? { strategy: opts.strategy } : {}),
  });
  await io.print({ orders }, async () => (await import('../ui/orders.js')).renderOrders(orders));
}
