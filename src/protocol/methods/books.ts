import { z } from 'zod';
import { EXPORT_FORMATS } from '../../audit/export.js';
import { parseCalendarDate } from '../../domain/parse/date.js';
import { parseInstant } from '../../domain/parse/instant.js';
import type { EodReport } from '../../eod/types.js';
import { DISCREPANCY_KINDS } from '../../reconcile/types.js';
import { sinceSchema } from '../fields.js';
import { parsedBy } from '../parsed.js';
import { strategyRefSchema } from './strategies.js';

/** The books: reconciliation with the broker, the end-of-day report, the audit trail's verification and export. */

const fieldsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()])).nullable();

/** One difference between som's books and the broker's, and whether som healed it and how. */
export const roundDiscrepancySchema = z.object({
  /** `KIND:record:key`: the same difference has the same id in every round. */
  id: z.string(),
  kind: z.enum(DISCREPANCY_KINDS),
  record: z.enum(['order', 'trade', 'position', 'shares']),
  key: z.string(),
  strategy: z.string().nullable(),
  som: fieldsSchema,
  broker: fieldsSchema,
  message: z.string(),
  healed: z.boolean(),
  /** What som changed, in words (null when not healed). */
  how: z.string().nullable(),
  /** Why it was not healed (null when it was). */
  unhealed: z.string().nullable(),
});
export type RoundDiscrepancyView = z.infer<typeof roundDiscrepancySchema>;

/** A reconciliation round as `som reconcile --data` reports it. */
export const reconcileRoundSchema = z.object({
  at: z.string(),
  /** start (a broker session became ready), reconnect, schedule, manual, eod. */
  trigger: z.string(),
  /** The strategy a round was limited to, or null for the whole account. */
  strategy: z.string().nullable(),
  duration_ms: z.number(),
  counts: z.record(z.enum(DISCREPANCY_KINDS), z.number().int()),
  healed: z.number().int(),
  unhealed: z.number().int(),
  discrepancies: z.array(roundDiscrepancySchema),
  /** Ids escalated this round (a high alert was raised). */
  escalated: z.array(z.string()),
  /** Ids escalated in an earlier round and still found. */
  open: z.array(z.string()),
});
export type ReconcileRoundView = z.infer<typeof reconcileRoundSchema>;

/** Where the audit trail's chain breaks, or that it is intact (src/audit/verify.ts). */
export const chainVerdictSchema = z.object({
  intact: z.boolean(),
  /** changed, deleted or inserted; null when intact. */
  problem: z.enum(['changed', 'deleted', 'inserted']).nullable(),
  /** The first broken id; null when intact. */
  id: z.number().int().nullable(),
  missing: z.object({ from: z.number().int(), to: z.number().int() }).nullable(),
  message: z.string(),
  /** Events verified (before the break). */
  rows: z.number().int(),
  /** The last event of an intact chain: compare it with a copy kept elsewhere. */
  head: z.object({ id: z.number().int(), hash: z.string() }).nullable(),
  /** Where the walk began: genesis, after a prune anchor, or a hash taken as given (part of a trail). */
  start: z.string().nullable(),
});
export type ChainVerdictView = z.infer<typeof chainVerdictSchema>;

const formatSchema = z.enum(EXPORT_FORMATS);
const idSchema = z.number().int().min(0);

export const booksMethods = {
  /** Compare som's orders, fills, positions and shares with the broker's now, and heal (`som reconcile --data`). */
  'reconcile.data': {
    params: z.object({ strategy: strategyRefSchema.optional() }).strict().default({}),
    result: reconcileRoundSchema,
  },
  /** The seed's POST /admin/housekeeping/reconcile-all: a round over the whole account. */
  'admin.reconcileAll': {
    params: z.object({}).strict().default({}),
    result: reconcileRoundSchema,
  },
  /** A trading day's end-of-day report: the stored one, or one built now (preliminary). */
  'report.eod': {
    params: z
      .object({ date: parsedBy<string, string>((v) => parseCalendarDate(v, 'date')).optional() })
      .strict()
      .default({}),
    result: z.object({
      report: z.custom<EodReport>((v) => typeof v === 'object' && v !== null),
      /** Where the day's HTML report is, when the end-of-day run wrote one. */
      html_path: z.string().nullable(),
    }),
  },
  /** Walk the stored audit trail's hash chain. */
  'audit.verify': {
    params: z.object({}).strict().default({}),
    result: chainVerdictSchema,
  },
  /**
   * One page of an export (`som audit export`): the events from the first after `after_id` up
   * to `through_id` (the range fixed by the first page), as export text.
   */
  'audit.exportPage': {
    params: z
      .object({
        format: formatSchema,
        since: sinceSchema.optional(),
        until: parsedBy<string, string>((v) => parseInstant(v, 'until')).optional(),
        after_id: idSchema.optional(),
        through_id: idSchema.optional(),
        limit: z.number().int().min(1).max(20_000).default(5000),
      })
      .strict(),
    result: z.object({
      /** The export's lines (the CSV header on the first page). */
      text: z.string(),
      /** The range the whole export covers (null: no event in it). */
      from_id: z.number().int().nullable(),
      through_id: z.number().int().nullable(),
      /** The last event on this page, and its hash. */
      last_id: z.number().int().nullable(),
      last_hash: z.string().nullable(),
      count: z.number().int(),
      done: z.boolean(),
    }),
  },
  /** Record a finished export in the trail (AUDIT_EXPORTED), once somd has checked it matches the trail. */
  'audit.recordExport': {
    params: z
      .object({
        format: formatSchema,
        from_id: idSchema.nullable(),
        through_id: idSchema.nullable(),
        count: z.number().int().min(0),
        last_hash: z.string().nullable(),
        since: z.string().nullable(),
        until: z.string().nullable(),
        destination: z.string().nullable(),
      })
      .strict(),
    result: z.object({ event_id: z.number().int() }),
  },
} as const;
