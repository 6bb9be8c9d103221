import { daysInMonth, formatDate, istDate, istInstant, parseDate } from '../market/ist.js';
import type { AuditExportRecord } from './trail-events.js';

/**
 * How long the audit trail keeps events, and when a prune may remove the oldest.
 *
 * Events are kept `retention_years` whole years (config `[audit]`; 7 by default): a prune
 * removes the events older than IST midnight on the same calendar date that many years
 * before today (29 February falls back to the 28th, keeping a day more). It removes only
 * the oldest run of events (a prefix of the chain by id, so the rest still links), at most
 * once a calendar month (IST), and only when an export already holds every event it would
 * remove. What it removed is recorded by an anchor event (trail-events.ts).
 */

/** IST midnight starting the calendar date `years` years before `now`'s IST date. */
export function retentionCutoff(now: Date, years: number): Date {
  const { year, month, day } = parseDate(istDate(now));
  const y = year - years;
  return istInstant(formatDate(y, month, Math.min(day, daysInMonth(y, month))), '00:00');
}

/** The oldest run of events, all older than the cutoff: what a prune would remove. */
export interface PrunableRun {
  first_id: number;
  through_id: number;
  count: number;
}

export interface PrunePlanInput {
  now: Date;
  /** From {@link retentionCutoff}: the run below was found for this cutoff. */
  cutoff: Date;
  /** null when no event is older than the cutoff. */
  prunable: PrunableRun | null;
  /** When the last prune ran (its anchor event's `at`), or null if never. */
  lastPruneAt: string | null;
  /** The newest successful export (its AUDIT_EXPORTED event), or null if none. */
  lastExport: (AuditExportRecord & { id: number; at: string }) | null;
}

export type PrunePlan =
  | { action: 'none'; reason: 'NOTHING_TO_PRUNE' | 'PRUNED_THIS_MONTH'; message: string }
  /** Export at least these events first (then plan again). */
  | { action: 'export'; from_id: number; through_id: number; message: string }
  | { action: 'prune'; cutoff: string; through_id: number; count: number; export_id: number; message: string };

/** Whether and what to prune now (see the module comment for the rules). */
export function planAuditPrune(input: PrunePlanInput): PrunePlan {
  const { now, cutoff, prunable, lastPruneAt, lastExport } = input;
  if (prunable === null || prunable.count === 0) {
    return {
      action: 'none',
      reason: 'NOTHING_TO_PRUNE',
      message: `no event is older than ${cutoff.toISOString()}`,
    };
  }
  if (lastPruneAt !== null && istDate(new Date(lastPruneAt)).slice(0, 7) === istDate(now).slice(0, 7)) {
    return {
      action: 'none',
      reason: 'PRUNED_THIS_MONTH',
      message: `the trail was pruned at ${lastPruneAt}; the next prune is due next month`,
    };
  }
  const { first_id, through_id, count } = prunable;
  const covered =
    lastExport !== null &&
    lastExport.from_id !== null &&
    lastExport.through_id !== null &&
    lastExport.from_id <= first_id &&
    lastExport.through_id >= through_id;
  if (!covered || lastExport === null) {
    return {
      action: 'export',
      from_id: first_id,
      through_id,
      message: `events ${first_id} to ${through_id} are older than ${cutoff.toISOString()} and in no export yet`,
    };
  }
  return {
    action: 'prune',
    cutoff: cutoff.toISOString(),
    through_id,
    count,
    export_id: lastExport.id,
    message: `remove ${count} events (${first_id} to ${through_id}) older than ${cutoff.toISOString()}, exported by event ${lastExport.id}`,
  };
}
