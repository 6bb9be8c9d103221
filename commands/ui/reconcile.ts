import type { ReconcileRoundView } from '../../src/protocol/methods/books.js';
import { formatIst } from './format.js';
import { renderTable } from './table.js';

/** A reconciliation round: the counts, then each difference with what som did about it. */
export function renderRound(round: ReconcileRoundView): string {
  const kinds = Object.entries(round.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  const head = `reconciled at ${formatIst(round.at)}${round.strategy ? ` (strategy ${round.strategy})` : ''}: ${
    round.discrepancies.length
  } differences${kinds.length ? ` (${kinds.join(', ')})` : ''}, ${round.healed} healed, ${round.unhealed} unhealed`;
  if (round.discrepancies.length === 0) return `${head}\nsom's books agree with the broker's`;
  const rows = round.discrepancies.map((d) => [
    d.kind,
    d.record,
    d.key,
    d.strategy ?? '-',
    d.healed ? 'healed' : 'NOT HEALED',
    d.healed ? (d.how ?? '') : (d.unhealed ?? ''),
  ]);
  const lines = [head, renderTable(['kind', 'record', 'key', 'strategy', 'state', 'how / why not'], rows)];
  if (round.escalated.length > 0) lines.push(`escalated (high alert raised): ${round.escalated.join(', ')}`);
  if (round.open.length > 0) lines.push(`still open from earlier rounds: ${round.open.join(', ')}`);
  return lines.join('\n');
}
