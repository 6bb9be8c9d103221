import { z } from 'zod';
import { STRATEGY_NAME_PATTERN, STRATEGY_NAME_RULE } from './strategy-name.js';
import { PROFILE_NAMES, strategySettingsSchema } from './strategy-settings.js';

/**
 * A strategy groups orders and positions that share settings and limits. Names are short
 * identifiers so they work unquoted in a shell and in order tags.
 */
export const strategyNameSchema = z.string().regex(STRATEGY_NAME_PATTERN, `a strategy name is ${STRATEGY_NAME_RULE}`);

export { DEFAULT_STRATEGY } from './strategy-name.js';

export const RISK_STATUSES = ['OK', 'WARNING', 'BREACHED', 'HALTED'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export const strategySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  profile: z.enum(PROFILE_NAMES),
  created_at: z.string(),
  total_brokerage_paid: z.number(),
  total_taxes_paid: z.number(),
  /** P&L booked by housekeeping: expired positions at their settlement price. */
  realised_pnl: z.number(),
  total_margin_blocked: z.number(),
  risk_status: z.enum(RISK_STATUSES),
  last_housekeeping_run: z.string().nullable(),
});
export type Strategy = z.infer<typeof strategySchema>;

export const strategyWithSettingsSchema = strategySchema.extend({ settings: strategySettingsSchema });
export type StrategyWithSettings = z.infer<typeof strategyWithSettingsSchema>;
