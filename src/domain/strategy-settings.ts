import { z } from 'zod';
import { SETTING_DESCRIPTIONS as D, type ProfileName, type SettingKey } from './setting-keys.js';

export { describeSetting, PROFILE_NAMES, type ProfileName, SETTING_KEYS, type SettingKey } from './setting-keys.js';

/**
 * Per-strategy settings: housekeeping preferences, smart-execution thresholds, risk limits and
 * the margin buffer. One schema validates a value from the CLI, the socket and the store.
 * Percentages are in percent (0.3 means 0.3%), impact in basis points, money in rupees.
 * Its keys are exactly the catalogue's (./setting-keys.ts), which the `satisfies` below checks.
 */
const pct = z.number().finite().min(0).max(100);
const count = z.number().int().positive();

export const strategySettingsSchema = z
  .object({
    // Housekeeping (orphaned stop-loss/target orders).
    auto_cleanup_enabled: z.boolean().describe(D.auto_cleanup_enabled),
    cleanup_sl_on_exit: z.boolean().describe(D.cleanup_sl_on_exit),
    cleanup_target_on_exit: z.boolean().describe(D.cleanup_target_on_exit),
    allow_orphaned_orders: z.boolean().describe(D.allow_orphaned_orders),
    notify_on_orphan_detection: z.boolean().describe(D.notify_on_orphan_detection),
    flatten_on_overfill: z.boolean().describe(D.flatten_on_overfill),
    // Order aging.
    order_age_notify_minutes: count.describe(D.order_age_notify_minutes),
    order_age_cancel_minutes: count.describe(D.order_age_cancel_minutes),
    cancel_aged_orders: z.boolean().describe(D.cancel_aged_orders),
    order_age_archive_hours: count.describe(D.order_age_archive_hours),
    // Smart execution.
    max_order_spread_pct: pct.describe(D.max_order_spread_pct),
    min_liquidity_score: z.number().finite().min(0).max(100).describe(D.min_liquidity_score),
    require_user_approval_high_impact: z.boolean().describe(D.require_user_approval_high_impact),
    max_market_impact_bps: z.number().finite().min(0).max(10_000).describe(D.max_market_impact_bps),
    // Margin.
    margin_buffer_pct: pct.describe(D.margin_buffer_pct),
    max_margin_utilization_pct: pct.describe(D.max_margin_utilization_pct),
    // Risk limits.
    max_loss_per_strategy_pct: pct.describe(D.max_loss_per_strategy_pct),
    max_loss_per_strategy_abs: z.number().finite().min(0).describe(D.max_loss_per_strategy_abs),
    auto_square_off_on_loss_limit: z.boolean().describe(D.auto_square_off_on_loss_limit),
    auto_square_off_mis: z.boolean().describe(D.auto_square_off_mis),
    max_position_size_per_instrument: count.describe(D.max_position_size_per_instrument),
    max_orders_per_minute: count.describe(D.max_orders_per_minute),
  } satisfies Record<SettingKey, z.ZodType>)
  .strict();

export type StrategySettings = z.infer<typeof strategySettingsSchema>;

/** A partial update: any subset of keys, each validated, unknown keys refused. */
export const strategySettingsPatchSchema = strategySettingsSchema.partial().strict();
export type StrategySettingsPatch = z.infer<typeof strategySettingsPatchSchema>;

/**
 * Defaults for a strategy created without a profile, and why: a 0.5% spread and liquidity score 60 sit between the two profiles;
 * approval for high impact stays on and the margin buffer at 10% because a forgotten setting
 * should fail safe; automatic square-off on a loss limit is off by default (som alerts), since
 * sending orders on the user's behalf is something the user opts into (the conservative
 * profile does). For the same reason flattening an overfilled OCO pair and cancelling aged
 * orders are off by default and on in the conservative profile; aging alerts at 1 hour,
 * may cancel at 4 hours and archives at 24 hours. som's MIS square-off is on in every profile:
 * the broker's own square-off charges a fee per order, so a forgotten setting should avoid it.
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
  auto_square_off_mis: true,
  max_position_size_per_instrument: 1000,
  max_orders_per_minute: 10,
};

/** Built-in profiles: the defaults with each profile's overrides. */
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
