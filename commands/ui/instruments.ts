import { SEARCH_LIMIT_MAX } from '../../src/protocol/limits.js';
import type { InstrumentDetail, InstrumentView } from '../../src/protocol/methods/instruments.js';
import { num, renderRecord, renderTable } from './table.js';

/** The search table, with a line saying when more matched than are shown. */
export function renderSearch(text: string, rows: readonly InstrumentView[], total?: number): string {
  if (rows.length === 0) return `no instruments match "${text}"`;
  const table = renderTable(
    ['symbol', 'name', 'type', 'expiry', num('strike'), num('lot'), num('tick')],
    rows.map((i) => [
      `${i.exchange}:${i.tradingsymbol}`,
      i.name || '-',
      typeLabel(i),
      i.expiry ?? '-',
      isOption(i) ? String(i.strike) : '-',
      i.lot_size > 0 ? i.lot_size : '-',
      i.tick_size > 0 ? String(i.tick_size) : '-',
    ]),
  );
  if (total !== undefined && total > rows.length) {
    return `${table}\nshowing ${rows.length} of ${total} matches; narrow the text, add --exchange, or raise --limit (up to ${SEARCH_LIMIT_MAX})`;
  }
  return table;
}

/** One instrument as a label/value block. */
export function renderInstrument(i: InstrumentDetail): string {
  return renderRecord([
    ['instrument', `${i.exchange}:${i.tradingsymbol}`],
    ['name', i.name || '-'],
    ['type', `${typeLabel(i)} (segment ${i.segment})`],
    ['expiry', i.expiry ?? '-'],
    ['strike', isOption(i) ? String(i.strike) : '-'],
    ['lot size', i.lot_size > 0 ? String(i.lot_size) : '- (not tradable)'],
    ['tick size', i.tick_size > 0 ? String(i.tick_size) : '-'],
    ['freeze quantity', freezeLabel(i)],
    ['instrument token', String(i.instrument_token)],
    ['exchange token', String(i.exchange_token)],
  ]);
}

function freezeLabel(i: InstrumentDetail): string {
  if (i.freeze_quantity === null) return 'unknown';
  if (i.lot_size <= 0) return String(i.freeze_quantity);
  // The exchange's limit is in units; an order carries whole lots, so the most is the biggest
  // lot multiple within it (NIFTY: 1800 with lots of 65 -> 27 lots, 1755).
  const lots = Math.floor(i.freeze_quantity / i.lot_size);
  return `${i.freeze_quantity} (at most ${lots} lots = ${lots * i.lot_size} per order)`;
}

function typeLabel(i: InstrumentView): string {
  return i.segment === 'INDICES' ? 'INDEX' : i.instrument_type;
}

function isOption(i: InstrumentView): boolean {
  return i.instrument_type === 'CE' || i.instrument_type === 'PE';
}
