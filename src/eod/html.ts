import { istTime, istTimestamp } from '../market/ist.js';
import { formatRupees } from '../util/rupees.js';
import type { ChargesByKind, EodMetric, EodReport, M2mSeries } from './types.js';

/**
 * The end-of-day report as one self-contained HTML file: styles inline, the M2M chart as inline
 * SVG, no script, no fetch, no font or image from anywhere, so it opens offline years later.
 * Money is rounded to the paisa here only; times are shown in IST.
 */

/** Line colours of the chart's series, in order (distinct on screen and in print). */
export const SERIES_COLOURS = ['#1f6feb', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#0b7285', '#5c940d', '#e67700'];

const CHART = { width: 960, height: 320, left: 96, right: 24, top: 20, bottom: 40 } as const;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A P&L figure, green or red by its sign. */
const pnl = (n: number) => `<td class="num ${n < 0 ? 'loss' : n > 0 ? 'gain' : ''}">${formatRupees(n)}</td>`;
/** An amount that is neither gain nor loss (charges). */
const amount = (n: number) => `<td class="num">${formatRupees(n)}</td>`;
const plain = (n: number | string | null) => `<td class="num">${n === null ? '-' : escapeHtml(String(n))}</td>`;
const text = (t: string | null) => `<td>${escapeHtml(t ?? '-')}</td>`;
const time = (iso: string) => `${istTime(new Date(iso))}`;

function table(caption: string, head: readonly string[], rows: readonly string[], empty: string): string {
  if (rows.length === 0)
    return `<section><h2>${escapeHtml(caption)}</h2><p class="none">${escapeHtml(empty)}</p></section>`;
  return `<section><h2>${escapeHtml(caption)}</h2><table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table></section>`;
}

function niceStep(span: number): number {
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

/** The day's M2M per strategy as an SVG line chart, time across (IST), rupees up. */
export function m2mChart(series: readonly M2mSeries[]): string {
  const points = series.flatMap((s) => s.points);
  if (points.length === 0) return '<p class="none">no P&amp;L points this day</p>';
  const times = points.map((p) => Date.parse(p.at));
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const values = points.map((p) => p.pnl);
  let [lo, hi] = [Math.min(0, ...values), Math.max(0, ...values)];
  if (hi - lo < 1) [lo, hi] = [lo - 1, hi + 1];
  const step = niceStep(hi - lo);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const { width, height, left, right, top, bottom } = CHART;
  const x = (t: number) => left + ((t - t0) / Math.max(1, t1 - t0)) * (width - left - right);
  const y = (v: number) => top + ((hi - v) / (hi - lo)) * (height - top - bottom);
  const grid: string[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) {
    grid.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="${Math.abs(v) < step / 2 ? 'zero' : 'grid'}"/>`,
      `<text x="${left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatRupees(v)}</text>`,
    );
  }
  const ticks = 6;
  // Minutes on a day's chart; seconds too when it spans less than a quarter of an hour.
  const clock = (t: number) => time(new Date(t).toISOString()).slice(0, t1 - t0 < 15 * 60_000 ? 8 : 5);
  for (let i = 0; i <= ticks; i++) {
    const t = t0 + ((t1 - t0) * i) / ticks;
    grid.push(`<text x="${x(t).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle">${clock(t)}</text>`);
  }
  const lines = series.map((s, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length]!;
    const path = s.points.map((p) => `${x(Date.parse(p.at)).toFixed(1)},${y(p.pnl).toFixed(1)}`).join(' ');
    return `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="3" data-strategy="${escapeHtml(s.strategy)}"/>`;
  });
  const legend = series
    .map(
      (s, i) =>
        `<span class="key"><span class="swatch" style="background:${SERIES_COLOURS[i % SERIES_COLOURS.length]}"></span>${escapeHtml(s.strategy)}</span>`,
    )
    .join('');
  return `<svg id="m2m" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="M2M by strategy">
<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" class="plot"/>
${grid.join('\n')}
${lines.join('\n')}
</svg><div class="legend">${legend}</div>`;
}

const CHARGE_KINDS: readonly [keyof ChargesByKind, string][] = [
  ['brokerage', 'brokerage'],
  ['transaction_tax', 'STT/CTT'],
  ['exchange_turnover_charge', 'exchange'],
  ['sebi_turnover_charge', 'SEBI'],
  ['stamp_duty', 'stamp duty'],
  ['gst', 'GST'],
  ['total', 'total'],
];

function metricRow(name: string, m: EodMetric, unit: string): string {
  const value = m.value === null ? '-' : `${Number(m.value.toFixed(2))}${unit}`;
  const verdict = m.met === null ? 'not measured' : m.met ? 'met' : 'missed';
  return `${text(name)}${plain(value)}${plain(`${m.target}${unit}`)}<td class="${m.met === false ? 'loss' : ''}">${verdict}</td>${text(m.detail)}`;
}

