import { z } from 'zod';

/**
 * Per-strategy settings: housekeeping preferences, smart-execution thresholds, risk limits and
 * the margin buffer. One schema validates a value from the CLI, the socket and the store.
 * Percentages are in percent (0.3 means 0.3%), impact in basis points, money in rupees.
 */
const pct = z.number().finite().min(0).max(100);
const count = z.number().int().positive();

export const strategySettingsSchema = z
  .object({
    // Housekeeping (orphaned stop-loss/target orders).
    auto_cleanup_enabled: z.boolean().describe('cancel orphaned protective orders automatically'),
    cleanup_sl_on_exit: z.boolean().describe('cancel stop-loss orders when their position is closed'),
    cleanup_target_on_exit: z.boolean().describe('cancel target orders when their position is closed'),
    allow_orphaned_orders: z.boolean().describe('strict mode off: detect and report orphans, never cancel'),
    notify_on_orphan_detection: z.boolean().describe('raise an alert when an orphan is detected'),
    flatten_on_overfill: z
      .boolean()
      .describe('when both legs of an OCO pair fill, close the unwanted position at once'),
    // Order aging.
    order_age_notify_minutes: count.describe('alert about an open order older than this, minutes'),
    order_age_cancel_minutes: count.describe('an open order older than this may be cancelled, minutes'),
    cancel_aged_orders: z.boolean().describe('cancel open orders older than order_age_cancel_minutes'),
    order_age_archive_hours: count.describe('archive (stop tracking) open orders older than this, hours'),
    // Smart execution.
    max_order_spread_pct: pct.describe('largest bid-ask spread, % of mid price, accepted without a warning'),
    min_liquidity_score: z.number().finite().min(0).max(100).describe('lowest liquidity score (0-100) accepted'),
    require_user_approval_high_impact: z.boolean().describe('hold orders above the impact limit for approval'),
    max_market_impact_bps: z
      .number()
      .finite()
      .min(0)
      .max(10_000)
      .describe('largest expected market impact, basis points'),
    // Margin.
    margin_buffer_pct: pct.describe('margin kept free beyond the requirement, % of required margin'),
    max_margin_utilization_pct: pct.describe('largest share of available margin in use'),
    // Risk limits.
    max_loss_per_strategy_pct: pct.describe('loss limit, % of the margin blocked by the strategy'),
    max_loss_per_strategy_abs: z.number().finite().min(0).describe('loss limit in rupees'),
    auto_square_off_on_loss_limit: z.boolean().describe('square off the strategy when a loss limit is breached'),
    max_position_size_per_instrument: count.describe('largest open quantity per instrument'),
    max_orders_per_minute: count.describe('most orders the strategy may send in a minute'),
  })
  .strict();

export type StrategySettings = z.infer<typeof strategySettingsSchema>;
export type SettingKey = keyof StrategySettings;

export const SETTING_KEYS = Object.keys(strategySettingsSchema.shape) as SettingKey[];

/** A partial update: any subset of keys, each validated, unknown keys refused. */
export const strategySettingsPatchSchema = strategySettingsSchema.partial().strict();
export type StrategySettingsPatch = z.infer<typeof strategySettingsPatchSchema>;

/**
 * Defaults for a strategy created without a profile. The keys the product specification did not
 * fix are our choices: a 0.5% spread and liquidity score 60 sit between the two profiles;
 * approval for high impact stays on and the margin buffer at 10% because a forgotten setting
 * should fail safe; automatic square-off on a loss limit is off by default (som alerts), since
 * sending orders on the user's behalf is something the user opts into (the conservative
 * profile does). For the same reason flattening an overfilled OCO pair and cancelling aged
 * orders are off by default and on in the conservative profile; aging alerts at 1 hour,
 * may cancel at 4 hours and archives at 24 hours (the aging thresholds).
 */
export const DEFAULT_SETTINGS: StrategySettings = {
  auto_cleanup_enabled: true,
  cleanup_sl_on_exit: true,
  cleanup_target_on_exit: true,
  allow_orphaned_orders: false,
  notify_on_orphan_detection: true,
  flatten_on_overfill: false,
  order_age_notify_minutes: 60,
  order_age_cancel_minutes: 240,
  cancel_aged_orders: false,
  order_age_archive_hours: 24,
  max_order_spread_pct: 0.5,
  min_liquidity_score: 60,
  require_user_approval_high_impact: true,
  max_market_impact_bps: 50,
  margin_buffer_pct: 10,
  max_margin_utilization_pct: 90,
  max_loss_per_strategy_pct: 10,
  max_loss_per_strategy_abs: 50_000,
  auto_square_off_on_loss_limit: false,
  max_position_size_per_instrument: 1000,
  max_orders_per_minute: 10,
};

export const PROFILE_NAMES = ['default', 'conservative', 'aggressive'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Built-in profiles: the defaults with the product specification's overrides. */
export const PROFILES: Record<ProfileName, StrategySettings> = {
  default: DEFAULT_SETTINGS,
  conservative: {
    ...DEFAULT_SETTINGS,
    auto_cleanup_enabled: true,
    cleanup_sl_on_exit: true,
    max_order_spread_pct: 0.3,
    min_liquidity_score: 70,
    require_user_approval_high_impact: true,
    max_market_impact_bps: 30,
    margin_buffer_pct: 20,
    max_loss_per_strategy_pct: 5,
    auto_square_off_on_loss_limit: true,
    flatten_on_overfill: true,
    cancel_aged_orders: true,
  },
  aggressive: {
    ...DEFAULT_SETTINGS,
    auto_cleanup_enabled: false,
    allow_orphaned_orders: true,
    max_order_spread_pct: 1.0,
    min_liquidity_score: 40,
    require_user_approval_high_impact: false,
    margin_buffer_pct: 5,
    max_loss_per_strategy_pct: 15,
  },
};

/** The one-line description of a setting, for help and `som settings show`. */
export function describeSetting(key: SettingKey): string {
  return strategySettingsSchema.shape[key].description ?? '';
}
