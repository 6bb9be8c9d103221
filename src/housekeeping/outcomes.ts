import type { AuditType } from '../domain/audit.js';
import { CLEANUP_ATTEMPTS_BEFORE_CRITICAL, cleanupBackoffMs, type Deferral } from './cleanup-policy.js';
import type { HkOrder, OrphanCorrection, OrphanDetection } from './types.js';

/**
 * What an orphan's handling leaves behind: the housekeeping log line, the audit event, the
 * alerts (raised and resolved), and the retry state. Alerts say what som did, what it will
 * do, or that the user must act:
 * - som cancelled or reduced it: a normal alert saying so (when the strategy notifies);
 * - the strategy only reports orphans: a high alert telling the user to cancel it;
 * - the exchange ends it at the close: logged, no alert (nothing is at risk);
 * - the broker refused or failed: a high alert saying som keeps trying and when, critical
 *   after a few failures, telling the user to cancel it on Kite themselves if they can; it is
 *   resolved once the order is gone.
 */

/** How one attempt (or non-attempt) ended. */
export type CleanupResult =
  | { kind: 'done'; correction: OrphanCorrection }
  | { kind: 'already-closed'; message: string }
  | { kind: 'failed'; correction: OrphanCorrection; message: string }
  | { kind: 'reported' }
  | { kind: 'deferred'; deferral: Deferral };

export interface AlertSpec {
  type: string;
  priority: 'low' | 'normal' | 'high' | 'critical';
  title: string;
  message: string;
  dedupeKey: string;
  payload?: Record<string, unknown>;
}

export interface OutcomeRecord {
  log: { action: string; result: string; reason: string };
  audit: { type: AuditType; payload: Record<string, unknown> } | null;
  raise: AlertSpec[];
  resolve: string[];
  /** The retry state to keep: attempts so far and when the next is due; null clears it. */
  retry: { attempts: number; nextAt: string; lastError: string } | null;
  /** What `som orphans` shows as done: "cancel: cancelled", "report", ... */
  orphanAction: string;
}

/** The alert key of an orphan's outcome, and of its failing cleanup. */
export const orphanAlertKey = (id: string): string => `orphan:${id}`;
export const cleanupFailedKey = (id: string): string => `cleanup-failed:${id}`;

export function correctionText(c: OrphanCorrection, gtt: boolean): string {
  if (c.kind === 'cancel') return gtt ? 'delete' : 'cancel';
  return `reduce to ${c.quantity}`;
}

/**
 * The record of one orphan's handling. `attemptsBefore` counts earlier failed attempts;
 * `firstReport` says whether this detection was already reported (no second alert).
 */
