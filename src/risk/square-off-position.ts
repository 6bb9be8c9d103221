/**
 * One position of a square-off run, from what the store holds to the planner's input and back:
 * the run's exits as recorded (each an intent before it was sent), the broker's orders they
 * became, the strategy's other working orders, its share and the broker's net position.
 *
 * The quantity to exit is recomputed each time from the store: the strategy's share (moved by
 * the broker's fills) and never more than the broker's net position holds on that side, less
 * what other square-offs' exits working on the same position already cover (two strategies
 * whose shares add up to more than the broker holds never sell it twice), so an exit can never
 * open a position at the broker, whatever a missed update did to the shares. When
 * the broker holds less than the share, the difference is waited on (a fill or a position
 * refresh is on its way) for `settle_ms`; after that the position counts as done with a note
 * (two strategies holding opposite shares, exited one after the other, end the account flat and
 * leave those shares to offset).
 */
import { planSquareOff, type SquareOffInput, type SquareOffOrder, type SquareOffPlan } from './square-off.js';
import type { PositionQuantity, Side } from './types.js';

/** An exit as the run recorded it before sending, with the broker's order once there is one. */
export interface RunExit {
  tag: string;
  /** intent: recorded, not sent yet; sent: the broker took it; unknown: its fate is open; failed: never placed. */
  state: 'intent' | 'sent' | 'unknown' | 'failed';
  order_id: string | null;
  transaction_type: Side;
  order_type: string;
  quantity: number;
  price: number | null;
  modifications: number;
  placed_ms: number;
  updated_ms: number;
  /** The broker's order, once som has seen it. */
  order: LiveOrder | null;
}

/** A working order as the store holds it (the broker's last word on it). */
export interface LiveOrder {
  order_id: string;
  transaction_type: Side;
  order_type: string;
  price: number;
  quantity: number;
  filled_quantity: number;
  pending_quantity: number;
  /** Placement time, epoch ms (NaN when unknown). */
  placed_ms: number;
  /** Kite's variety (a cancel names it) and, for a child order, its parent. */
  variety?: string;
  parent_order_id?: string | null;
}

export interface RunPositionInput extends Omit<SquareOffInput, 'position' | 'orders'> {
  where: Omit<PositionQuantity, 'quantity'>;
  /** The strategy's share (signed). */
  share: number;
  /** The broker's net position in the instrument and product; null when it lists none. */
  broker: { quantity: number } | null;
  /** The broker's position is at least as new as the last fill in it. */
  broker_fresh: boolean;
  exits: readonly RunExit[];
  /** Exits of other square-offs (other strategies) on the same instrument and product. */
  elsewhere: readonly RunExit[];
  /** The strategy's other working orders on this instrument and product. */
  others: readonly LiveOrder[];
  /** Orders a cancel has been sent for and not yet confirmed. */
  cancelling: ReadonlySet<string>;
  /** Since when the broker has held less than the share (epoch ms), or null. */
  short_since_ms: number | null;
  settle_ms: number;
}

export interface RunPositionPlan {
  plan: SquareOffPlan;
  /** Nothing left to do for this position. */
  done: boolean;
  /** The quantity planned on: the share, within what the broker holds. */
  quantity: number;
  /** The broker holds less than the share on its side (null when it does not). */
  short_by: number | null;
  /** Why the position is done although the share is not flat, if so. */
  note: string | null;
}

