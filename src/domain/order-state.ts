import { type BrokerOrder, TERMINAL_STATUSES } from './order.js';

/**
 * Kite's order lifecycle, and how to fold the snapshots of one order that arrive from three
 * places (WebSocket order updates, GET /orders refreshes, GET /orders/:id history) into one
 * current state. Snapshots come late, twice, and out of order, so each one is judged against
 * what we hold before it is accepted.
 *
 * The lifecycle (Kite's "order statuses" and order_info.json):
 *   PUT ORDER REQ RECEIVED -> VALIDATION PENDING -> OPEN PENDING -> OPEN | TRIGGER PENDING
 *   AMOs: parked in AMO REQ RECEIVED ("same as PUT ORDER REQ RECEIVED, but for AMOs"),
 *         released at the open through OPEN PENDING (the paper exchange's model: PUT ORDER
 *         REQ RECEIVED -> VALIDATION PENDING -> AMO REQ RECEIVED -> OPEN PENDING -> OPEN)
 *   modify: MODIFY VALIDATION PENDING -> MODIFY PENDING -> MODIFIED (still the old values)
 *           -> OPEN | TRIGGER PENDING (the new values); Kite updates order_timestamp
 *   fills: UPDATE (WebSocket only; REST shows OPEN with filled_quantity > 0) ... COMPLETE
 *   cancel: CANCEL PENDING -> CANCELLED; the exchange also cancels (IOC remainder, end of day)
 *   refusals: REJECTED, from the RMS or the exchange, with status_message
 */

/** Audit event types this module produces (src/domain/audit.ts lists them among AUDIT_TYPES). */
export const ORDER_EVENT_TYPES = [
  'ORDER_PLACED',
  'ORDER_MODIFIED',
  'ORDER_PARTIALLY_FILLED',
  'ORDER_FILLED',
  'ORDER_CANCELLED',
  'ORDER_EXPIRED',
  'ORDER_REJECTED',
] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

export type OrderFieldChange = { field: ModifiableField; from: number | string; to: number | string };

/** What happened to an order between two snapshots, as an audit event type and payload. */
export type OrderEvent =
  | {
      type: 'ORDER_PLACED';
      payload: { status: string; order_type: string; quantity: number; price: number; trigger_price: number };
    }
  | { type: 'ORDER_MODIFIED'; payload: { changes: OrderFieldChange[] } }
  | {
      type: 'ORDER_PARTIALLY_FILLED';
      payload: { fill_quantity: number; filled_quantity: number; pending_quantity: number; average_price: number };
    }
  | { type: 'ORDER_FILLED'; payload: { fill_quantity: number; filled_quantity: number; average_price: number } }
  | {
      type: 'ORDER_CANCELLED';
      payload: { filled_quantity: number; cancelled_quantity: number; status_message: string | null };
    }
  | {
      type: 'ORDER_EXPIRED';
      payload: {
        reason: ExpiryReason;
        filled_quantity: number;
        cancelled_quantity: number;
        status_message: string | null;
      };
    }
  | { type: 'ORDER_REJECTED'; payload: { status_message: string | null; status_message_raw: string | null } };

/**
 * The verdict on an incoming snapshot:
 * - new: the first we hear of the order; `events` are what a first sighting implies.
 * - advance: newer than ours; store it and audit `events` (possibly none: a transient step).
 * - duplicate: the same state we hold (a redelivery, or REST echoing the WebSocket).
 * - stale: older than ours (a late delivery); keep ours.
 * - impossible: contradicts what we hold; keep ours and raise it.
 */
export type OrderTransition =
  | { kind: 'new'; events: OrderEvent[] }
  | { kind: 'advance'; events: OrderEvent[] }
  | { kind: 'duplicate' }
  | { kind: 'stale'; reason: string }
  | { kind: 'impossible'; reason: string };

/**
 * Rank of each status along the lifecycle: the last tie-breaker between two snapshots with
 * the same fills and timestamps, so it only has to order the steps Kite takes within one
 * second (timestamps order the rest):
 * - placement: PUT ORDER REQ RECEIVED, VALIDATION PENDING, [AMO REQ RECEIVED,] OPEN PENDING,
 *   TRIGGER PENDING or OPEN;
 * - a modification: MODIFY VALIDATION PENDING, MODIFY PENDING, MODIFIED, then OPEN or
 *   TRIGGER PENDING with the new values, all with the new order_timestamp (order_info.json);
 *   a parked AMO returns to AMO REQ RECEIVED, so the modify steps rank below it;
 * - a cancel: CANCEL PENDING after OPEN (a cancel request moves no timestamp);
 * - UPDATE (a WebSocket fill notice) below OPEN, so a REST refresh showing the same fill
 *   replaces it rather than the other way round.
 */
