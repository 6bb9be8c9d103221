import { z } from 'zod';

/**
 * The audit trail: append-only, kept for 7 years. Each event names what happened, when (the
 * injected clock's time, so paper-mode events carry the paper market's time), to which
 * strategy and order, and a JSON payload with the detail.
 */
export const AUDIT_RETENTION_YEARS = 7;

/** Event types written today; later capabilities add theirs here so the list stays complete. */
export const AUDIT_TYPES = [
  'DAEMON_STARTED',
  'DAEMON_STOPPED',
  'CONFIG_RELOADED',
  'STRATEGY_CREATED',
  'SETTINGS_UPDATED',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  type: z.string(),
  strategy: z.string().nullable(),
  order_id: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export interface NewAuditEvent {
  type: AuditType;
  strategyId?: number | null;
  orderId?: string | null;
  payload?: Record<string, unknown>;
}