/** The whole report as an HTML document (see the module comment). */
export function renderEodHtml(report: EodReport): string {
  const r = report;
  const t = r.totals;
  const strategyRows = r.strategies.map(
    (s) =>
      `${text(s.strategy)}${plain(s.trades.length)}${pnl(s.realised)}${pnl(s.unrealised)}${pnl(s.gross)}${amount(s.charges.total)}${pnl(s.net)}`,
  );
  strategyRows.push(
    `<th>all</th>${plain(t.trades)}${pnl(t.realised)}${pnl(t.unrealised)}${pnl(t.gross)}${amount(t.charges.total)}${pnl(t.net)}`,
  );
  const chargeRows = [...r.strategies.map((s) => [s.strategy, s.charges] as const), ['all', t.charges] as const].map(
    ([name, c]) => `${text(name)}${CHARGE_KINDS.map(([k]) => amount(c[k])).join('')}`,
  );
  const tradeRows = r.strategies.flatMap((s) =>
    s.trades.map(
      (f) =>
        `${text(s.strategy)}${text(time(f.at))}${text(f.order_id)}${text(`${f.exchange}:${f.tradingsymbol}`)}${text(f.product)}${text(f.side)}${plain(f.quantity)}${f.price === null ? plain('adopted') : plain(f.price)}`,
    ),
  );
  const carriedRows = r.carried.map((c) => {
    const protection =
      c.protection.length === 0
        ? 'none'
        : c.protection
            .map(
              (p) =>
                `${p.role} ${p.order_type} ${p.side} ${p.quantity}${p.trigger_price ? ` @${p.trigger_price}` : ''}${p.price ? ` ${p.price}` : ''} (${p.order_id})`,
            )
            .join('; ');
    return `${text(c.strategy)}${text(`${c.exchange}:${c.tradingsymbol}`)}${text(c.product)}${plain(c.quantity)}<td class="${c.protection.length === 0 ? 'loss' : ''}">${escapeHtml(protection)}</td>`;
  });
  const m = r.metrics;
  const rec = r.reconciliation;
  const counts = Object.entries(rec.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const alertRow = (a: EodReport['alerts'][number]) =>
    `${text(time(a.at))}${text(a.priority)}${text(a.type)}${text(a.strategy)}${text(a.title)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>som end of day ${escapeHtml(r.trading_day)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:2px solid #d0d7de;padding-bottom:4px}
.sub{color:#57606a;margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:140px}
.card b{display:block;font-size:18px}
table{border-collapse:collapse;min-width:50%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
thead th{background:#1f2937;color:#fff}td.num{text-align:right;font-variant-numeric:tabular-nums}
.gain{color:#1a7f37}.loss{color:#cf222e}.none{color:#57606a;font-style:italic}
svg text{font-size:12px;fill:#57606a}.plot{fill:#f6f8fa;stroke:#d0d7de}.grid{stroke:#d8dee4;stroke-width:1}.zero{stroke:#57606a;stroke-width:1.5}
.legend{margin-top:6px}.key{margin-right:16px}.swatch{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:-2px;border-radius:2px}
</style></head><body>
<h1>End of day ${escapeHtml(r.trading_day)}</h1>
<p class="sub">${r.preliminary ? 'preliminary: built before the end-of-day run, ' : ''}generated ${escapeHtml(istTimestamp(new Date(r.generated_at)))} IST</p>
<div class="cards">
<div class="card">net P&amp;L<b class="${t.net < 0 ? 'loss' : 'gain'}">${formatRupees(t.net)}</b></div>
<div class="card">realised<b>${formatRupees(t.realised)}</b></div>
<div class="card">unrealised<b>${formatRupees(t.unrealised)}</b></div>
<div class="card">charges<b>${formatRupees(t.charges.total)}</b></div>
<div class="card">trades<b>${t.trades}</b></div>
</div>
<section><h2>M2M (${r.m2m.source === 'snapshots' ? 'P&amp;L snapshots' : 'reckoned at each fill and at the close'})</h2>${m2mChart(r.m2m.series)}</section>
${table('P&L by strategy', ['strategy', 'trades', 'realised', 'unrealised', 'gross', 'charges', 'net'], strategyRows.length > 1 ? strategyRows : [], 'no strategy traded this day')}
${table(
  'Charges by kind',
  ['strategy', ...CHARGE_KINDS.map(([, name]) => name)],
  r.strategies.length > 0 ? chargeRows : [],
  'no charges',
)}
${table('Trades', ['strategy', 'time (IST)', 'order', 'instrument', 'product', 'side', 'quantity', 'price'], tradeRows, 'no trades')}
${table('Open positions carried overnight', ['strategy', 'instrument', 'product', 'quantity', 'protective orders'], carriedRows, 'nothing carried overnight')}
${table(
  'Success metrics',
  ['metric', 'value', 'target', 'verdict', 'detail'],
  [
    metricRow('pre-trade cost breakdowns', m.cost_breakdown_coverage, '%'),
    metricRow('margin accuracy', m.margin_accuracy, '%'),
    metricRow('discrepancies at end of day', m.discrepancies_at_eod, ''),
  ],
  '',
)}
<section><h2>Reconciliation</h2><p>${rec.rounds} rounds; ${rec.found} discrepancies found${counts ? ` (${escapeHtml(counts)})` : ''}, ${rec.healed} healed, ${rec.unhealed} not healed${rec.unhealed_at_close.length ? `; left at the close: ${escapeHtml(rec.unhealed_at_close.join(', '))}` : ''}. Orders: ${r.orders.total} recorded, ${r.orders.matched === null ? 'not matched (the broker was not read)' : `${r.orders.matched} found in the broker's order book`}${r.orders.unmatched.length ? ` (not found: ${escapeHtml(r.orders.unmatched.join(', '))})` : ''}; ${r.orders.archived} completed orders archived.</p></section>
${table(
  'Orphans handled',
  ['time (IST)', 'strategy', 'order', 'reason', 'action', 'result'],
  r.orphans.map(
    (o) =>
      `${text(time(o.at))}${text(o.strategy)}${text(o.order_id)}${text(o.reason)}${text(o.action)}${text(o.result)}`,
  ),
  'no orphans',
)}
${table('Alerts raised', ['time (IST)', 'priority', 'type', 'strategy', 'title'], r.alerts.map(alertRow), 'no alerts')}
${r.risk_breaches.length > 0 ? table('Risk breaches', ['time (IST)', 'priority', 'type', 'strategy', 'title'], r.risk_breaches.map(alertRow), '') : ''}
</body></html>
`;
}