const STATUS_RANK: Readonly<Record<string, number>> = {
  'PUT ORDER REQ RECEIVED': 0,
  'VALIDATION PENDING': 1,
  'MODIFY VALIDATION PENDING': 2,
  'MODIFY PENDING': 3,
  MODIFIED: 4,
  'AMO REQ RECEIVED': 5,
  'OPEN PENDING': 6,
  UPDATE: 7,
  'TRIGGER PENDING': 8,
  OPEN: 9,
  'CANCEL PENDING': 10,
  COMPLETE: 11,
  CANCELLED: 11,
  REJECTED: 11,
};
/** A status Kite adds later is ranked with the transient modify steps: it wins no tie. */
const UNKNOWN_STATUS_RANK = 4;

/** Statuses of an order working at the exchange, where a change of terms is a modification. */
const WORKING_STATUSES: ReadonlySet<string> = new Set([
  'OPEN',
  'TRIGGER PENDING',
  'UPDATE',
  'MODIFY VALIDATION PENDING',
  'MODIFY PENDING',
  'MODIFIED',
  'CANCEL PENDING',
]);

/**
 * Statuses in which the order is accepted and working (or done working): an order first
 * seen in one of these has been placed. REJECTED is not: it never worked.
 */
const PLACED_STATUSES: ReadonlySet<string> = new Set([
  'AMO REQ RECEIVED',
  ...WORKING_STATUSES,
  'COMPLETE',
  'CANCELLED',
]);

/** Fields whose change on a working order is a modification (Kite's PUT /orders parameters). */
export const MODIFIABLE_FIELDS = ['quantity', 'price', 'trigger_price', 'order_type'] as const;
export type ModifiableField = (typeof MODIFIABLE_FIELDS)[number];

/**
 * A different value in any of these means a different order, whatever the order_id says.
 * Not instrument_token: Kite's own history sample (order_info.json) shows token 1 at PUT
 * ORDER REQ RECEIVED and the real token from VALIDATION PENDING on.
 */
const IDENTITY_FIELDS = ['exchange', 'tradingsymbol', 'transaction_type'] as const;

/**
 * The fields that make up an order's state. Two snapshots equal on these are the same state
 * even if source-specific extras differ (the postback has no `tags`; guid, placed_by, ...).
 */
const STATE_FIELDS = [
  'status',
  'status_message',
  'variety',
  'product',
  'order_type',
  'validity',
  'quantity',
  'disclosed_quantity',
  'price',
  'trigger_price',
  'average_price',
  'filled_quantity',
  'pending_quantity',
  'cancelled_quantity',
  'exchange_order_id',
  'order_timestamp',
  'exchange_timestamp',
  'exchange_update_timestamp',
  'instrument_token',
  'tag',
] as const satisfies readonly (keyof BrokerOrder)[];

export type ExpiryReason = 'IOC' | 'EXCHANGE';

/**
 * status_message wordings that mean the exchange (not the user) cancelled the order.
 * Kite leaves status_message null when the user cancels (kite.trade forum, discussion
 * comment 52371: "the status_message field will be empty/null since the cancellation was
 * initiated at your end"); Zerodha's support page "Why was my order cancelled with the reason
 * 'exchange mass cancel'?" names the end-of-day purge of unmatched orders. The other two are
 * guesses at the wording of other exchange-side cancels and lapsed validity, not seen in
 * Kite's documentation: extend the table when a real message turns up.
 */
export const EXCHANGE_CANCEL_MESSAGES: readonly RegExp[] = [
  /mass cancel/i,
  /cancell?ed by (the )?exchange/i,
  /\bexpired\b/i,
];

export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Working or done working: past the RMS, at the exchange or parked as an AMO. */
export function isPlaced(order: BrokerOrder): boolean {
  if (PLACED_STATUSES.has(order.status) || order.filled_quantity > 0) return true;
  // An AMO released at the open passes OPEN PENDING again after AMO REQ RECEIVED.
  return order.variety === 'amo' && order.status === 'OPEN PENDING';
}

export function statusRank(status: string): number {
  return STATUS_RANK[status] ?? UNKNOWN_STATUS_RANK;
}

