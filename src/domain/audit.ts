import { z } from 'zod';
import { ORDER_EVENT_TYPES } from './order-state.js';

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
  // Orders: som's intent (or the first sighting of an order placed elsewhere), then what the
  // broker reports as it happens (src/domain/order-state.ts decides which).
  'ORDER_CREATED',
  ...ORDER_EVENT_TYPES,
  /** An update that contradicts what som holds (e.g. COMPLETE then OPEN): kept out, recorded. */
  'ORDER_UPDATE_REFUSED',
  /** A request som sent failed; the error says whether the broker may still have it. */
  'ORDER_SEND_FAILED',
  /** A placement that failed in transit was found in the order book by its tag (not resent). */
  'ORDER_RECOVERED',
  'ORDER_MODIFY_REQUESTED',
  'ORDER_CANCEL_REQUESTED',
  'POSITION_OPENED',
  'POSITION_CLOSED',
  /** A fill moved strategies' shares of the position (src/domain/position-shares.ts). */
  'POSITION_ALLOCATED',
  /** What the broker's positions showed and no fill explained was adopted into the shares. */
  'POSITION_ADOPTED',
  'SESSION_LOGIN',
  'SESSION_LOGOUT',
  'SESSION_EXPIRED',
  'SESSION_INVALID',
  'HEALTH_CHECK_FAILED',
  'HEALTH_RECOVERED',
  'ALERT_RAISED',
  'INSTRUMENTS_DOWNLOADED',
  // Housekeeping (src/housekeeping rules, carried out by daemon/housekeeping).
  /** An order's role (entry, stop, target, exit) was judged or judged again, with why. */
  'ROLE_JUDGED',
  'ORPHAN_DETECTED',
  'ORPHAN_CANCELLED',
  'ORPHAN_REDUCED',
  /** A cancel or reduce of an orphan failed; som keeps trying while the danger stands. */
  'ORPHAN_CLEANUP_FAILED',
  /** An orphan's danger ended without som acting (it filled, was cancelled elsewhere, its position came back). */
  'ORPHAN_RESOLVED',
  'OCO_LINKED',
  'OCO_OVERFILL',
  'POSITION_FLATTENED',
  'ORDER_AGED',
  'ORDER_ARCHIVED',
  'POSITION_ARCHIVED',
  'HOUSEKEEPING_RUN',
  // Smart execution (src/execution rules, carried out by daemon/execution).
  /** An order (or basket) `som trade` held for the user, with the analyses shown and the deadline. */
  'ORDER_HELD',
  /** The user's answer to a held order: which, how long it took, and what came of it. */
  'ORDER_HELD_RESPONDED',
  /** A held order not answered in time: cancelled, never sent. */
  'ORDER_HELD_EXPIRED',
  /** An entry som will protect with an OCO stop and target as it fills. */
  'BRACKET_OPENED',
  /** A bracket's stop and target placed, grown or settled for a quantity of the entry's fills. */
  'BRACKET_PROTECTED',
  'BRACKET_CLOSED',
  // The books: reconciliation with the broker, the end of day, the trail's own retention.
  /** som adopted the broker's record of an order, fill, position or share (before and after). */
  'RECONCILE_HEALED',
  /** A difference found in too many consecutive reconciliation rounds: a high alert stands for it. */
  'RECONCILE_ESCALATED',
  'EOD_REPORTED',
  /** The trail, or a range of it, was written to a file (src/audit/trail-events.ts). */
  'AUDIT_EXPORTED',
  /** The anchor a retention prune leaves in place of the events it removed. */
  'AUDIT_PRUNED',
  // Risk (src/risk rules, carried out by daemon/risk).
  /** A limit reached its warning level (`[risk] warn_pct` % of it). */
  'RISK_WARNING',
  /** A limit breached, with what som did (state, alert, square-off). */
  'RISK_BREACH',
  /** A strategy's or the account's trading state moved (ACTIVE, REDUCING, HALTED). */
  'RISK_STATE_CHANGED',
  /** The pre-trade gate refused an order (RISK_HALTED, RISK_LOSS_LIMIT, ...). */
  'RISK_ORDER_REFUSED',
  /** `som halt` and `som resume`. */
  'RISK_HALTED',
  'RISK_RESUMED',
  /** A square-off began (loss limit, kill switch, MIS timetable), each exit it sent or changed, its end. */
  'SQUARE_OFF_STARTED',
  'SQUARE_OFF_EXIT',
  'SQUARE_OFF_DONE',
  /** A step of the MIS square-off timetable (warn, start, force) taken for a segment. */
  'MIS_STEP',
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
