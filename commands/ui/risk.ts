import type { LimitView, RiskScopeView } from '../../src/protocol/methods/risk.js';
import type { ResultOf } from '../../src/protocol/methods.js';
import { paint } from './color.js';
import { formatIst, formatRupees } from './format.js';
import { renderTable } from './table.js';

/** A limit's figure in its own unit: rupees for the loss limits, % or a count for the rest. */
function figure(key: string, v: number): string {
  if (key === 'max_loss_per_strategy_abs' || key === 'max_daily_loss') return formatRupees(v);
  if (key.endsWith('_pct')) return `${Number(v.toFixed(2))}%`;
  return String(Number(v.toFixed(2)));
}

const level = (l: LimitView) =>
  l.level === 'breach' ? paint.bad('BREACH') : l.level === 'warn' ? paint.warn('warn') : paint.ok('ok');

function state(s: { state: string; reason: string | null }): string {
  const text = s.reason ? `${s.state} (${s.reason})` : s.state;
  return s.state === 'ACTIVE' ? paint.ok(text) : s.state === 'HALTED' ? paint.bad(text) : paint.warn(text);
}

function limitRows(who: string, v: RiskScopeView): (string | number)[][] {
  return v.limits.map((l) => [
    who,
    l.key + (l.subject ? ` (${l.subject})` : ''),
    figure(l.key, l.value),
    figure(l.key, l.limit),
    `${l.headroom_pct.toFixed(1)}%`,
    level(l),
  ]);
}

/** `som risk`: each scope's state and P&L, every limit with its headroom, recent breaches, square-offs and the MIS timetable. */
export function renderRisk(r: ResultOf<'risk.status'>): string {
  const scopes = [r.account, ...r.strategies];
  const out = [
    renderTable(
      ['scope', 'state', 'since', 'P&L today', 'status'],
      scopes.map((s) => [
        s.strategy ?? 'account',
        state(s),
        formatIst(s.since),
        formatRupees(s.pnl.net),
        s.risk_status + (s.acknowledged.length > 0 ? ` (acknowledged: ${s.acknowledged.join(', ')})` : ''),
      ]),
    ),
    renderTable(
      ['scope', 'limit', 'value', 'limit', 'headroom', 'level'],
      scopes.flatMap((s) => limitRows(s.strategy ?? 'account', s)),
    ),
  ];
  out.push(
    r.breaches.length === 0
      ? 'no breaches recorded'
      : renderTable(
          ['time', 'scope', 'limit', 'level', 'value', 'limit', 'action'],
          r.breaches.map((b) => [
            formatIst(b.at),
            b.strategy ?? 'account',
            b.key,
            b.level,
            figure(b.key, b.value),
            figure(b.key, b.limit),
            b.action,
          ]),
        ),
  );
  if (r.square_offs.length > 0) {
    out.push(
      renderTable(
        ['run', 'strategy', 'cause', 'status', 'started', 'escalates', 'result'],
        r.square_offs.map((q) => [
          q.id,
          q.strategy,
          q.cause,
          q.status,
          formatIst(q.started_at),
          formatIst(q.escalate_at),
          q.note ?? '',
        ]),
      ),
    );
  }
  if (r.armed_exits.length > 0) {
    out.push(
      renderTable(
        ['exit armed', 'strategy', 'product', 'tag'],
        r.armed_exits.map((a) => [`${a.exchange}:${a.tradingsymbol}`, a.strategy, a.product, a.tag]),
      ),
    );
  }
  const hm = (iso: string | null) => (iso ? formatIst(iso).slice(11, 16) : '-');
  out.push(
    renderTable(
      ['MIS segment', 'today', 'warn', 'start', 'force', 'broker'],
      r.mis.map((m) => [m.segment, m.phase, hm(m.warn), hm(m.start), hm(m.force), hm(m.broker)]),
    ),
  );
  return out.join('\n\n');
}

/** `som halt`: what is halted, what was cancelled, the square-off started. */
export function renderHalt(r: ResultOf<'risk.halt'>): string {
  return [
    `${r.scope} ${state(r)}${r.note ? `: ${r.note}` : ''}`,
    r.cancelled.length > 0 ? `cancelled entries: ${r.cancelled.join(', ')}` : 'no working entries to cancel',
    ...(r.square_off_runs.length > 0 ? [`squaring off: run ${r.square_off_runs.join(', ')} (see som risk)`] : []),
  ].join('\n');
}

/** `som resume`: what is ACTIVE again. */
export function renderResume(r: ResultOf<'risk.resume'>): string {
  if (r.resumed.length === 0) return 'nothing resumed';
  return r.resumed.map((s) => `${s.scope} ${state(s)}`).join('\n');
}

/** The lines `som status` adds: each scope's state and its smallest headroom. */
export function riskStatusLines(risk: NonNullable<ResultOf<'system.status'>['risk']>): [string, string][] {
  const line = (s: { state: string; reason: string | null; headroom_pct: number }) =>
    `${state(s)}, headroom ${s.headroom_pct.toFixed(1)}%`;
  return [
    ['risk', `account ${line(risk.account)}`],
    ...risk.strategies.map((s): [string, string] => [`  ${s.strategy}`, line(s)]),
  ];
}
