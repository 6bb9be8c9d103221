import type { EodMetric, EodReport } from '../../src/eod/types.js';
import { formatIst, formatRupees } from './format.js';
import { renderTable } from './table.js';

function metric(name: string, m: EodMetric, unit: string): string[] {
  const value = m.value === null ? '-' : `${Number(m.value.toFixed(2))}${unit}`;
  return [name, value, `${m.target}${unit}`, m.met === null ? 'not measured' : m.met ? 'met' : 'MISSED', m.detail];
}

/** The end-of-day report for a person at a terminal. */
export function renderEod(r: EodReport, htmlPath: string | null): string {
  const t = r.totals;
  const lines = [
    `End of day ${r.trading_day}${r.preliminary ? ' (preliminary: the end-of-day run has not stored this day yet)' : ''}`,
    `net ${formatRupees(t.net)} = realised ${formatRupees(t.realised)} + unrealised ${formatRupees(t.unrealised)} - charges ${formatRupees(t.charges.total)}; ${t.trades} trades`,
  ];
  if (r.strategies.length > 0) {
    lines.push(
      renderTable(
        ['strategy', 'trades', 'realised', 'unrealised', 'gross', 'charges', 'net'],
        r.strategies.map((s) => [
          s.strategy,
          s.trades.length,
          formatRupees(s.realised),
          formatRupees(s.unrealised),
          formatRupees(s.gross),
          formatRupees(s.charges.total),
          formatRupees(s.net),
        ]),
      ),
      renderTable(
        ['strategy', 'brokerage', 'STT/CTT', 'exchange', 'SEBI', 'stamp', 'GST', 'total'],
        r.strategies.map((s) => [
          s.strategy,
          ...[
            s.charges.brokerage,
            s.charges.transaction_tax,
            s.charges.exchange_turnover_charge,
            s.charges.sebi_turnover_charge,
            s.charges.stamp_duty,
            s.charges.gst,
            s.charges.total,
          ].map(formatRupees),
        ]),
      ),
    );
  } else {
    lines.push('no strategy traded this day');
  }
  lines.push(
    r.carried.length === 0
      ? 'nothing carried overnight'
      : renderTable(
          ['carried overnight', 'instrument', 'product', 'quantity', 'protection'],
          r.carried.map((c) => [
            c.strategy,
            `${c.exchange}:${c.tradingsymbol}`,
            c.product,
            c.quantity,
            c.protection.length === 0
              ? 'NONE'
              : c.protection.map((p) => `${p.role} ${p.order_type} ${p.quantity} (${p.order_id})`).join('; '),
          ]),
        ),
    renderTable(
      ['metric', 'value', 'target', 'verdict', 'detail'],
      [
        metric('pre-trade cost breakdowns', r.metrics.cost_breakdown_coverage, '%'),
        metric('margin accuracy', r.metrics.margin_accuracy, '%'),
        metric('discrepancies at end of day', r.metrics.discrepancies_at_eod, ''),
      ],
    ),
    `reconciliation: ${r.reconciliation.rounds} rounds, ${r.reconciliation.found} found, ${r.reconciliation.healed} healed, ${r.reconciliation.unhealed} not healed; ` +
      `orders: ${r.orders.total} recorded${r.orders.matched === null ? '' : `, ${r.orders.matched} matched in the broker's book`}, ${r.orders.archived} archived`,
    `orphans handled: ${r.orphans.length}; alerts raised: ${r.alerts.length}${r.risk_breaches.length ? `; risk breaches: ${r.risk_breaches.length}` : ''}`,
    `generated ${formatIst(r.generated_at)}${htmlPath ? `; HTML: ${htmlPath}` : ''}`,
  );
  return lines.join('\n');
}
