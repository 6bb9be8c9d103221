import { z } from 'zod';
import { auditEventSchema } from '../../domain/audit.js';
import { strategyRefSchema } from './strategies.js';

export const auditMethods = {
  /** Newest first. */
  'audit.list': {
    params: z
      .object({
        strategy: strategyRefSchema.optional(),
        orderId: z.string().min(1).optional(),
        type: z.string().min(1).optional(),
        since: z.iso.datetime({ offset: true }).optional(),
        limit: z.number().int().min(1).max(10_000).default(50),
      })
      .strict(),
    result: z.object({ events: z.array(auditEventSchema) }),
  },
} as const;
