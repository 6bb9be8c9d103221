import type { CostsResult } from '../../src/protocol/methods/costs.js';
import { paint } from './color.js';
import { formatRupees } from './format.js';

/**
 * The pre-trade confirmation box of `som costs`: the legs, every charge at entry and at exit,
 * the totals, the margin with a clear ok / not-ok mark, and the warnings. Rupees with Indian
 * digit grouping, rounded to the paisa only here.
 */

type Charges = CostsResult['legs'][number]['charges'];

/** The charge rows, in contract-note order, each read from Kite's charges shape. */
const CHARGE_ROWS: readonly [label: string, read: (c: Charges) => number][] = [
  ['Brokerage', (c) => c.brokerage],
  ['STT/CTT', (c) => c.transaction_tax],
  ['Exchange transaction charges', (c) => c.exchange_turnover_charge],
  ['SEBI turnover fee', (c) => c.sebi_turnover_charge],
  ['Stamp duty', (c) => c.stamp_duty],
  ['GST', (c) => c.gst.total],
];

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
/** Width on screen: colour codes take none. */
const visible = (s: string) => s.replace(ANSI, '').length;
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - visible(s)));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - visible(s))) + s;

/** A block of the box: its lines, or a rule between blocks (null). */
type Line = string | null;

function columns(rows: string[][], align: ('l' | 'r')[]): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? ''))));
  return rows.map((r) =>
    r
      .map((cell, i) => (align[i] === 'r' ? padStart(cell, widths[i]!) : padEnd(cell, widths[i]!)))
      .join('   ')
      .trimEnd(),
  );
}

function frame(title: string, lines: Line[]): string {
  const inner = Math.max(visible(title) + 2, ...lines.map((l) => (l === null ? 0 : visible(l))));
  const out = [`┌─ ${title} ${'─'.repeat(Math.max(0, inner - visible(title) - 1))}┐`];
  for (const l of lines) out.push(l === null ? `├${'─'.repeat(inner + 2)}┤` : `│ ${padEnd(l, inner)} │`);
  out.push(`└${'─'.repeat(inner + 2)}┘`);
  return out.join('\n');
}

function legLines(r: CostsResult): string[] {
  const heads = columns(
    r.legs.map((l) => [l.side, String(l.quantity), l.symbol, l.product, `@ ${formatRupees(l.price)}`]),
    ['l', 'r', 'l', 'l', 'r'],
  );
  return r.legs.flatMap((l, i) => [
    heads[i]!,
    paint.dim(
      `  value ${formatRupees(l.order_value)}, exit @ ${formatRupees(l.exit.price)}, breakeven ${l.breakeven === null ? 'none (charges exceed the premium)' : formatRupees(l.breakeven)}`,
    ),
  ]);
}

function chargeLines(r: CostsResult): string[] {
  const sum = (read: (c: Charges) => number, side: 'entry' | 'exit') =>
    r.legs.reduce((acc, l) => acc + read(side === 'entry' ? l.charges : l.exit.charges), 0);
  const rows: string[][] = [['', 'entry', 'exit', 'round trip']];
  for (const [label, read] of CHARGE_ROWS) {
    const entry = sum(read, 'entry');
    const exit = sum(read, 'exit');
    rows.push([label, formatRupees(entry), formatRupees(exit), formatRupees(entry + exit)]);
  }
  const entryTotal = sum((c) => c.total, 'entry');
  const exitTotal = sum((c) => c.total, 'exit');
  rows.push([
    paint.bold('Total charges'),
    paint.bold(formatRupees(entryTotal)),
    paint.bold(formatRupees(exitTotal)),
    paint.bold(formatRupees(r.round_trip_charges)),
  ]);
  return columns(rows, ['l', 'r', 'r', 'r']);
}

function costLines(r: CostsResult): string[] {
  return columns(
    [
      ['Order value', formatRupees(r.breakdown.order_value)],
      ['Entry cost', formatRupees(r.total_entry_cost)],
      ['Exit cost', formatRupees(r.total_exit_cost)],
    ],
    ['l', 'r'],
  );
}

function marginLines(r: CostsResult): string[] {
  const m = r.margin;
  if (!m) {
    const why = r.warnings.some((w) => w.code === 'MARGIN_SKIPPED') ? 'see the warnings' : 'charges only';
    return [paint.dim(`Margin: not calculated (${why})`)];
  }
  const mark = m.can_execute
    ? paint.ok('✓ OK: the account can carry this trade')
    : paint.bad('✗ NOT OK: not enough free margin for this trade');
  const rows: string[][] = [
    ['Margin required', formatRupees(m.required), paint.dim(`legs alone ${formatRupees(m.initial)}`)],
    ['Margin available', formatRupees(m.available), ''],
    ['Margin remaining', m.remaining < 0 ? paint.bad(formatRupees(m.remaining)) : formatRupees(m.remaining), ''],
    [
      `Required + ${m.margin_buffer_pct}% buffer`,
      formatRupees(m.required_with_buffer),
      paint.dim(`strategy ${m.strategy}`),
    ],
  ];
  if (m.utilization_pct !== null) {
    rows.push([
      'Utilisation after',
      `${m.utilization_pct.toFixed(2)}%`,
      paint.dim(`limit ${m.max_margin_utilization_pct}%`),
    ]);
  }
  const lines = columns(rows, ['l', 'r', 'l']);
  if (m.segments.length > 1) {
    for (const s of m.segments) {
      lines.push(
        `  ${s.segment}: required ${formatRupees(s.required)}, available ${formatRupees(s.available)}, ` +
          (s.can_execute ? paint.ok('ok') : paint.bad('not ok')),
      );
    }
  }
  lines.push(mark);
  return lines;
}

/** Warnings wrap to the box's width (at least {@link MIN_WRAP}) with a hanging indent. */
const MIN_WRAP = 60;

function wrap(text: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (visible(next) > width && line !== '') {
      out.push(line);
      line = indent + word;
    } else line = next;
  }
  out.push(line);
  return out;
}

function warningLines(r: CostsResult, width: number): string[] {
  if (r.warnings.length === 0) return [];
  return ['Warnings', ...r.warnings.flatMap((w) => wrap(`${paint.warn('!')} ${w.code}: ${w.message}`, width, '  '))];
}

/** The whole box for a `costs.calculate` result. */
export function renderCostBox(r: CostsResult): string {
  const body: Line[] = [...legLines(r), null, ...chargeLines(r), null, ...costLines(r), null, ...marginLines(r)];
  const width = Math.max(MIN_WRAP, ...body.map((l) => (l === null ? 0 : visible(l))));
  const warnings = warningLines(r, width);
  return frame(`Pre-trade costs, trade date ${r.date}`, [...body, ...(warnings.length ? [null, ...warnings] : [])]);
}
