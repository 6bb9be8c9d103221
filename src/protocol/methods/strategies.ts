import { z } from 'zod';
import { strategyNameSchema, strategySchema, strategyWithSettingsSchema } from '../../domain/strategy.js';
import { PROFILE_NAMES } from '../../domain/strategy-settings.js';

/** A strategy is named by its name or its numeric id. */
export const strategyRefSchema = z.union([strategyNameSchema, z.number().int().positive()]);

export const strategyMethods = {
  'strategies.list': {
    params: z.object({}).strict().default({}),
    result: z.object({ strategies: z.array(strategySchema) }),
  },
  'strategies.create': {
    params: z.object({ name: strategyNameSchema, profile: z.enum(PROFILE_NAMES).default('default') }).strict(),
    result: z.object({ strategy: strategyWithSettingsSchema }),
  },
  'strategies.show': {
    params: z.object({ strategy: strategyRefSchema }).strict(),
    result: z.object({ strategy: strategyWithSettingsSchema }),
  },
} as const;
