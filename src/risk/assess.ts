/**
 * The monitor's judgement: every strategy's and the account's limits evaluated, their trading
 * states moved, and what to do about it, in one pure call. The daemon gathers the facts
 * (P&L from the risk book, positions, order counts, margin), calls {@link assessRisk}, writes
 * the decisions in one transaction and carries out the actions.
 *
 * A breach's actions, in order, each recorded: the state stops new orders (HALTED for a loss
 * limit, REDUCING for position size or margin; a rate limit refuses at the gate), an alert, a
 * square-off where the strategy asks for one (`auto_square_off_on_loss_limit`), and the log
 * (a RISK_BREACH audit event and a housekeeping event). A strategy halted by a loss limit also
 * has its working entry orders cancelled: they could only add to the loss.
 *
 * The account's daily loss halts the account; each strategy that asks for a square-off on a
 * loss limit is then squared off. Levels are compared with the previous evaluation, so a
 * warning (from `warn_pct` % of a limit) and a breach are each reported once as they happen;
 * alerts are also keyed by the trading day, so a limit flapping around its line alerts once a
 * day.
 */
import type { RiskStatus } from '../domain/strategy.js';
import {
  type AccountRiskFacts,
  evaluateAccountLimits,
  evaluateStrategyLimits,
  levelChanges,
  type StrategyRiskFacts,
  worstLevel,
} from './limits.js';
import { type RiskState, type StateReason, transition } from './trading-state.js';
import type { LimitKey, LimitStatus } from './types.js';

export interface ScopeFacts {
  state: RiskState;
  /** The limits as last evaluated (an empty list counts as all ok). */
  previous: readonly LimitStatus[];
}

export interface StrategyAssessInput extends ScopeFacts {
  strategy_id: number;
  name: string;
  facts: StrategyRiskFacts;
  auto_square_off_on_loss_limit: boolean;
}

export interface AccountAssessInput extends ScopeFacts {
  facts: AccountRiskFacts;
}

export interface AssessInput {
  strategies: readonly StrategyAssessInput[];
  /** null: the account's limits are not looked at this time (only some strategies moved). */
  account: AccountAssessInput | null;
  warn_pct: number;
  /** `YYYY-MM-DD`: the trading day (tradingDayOf) the states belong to. */
  trading_day: string;
  now: Date;
}

/** What a limit crossing its warning or breach line did, as recorded and alerted. */
export interface LimitEvent {
  key: LimitKey;
  level: 'warn' | 'breach';
  limit: number;
  value: number;
  subject?: string;
  /** What som did about it, in words ("HALTED; square-off started", "warned"). */
  action: string;
}

export interface AlertSpec {
  type: 'RISK_WARNING' | 'RISK_BREACH';
  priority: 'normal' | 'high' | 'critical';
  title: string;
  message: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
}

export interface ScopeDecision {
  /** null for the account. */
  strategy_id: number | null;
  limits: LimitStatus[];
  next: RiskState;
  /** The state or its reason changed. */
  state_changed: boolean;
  events: LimitEvent[];
  alerts: AlertSpec[];
  /** The summary kept in `strategies.risk_status`. */
  risk_status: RiskStatus;
}

export interface RiskDecisions {
  scopes: ScopeDecision[];
  /** Strategies to square off now because a loss limit halted them (or the account). */
  square_off: number[];
  /** Strategies whose working entry orders are cancelled (halted by a loss limit). */
  cancel_entries: number[];
}

/**
 * The summary of a state and its limits: HALTED; BREACHED when a limit is in breach (REDUCING,
 * or a loss limit acknowledged by a forced resume); WARNING from a limit's warning level; OK.
 */
export function riskStatusOf(state: RiskState, limits: readonly LimitStatus[]): RiskStatus {
  if (state.state === 'HALTED') return 'HALTED';
  const worst = worstLevel(limits);
  if (state.state === 'REDUCING' || worst === 'breach') return 'BREACHED';
  return worst === 'warn' ? 'WARNING' : 'OK';
}

/** Evaluate every scope given, move its state, and decide what to do (see the module comment). */
export function assessRisk(input: AssessInput): RiskDecisions {
  const scopes: ScopeDecision[] = [];
  const squareOff = new Set<number>();
  const cancelEntries = new Set<number>();
  let accountHalted = false;

  if (input.account) {
    const limits = evaluateAccountLimits(input.account.facts, input.warn_pct);
    const d = decide(null, 'the account', input.account, limits, false, input);
    scopes.push(d);
    accountHalted = d.state_changed && d.next.state === 'HALTED' && isLoss(d.next.reason);
  }
  for (const s of input.strategies) {
    const limits = evaluateStrategyLimits(s.facts, input.warn_pct);
    const d = decide(s.strategy_id, `strategy ${s.name}`, s, limits, s.auto_square_off_on_loss_limit, input);
    scopes.push(d);
    const haltedByLoss = d.state_changed && d.next.state === 'HALTED' && isLoss(d.next.reason);
    if (haltedByLoss) cancelEntries.add(s.strategy_id);
    if ((haltedByLoss || accountHalted) && s.auto_square_off_on_loss_limit) squareOff.add(s.strategy_id);
  }
  return { scopes, square_off: [...squareOff], cancel_entries: [...cancelEntries] };
}

