import type { Command } from 'commander';
import type { OrphanView } from '../src/protocol/methods/housekeeping.js';
import { action, usageError } from './context.js';
import { renderOrder } from './orders.js';
import { formatIst } from './ui/format.js';
import { renderTable } from './ui/table.js';

const strategyRef = (s: string | undefined) => (s === undefined ? undefined : /^\d+$/.test(s) ? Number(s) : s);

export function renderOrphans(orphans: OrphanView[]): string {
  if (orphans.length === 0) return 'no orphaned orders';
  return renderTable(
    ['order id', 'strategy', 'symbol', 'side', 'qty', 'pending', 'type', 'reason', 'detected', 'action'],
    orphans.map((o) => [
      o.order_id,
      o.strategy,
      `${o.exchange}:${o.tradingsymbol}`,
      o.side,
      o.quantity,
      o.pending_quantity,
      o.order_type,
      o.reason,
      formatIst(o.detected_at),
      o.action,
    ]),
  );
}

export function registerOrphans(program: Command): void {
  const orphans = program
    .command('orphans')
    .description('stop-loss and target orders that outlived the position they protected');
  orphans
    .command('list', { isDefault: true })
    .description('every orphaned order with its reason and the action taken or pending')
    .option('--strategy <name>', 'only this strategy')
    .action(
      action(async (ctx, opts: { strategy?: string }) => {
        const strategy = strategyRef(opts.strategy);
        const { orphans: list } = await (await ctx.client()).call(
          'orphans.list',
          strategy === undefined ? {} : { strategy },
        );
        ctx.print({ orphans: list }, () => renderOrphans(list));
      }),
    );
  orphans
    .command('cleanup')
    .description('cancel (or reduce) orphaned orders now, as the strategy settings allow')
    .option('--strategy <name>', 'only this strategy')
    .option('--dry-run', 'show what would be done, do nothing')
    .option('--force', 'act even where the strategy allows orphans (strict mode off)')
    .action(
      action(async (ctx, opts: { strategy?: string; dryRun?: boolean; force?: boolean }) => {
        const strategy = strategyRef(opts.strategy);
        const result = await (await ctx.client()).call('orphans.cleanup', {
          dryRun: opts.dryRun === true,
          force: opts.force === true,
          ...(strategy === undefined ? {} : { strategy }),
        });
        ctx.print(result, () =>
          [
            renderOrphans(result.orphans),
            ...(result.actions.length > 0
              ? [
                  '',
                  renderTable(
                    ['order id', 'action', 'result'],
                    result.actions.map((a) => [a.order_id, a.action, a.result]),
                  ),
                ]
              : []),
            ...(result.dryRun ? ['(dry run: nothing was sent)'] : []),
          ].join('\n'),
        );
        failedCleanup(result.actions);
      }),
    );

  orphans
    .command('mark <orderId>')
    .description(
      'mark an open order orphaned by hand (reason MANUAL): cancelled if the strategy cleans up, else reported',
    )
    .option('--note <text>', 'why, for the record')
    .action(
      action(async (ctx, orderId: string, opts: { note?: string }) => {
        const result = await (await ctx.client()).call('orphans.mark', {
          order_id: orderId,
          ...(opts.note ? { note: opts.note } : {}),
        });
        ctx.print(result, () => `${renderOrphans([result.orphan])}\n${result.result}`);
        failedCleanup([result.action]);
      }),
    );

  const oco = program.command('oco').description('one-cancels-other pairs of a stop and a target');
  oco
    .command('link <orderA> <orderB>')
    .description('pair an open stop and an open target: when one fills, the other is reduced or cancelled')
    .action(
      action(async (ctx, a: string, b: string) => {
        const result = await (await ctx.client()).call('oco.link', { orders: [a, b] });
        ctx.print(result, () => `OCO group ${result.group}: stop ${result.stop}, target ${result.target}`);
      }),
    );
  oco
    .command('protect <instrument>')
    .description("place a stop (SL-M) and a target (LIMIT) for a strategy's open position, as an OCO pair")
    .requiredOption('--stop <price>', 'stop trigger price', Number)
    .requiredOption('--target <price>', 'target limit price', Number)
    .requiredOption('--product <product>', "the position's product: CNC, MIS or NRML")
    .option('--qty <n>', 'quantity (default: the whole open position)', Number)
    .option('--strategy <name>', 'the strategy holding the position (default: default)')
    .action(
      action(
        async (
          ctx,
          key: string,
          opts: { stop: number; target: number; product: string; qty?: number; strategy?: string },
        ) => {
          const m = /^([A-Za-z]+):(\S+)$/.exec(key);
          if (!m) throw usageError(`"${key}" is not EXCHANGE:TRADINGSYMBOL`);
          if (!['CNC', 'MIS', 'NRML'].includes(opts.product))
            throw usageError(`--product must be CNC, MIS or NRML, not "${opts.product}"`);
          const strategy = strategyRef(opts.strategy);
          const result = await (await ctx.client()).call('oco.protect', {
            exchange: m[1]!.toUpperCase(),
            tradingsymbol: m[2]!.toUpperCase(),
            product: opts.product as 'MIS',
            stop: opts.stop,
            target: opts.target,
            ...(opts.qty !== undefined ? { quantity: opts.qty } : {}),
            ...(strategy === undefined ? {} : { strategy }),
          });
          ctx.print(result, () =>
            [
              `OCO group ${result.group}: stop ${result.stop_order_id}, target ${result.target_order_id}`,
              ...[result.stop, result.target].filter((o) => o !== null).map((o) => `\n${renderOrder(o)}`),
            ].join('\n'),
          );
        },
      ),
    );

  program
    .command('reconcile')
    .description('re-read the account from the broker now; show how positions changed and what is orphaned')
    .option('--strategy <name>', 'only this strategy')
    .action(
      action(async (ctx, opts: { strategy?: string }) => {
        const strategy = strategyRef(opts.strategy);
        const result = await (await ctx.client()).call(
          'reconcile.strategy',
          strategy === undefined ? {} : { strategy },
        );
        ctx.print(result, () =>
          [
            `orders tracked: ${result.orders.before} before, ${result.orders.after} after`,
            result.positions.length === 0
              ? 'no positions'
              : renderTable(
                  ['strategy', 'symbol', 'product', 'before', 'after'],
                  result.positions.map((p) => [
                    p.strategy,
                    `${p.exchange}:${p.tradingsymbol}`,
                    p.product,
                    p.before,
                    p.after + (p.after !== p.before ? ' *' : ''),
                  ]),
                ),
            renderOrphans(result.orphans),
          ].join('\n\n'),
        );
      }),
    );
}

/**
 * An order som could not cancel still stands: exit 1, naming it (som keeps trying; the alert
 * says when). The document on stdout already carries every action with `failed`.
 */
function failedCleanup(
  actions: readonly { order_id: string; action: string; result: string; failed: boolean }[],
): void {
  const failed = actions.filter((a) => a.failed);
  if (failed.length === 0) return;
  for (const a of failed) {
    process.stderr.write(
      `som: could not ${a.action} ${a.order_id} (${a.result}); som keeps trying while it stays live\n`,
    );
  }
  process.exitCode = 1;
}