/** The planner's view of one position now (see the module comment). */
export function planRunPosition(input: RunPositionInput): RunPositionPlan {
  const side = Math.sign(input.share);
  const exitSide = side > 0 ? 'SELL' : 'BUY';
  let taken = 0;
  for (const e of input.elsewhere) {
    if (e.transaction_type !== exitSide || (e.state === 'failed' && e.order === null)) continue;
    taken += exitOrder(e, input.cancelling).pending_quantity;
  }
  const room = input.broker ? Math.max(0, side * input.broker.quantity - taken) : 0;
  const quantity = side * Math.min(Math.abs(input.share), room);
  const shortBy = Math.abs(input.share) - Math.abs(quantity);
  const orders: SquareOffOrder[] = [];
  for (const e of input.exits) {
    if (e.state === 'failed' && e.order === null) continue;
    orders.push(exitOrder(e, input.cancelling));
  }
  for (const o of input.others) {
    orders.push({
      order_id: o.order_id,
      exit: false,
      transaction_type: o.transaction_type,
      order_type: o.order_type,
      price: o.price,
      quantity: o.quantity,
      filled_quantity: o.filled_quantity,
      pending_quantity: o.pending_quantity,
      modifications: 0,
      placed_ms: o.placed_ms,
      updated_ms: o.placed_ms,
      cancel_requested: input.cancelling.has(o.order_id),
    });
  }
  const {
    where,
    share: _share,
    broker: _b,
    broker_fresh,
    exits: _e,
    elsewhere: _x,
    others: _o,
    cancelling: _c,
    ...rest
  } = input;
  const plan = planSquareOff({ ...rest, position: { ...where, quantity }, orders });
  const settled =
    shortBy === 0 ||
    (broker_fresh && input.short_since_ms !== null && input.now_ms - input.short_since_ms >= input.settle_ms);
  const done = plan.done && settled;
  const note =
    done && shortBy > 0
      ? `the broker holds ${Math.abs(quantity) === 0 ? 'none' : Math.abs(quantity)} of the strategy's ${Math.abs(input.share)}: the rest was not there to exit`
      : null;
  if (!done && plan.done && plan.next_check_ms === null) {
    // Waiting on the broker's position to catch up with the share.
    plan.next_check_ms = input.now_ms + Math.max(200, Math.min(1000, input.settle_ms));
  }
  return { plan, done, quantity, short_by: shortBy > 0 ? shortBy : null, note };
}

function exitOrder(e: RunExit, cancelling: ReadonlySet<string>): SquareOffOrder {
  const o = e.order;
  const orderId = o?.order_id ?? e.order_id;
  if (o) {
    return {
      order_id: o.order_id,
      exit: true,
      transaction_type: o.transaction_type,
      order_type: o.order_type,
      price: o.price,
      quantity: o.quantity,
      filled_quantity: o.filled_quantity,
      pending_quantity: o.pending_quantity,
      modifications: e.modifications,
      placed_ms: e.placed_ms,
      updated_ms: e.updated_ms,
      cancel_requested: cancelling.has(o.order_id),
    };
  }
  // Recorded or sent, not yet seen from the broker: it covers its whole quantity meanwhile.
  return {
    order_id: orderId,
    exit: true,
    transaction_type: e.transaction_type,
    order_type: e.order_type,
    price: e.price ?? 0,
    quantity: e.quantity,
    filled_quantity: 0,
    pending_quantity: e.quantity,
    modifications: e.modifications,
    placed_ms: e.placed_ms,
    updated_ms: e.updated_ms,
    cancel_requested: orderId !== null && cancelling.has(orderId),
  };
}

/**
 * Exits to mark failed: recorded by the run but never handed to the broker (the order desk has
 * no intent for the tag, and no send of this process is working on it: a crash came between),
 * or whose placement the desk gave up on. They cover nothing; the planner places their
 * quantity afresh. Exits the broker may have (an intent pending, placed or unknown) are kept:
 * the order book read at start-up or the next refresh settles them by tag.
 */
export function unsentExits(
  exits: readonly RunExit[],
  intents: ReadonlyMap<string, 'pending' | 'placed' | 'failed' | 'unknown'>,
  sending: ReadonlySet<string>,
): { tag: string; why: string }[] {
  const out: { tag: string; why: string }[] = [];
  for (const e of exits) {
    if (e.order !== null || e.state === 'failed' || sending.has(e.tag)) continue;
    const intent = intents.get(e.tag);
    if (intent === undefined) out.push({ tag: e.tag, why: 'never sent: the order desk recorded no intent for it' });
    else if (intent === 'failed') out.push({ tag: e.tag, why: 'the order desk could not place it' });
  }
  return out;
}

/** Best bid, ask and last price from a tick's depth (an empty level has price 0). */
export function exitQuoteOf(tick: {
  last_price: number;
  depth: {
    buy: readonly { price: number; quantity: number }[];
    sell: readonly { price: number; quantity: number }[];
  } | null;
}): { bid: number | null; ask: number | null; last: number } {
  const best = (levels: readonly { price: number; quantity: number }[] | undefined) =>
    levels?.find((l) => l.price > 0 && l.quantity > 0)?.price ?? null;
  return { bid: best(tick.depth?.buy), ask: best(tick.depth?.sell), last: tick.last_price };
}
