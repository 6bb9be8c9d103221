/**
 * The data the risk rules work on and the decisions they return. The daemon gathers the data
 * (positions, P&L, margin, order counts) and carries out the decisions; the rules do no I/O.
 *
 * Positions are the broker's net position per instrument and product, shared between
 * strategies: each strategy holds a share, and the shares add up to the account's position.
 */
import type { StrategySettings } from '../domain/strategy-settings.js';
import type { PnlPosition } from '../pnl/strategy-pnl.js';

/** Side of an order, as Kite names it. */
export type Side = 'BUY' | 'SELL';

/**
 * What a strategy (or the account) may do:
 * - ACTIVE: every order is judged by the limits;
 * - REDUCING: only orders that reduce a position (and cancels); lifted by itself once the
 *   limit that caused it is no longer breached;
 * - HALTED: no new orders except exits, which are never blocked; cancels allowed. Stays until
 *   resumed; a halt caused by a loss limit ends at the next trading day, or earlier with a
 *   forced resume.
 */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
export const TRADING_STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];

/** ok: below the warning level; warn: at or above it; breach: beyond the limit. */
export type LimitLevel = 'ok' | 'warn' | 'breach';

/** The strategy settings that are limits, with their setting names. */
export type StrategyLimitKey =
  | 'max_loss_per_strategy_abs'
  | 'max_loss_per_strategy_pct'
  | 'max_position_size_per_instrument'
  | 'max_orders_per_minute'
  | 'max_margin_utilization_pct';

/** The account-wide limits, with their `[risk]` config names. */
export type AccountLimitKey = 'max_daily_loss' | 'max_orders_per_minute' | 'max_orders_per_day';

export type LimitKey = StrategyLimitKey | AccountLimitKey;

/**
 * What a breach does:
 * - loss: HALTED (and a square-off where the strategy asks for one);
 * - exposure (position size, margin utilisation): REDUCING;
 * - rate (orders per minute or day): no change of state; the pre-trade gate refuses new
 *   orders until the window has room again.
 */
export type LimitKind = 'loss' | 'exposure' | 'rate';

/** One limit, evaluated. */
export interface LimitStatus {
  key: LimitKey;
  kind: LimitKind;
  /** The limit as configured (rupees, %, units or orders, as the key says). */
  limit: number;
  /** The measured value in the same unit. */
  value: number;
  /** Room left, % of the limit: 100 x (limit - value) / limit, held within 0..100 (0 when the limit is 0). */
  headroom_pct: number;
  level: LimitLevel;
  /** What the value is about, where it is the worst of several: `EXCHANGE:SYMBOL` for position size. */
  subject?: string;
}

/** The five strategy settings the risk rules read. */
export type StrategyLimitSettings = Pick<
  StrategySettings,
  | 'max_loss_per_strategy_abs'
  | 'max_loss_per_strategy_pct'
  | 'max_position_size_per_instrument'
  | 'max_orders_per_minute'
  | 'max_margin_utilization_pct'
>;

/** The account-wide limits from `[risk]`. */
export interface AccountLimits {
  max_daily_loss: number;
  max_orders_per_minute: number;
  max_orders_per_day: number;
}

/** A strategy's share of one net position. */
export interface RiskPosition extends PnlPosition {
  strategy_id: number;
}

/** A position's quantity in one instrument and product: all the gate and the planner need. */
export type PositionQuantity = Pick<RiskPosition, 'exchange' | 'tradingsymbol' | 'product' | 'quantity'>;

/** Orders counted for the rate limits (new orders som sent; modifications and cancels are not counted). */
export interface OrderCounts {
  /** The strategy's orders in the last 60 seconds. */
  strategy_last_minute: number;
  /** The account's orders in the last 60 seconds. */
  account_last_minute: number;
  /** The account's orders since IST midnight. */
  account_today: number;
}
