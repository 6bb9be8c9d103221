import type { Command } from 'commander';
import type { AlertView } from '../src/protocol/methods/alerts.js';
import { action, usageError } from './context.js';
import { paint } from './ui/color.js';
import { formatIst } from './ui/format.js';
import { renderTable } from './ui/table.js';

export function renderAlerts(alerts: AlertView[]): string {
  if (alerts.length === 0) return 'no alerts';
  return renderTable(
    ['id', 'at', 'priority', 'type', 'alert', 'state'],
    alerts.map((a) => [
      a.id,
      formatIst(a.at),
      a.priority === 'high' || a.priority === 'critical' ? paint.bad(a.priority) : a.priority,
      a.type,
      `${a.title}\n${a.message}`,
      a.resolved_at ? `resolved ${formatIst(a.resolved_at)}` : a.read_at ? 'read' : 'new',
    ]),
  );
}

export function registerAlerts(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('alerts somd raised for you (login needed, broker unhealthy, ...)');
  alerts
    .command('list', { isDefault: true })
    .description('open alerts, newest first')
    .option('--all', 'include resolved alerts')
    .action(
      action(async (ctx, opts: { all?: boolean }) => {
        const { alerts: list } = await (await ctx.client()).call('alerts.list', { all: opts.all === true });
        ctx.print({ alerts: list }, () => renderAlerts(list));
      }),
    );
  alerts
    .command('read <id>')
    .description('mark an alert as read')
    .action(
      action(async (ctx, id: string) => {
        if (!/^\d+$/.test(id)) throw usageError(`alert id must be a number, not "${id}"`);
        const { alert } = await (await ctx.client()).call('alerts.markRead', { id: Number(id) });
        ctx.print({ alert }, () => `alert ${alert.id} marked read`);
      }),
    );
}
