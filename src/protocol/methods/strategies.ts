import { z } from 'zod';
import { parseStrategyRef, type StrategyRef } from '../../domain/parse/strategy-ref.js';
import { PROFILE_NAMES } from '../../domain/setting-keys.js';
import { strategyNameSchema, strategySchema, strategyWithSettingsSchema } from '../../domain/strategy.js';
import { parsedBy } from '../parsed.js';

/** A strategy is named by its name or its numeric id (text of digits is an id). */
export const strategyRefSchema = parsedBy<StrategyRef, StrategyRef>(parseStrategyRef);

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
