import { istDate } from '../../src/market/ist.js';
import { m2mSummary } from '../../src/pnl/m2m.js';
import { SomError } from '../../src/protocol/errors.js';
import type { LimitView, RiskScopeView } from '../../src/protocol/methods/risk.js';
import type { ResultOf } from '../../src/protocol/methods.js';
import type { BookPnl } from '../../src/risk/book.js';
import type { RiskState } from '../../src/risk/trading-state.js';
import type { LimitStatus } from '../../src/risk/types.js';
import { listSnapshots } from '../../src/store/pnl-snapshots.js';
import { recentBreaches } from '../../src/store/risk.js';
import { recentSquareOffs } from '../../src/store/square-off.js';
import { findStrategy } from '../../src/store/strategies.js';
import type { DaemonContext } from '../context.js';
import type { ScopeView } from '../risk/risk-monitor.js';
import type { Handler } from './index.js';

/** Breaches and square-offs `som risk` lists, newest first. */
const RECENT_BREACHES = 20;
const RECENT_SQUARE_OFFS = 10;

async function strategyIdOf(ctx: DaemonContext, ref: string | number | undefined): Promise<number | null> {
  return ref === undefined ? null : (await findStrategy(ctx.store.db, ref)).id;
}

export function limitView(l: LimitStatus): LimitView {
  return {
    key: l.key,
    limit: l.limit,
    value: l.value,
    headroom_pct: l.headroom_pct,
    level: l.level,
    ...(l.subject === undefined ? {} : { subject: l.subject }),
  };
}

function scopeView(v: ScopeView): RiskScopeView {
  return {
    strategy: v.strategy,
    state: v.state.state,
    reason: v.state.reason,
    since: v.state.since,
    note: v.state.note,
    acknowledged: v.state.acknowledged,
    risk_status: v.risk_status,
    pnl: pnlView(v.pnl),
    limits: v.limits.map(limitView),
  };
}

const pnlView = (p: BookPnl) => ({ realised: p.realised, unrealised: p.unrealised, charges: p.charges, net: p.net });

/** `account`, or the strategy's name. */
function scopeName(ctx: DaemonContext, strategyId: number | null): string {
  return strategyId === null ? 'account' : (ctx.risk.monitor.strategies().get(strategyId)?.name ?? String(strategyId));
}

function stateView(scope: string, s: RiskState) {
  return { scope, state: s.state, reason: s.reason, since: s.since, note: s.note };
}

const status: Handler<'risk.status'> = async (_params, ctx) => {
  const view = await ctx.risk.monitor.view();
  return {
    account: scopeView(view.account),
    strategies: view.strategies.map(scopeView),
    breaches: await recentBreaches(ctx.store.db, RECENT_BREACHES),
    square_offs: (await recentSquareOffs(ctx.store.db, RECENT_SQUARE_OFFS)).map((r) => ({
      id: r.id,
      strategy: r.strategy,
      cause: r.cause,
      status: r.status,
      started_at: r.started_at,
      escalate_at: r.escalate_at,
      finished_at: r.finished_at,
      note: r.note,
    })),
    armed_exits: ctx.risk.engine.armed.map((a) => ({
      strategy: scopeName(ctx, a.strategy_id),
      exchange: a.exchange,
      tradingsymbol: a.tradingsymbol,
      product: a.product,
      tag: a.tag,
      armed_at: a.armed_at,
    })),
    mis: ctx.risk.mis.status().map((s) => ({
      segment: s.segment,
      date: s.date,
      phase: s.phase,
      warn: s.day?.warn.toISOString() ?? null,
      start: s.day?.start.toISOString() ?? null,
      force: s.day?.force.toISOString() ?? null,
      broker: s.day?.broker.toISOString() ?? null,
    })),
  };
};

const halt: Handler<'risk.halt'> = async ({ strategy, flatten, reason }, ctx) => {
  const strategyId = await strategyIdOf(ctx, strategy);
  const r = await ctx.risk.monitor.halt({ strategyId, flatten, note: reason ?? null });
  return {
    ...stateView(scopeName(ctx, r.strategy_id), r.state),
    cancelled: r.cancelled,
    square_off_runs: r.square_off_runs,
  };
};

const resume: Handler<'risk.resume'> = async ({ strategy, force }, ctx) => {
  const strategyId = await strategyIdOf(ctx, strategy);
  const r = await ctx.risk.monitor.resume({ strategyId, all: strategyId === null, force });
  const refused = r.refused.map((x) => ({ scope: scopeName(ctx, x.strategy_id), reason: x.reason }));
  if (strategyId !== null && refused[0]) {
    throw new SomError('RISK_BLOCKED', refused[0].reason, { reason: 'RISK_HALT_LOCKED', scope: refused[0].scope });
  }
  return { resumed: r.resumed.map((s) => stateView(scopeName(ctx, s.strategy_id), s.state)), refused };
};

const show: Handler<'pnl.show'> = async ({ strategy, date }, ctx) => {
  const strategyId = await strategyIdOf(ctx, strategy);
  const now = ctx.clock.now();
  const day = date ?? istDate(now);
  const stored = await listSnapshots(ctx.store.db, { trading_day: day, strategy_id: strategyId });
  const points: ResultOf<'pnl.show'>['points'] = stored.map((s) => ({
    at: s.at,
    trigger: s.trigger,
    realised: s.realised,
    unrealised: s.unrealised,
    charges: s.charges,
    net: s.net,
    margin_used: s.margin_used,
    ...s.greeks.net,
  }));
  if (day === istDate(now)) {
    // Today's chart ends now, on the live book.
    const pnl = ctx.risk.monitor.pnl(strategyId);
    const greeks = await ctx.risk.snapshots.greeks(strategyId);
    points.push({
      at: now.toISOString(),
      trigger: 'live',
      ...pnlView(pnl),
      margin_used: ctx.risk.monitor.marginBlocked(strategyId),
      ...greeks.net,
    });
  }
  const summary = m2mSummary(points);
  const name = strategyId === null ? null : (await findStrategy(ctx.store.db, strategyId)).name;
  return { date: day, strategy: name, points, max: summary.max, min: summary.min, drawdown: summary.drawdown };
};

const greeks: Handler<'pnl.greeks'> = async ({ strategy }, ctx) => {
  const strategyId = await strategyIdOf(ctx, strategy);
  const report = await ctx.risk.snapshots.greeks(strategyId);
  const name = strategyId === null ? null : (await findStrategy(ctx.store.db, strategyId)).name;
  return {
    at: ctx.clock.now().toISOString(),
    strategy: name,
    positions: report.positions.flatMap((p) =>
      p.option_type === null
        ? []
        : [
            {
              symbol: p.symbol,
              quantity: p.quantity,
              option_type: p.option_type,
              strike: p.strike,
              price: p.price,
              underlying_price: p.underlying_price,
              iv: p.iv,
              t_years: p.t_years,
              rate: p.rate,
              delta: p.delta,
              gamma: p.gamma,
              theta: p.theta,
              vega: p.vega,
            },
          ],
    ),
    net: report.net,
    skipped: report.skipped.map((s) => ({ symbol: s.symbol, code: s.error.code, message: s.error.message })),
  };
};

export const riskHandlers = {
  'risk.status': status,
  'risk.halt': halt,
  'risk.resume': resume,
  'pnl.show': show,
  'pnl.greeks': greeks,
};
