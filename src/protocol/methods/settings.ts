import { z } from 'zod';
import { strategySettingsPatchSchema, strategySettingsSchema } from '../../domain/strategy-settings.js';
import { strategyRefSchema } from './strategies.js';

export const settingsMethods = {
  'settings.show': {
    params: z.object({ strategy: strategyRefSchema.default('default') }).strict(),
    result: z.object({ strategy: z.string(), settings: strategySettingsSchema }),
  },
  /** Changes some keys; every key is validated and none is written unless all are valid. */
  'settings.update': {
    params: z
      .object({
        strategy: strategyRefSchema.default('default'),
        settings: strategySettingsPatchSchema.refine((p) => Object.keys(p).length > 0, 'name at least one setting'),
      })
      .strict(),
    result: z.object({
      strategy: z.string(),
      settings: strategySettingsSchema,
      changed: z.array(z.object({ key: z.string(), from: z.unknown(), to: z.unknown() })),
    }),
  },
} as const;

export {
  describeSetting,
  PROFILE_NAMES,
  SETTING_KEYS,
  type SettingKey,
  type StrategySettings,
} from '../../domain/strategy-settings.js';
