import { TERMINAL_STATUSES } from '../domain/order.js';
import type { TransactionType } from '../domain/values.js';
import { AUTO_MARKET_PROTECTION } from './placement.js';

/**
 * Brackets: an entry som protects, as it fills, with an OCO stop and target for the filled
 * quantity. The plan is a function of what is stored and what the broker reports, never of what
 * this process remembers (beyond the sends it has in flight), so planning again after a restart
 * neither loses a fill's protection nor places it twice: every leg is recorded under its tag
 * before it is sent, and a tag the order book has not settled is waited for, never resent.
 */

/** Where an order som means to send stands: no intent recorded (never sent), or the intent's state. */
export type IntentState = 'pending' | 'placed' | 'failed' | 'unknown' | null;

/** The broker's facts about an order, as stored. */
export interface OrderFacts {
  order_id: string;
  status: string;
  quantity: number;
  filled_quantity: number;
  pending_quantity: number;
}

export interface TaggedOrder {
  tag: string;
  intent: IntentState;
  /** A send of this tag is under way in this process. */
  in_flight: boolean;
  order: OrderFacts | null;
  /** The broker's words when it refused the order (the intent's error, or a rejection's status message). */
  error?: string | null;
  /**
   * Its intent failed for a reason that is not the order's: never sent, or refused for the
   * session (a login replaced the token), the rate limit or an unavailable broker. Sent again
   * under its tag, it may well be placed; nothing about it says the broker would refuse it.
   */
  resendable?: boolean;
}

export interface BracketPair {
  id: number;
  /** The quantity the pair protects: both legs are sent (or grown) to this. */
  quantity: number;
  stop: TaggedOrder;
  target: TaggedOrder;
  oco_group_id: number | null;
  grows: number;
  alerted: boolean;
}

export interface BracketFacts {
  id: number;
  /** The entry's side; the stop and target are on the other. */
  side: TransactionType;
  entry: TaggedOrder;
  pairs: readonly BracketPair[];
}

export type BracketStep =
  | { kind: 'wait'; why: string }
  /** Record that a pair protects less than recorded (a leg filled before it could grow). */
  | { kind: 'settle'; pair_id: number; quantity: number; why: string }
  /** Record that the last pair grows to `quantity`; its legs are then modified to it. */
  | { kind: 'grow'; pair_id: number; quantity: number }
  /** Bring a leg up to its pair's quantity (Kite's modify takes the new total quantity). */
  | { kind: 'modify'; pair_id: number; leg: 'stop' | 'target'; order_id: string; quantity: number }
  /** A leg recorded but never sent (somd stopped first, placement was paused), or resendable: send it under its tag. */
  | { kind: 'send'; pair_id: number; leg: 'stop' | 'target'; tag: string; quantity: number }
  /** A new pair for the filled quantity nothing protects yet. */
  | { kind: 'place'; quantity: number }
  | { kind: 'link'; pair_id: number; stop_order_id: string; target_order_id: string }
  /** A leg the broker refused: part of the fill is not protected by som; the user must act. */
  | { kind: 'alert'; pair_id: number; quantity: number; why: string }
  | { kind: 'close'; reason: string };

const LIVE: ReadonlySet<string> = new Set(['OPEN', 'TRIGGER PENDING']);
/** Kite allows 25 modifications an order; a pair stops growing well before that and a new one is placed. */
export const MAX_PAIR_GROWS = 20;

function inFlight(o: TaggedOrder): boolean {
  return o.in_flight || o.intent === 'pending' || o.intent === 'unknown' || (o.intent === 'placed' && o.order === null);
}

function refused(o: TaggedOrder): string | null {
  if (o.resendable) return null;
  const why = o.error ? `: ${o.error}` : '';
  if (o.intent === 'failed') return `could not be placed${why}`;
  if (o.order?.status === 'REJECTED') return `was rejected by the broker${why}`;
  return null;
}

/** The most a pair's legs protect once both are at the broker: an OCO pair protects its larger leg's quantity. */
function protecting(p: BracketPair): number | null {
  if (!p.stop.order || !p.target.order) return null;
  return Math.max(p.stop.order.quantity, p.target.order.quantity);
}

/** Both legs live, neither filled, both at the pair's quantity: the pair can grow by modification. */
function growable(p: BracketPair): boolean {
  return [p.stop, p.target].every(
    (l) =>
      l.order !== null && LIVE.has(l.order.status) && l.order.filled_quantity === 0 && l.order.quantity === p.quantity,
  );
}

/**
 * What a bracket needs now.
 * - The entry not yet sent, or its state unsettled: wait. Its intent failed, or it was never
 *   sent and nothing is sending it: close, nothing placed.
 * - Any leg unsettled (being sent, its fate unknown, placed but not yet seen): wait; nothing else
 *   is decided until the book says where it stands.
 * - A leg recorded but never sent, or refused for the session, the rate limit or an unavailable
 *   broker rather than for itself: send it (again) under its tag.
 * - A pair whose legs protect less than recorded, and can no longer grow: settle it to what they
 *   protect.
 * - Filled quantity F above what the pairs protect: grow the last pair (both legs live and
 *   unfilled, fewer than {@link MAX_PAIR_GROWS} grows), else place a new pair for the rest.
 * - Legs below their pair's quantity while the pair is untouched: modify them up (a grow a
 *   restart interrupted).
 * - A pair with both orders and no OCO group: link it.
 * - A leg refused: alert once (that quantity is counted as covered: placing it again would be
 *   refused again).
 * - The entry finished and everything filled is covered and settled: close.
 */
