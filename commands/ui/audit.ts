import type { ResultOf } from '../../src/protocol/methods.js';
import { formatIst } from './format.js';
import { renderTable } from './table.js';

type AuditEvent = ResultOf<'audit.list'>['events'][number];

/** Payloads are shown on one line, cut to fit a terminal. */
const DETAIL_CHARS = 80;

/** `som audit`: one event a row, its payload summarised. */
export function renderAudit(events: readonly AuditEvent[]): string {
  if (events.length === 0) return 'no audit events match';
  return renderTable(
    ['id', 'at', 'type', 'strategy', 'order', 'detail'],
    events.map((e) => [e.id, formatIst(e.at), e.type, e.strategy ?? '-', e.order_id ?? '-', summarise(e.payload)]),
  );
}

function summarise(payload: Record<string, unknown>): string {
  const text = JSON.stringify(payload);
  return text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS - 3)}...` : text;
}
