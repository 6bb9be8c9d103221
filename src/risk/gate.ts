/**
 * The pre-trade gate: every order som sends passes it first.
 *
 * Cancels always pass. An order that reduces a position (see order-effect.ts) always passes:
 * no state, loss, margin, size or rate limit refuses an exit. Any other order is refused, in
 * this order of checks, with the first reason that applies:
 * 1. `RISK_HALTED`: the account or the strategy is HALTED;
 * 2. `RISK_REDUCING`: the account or the strategy is REDUCING;
 * 3. `RISK_LOSS_LIMIT`: a loss limit of the strategy or the account is in breach and not
 *    acknowledged by a forced resume (even before the monitor has moved the state);
 * 4. `RISK_POSITION_LIMIT`: once filled, the strategy's open quantity in the instrument (every
 *    product, absolute) would be above `max_position_size_per_instrument` and larger than now;
 * 5. `RISK_MARGIN_UTILIZATION`: margin utilisation after the order (the caller's margin check:
 *    (used + required) / (used + available)) would be above `max_margin_utilization_pct`;
 * 6. `RISK_ORDER_RATE`: one more order would exceed the strategy's orders per minute or the
 *    account's per minute or per day.
 * A modification that only lowers an order's quantity passes; any other modification is
 * judged as a new order for its new quantity (modifications do not count against the rates).
 */
import type { SomErrorValue } from '../protocol/errors.js';
import { grossByInstrument } from './limits.js';
import { type OrderEffect, type OrderShape, orderEffect } from './order-effect.js';
import type { RiskState } from './trading-state.js';
import type {
  AccountLimits,
  LimitStatus,
  OrderCounts,
  PositionQuantity,
  StrategyLimitSettings,
  TradingState,
} from './types.js';

export type RiskReason =
  | 'RISK_HALTED'
  | 'RISK_REDUCING'
  | 'RISK_LOSS_LIMIT'
  | 'RISK_POSITION_LIMIT'
  | 'RISK_ORDER_RATE'
  | 'RISK_MARGIN_UTILIZATION';

/** An order som is about to send, or a change to one. */
export type GateRequest =
  | ({ action: 'place' } & OrderShape)
  /** `quantity`: the order's new pending quantity; `previous_quantity`: its pending quantity now. */
  | ({ action: 'modify'; previous_quantity: number } & OrderShape)
  | { action: 'cancel' };

export interface GateScope {
  state: RiskState;
  limits: readonly LimitStatus[];
}

export interface GateInput {
  request: GateRequest;
  strategy: GateScope & { settings: StrategyLimitSettings };
  account: GateScope & { limits_config: AccountLimits };
  /** The strategy's positions (its shares of the account's). */
  positions: readonly PositionQuantity[];
  counts: OrderCounts;
  /** Margin utilisation once this order is in, % (costs' margin check); null when unknown: not checked. */
  margin_utilization_after_pct: number | null;
}

export interface GateAllow {
  allow: true;
  /** null for a cancel. */
  effect: OrderEffect | null;
}

export interface GateRefusal {
  allow: false;
  reason: RiskReason;
  message: string;
  effect: OrderEffect;
  /** Machine-readable detail: `scope` (strategy or account), the limit `key`, `limit`, `value`, `reducible_quantity`. */
  data: Record<string, unknown>;
}

export type GateDecision = GateAllow | GateRefusal;

/** Allow or refuse `input.request` (see the module comment for the rules and their order). */
export function gate(input: GateInput): GateDecision {
  const req = input.request;
  if (req.action === 'cancel') return { allow: true, effect: null };
  const { effect, before, after } = orderEffect(req, input.positions);
  if (effect === 'reduce') return { allow: true, effect };
  if (req.action === 'modify' && req.quantity <= req.previous_quantity) return { allow: true, effect };

  const refuse = (reason: RiskReason, message: string, data: Record<string, unknown>): GateRefusal => ({
    allow: false,
    reason,
    message,
    effect,
    data: { ...data, reducible_quantity: effect === 'reverse' ? Math.abs(before) : 0 },
  });
  const scopes = [
    ['account', input.account],
    ['strategy', input.strategy],
  ] as const;

  for (const state of ['HALTED', 'REDUCING'] as const satisfies readonly TradingState[]) {
    for (const [scope, s] of scopes) {
      if (s.state.state !== state) continue;
      const why = s.state.reason === 'manual' ? 'halted by hand' : `limit ${s.state.reason}`;
      return refuse(
        state === 'HALTED' ? 'RISK_HALTED' : 'RISK_REDUCING',
        `the ${scope} is ${state} (${why}): only orders that reduce a position are accepted`,
        { scope, key: s.state.reason },
      );
    }
  }

  for (const [scope, s] of scopes) {
    const loss = s.limits.find(
      (l) => l.kind === 'loss' && l.level === 'breach' && !s.state.acknowledged.includes(l.key),
    );
    if (loss) {
      return refuse(
        'RISK_LOSS_LIMIT',
        `the ${scope}'s loss limit ${loss.key} is breached (${loss.value.toFixed(2)} > ${loss.limit})`,
        {
          scope,
          key: loss.key,
          limit: loss.limit,
          value: loss.value,
        },
      );
    }
  }

  const settings = input.strategy.settings;
  const instrument = `${req.exchange}:${req.tradingsymbol}`;
  const grossNow = grossByInstrument(input.positions).get(instrument) ?? 0;
  const grossAfter = grossNow - Math.abs(before) + Math.abs(after);
  if (grossAfter > settings.max_position_size_per_instrument && grossAfter > grossNow) {
    return refuse(
      'RISK_POSITION_LIMIT',
      `${instrument} would reach ${grossAfter}, above max_position_size_per_instrument ${settings.max_position_size_per_instrument}`,
      {
        scope: 'strategy',
        key: 'max_position_size_per_instrument',
        limit: settings.max_position_size_per_instrument,
        value: grossAfter,
      },
    );
  }

  const utilisation = input.margin_utilization_after_pct;
  if (utilisation !== null && utilisation > settings.max_margin_utilization_pct) {
    return refuse(
      'RISK_MARGIN_UTILIZATION',
      `margin utilisation would reach ${utilisation.toFixed(2)}%, above max_margin_utilization_pct ${settings.max_margin_utilization_pct}`,
      {
        scope: 'strategy',
        key: 'max_margin_utilization_pct',
        limit: settings.max_margin_utilization_pct,
        value: utilisation,
      },
    );
  }

  if (req.action === 'place') {
    const acct = input.account.limits_config;
    const rates = [
      ['strategy', 'max_orders_per_minute', settings.max_orders_per_minute, input.counts.strategy_last_minute],
      ['account', 'max_orders_per_minute', acct.max_orders_per_minute, input.counts.account_last_minute],
      ['account', 'max_orders_per_day', acct.max_orders_per_day, input.counts.account_today],
    ] as const;
    for (const [scope, key, limit, sent] of rates) {
      if (sent + 1 > limit) {
        return refuse('RISK_ORDER_RATE', `the ${scope} has sent ${sent} orders, the most ${key} allows`, {
          scope,
          key,
          limit,
          value: sent,
        });
      }
    }
  }
  return { allow: true, effect };
}

/**
 * A refusal as som reports it: `RISK_BLOCKED` (exit 4), the reason code in `data.reason`
 * beside the refusal's detail.
 */
export function refusalError(refusal: GateRefusal): SomErrorValue {
  return { code: 'RISK_BLOCKED', message: refusal.message, data: { reason: refusal.reason, ...refusal.data } };
}
