import type { SomEvent } from '../../src/protocol/methods/events.js';
import { paint } from './color.js';
import { formatIst, formatRupees } from './format.js';
import { pnlText } from './pnl.js';

/** `som events`: one line an event, its time in IST first. */
export function renderEvent(e: SomEvent): string {
  const time = formatIst(e.at).slice(11, 19);
  return `${paint.dim(time)}  ${e.type.padEnd(12)} ${describe(e)}`;
}

function describe(e: SomEvent): string {
  switch (e.type) {
    case 'order': {
      const o = e.order;
      const price = o.average_price
        ? ` @ ${formatRupees(o.average_price)}`
        : o.price
          ? ` @ ${formatRupees(o.price)}`
          : '';
      return `${o.order_id} ${o.exchange}:${o.tradingsymbol} ${o.transaction_type} ${o.filled_quantity}/${o.quantity} ${o.order_type}${price} ${o.status}${o.role ? ` (${o.role}, ${o.strategy})` : ` (${o.strategy})`}`;
    }
    case 'positions':
      return e.positions.length === 0
        ? 'no positions today'
        : e.positions
            .map((p) => `${p.exchange}:${p.tradingsymbol} ${p.product} ${p.quantity} ${pnlText(p.pnl)}`)
            .join(', ');
    case 'ticks':
      return `${e.ticks.map((t) => `${t.tradingsymbol ?? t.instrument_token} ${formatRupees(t.last_price)}`).join(', ')}  P&L ${pnlText(e.account.pnl)}`;
    case 'alert': {
      const priority =
        e.alert.priority === 'high' || e.alert.priority === 'critical' ? paint.bad(e.alert.priority) : e.alert.priority;
      return `${e.change} #${e.alert.id} ${priority} ${e.alert.type}: ${e.alert.title}`;
    }
    case 'job':
      return `${e.job} (${e.trigger}) ${e.ok ? e.result : paint.bad(e.result)}`;
    case 'housekeeping':
      return `${e.exchange ?? 'all'}:${e.tradingsymbol ?? ''} ${e.actions.map((a) => `${a.action} ${a.order_id}: ${a.result}`).join('; ')}`;
  }
}
