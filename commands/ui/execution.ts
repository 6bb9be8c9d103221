import type {
  AnalysisView,
  HeldView,
  QualityReportView,
  RespondResult,
  TradeResult,
} from '../../src/protocol/methods/execution.js';
import { type BoxLine, frame, labelled, wrap } from './box.js';
import { paint } from './color.js';
import { renderCostBox } from './cost-box.js';
import { formatIst, formatRupees } from './format.js';
import { renderTable } from './table.js';

/**
 * What smart execution shows a person: the analysis (the alert box when som would not simply
 * send the order), `som trade`'s confirmation and outcome, a held order's question, and the
 * execution-quality report. Numbers unrounded in JSON, rounded here only.
 */

const bps = (x: number) => `${x.toFixed(1)} bps`;
const pct = (x: number) => `${x < 0.1 ? x.toFixed(3) : x.toFixed(2)}%`;
const DECISION_WORDS: Record<AnalysisView['decision'], string> = {
  EXECUTE_MARKET: 'EXECUTE MARKET',
  EXECUTE_LIMIT: 'EXECUTE LIMIT',
  ALERT_USER_HIGH_COST: 'HIGH COST',
  REQUIRE_APPROVAL: 'REQUIRE APPROVAL',
};
/** The reasons that ask for an alert or approval (src/execution/decision.ts): marked ✗. */
const COSTLY_REASONS: ReadonlySet<string> = new Set([
  'SPREAD_ABOVE_LIMIT',
  'SPREAD_VERY_WIDE',
  'IMPACT_HIGH',
  'BOOK_INSUFFICIENT',
  'LIQUIDITY_BELOW_MINIMUM',
  'LIQUIDITY_ILLIQUID',
  'LIMIT_PARTIAL',
  'LIMIT_NOT_MARKETABLE',
  'LIMIT_NO_PRICE',
]);
/** The width reasons wrap at. */
const WRAP = 66;

function decisionMark(d: AnalysisView['decision']): string {
  const words = DECISION_WORDS[d];
  return d === 'EXECUTE_MARKET' || d === 'EXECUTE_LIMIT' ? paint.ok(`✓ ${words}`) : paint.bad(`⚠ ${words}`);
}

/** The market lines of an analysis: quote, spread, impact, liquidity, limit price. */
function marketLines(a: AnalysisView): string[] {
  const i = a.impact;
  const visibleFill =
    i.status === 'FILLED'
      ? `all ${i.filled_quantity} visible`
      : paint.bad(`${i.filled_quantity} of ${a.quantity} visible`);
  return labelled([
    [
      'Market',
      `bid ${formatRupees(a.quote.bid)}  ask ${formatRupees(a.quote.ask)}  mid ${formatRupees(a.quote.mid)}  last ${formatRupees(a.quote.last_price)}`,
    ],
    [
      '',
      paint.dim(`depth from ${a.quote.source === 'ticks' ? 'the live feed' : 'a quote'} at ${formatIst(a.quote.at)}`),
    ],
    [
      'Spread',
      `${formatRupees(a.spread.abs)} (${a.spread.ticks} tick${a.spread.ticks === 1 ? '' : 's'}, ${pct(a.spread.pct)})  ${a.spread.category}`,
    ],
    ['Impact', `VWAP ${i.vwap.toFixed(2)}  ${bps(i.bps)} vs mid  ${bps(i.bps_vs_touch)} past the touch`],
    [
      '',
      `${i.levels_used} level${i.levels_used === 1 ? '' : 's'}, ${visibleFill}, slippage ₹${formatRupees(i.slippage)}`,
    ],
    ['Liquidity', `${a.liquidity.score.toFixed(0)} / 100  ${a.liquidity.category}`],
    [
      'Limit price',
      a.limit.price === null
        ? paint.bad(`none: ${a.limit.problem ?? 'no valid price'}`)
        : `${formatRupees(a.limit.price)} (set by ${(a.limit.bound_by ?? 'depth').replace('_', ' ')}; fills ${a.limit.reachable_quantity} now)`,
    ],
  ]);
}

function reasonLines(a: AnalysisView): string[] {
  return [
    'Why',
    ...a.reasons.flatMap((r) => {
      const mark = COSTLY_REASONS.has(r.code) ? paint.bad('✗') : paint.ok('•');
      return wrap(`${mark} ${r.message}`, WRAP, '  ');
    }),
  ];
}