const LOSS_KEYS: ReadonlySet<StateReason> = new Set<StateReason>([
  'max_loss_per_strategy_abs',
  'max_loss_per_strategy_pct',
  'max_daily_loss',
]);
const isLoss = (reason: StateReason | null): boolean => reason !== null && LOSS_KEYS.has(reason);

function decide(
  strategyId: number | null,
  who: string,
  scope: ScopeFacts,
  limits: LimitStatus[],
  autoSquareOff: boolean,
  input: AssessInput,
): ScopeDecision {
  // An evaluation never refuses: only a resume can.
  const t = transition(scope.state, { kind: 'evaluate', limits }, input.trading_day, input.now);
  const next = t.ok ? t.next : scope.state;
  const stateChanged = t.ok && t.changed;
  const events: LimitEvent[] = [];
  const alerts: AlertSpec[] = [];
  const scopeKey = strategyId === null ? 'account' : `strategy:${strategyId}`;
  for (const change of levelChanges(scope.previous, limits)) {
    const l = change.to;
    if (l.level === 'ok') continue;
    if (l.level === 'warn' && change.from === 'breach') continue;
    const action = l.level === 'warn' ? 'warned' : breachAction(l, next, stateChanged, autoSquareOff, strategyId);
    const event: LimitEvent = { key: l.key, level: l.level, limit: l.limit, value: l.value, action };
    if (l.subject !== undefined) event.subject = l.subject;
    events.push(event);
    alerts.push(alertFor(who, scopeKey, strategyId, event, l, input));
  }
  return {
    strategy_id: strategyId,
    limits,
    next,
    state_changed: stateChanged,
    events,
    alerts,
    risk_status: riskStatusOf(next, limits),
  };
}

/** The words for what a breach did. */
function breachAction(
  l: LimitStatus,
  next: RiskState,
  stateChanged: boolean,
  autoSquareOff: boolean,
  strategyId: number | null,
): string {
  if (l.kind === 'rate') return 'new orders refused until the window has room';
  if (next.state === 'HALTED' && next.reason === l.key && stateChanged) {
    if (strategyId === null) return 'account HALTED; strategies that ask for it are squared off';
    return autoSquareOff ? 'HALTED; square-off started' : 'HALTED; positions left open (auto square-off is off)';
  }
  if (next.state === 'REDUCING' && next.reason === l.key && stateChanged) return 'REDUCING: only orders that reduce';
  if (next.state === 'HALTED') return `already HALTED (${next.reason})`;
  if (next.state === 'REDUCING') return `already REDUCING (${next.reason})`;
  if (l.kind === 'loss' && next.acknowledged.includes(l.key)) return 'acknowledged by a forced resume today';
  return 'recorded';
}

const money = (v: number) => v.toFixed(2);

function alertFor(
  who: string,
  scopeKey: string,
  strategyId: number | null,
  e: LimitEvent,
  l: LimitStatus,
  input: AssessInput,
): AlertSpec {
  const what = l.subject ? `${l.key} (${l.subject})` : l.key;
  const figures =
    l.kind === 'loss' && l.key !== 'max_loss_per_strategy_pct'
      ? `loss ${money(l.value)} against a limit of ${money(l.limit)}`
      : `${Number(l.value.toFixed(2))} against a limit of ${l.limit}`;
  const payload = { strategy_id: strategyId, key: e.key, limit: e.limit, value: e.value, level: e.level };
  if (e.level === 'warn') {
    return {
      type: 'RISK_WARNING',
      priority: 'normal',
      title: `Risk warning: ${who} at ${Math.round(100 - l.headroom_pct)}% of ${what}`,
      message: `${who}: ${figures} (warning from ${input.warn_pct}% of the limit).`,
      dedupeKey: `risk-warn:${scopeKey}:${e.key}:${input.trading_day}`,
      payload,
    };
  }
  return {
    type: 'RISK_BREACH',
    priority: l.kind === 'loss' ? 'critical' : l.kind === 'exposure' ? 'high' : 'normal',
    title: `Limit breached: ${who}, ${what}`,
    message: `${who}: ${figures}. ${e.action}.`,
    dedupeKey: `risk-breach:${scopeKey}:${e.key}:${input.trading_day}`,
    payload: { ...payload, action: e.action },
  };
}