/**
 * Why a CANCELLED order was cancelled by the exchange rather than the user, or null.
 * The rule: an IOC order's cancellation is always the exchange's (its unfilled remainder is
 * cancelled at once; there is no time to cancel it by hand), and any order whose
 * status_message or status_message_raw matches {@link EXCHANGE_CANCEL_MESSAGES} is too.
 * Everything else (status_message null, as Kite leaves a user's cancel) is the user's.
 * A TTL order lapsing without a message is therefore reported as ORDER_CANCELLED: Kite's
 * wording for it is not documented.
 */
export function exchangeCancelReason(order: BrokerOrder): ExpiryReason | null {
  if (order.status !== 'CANCELLED') return null;
  if (order.validity === 'IOC') return 'IOC';
  const text = `${order.status_message ?? ''} ${order.status_message_raw ?? ''}`;
  return EXCHANGE_CANCEL_MESSAGES.some((re) => re.test(text)) ? 'EXCHANGE' : null;
}

/**
 * Judge `incoming` against the snapshot we hold for the same order. The evidence, strongest
 * first: a terminal status beats a non-terminal one; filled_quantity never decreases; the
 * latest of order_timestamp, exchange_timestamp and exchange_update_timestamp (each only
 * moves forward: fills move the update stamp, modifications the order stamp); then the
 * status rank. A snapshot that loses on evidence is stale, unless it carries evidence of
 * being newer (a later timestamp or more fills) and still contradicts ours: then it is
 * impossible (COMPLETE -> OPEN, fills shrinking, a terminal order changing quantity, a
 * different instrument or side). When nothing tells two different states apart, the one that
 * arrived last wins: a GET /orders refresh is the broker's current word.
 */
export function reconcileOrder(current: BrokerOrder | undefined, incoming: BrokerOrder): OrderTransition {
  if (current === undefined) return { kind: 'new', events: orderEvents(undefined, incoming) };
  if (current.order_id !== incoming.order_id) {
    return { kind: 'impossible', reason: `order ${incoming.order_id} compared with order ${current.order_id}` };
  }
  for (const field of IDENTITY_FIELDS) {
    if (current[field] !== incoming[field]) {
      return {
        kind: 'impossible',
        reason: `${field} changed from ${String(current[field])} to ${String(incoming[field])} for order ${current.order_id}`,
      };
    }
  }
  if (sameState(current, incoming)) return { kind: 'duplicate' };

  const from = current.status;
  const to = incoming.status;
  const fillDelta = incoming.filled_quantity - current.filled_quantity;
  const newerStamp = compareStamps(incoming, current);
  const advance = (): OrderTransition => ({ kind: 'advance', events: orderEvents(current, incoming) });

  if (isTerminalStatus(from)) {
    if (isTerminalStatus(to)) {
      if (to !== from) return { kind: 'impossible', reason: `${from} -> ${to}` };
      if (incoming.quantity !== current.quantity) {
        return {
          kind: 'impossible',
          reason: `quantity changed from ${current.quantity} to ${incoming.quantity} on a ${from} order`,
        };
      }
      if (fillDelta !== 0) {
        return {
          kind: 'impossible',
          reason: `filled_quantity changed from ${current.filled_quantity} to ${incoming.filled_quantity} on a ${from} order`,
        };
      }
      // The same end, described again (a later average price, a status message filled in).
      return newerStamp < 0 ? { kind: 'stale', reason: `older description of a ${from} order` } : advance();
    }
    if (fillDelta > 0) {
      return {
        kind: 'impossible',
        reason: `filled_quantity grew from ${current.filled_quantity} to ${incoming.filled_quantity} after ${from}`,
      };
    }
    if (newerStamp > 0) return { kind: 'impossible', reason: `${from} -> ${to} with a later timestamp` };
    return { kind: 'stale', reason: `${to} arrived after ${from}` };
  }

  if (fillDelta < 0) {
    if (isTerminalStatus(to) || newerStamp > 0) {
      return {
        kind: 'impossible',
        reason: `filled_quantity decreased from ${current.filled_quantity} to ${incoming.filled_quantity} (${from} -> ${to})`,
      };
    }
    return {
      kind: 'stale',
      reason: `filled_quantity ${incoming.filled_quantity} is behind ours (${current.filled_quantity})`,
    };
  }
  if (isTerminalStatus(to) || fillDelta > 0) return advance();
  if (newerStamp !== 0)
    return newerStamp > 0 ? advance() : { kind: 'stale', reason: `${to} has older timestamps than ${from}` };
  const rankDelta = statusRank(to) - statusRank(from);
  if (rankDelta < 0) return { kind: 'stale', reason: `${to} comes before ${from}` };
  return advance();
}

