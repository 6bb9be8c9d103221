import type { Command } from 'commander';
import { action, usageError } from './context.js';
import { formatIst } from './ui/format.js';
import { renderTable } from './ui/table.js';

/** `som admin logs`: the housekeeping events (every job run and every action it took). */
export function registerAdminLogs(admin: Command): void {
  admin
    .command('logs')
    .description('housekeeping events, newest first: job, strategy, order, action, reason, result')
    .option('--job <job>', 'only this job (orphan-sweep, event, expiry, aging, eod, oco, manual, ...)')
    .option('--since <instant>', 'only events at or after this ISO instant (e.g. 2026-11-25T09:00:00+05:30)')
    .option(
      '--limit <n>',
      'at most this many',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n <= 0)
          throw usageError(`--limit must be a whole number greater than 0, not "${v}"`);
        return n;
      },
      100,
    )
    .action(
      action(async (ctx, opts: { job?: string; since?: string; limit: number }) => {
        const { events } = await (await ctx.client()).call('admin.logs', {
          limit: opts.limit,
          ...(opts.job ? { job: opts.job } : {}),
          ...(opts.since ? { since: opts.since } : {}),
        });
        ctx.print({ events }, () =>
          events.length === 0
            ? 'no housekeeping events'
            : renderTable(
                ['at', 'job', 'strategy', 'order', 'action', 'reason', 'result', 'ms'],
                events.map((e) => [
                  formatIst(e.at),
                  e.job,
                  e.strategy ?? '-',
                  e.order_id ?? '-',
                  e.action,
                  e.reason ?? '-',
                  e.result,
                  e.duration_ms === null ? '-' : Math.round(e.duration_ms),
                ]),
              ),
        );
      }),
    );
}