export function planBracket(b: BracketFacts, maxGrows = MAX_PAIR_GROWS): BracketStep[] {
  const entry = b.entry;
  if (entry.intent === 'failed') return [{ kind: 'close', reason: 'the entry was not placed: nothing to protect' }];
  if (entry.intent === null && !entry.in_flight) {
    return [{ kind: 'close', reason: 'the entry was never sent: nothing to protect' }];
  }
  if (inFlight(entry) || !entry.order) return [{ kind: 'wait', why: 'the entry is on its way to the broker' }];
  for (const p of b.pairs) {
    for (const [name, leg] of [
      ['stop', p.stop],
      ['target', p.target],
    ] as const) {
      if (inFlight(leg)) return [{ kind: 'wait', why: `pair ${p.id}'s ${name} is on its way to the broker` }];
    }
  }

  const steps: BracketStep[] = [];
  const filled = entry.order.filled_quantity;
  let covered = 0;
  for (const p of b.pairs) {
    let quantity = p.quantity;
    const shown = protecting(p);
    if (shown !== null && shown < p.quantity && !growable(p) && !untouched(p)) {
      steps.push({
        kind: 'settle',
        pair_id: p.id,
        quantity: shown,
        why: `its legs protect ${shown} of ${p.quantity}: a leg filled or ended before it could grow`,
      });
      quantity = shown;
    }
    covered += quantity;
    for (const [name, leg] of [
      ['stop', p.stop],
      ['target', p.target],
    ] as const) {
      if (leg.intent === null || leg.resendable) {
        steps.push({ kind: 'send', pair_id: p.id, leg: name, tag: leg.tag, quantity });
      }
    }
  }

  const need = filled - covered;
  const last = b.pairs.at(-1);
  const grown = new Map<number, number>();
  if (need > 0) {
    if (
      last &&
      growable(last) &&
      last.grows < maxGrows &&
      !steps.some((s) => 'pair_id' in s && s.pair_id === last.id)
    ) {
      grown.set(last.id, last.quantity + need);
      steps.push({ kind: 'grow', pair_id: last.id, quantity: last.quantity + need });
    } else {
      steps.push({ kind: 'place', quantity: need });
    }
  }
  for (const p of b.pairs) {
    const target = grown.get(p.id) ?? p.quantity;
    if (!untouched(p)) continue;
    for (const [name, leg] of [
      ['stop', p.stop],
      ['target', p.target],
    ] as const) {
      if (leg.order && leg.order.quantity < target) {
        steps.push({ kind: 'modify', pair_id: p.id, leg: name, order_id: leg.order.order_id, quantity: target });
      }
    }
  }
  for (const p of b.pairs) {
    const broken = refused(p.stop) ?? refused(p.target);
    if (broken !== null) {
      if (!p.alerted) {
        const which = refused(p.stop) !== null ? 'stop' : 'target';
        steps.push({ kind: 'alert', pair_id: p.id, quantity: p.quantity, why: `the ${which} ${broken}` });
      }
      continue;
    }
    if (p.oco_group_id === null && p.stop.order && p.target.order) {
      steps.push({
        kind: 'link',
        pair_id: p.id,
        stop_order_id: p.stop.order.order_id,
        target_order_id: p.target.order.order_id,
      });
    }
  }
  const entryDone = TERMINAL_STATUSES.has(entry.order.status);
  const busy = steps.some((s) => s.kind !== 'alert' && s.kind !== 'link');
  if (entryDone && !busy && need <= 0) {
    const unprotected = b.pairs
      .filter((p) => refused(p.stop) !== null || refused(p.target) !== null)
      .reduce((sum, p) => sum + p.quantity, 0);
    steps.push({
      kind: 'close',
      reason:
        filled === 0
          ? `the entry ended ${entry.order.status} unfilled: nothing placed`
          : unprotected === 0
            ? `the entry ended ${entry.order.status} with ${filled} filled, all of it under an OCO stop and target`
            : `the entry ended ${entry.order.status} with ${filled} filled; ${unprotected} of it is not protected (a leg was refused; the user was alerted)`,
    });
  }
  return steps;
}

/** Both legs live (or not yet at the broker) and unfilled: modifying them up is still safe. */
function untouched(p: BracketPair): boolean {
  return [p.stop, p.target].every(
    (l) => l.order === null || (LIVE.has(l.order.status) && l.order.filled_quantity === 0),
  );
}

/** What a bracket's legs are placed as: an SL-M stop with Kite's automatic market protection and a LIMIT target. */
export function bracketLegRequests<E extends string, P extends string>(
  entry: { exchange: E; tradingsymbol: string; product: P; side: TransactionType },
  prices: { stop: number; target: number },
  quantity: number,
) {
  const exit = {
    variety: 'regular' as const,
    exchange: entry.exchange,
    tradingsymbol: entry.tradingsymbol,
    transaction_type: (entry.side === 'BUY' ? 'SELL' : 'BUY') as TransactionType,
    product: entry.product,
    quantity,
    validity: 'DAY' as const,
  };
  return {
    stop: {
      ...exit,
      order_type: 'SL-M' as const,
      trigger_price: prices.stop,
      market_protection: AUTO_MARKET_PROTECTION,
    },
    target: { ...exit, order_type: 'LIMIT' as const, price: prices.target },
  };
}