/** The seed's alert box: a decision that is not simply "send it", with the market and why. */
export function renderAlertBox(a: AnalysisView, extra: readonly BoxLine[] = []): string {
  return frame(`${decisionMark(a.decision)}: ${a.side} ${a.quantity} ${a.symbol}`, [
    ...marketLines(a),
    null,
    ...reasonLines(a),
    ...extra,
  ]);
}

/** `som analyze`: the alert box when som would hold or warn, a short verdict otherwise. */
export function renderAnalysis(a: AnalysisView): string {
  if (a.decision === 'EXECUTE_MARKET' || a.decision === 'EXECUTE_LIMIT') {
    const how =
      a.decision === 'EXECUTE_MARKET'
        ? 'som would send it as MARKET with protection'
        : `som would send it as LIMIT ${a.limit_price === null ? '' : formatRupees(a.limit_price)}`;
    return [
      `${decisionMark(a.decision)}: ${a.side} ${a.quantity} ${a.symbol} (analysis ${a.analysis_id}, strategy ${a.strategy}): ${how}`,
      ...marketLines(a),
    ].join('\n');
  }
  const note = a.hold ? `som trade would hold it for your answer` : `som trade would send it as LIMIT and tell you`;
  return renderAlertBox(a, [null, paint.dim(`analysis ${a.analysis_id}, strategy ${a.strategy}: ${note}`)]);
}

/** The choices of a held order, as the prompt and the alert list write them. */
export function heldChoices(held: HeldView): string {
  const limit = held.analysis.limit_price;
  return `Cancel / Use LIMIT${limit === null ? '' : ` ${formatRupees(limit)}`} / Proceed anyway`;
}

/** A held order's question: the alert box, the choices and the deadline. */
export function renderHeld(held: HeldView): string {
  return renderAlertBox(held.analysis, [
    null,
    ...(held.asked_again.length > 0
      ? wrap(paint.warn(`Asked again: the market got worse (${held.asked_again.join('; ')})`), WRAP, '  ')
      : []),
    `Held as alert ${held.alert_id}: ${heldChoices(held)}`,
    `Answer before ${formatIst(held.expires_at)}: som alerts respond ${held.alert_id} cancel|limit|proceed`,
    paint.dim('Unanswered, it is cancelled and never sent.'),
  ]);
}

/** `som trade`'s confirmation: every leg's analysis and how it would go out, then the costs and margin. */
export function renderTradePreview(r: TradeResult): string {
  const lines: BoxLine[] = [];
  for (const leg of r.legs) {
    if (lines.length > 0) lines.push(null);
    const p = leg.placement;
    const how = p.hold
      ? paint.bad(`held for your answer (${leg.analysis.decision})`)
      : `${p.order_type}${p.price === null ? ' with protection' : ` ${formatRupees(p.price)}`}`;
    lines.push(
      `${decisionMark(leg.analysis.decision)}  ${leg.side} ${leg.quantity} ${leg.symbol} ${leg.product}: ${how}`,
    );
    lines.push(...marketLines(leg.analysis));
  }
  const notices = r.notices.flatMap((n) => wrap(`${paint.warn('!')} ${n}`, WRAP, '  '));
  return [
    frame(`Trade for strategy ${r.strategy}`, [...lines, ...(notices.length ? [null, ...notices] : [])]),
    renderCostBox(r.costs),
  ].join('\n');
}

/** `som trade`'s outcome: the orders sent (and what is live after a refusal), or the held question. */
export function renderTradeResult(r: TradeResult): string {
  if (r.held) return renderHeld(r.held);
  const out: string[] = [];
  for (const leg of r.legs) {
    const o = leg.order;
    if (leg.status === 'sent') {
      out.push(
        `${paint.ok('sent')} ${leg.side} ${leg.quantity} ${leg.symbol}: order ${leg.order_id}` +
          (o
            ? ` ${o.order_type}${o.price ? ` ${formatRupees(o.price)}` : ''}, ${o.status}${o.filled_quantity ? `, filled ${o.filled_quantity} @ ${formatRupees(o.average_price)}` : ''}`
            : ''),
      );
    } else if (leg.status === 'failed') {
      out.push(`${paint.bad('refused')} ${leg.side} ${leg.quantity} ${leg.symbol}: ${leg.error?.message ?? ''}`);
    } else if (leg.status === 'not_sent') {
      out.push(`${paint.warn('not sent')} ${leg.side} ${leg.quantity} ${leg.symbol}`);
    }
  }
  if (r.bracket) {
    out.push(
      `bracket ${r.bracket.id}: as the entry fills, som places an OCO stop ${formatRupees(r.bracket.stop)} and target ${formatRupees(r.bracket.target)} for the filled quantity`,
    );
  }
  if (r.error) {
    out.push(
      paint.bad(`leg ${r.error.leg + 1} was refused, so the rest were not sent.`) +
        (r.live.length > 0
          ? ` Live now: ${r.live.map((l) => `${l.symbol} (order ${l.order_id})`).join(', ')}`
          : ' Nothing is live.'),
    );
  }
  out.push(...r.notices.map((n) => paint.warn(`! ${n}`)));
  return out.join('\n');
}

