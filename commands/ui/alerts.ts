import type { AlertView } from '../../src/protocol/methods/alerts.js';
import { paint } from './color.js';
import { formatIst } from './format.js';
import { renderTable } from './table.js';

/** An open alert asking about a held order, with its deadline. */
function heldDeadline(a: AlertView): string | null {
  if (a.type !== 'ORDER_HELD' || a.resolved_at) return null;
  const expires = a.payload.expires_at;
  return typeof expires === 'string' ? expires : null;
}

/** `som alerts`: held orders waiting for an answer first, with their deadline; high and critical ones in red. */
export function renderAlerts(alerts: readonly AlertView[]): string {
  if (alerts.length === 0) return 'no alerts';
  return renderTable(
    ['id', 'at', 'priority', 'type', 'alert', 'state'],
    alerts.map((a) => {
      const deadline = heldDeadline(a);
      return [
        a.id,
        formatIst(a.at),
        a.priority === 'high' || a.priority === 'critical' ? paint.bad(a.priority) : a.priority,
        a.type,
        `${a.title}: ${a.message}`,
        deadline
          ? paint.warn(`answer by ${formatIst(deadline)}: som alerts respond ${a.id} cancel|limit|proceed`)
          : a.resolved_at
            ? `resolved ${formatIst(a.resolved_at)}`
            : a.read_at
              ? 'read'
              : 'new',
      ];
    }),
  );
}
