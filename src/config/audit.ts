import { z } from 'zod';
import { AUDIT_RETENTION_YEARS } from '../domain/audit.js';

/**
 * `[audit]`: how long the audit trail keeps events and when the prune looks for old ones
 * (src/audit/retention.ts has the rules: whole years, at most one prune a calendar month,
 * only events an export already holds).
 */
export const auditConfigSchema = z
  .object({
    /**
     * Whole years an event is kept before a prune may remove it. The seed asks 7; SEBI's 2026
     * broker regulations reportedly ask 8 of brokers (unconfirmed).
     */
    retention_years: z.number().int().min(1).max(100).default(AUDIT_RETENTION_YEARS),
    /** When the prune job looks (cron, Asia/Kolkata); it prunes at most once a calendar month. */
    prune_schedule: z.string().min(1).default('0 18 * * *'),
  })
  .strict()
  .prefault({});

export type AuditConfig = z.infer<typeof auditConfigSchema>;
