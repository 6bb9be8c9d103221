import type { MarginCheckView, SegmentFunds } from '../../src/protocol/methods/costs.js';
import type { ResultOf } from '../../src/protocol/methods.js';
import { paint } from './color.js';
import { formatRupees } from './format.js';
import { num, renderRecord, renderTable } from './table.js';

function marginMark(m: MarginCheckView): string {
  return m.can_execute ? paint.ok('✓ OK') : paint.bad('✗ NOT OK');
}

/** `som margin`: the legs, open and proposed, then what they need against the free margin. */
export function renderMarginCalculation(r: ResultOf<'margin.calculate'>): string {
  const who = r.strategy === null ? 'the account' : `strategy ${r.strategy}`;
  if (r.legs.length === 0) return `${who}: no open legs and none proposed`;
  const parts = [
    renderTable(
      ['', 'symbol', 'side', num('qty'), 'product', num('price')],
      r.legs.map((l) => [
        l.source === 'position' ? 'open' : 'proposed',
        `${l.exchange}:${l.tradingsymbol}`,
        l.side,
        l.quantity,
        l.product,
        l.price === null ? 'last' : formatRupees(l.price),
      ]),
    ),
  ];
  const record: [string, string][] = [];
  if (r.open)
    record.push([`open legs (${who})`, `${formatRupees(r.open.final)}  (legs alone ${formatRupees(r.open.initial)})`]);
  if (r.with_proposed)
    record.push([
      'open + proposed',
      `${formatRupees(r.with_proposed.final)}  (legs alone ${formatRupees(r.with_proposed.initial)})`,
    ]);
  if (r.margin) {
    const m = r.margin;
    record.push(
      ['proposed needs', `${formatRupees(m.required)}  (on top of the account's positions)`],
      ['available', formatRupees(m.available)],
      ['remaining', formatRupees(m.remaining)],
      [`with ${m.margin_buffer_pct}% buffer`, `${formatRupees(m.required_with_buffer)}  ${marginMark(m)}`],
    );
  }
  parts.push(renderRecord(record));
  if (r.warnings.length) parts.push(r.warnings.map((w) => `${paint.warn('!')} ${w.code}: ${w.message}`).join('\n'));
  return parts.join('\n\n');
}

/** `som funds`: each fund segment's free and used margin side by side. */
export function renderFunds(r: ResultOf<'margin.available'>): string {
  const segments = (['equity', 'commodity'] as const).filter((s) => r[s] !== null);
  if (segments.length === 0) return 'the broker reported no fund segments';
  const cell = (s: SegmentFunds | null, read: (f: SegmentFunds) => number) => (s ? formatRupees(read(s)) : '-');
  const rows: [string, (f: SegmentFunds) => number][] = [
    ['available (net)', (f) => f.net],
    ['cash', (f) => f.cash],
    ['opening balance', (f) => f.opening_balance],
    ['collateral', (f) => f.collateral],
    ['intraday pay-in', (f) => f.intraday_payin],
    ['used', (f) => f.used],
  ];
  return renderTable(
    ['', ...segments.map((s) => num(r[s]!.enabled ? s : `${s} (not enabled)`))],
    rows.map(([label, read]) => [label, ...segments.map((s) => cell(r[s], read))]),
  );
}
