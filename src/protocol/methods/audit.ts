import { z } from 'zod';
import { auditEventSchema } from '../../domain/audit.js';
import { sinceSchema } from '../fields.js';
import { AUDIT_LIMIT_DEFAULT, AUDIT_LIMIT_MAX } from '../limits.js';
import { strategyRefSchema } from './strategies.js';

export const auditMethods = {
  /** Newest first. */
  'audit.list': {
    params: z
      .object({
        strategy: strategyRefSchema.optional(),
        orderId: z.string().min(1).optional(),
        type: z.string().min(1).optional(),
        since: sinceSchema.optional(),
        limit: z.number().int().min(1).max(AUDIT_LIMIT_MAX).default(AUDIT_LIMIT_DEFAULT),
      })
      .strict(),
    result: z.object({ events: z.array(auditEventSchema) }),
  },
} as const;
