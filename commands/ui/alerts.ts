import type { AlertView } from '../../src/protocol/methods/alerts.js';
import { paint } from './color.js';
import { formatIst } from './format.js';
import { renderTable } from './table.js';

/** `som alerts`: newest first, high and critical ones in red. */
export function renderAlerts(alerts: readonly AlertView[]): string {
  if (alerts.length === 0) return 'no alerts';
  return renderTable(
    ['id', 'at', 'priority', 'type', 'alert', 'state'],
    alerts.map((a) => [
      a.id,
      formatIst(a.at),
      a.priority === 'high' || a.priority === 'critical' ? paint.bad(a.priority) : a.priority,
      a.type,
      `${a.title}: ${a.message}`,
      a.resolved_at ? `resolved ${formatIst(a.resolved_at)}` : a.read_at ? 'read' : 'new',
    ]),
  );
}
