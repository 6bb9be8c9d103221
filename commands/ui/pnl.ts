import type { ResultOf } from '../../src/protocol/methods.js';
import { paint } from './color.js';
import { formatIst, formatRupees } from './format.js';
import { lineChart } from './line-chart.js';
import { renderTable } from './table.js';

/**
 * Profit or loss as people read it: always signed, so a glance tells a gain from a loss
 * without colour (+1,250.00, -300.50; nothing rounds to 0.00 with a sign), and green or red on
 * a colour terminal.
 */
export function formatPnl(value: number): string {
  const text = formatRupees(Math.abs(value));
  if (text === '0.00') return text;
  return value > 0 ? `+${text}` : `-${text}`;
}

/** {@link formatPnl}, painted green for a gain and red for a loss. */
export function pnlText(value: number): string {
  const text = formatPnl(value);
  if (text === '0.00') return text;
  return value > 0 ? paint.ok(text) : paint.bad(text);
}

const hhmm = (iso: string) => formatIst(iso).slice(11, 16);

function whose(r: { strategy: string | null }): string {
  return r.strategy === null ? 'the account' : `strategy ${r.strategy}`;
}

function summary(r: ResultOf<'pnl.show'>): string[] {
  const out: string[] = [];
  if (r.max) out.push(`high      ${pnlText(r.max.net)} at ${hhmm(r.max.at)} IST`);
  if (r.min) out.push(`low       ${pnlText(r.min.net)} at ${hhmm(r.min.at)} IST`);
  if (r.drawdown) {
    out.push(
      r.drawdown.amount > 0
        ? `drawdown  ${formatRupees(r.drawdown.amount)}, from ${hhmm(r.drawdown.from.at)} to ${hhmm(r.drawdown.to.at)} IST`
        : 'drawdown  none',
    );
  }
  return out;
}

/** `som pnl`: the day's snapshots as a table, then the high, low and drawdown. */
export function renderPnl(r: ResultOf<'pnl.show'>): string {
  if (r.points.length === 0) return `no P&L snapshots for ${whose(r)} on ${r.date}`;
  return [
    `P&L of ${whose(r)} on ${r.date} (IST)`,
    renderTable(
      ['time', 'realised', 'unrealised', 'charges', 'net', 'delta', 'theta'],
      r.points.map((p) => [
        `${hhmm(p.at)}${p.trigger === 'live' ? ' now' : ''}`,
        formatRupees(p.realised),
        formatRupees(p.unrealised),
        formatRupees(p.charges),
        pnlText(p.net),
        p.delta.toFixed(2),
        p.theta.toFixed(2),
      ]),
    ),
    ...summary(r),
  ].join('\n');
}

/** `som pnl --chart`: net P&L through the day as a line chart, with its high, low and drawdown. */
export function renderPnlChart(r: ResultOf<'pnl.show'>, columns: number): string {
  if (r.points.length === 0) return `no P&L snapshots for ${whose(r)} on ${r.date}`;
  const rows = lineChart(
    r.points.map((p) => p.net),
    { width: Math.max(20, columns - 16), height: 12, label: (v) => formatRupees(v) },
  );
  const first = r.points[0]!;
  const last = r.points[r.points.length - 1]!;
  const axisPad = rows[0]!.indexOf('┤') + 1;
  const span = Math.max(0, rows[0]!.length - axisPad);
  const timeAxis = `${' '.repeat(axisPad)}${hhmm(first.at)}${' '.repeat(Math.max(1, span - 10))}${hhmm(last.at)}`;
  return [`net P&L of ${whose(r)} on ${r.date} (IST)`, ...rows, timeAxis, '', ...summary(r)].join('\n');
}

/** `som greeks`: each option position with its inputs, then the net. */
export function renderGreeks(r: ResultOf<'pnl.greeks'>): string {
  const lines: string[] = [];
  if (r.positions.length === 0) lines.push(`no option positions for ${whose(r)}`);
  else {
    lines.push(
      renderTable(
        [
          'symbol',
          'qty',
          'type',
          'strike',
          'price',
          'underlying',
          'IV %',
          'days',
          'delta',
          'gamma',
          'theta/day',
          'vega/pt',
        ],
        r.positions.map((p) => [
          p.symbol,
          p.quantity,
          p.option_type,
          p.strike,
          p.price,
          p.underlying_price.toFixed(2),
          p.iv === null ? '-' : (p.iv * 100).toFixed(2),
          (p.t_years * 365).toFixed(2),
          p.delta.toFixed(4),
          p.gamma.toFixed(6),
          p.theta.toFixed(2),
          p.vega.toFixed(2),
        ]),
      ),
    );
  }
  lines.push(
    `net (x quantity x multiplier): delta ${r.net.delta.toFixed(2)}, gamma ${r.net.gamma.toFixed(4)}, theta ${formatRupees(r.net.theta)}/day, vega ${formatRupees(r.net.vega)}/point`,
  );
  const rate = r.positions[0]?.rate;
  if (rate !== undefined)
    lines.push(`rate ${(rate * 100).toFixed(2)}%, time to the expiry day's close (IST), days / 365`);
  for (const s of r.skipped) lines.push(`not valued: ${s.symbol}: ${s.message}`);
  return lines.join('\n');
}
