import { oneOf } from './values.js';

/**
 * The names of a strategy's settings and what each means, without their schema: what the
 * command line needs for its help and its first check of `key=value`, cheap to load. The
 * values' rules live in ./strategy-settings.ts, whose schema has exactly these keys.
 */
export const SETTING_DESCRIPTIONS = {
  // Housekeeping (orphaned stop-loss/target orders).
  auto_cleanup_enabled: 'cancel orphaned protective orders automatically',
  cleanup_sl_on_exit: 'cancel stop-loss orders when their position is closed',
  cleanup_target_on_exit: 'cancel target orders when their position is closed',
  allow_orphaned_orders: 'strict mode off: detect and report orphans, never cancel',
  notify_on_orphan_detection: 'raise an alert when an orphan is detected',
  flatten_on_overfill: 'when both legs of an OCO pair fill, close the unwanted position at once',
  // Order aging.
  order_age_notify_minutes: 'alert about an open order older than this, minutes',
  order_age_cancel_minutes: 'an open order older than this may be cancelled, minutes',
  cancel_aged_orders: 'cancel open orders older than order_age_cancel_minutes',
  order_age_archive_hours: 'archive (stop tracking) open orders older than this, hours',
  // Smart execution.
  max_order_spread_pct: 'largest bid-ask spread, % of mid price, accepted without a warning',
  min_liquidity_score: 'lowest liquidity score (0-100) accepted',
  require_user_approval_high_impact: 'hold orders above the impact limit for approval',
  max_market_impact_bps: 'largest expected market impact, basis points',
  // Margin.
  margin_buffer_pct: 'margin kept free beyond the requirement, % of required margin',
  max_margin_utilization_pct: 'largest share of available margin in use',
  // Risk limits.
  max_loss_per_strategy_pct: 'loss limit, % of the margin blocked by the strategy',
  max_loss_per_strategy_abs: 'loss limit in rupees',
  auto_square_off_on_loss_limit: 'square off the strategy when a loss limit is breached',
  auto_square_off_mis: "square off MIS positions before the broker does (the broker's square-off costs a fee)",
  max_position_size_per_instrument: 'largest open quantity per instrument',
  max_orders_per_minute: 'most orders the strategy may send in a minute',
} as const;

export type SettingKey = keyof typeof SETTING_DESCRIPTIONS;

/** Every setting, in the order `som settings show` lists them. */
export const SETTING_KEYS = Object.keys(SETTING_DESCRIPTIONS) as SettingKey[];

/** The one-line description of a setting, for help and `som settings show`. */
export function describeSetting(key: SettingKey): string {
  return SETTING_DESCRIPTIONS[key];
}

/** True for the name of a setting. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_DESCRIPTIONS, key);
}

/** Built-in profiles a strategy's settings start from (./strategy-settings.ts has their values). */
export const PROFILE_NAMES = ['default', 'conservative', 'aggressive'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** A profile's name, in any case. */
export const parseProfileName = oneOf(PROFILE_NAMES, 'profile');