export function cleanupOutcome(input: {
  detection: OrphanDetection;
  order: HkOrder;
  result: CleanupResult;
  attemptsBefore: number;
  firstReport: boolean;
  now: Date;
}): OutcomeRecord {
  const { detection: d, order: o, result, now } = input;
  const gtt = o.gtt != null;
  const what = gtt ? `GTT ${o.gtt!.id}` : `${o.order_type} ${o.transaction_type} ${o.quantity}`;
  const title = `Orphaned ${what} ${o.exchange}:${o.tradingsymbol}`;
  const base = { reason: d.reason };
  const alertBase = { payload: { reason: d.reason, order_id: o.order_id } };
  switch (result.kind) {
    case 'done': {
      const action = correctionText(result.correction, gtt);
      const did = result.correction.kind === 'cancel' ? (gtt ? 'deleted' : 'cancelled') : 'reduced';
      return {
        log: { ...base, action, result: did },
        audit: {
          type: result.correction.kind === 'cancel' ? 'ORPHAN_CANCELLED' : 'ORPHAN_REDUCED',
          payload: {
            ...base,
            result: did,
            ...(result.correction.kind === 'reduce' ? { quantity: result.correction.quantity } : {}),
          },
        },
        raise:
          d.notify && input.firstReport
            ? [
                {
                  ...alertBase,
                  type: 'ORPHAN_DETECTED',
                  priority: 'normal',
                  title,
                  message: `${d.explanation}. som ${did} it${result.correction.kind === 'reduce' ? ` to quantity ${result.correction.quantity}` : ''}.`,
                  dedupeKey: orphanAlertKey(o.order_id),
                },
              ]
            : [],
        resolve: dangerEnded(o.order_id),
        retry: null,
        orphanAction: `${action}: ${did}`,
      };
    }
    case 'already-closed':
      return {
        log: { ...base, action: gtt ? 'delete' : 'cancel', result: 'already closed' },
        audit: { type: 'ORPHAN_RESOLVED', payload: { ...base, result: 'already closed', message: result.message } },
        raise: [],
        resolve: dangerEnded(o.order_id),
        retry: null,
        orphanAction: `${gtt ? 'delete' : 'cancel'}: already closed`,
      };
    case 'failed': {
      const attempts = input.attemptsBefore + 1;
      const nextAt = new Date(now.getTime() + cleanupBackoffMs(attempts)).toISOString();
      const action = correctionText(result.correction, gtt);
      const critical = attempts >= CLEANUP_ATTEMPTS_BEFORE_CRITICAL;
      return {
        log: { ...base, action, result: `error: ${result.message}` },
        audit: {
          type: 'ORPHAN_CLEANUP_FAILED',
          payload: { ...base, action, attempts, error: result.message, next_at: nextAt },
        },
        raise: [
          {
            ...alertBase,
            type: 'CLEANUP_FAILED',
            priority: critical ? 'critical' : 'high',
            title: `Could not ${action} ${what} ${o.exchange}:${o.tradingsymbol} (${o.order_id})`,
            message:
              `${d.explanation}. The broker refused or failed ${attempts} time${attempts === 1 ? '' : 's'} (${result.message}). ` +
              `som keeps trying while it stays live, next at ${nextAt}` +
              (critical ? `; cancel it on Kite yourself if you can: it could open a position when it fires.` : '.'),
            dedupeKey: `${cleanupFailedKey(o.order_id)}${critical ? ':critical' : ''}`,
          },
        ],
        resolve: critical ? [cleanupFailedKey(o.order_id)] : [],
        retry: { attempts, nextAt, lastError: result.message },
        orphanAction: `${action}: failed, retrying`,
      };
    }
    case 'reported':
      return {
        log: { ...base, action: 'report', result: 'reported' },
        audit: null,
        raise:
          d.notify && input.firstReport
            ? [
                {
                  ...alertBase,
                  type: 'ORPHAN_DETECTED',
                  priority: 'high',
                  title,
                  message: `${d.explanation}. Not ${gtt ? 'deleted' : 'cancelled'}: this strategy only reports orphans. ${gtt ? 'Delete' : 'Cancel'} it yourself, or run \`som orphans cleanup --force\`.`,
                  dedupeKey: orphanAlertKey(o.order_id),
                },
              ]
            : [],
        resolve: [],
        retry: null,
        orphanAction: 'report',
      };
    case 'deferred':
      return {
        log: { ...base, action: 'wait', result: result.deferral.message },
        audit: null,
        raise: [],
        resolve: [],
        retry:
          result.deferral.kind === 'backoff'
            ? { attempts: input.attemptsBefore, nextAt: result.deferral.until, lastError: '' }
            : null,
        orphanAction:
          result.deferral.kind === 'exchange-ends'
            ? 'left to the exchange'
            : result.deferral.kind === 'square-off'
              ? 'left to the square-off'
              : 'waiting to retry',
      };
  }
}

/** The alerts to resolve when an orphan's danger ended without som (it filled, was cancelled, its position returned). */
export function dangerEnded(orderId: string): string[] {
  return [cleanupFailedKey(orderId), `${cleanupFailedKey(orderId)}:critical`];
}
