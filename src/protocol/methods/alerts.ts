import { z } from 'zod';

export const alertViewSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  type: z.string(),
  priority: z.enum(['low', 'normal', 'high', 'critical']),
  strategy: z.string().nullable(),
  order_id: z.string().nullable(),
  title: z.string(),
  message: z.string(),
  payload: z.record(z.string(), z.unknown()),
  read_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
});
export type AlertView = z.infer<typeof alertViewSchema>;

export const alertMethods = {
  'alerts.list': {
    params: z
      .object({ all: z.boolean().default(false), limit: z.number().int().positive().max(1000).default(100) })
      .strict()
      .default({ all: false, limit: 100 }),
    result: z.object({ alerts: z.array(alertViewSchema) }),
  },
  'alerts.markRead': {
    params: z.object({ id: z.number().int().positive() }).strict(),
    result: z.object({ alert: alertViewSchema }),
  },
} as const;
