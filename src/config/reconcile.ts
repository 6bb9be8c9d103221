import { z } from 'zod';

/**
 * `[reconcile]`: comparing som's orders, trades and positions with the broker's
 * (src/reconcile). Rounds run on this schedule, at start-up, after every WebSocket reconnect
 * (Kite does not replay order updates missed while disconnected) and on demand.
 */
export const reconcileConfigSchema = z
  .object({
    /** Hourly in market hours (cron, Asia/Kolkata; trading days only). */
    schedule: z.string().min(1).default('15 10-15 * * *'),
    /** Average prices further apart than this, rupees per unit, are a PRICE_DISCREPANCY. */
    price_tolerance: z.number().min(0).max(1000).default(0.01),
    /** A difference found in this many consecutive rounds raises a high alert until it is resolved. */
    escalate_after_rounds: z.number().int().min(1).max(1000).default(3),
  })
  .strict()
  .prefault({});

export type ReconcileConfig = z.infer<typeof reconcileConfigSchema>;
