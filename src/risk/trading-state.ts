/**
 * Trading states, per strategy and for the account, and how they change.
 *
 * - A loss limit in breach (strategy loss in rupees or % of margin; the account's daily loss)
 *   HALTS: no new orders but exits; the halt stays until the next trading day even if the
 *   loss recovers, unless resumed with force. A forced resume acknowledges the loss limits in
 *   breach for the rest of that trading day: they still show as breached, but neither halt
 *   again nor refuse orders until the next trading day.
 * - An exposure limit in breach (position size, margin utilisation) moves ACTIVE to REDUCING;
 *   REDUCING returns to ACTIVE by itself once no exposure limit is in breach.
 * - A rate limit never changes the state: the gate refuses new orders until the window has room.
 * - A manual halt (`som halt`) lasts until `som resume`, across days.
 * - Resume from REDUCING is accepted; the next evaluation sets REDUCING again if the limit is
 *   still breached.
 *
 * The transition is pure: it takes the current state, an event and the trading day, and
 * returns the next state with what caused it; storing it and acting on it is the caller's.
 */
import { defaultCalendar, type TradingCalendar } from '../market/calendar.js';
import { istDate } from '../market/ist.js';
import { LIMIT_KINDS } from './limits.js';
import type { LimitKey, LimitStatus, TradingState } from './types.js';

/** Why a strategy or the account is not ACTIVE: the limit that tripped it, or a manual halt. */
export type StateReason = LimitKey | 'manual';

export interface RiskState {
  state: TradingState;
  /** null while ACTIVE. */
  reason: StateReason | null;
  /** The trading day (`YYYY-MM-DD`) the state was entered on. */
  trading_day: string;
  /** When the state was entered (ISO-8601 UTC). */
  since: string;
  /** Loss limits acknowledged by a forced resume on `trading_day` (see the module comment). */
  acknowledged: LimitKey[];
  /** The text given with a manual halt. */
  note: string | null;
}

/** A strategy's or the account's state on its first day: ACTIVE. */
export function initialRiskState(tradingDay: string, now: Date): RiskState {
  return {
    state: 'ACTIVE',
    reason: null,
    trading_day: tradingDay,
    since: now.toISOString(),
    acknowledged: [],
    note: null,
  };
}

export type RiskEvent =
  /** A fresh evaluation of the limits (after a tick, a fill, an order update, a margin change). */
  | { kind: 'evaluate'; limits: readonly LimitStatus[] }
  /** `som halt`. */
  | { kind: 'halt'; note?: string | null }
  /** `som resume [--force]`, with the limits as they stand. */
  | { kind: 'resume'; force: boolean; limits: readonly LimitStatus[] };

export interface TransitionOk {
  ok: true;
  next: RiskState;
  /** True when the state or its reason changed. */
  changed: boolean;
  /** The limits in breach that caused this change (empty unless a limit caused it). */
  breaches: LimitStatus[];
}

export interface TransitionRefused {
  ok: false;
  code: 'RISK_HALT_LOCKED';
  message: string;
}

export type Transition = TransitionOk | TransitionRefused;

const isLossBreach = (l: LimitStatus, acknowledged: readonly LimitKey[]): boolean =>
  l.kind === 'loss' && l.level === 'breach' && !acknowledged.includes(l.key);

const isLossReason = (reason: StateReason | null): reason is LimitKey =>
  reason !== null && reason !== 'manual' && LIMIT_KINDS[reason] === 'loss';

/**
 * The trading day an instant belongs to: its IST date when NSE trades that day, else the last
 * NSE trading day before it (a weekend or holiday still belongs to the session before). A
 * loss-limit halt lasts while this stays the same.
 */
export function tradingDayOf(now: Date, calendar: TradingCalendar = defaultCalendar): string {
  return calendar.onOrBeforeTradingDay(istDate(now), 'NSE');
}

/**
 * The state after `event` on `tradingDay` (`YYYY-MM-DD`, see `tradingDayOf`) at `now`.
 * Store `next` whatever `changed` says: it also carries the day forward. Lifting a loss-limit
 * halt on the day it happened takes a forced resume; without force the resume is refused
 * (`RISK_HALT_LOCKED`).
 */
export function transition(current: RiskState, event: RiskEvent, tradingDay: string, now: Date): Transition {
  const since = now.toISOString();
  const base = rollOver(current, tradingDay, since);
  switch (event.kind) {
    case 'evaluate':
      return evaluate(current, base, event.limits, tradingDay, since);
    case 'halt': {
      const next: RiskState = {
        state: 'HALTED',
        reason: 'manual',
        trading_day: tradingDay,
        since: base.state === 'HALTED' && base.reason === 'manual' ? base.since : since,
        acknowledged: base.acknowledged,
        note: event.note ?? null,
      };
      return done(current, next, []);
    }
    case 'resume': {
      if (base.state === 'HALTED' && isLossReason(base.reason) && !event.force) {
        return {
          ok: false,
          code: 'RISK_HALT_LOCKED',
          message: `halted by the loss limit ${base.reason} until the next trading day; resume with --force to trade today`,
        };
      }
      if (base.state === 'ACTIVE') return done(current, base, []);
      const acknowledged = new Set(base.acknowledged);
      if (base.state === 'HALTED' && isLossReason(base.reason)) {
        acknowledged.add(base.reason);
        for (const l of event.limits) if (l.kind === 'loss' && l.level === 'breach') acknowledged.add(l.key);
      }
      const next: RiskState = {
        state: 'ACTIVE',
        reason: null,
        trading_day: tradingDay,
        since,
        acknowledged: [...acknowledged],
        note: null,
      };
      return done(current, next, []);
    }
  }
}

/** On a new trading day a loss-limit halt ends and acknowledgements lapse; the rest carries over. */
function rollOver(current: RiskState, tradingDay: string, since: string): RiskState {
  if (current.trading_day === tradingDay) return current;
  if (current.state === 'HALTED' && isLossReason(current.reason)) {
    return { state: 'ACTIVE', reason: null, trading_day: tradingDay, since, acknowledged: [], note: null };
  }
  return { ...current, trading_day: tradingDay, acknowledged: [] };
}

function evaluate(
  current: RiskState,
  base: RiskState,
  limits: readonly LimitStatus[],
  tradingDay: string,
  since: string,
): Transition {
  const lossBreaches = limits.filter((l) => isLossBreach(l, base.acknowledged));
  const exposureBreaches = limits.filter((l) => l.kind === 'exposure' && l.level === 'breach');
  if (base.state === 'HALTED') return done(current, base, []);
  const enter = (state: TradingState, cause: LimitStatus[]): Transition =>
    done(
      current,
      {
        state,
        reason: cause[0]?.key ?? null,
        trading_day: tradingDay,
        since,
        acknowledged: base.acknowledged,
        note: null,
      },
      cause,
    );
  if (lossBreaches.length > 0) return enter('HALTED', lossBreaches);
  if (exposureBreaches.length > 0) {
    return base.state === 'REDUCING' ? done(current, base, []) : enter('REDUCING', exposureBreaches);
  }
  if (base.state === 'REDUCING') {
    return done(current, { ...base, state: 'ACTIVE', reason: null, since, note: null }, []);
  }
  return done(current, base, []);
}

function done(current: RiskState, next: RiskState, breaches: LimitStatus[]): TransitionOk {
  const changed = current.state !== next.state || current.reason !== next.reason;
  return { ok: true, next, changed, breaches };
}
