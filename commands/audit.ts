import type { Command } from 'commander';
import { action, usageError } from './context.js';
import { formatIst } from './ui/format.js';
import { renderTable } from './ui/table.js';

interface AuditFlags {
  strategy?: string;
  order?: string;
  type?: string;
  since?: string;
  limit: string;
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('the audit trail, newest first: every alert, cleanup, square-off and order event')
    .option('--strategy <name>', 'only this strategy')
    .option('--order <id>', 'only this order')
    .option('--type <type>', 'only this event type, e.g. SETTINGS_UPDATED')
    .option('--since <instant>', 'only events at or after this ISO instant (e.g. 2026-11-24T09:15:00+05:30)')
    .option('--limit <n>', 'at most this many events', '50')
    .action(
      action(async (ctx, opts: AuditFlags) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
          throw usageError(`--limit: expected a whole number from 1 to 10000, got "${opts.limit}"`);
        }
        const { events } = await (await ctx.client()).call('audit.list', {
          strategy: opts.strategy,
          orderId: opts.order,
          type: opts.type,
          since: opts.since,
          limit,
        });
        ctx.print({ events }, () =>
          events.length === 0
            ? 'no audit events match'
            : renderTable(
                ['id', 'at', 'type', 'strategy', 'order', 'detail'],
                events.map((e) => [
                  e.id,
                  formatIst(e.at),
                  e.type,
                  e.strategy ?? '-',
                  e.order_id ?? '-',
                  summarise(e.payload),
                ]),
              ),
        );
      }),
    );
}

function summarise(payload: Record<string, unknown>): string {
  const text = JSON.stringify(payload);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