/** `som alerts respond`: what the answer did. */
export function renderRespond(r: RespondResult): string {
  const head = `alert ${r.alert_id} (held order ${r.held_order_id}): ${r.choice}`;
  if (r.outcome === 'cancelled') return `${head}: cancelled; nothing was sent`;
  if (r.outcome === 'asked_again' && r.held) return `${head}: the market got worse; asked again\n${renderHeld(r.held)}`;
  return `${head}: ${r.outcome}\n${r.trade ? renderTradeResult(r.trade) : ''}`.trimEnd();
}

function met(m: boolean | null): string {
  if (m === null) return paint.dim('no data');
  return m ? paint.ok('met') : paint.bad('not met');
}

/** `som report execution`: the success metrics, the decisions, then each filled order. */
export function renderQualityReport(r: QualityReportView): string {
  const s = r.slippage;
  const e = r.at_expected_or_better;
  const a = r.alert_response;
  const head = labelled([
    ['Period', `since ${formatIst(r.since)}${r.strategy ? `, strategy ${r.strategy}` : ''}`],
    ['Orders analysed', `${r.analysed} (${r.filled} filled at once, ${r.resting} resting or stops)`],
    [
      'Decisions',
      Object.entries(r.decisions)
        .map(([d, n]) => `${d} ${n}`)
        .join(', ') +
        (Object.keys(r.refused).length
          ? `; refused ${Object.entries(r.refused)
              .map(([c, n]) => `${c} ${n}`)
              .join(', ')}`
          : ''),
    ],
    [
      'Slippage, liquid',
      `${s.liquid.avg_bps === null ? '-' : bps(s.liquid.avg_bps)} over ${s.liquid.count} (target < ${bps(s.liquid.target_bps)}): ${met(s.liquid.met)}`,
    ],
    ['Slippage, all', `${s.all.avg_bps === null ? '-' : bps(s.all.avg_bps)} over ${s.all.count}`],
    [
      'At expected or better',
      `${e.pct === null ? '-' : pct(e.pct)} (${e.count} of ${e.of}; target ${e.target_pct}%): ${met(e.met)}`,
    ],
    [
      'Alert response',
      `${a.pct === null ? '-' : pct(a.pct)} (${a.answered} answered, ${a.expired} expired, ${a.open} open; target > ${a.target_pct}%): ${met(a.met)}` +
        (a.median_response_ms === null ? '' : `, median ${(a.median_response_ms / 1000).toFixed(1)} s`),
    ],
    [
      'Prediction error',
      r.prediction_error.mean_bps === null
        ? '-'
        : `mean ${bps(r.prediction_error.mean_bps)}, mean absolute ${bps(r.prediction_error.mean_abs_bps ?? 0)} over ${r.prediction_error.count}`,
    ],
  ]).join('\n');
  if (r.orders.length === 0) return head;
  const table = renderTable(
    [
      'time',
      'symbol',
      'side',
      'type',
      'decision',
      'filled',
      'avg',
      'arrival mid',
      'predicted',
      'vs mid',
      'vs predicted',
    ],
    r.orders.map((o) => [
      formatIst(o.at).replace(/ IST$/, ''),
      o.symbol,
      o.side,
      o.order_type,
      o.decision,
      o.filled_quantity,
      formatRupees(o.average_price),
      formatRupees(o.arrival_mid),
      o.predicted_vwap === null ? '-' : o.predicted_vwap.toFixed(2),
      bps(o.vs_arrival_bps),
      o.vs_predicted_bps === null ? '-' : bps(o.vs_predicted_bps),
    ]),
  );
  return `${head}\n${table}`;
}