/**
 * The events between two snapshots, in the order they happened: placement, modification,
 * fills, and the end (cancel, expiry, rejection). `previous` undefined is a first sighting:
 * an order first seen COMPLETE gets ORDER_PLACED and ORDER_FILLED. A terminal `previous`
 * yields nothing: the order's story is over.
 */
export function orderEvents(previous: BrokerOrder | undefined, next: BrokerOrder): OrderEvent[] {
  if (previous !== undefined && isTerminalStatus(previous.status)) return [];
  const events: OrderEvent[] = [];
  const wasPlaced = previous !== undefined && isPlaced(previous);

  if (!wasPlaced && isPlaced(next)) {
    events.push({
      type: 'ORDER_PLACED',
      payload: {
        status: next.status,
        order_type: next.order_type,
        quantity: next.quantity,
        price: next.price,
        trigger_price: next.trigger_price,
      },
    });
  }

  if (previous !== undefined && reportsModifications(previous, next)) {
    const changes = modifications(previous, next);
    if (changes.length > 0) events.push({ type: 'ORDER_MODIFIED', payload: { changes } });
  }

  const fill = next.filled_quantity - (previous?.filled_quantity ?? 0);
  if (next.status === 'COMPLETE') {
    events.push({
      type: 'ORDER_FILLED',
      payload: { fill_quantity: fill, filled_quantity: next.filled_quantity, average_price: next.average_price },
    });
  } else if (fill > 0) {
    events.push({
      type: 'ORDER_PARTIALLY_FILLED',
      payload: {
        fill_quantity: fill,
        filled_quantity: next.filled_quantity,
        pending_quantity: next.pending_quantity,
        average_price: next.average_price,
      },
    });
  }

  if (next.status === 'CANCELLED') {
    const reason = exchangeCancelReason(next);
    const detail = {
      filled_quantity: next.filled_quantity,
      cancelled_quantity: next.cancelled_quantity,
      status_message: next.status_message,
    };
    events.push(
      reason === null
        ? { type: 'ORDER_CANCELLED', payload: detail }
        : { type: 'ORDER_EXPIRED', payload: { reason, ...detail } },
    );
  } else if (next.status === 'REJECTED') {
    events.push({
      type: 'ORDER_REJECTED',
      payload: { status_message: next.status_message, status_message_raw: next.status_message_raw },
    });
  }
  return events;
}

function modifications(previous: BrokerOrder, next: BrokerOrder): OrderFieldChange[] {
  const changes: OrderFieldChange[] = [];
  for (const field of MODIFIABLE_FIELDS) {
    if (previous[field] !== next[field]) changes.push({ field, from: previous[field], to: next[field] });
  }
  return changes;
}

/**
 * Whether a change of terms between these snapshots is a modification: from a working order,
 * or an AMO modified while it waits for the open. Not on the way to the exchange (OPEN
 * PENDING, an AMO's release): a protected MARKET order is shown as LIMIT at the protection
 * price once it works (orders.json; the paper exchange does the same), which nobody asked for.
 */
function reportsModifications(previous: BrokerOrder, next: BrokerOrder): boolean {
  if (WORKING_STATUSES.has(previous.status)) return true;
  return (
    previous.status === 'AMO REQ RECEIVED' && (next.status === 'AMO REQ RECEIVED' || next.status.startsWith('MODIFY'))
  );
}

function sameState(a: BrokerOrder, b: BrokerOrder): boolean {
  return STATE_FIELDS.every((field) => a[field] === b[field]);
}

/** +1 when `a` carries a later timestamp than `b`, -1 when earlier, 0 when equal or unknown. */
function compareStamps(a: BrokerOrder, b: BrokerOrder): number {
  const ta = latestStamp(a);
  const tb = latestStamp(b);
  if (ta === null || tb === null || ta === tb) return 0;
  return ta > tb ? 1 : -1;
}

function latestStamp(o: BrokerOrder): number | null {
  let latest: number | null = null;
  for (const stamp of [o.order_timestamp, o.exchange_timestamp, o.exchange_update_timestamp]) {
    if (stamp === null) continue;
    const ms = Date.parse(stamp);
    if (Number.isNaN(ms)) continue;
    if (latest === null || ms > latest) latest = ms;
  }
  return latest;
}
