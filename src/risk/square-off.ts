/**
 * Square-off planning for one position: what to send now so that it ends flat.
 *
 * The planner is a reconciliation, not a script: it takes the broker's current position and
 * every order working on it (exits already sent or only recorded as intents, and the
 * position's other open orders) and returns only what is still missing. Called again with the
 * same inputs once its orders are recorded, it returns nothing new, so a restart mid-way (or a
 * second caller) never doubles an exit. The caller must pass a position that already includes
 * the fills of the orders it passes (both from the same view of the account), and record on
 * each order what it sent: a new exit as an order (with no order id until the broker
 * acknowledges it), `cancel_requested` on a cancelled one, and on a modified one its new price
 * or quantity, its modification count and the time.
 *
 * Steps, each time it is called:
 * 1. Cancel the position's other open orders (entries, stops, targets). Those on the exit
 *    side may still fill until their cancel lands, so their pending quantity counts as
 *    covering the position meanwhile: a stop and an exit can never both close it.
 * 2. Exits on the wrong side (the position flipped or closed) are cancelled; exits working
 *    beyond what the position needs are reduced, youngest first (cancelled, or their quantity
 *    lowered).
 * 3. What is not covered is placed as new exits, sliced so that no order is above the
 *    instrument's freeze quantity (whole lots: NIFTY's 1800 with lots of 65 allows 1755). Kite's
 *    autoslice (at most 10 slices a request) is not used: each slice is an order of its own,
 *    priced, tracked and re-priced on its own, and counted against the exchange's rate.
 * 4. Exits are LIMIT orders at the caller's limit price (the smart-execution price) when it
 *    gives one, else marketable with `square_off_protection_pct`; with no quote at all they
 *    are MARKET orders carrying that protection (Kite's `market_protection`).
 * 5. Re-pricing: an exit that has rested `square_off_reprice_seconds` is moved to the current
 *    price by the same rule. From the deadline (`escalate_at_ms`) every exit is re-priced at
 *    once, marketable with `square_off_escalation_protection_pct`, whatever limit price the
 *    caller gives. Kite allows `max_modifications` per order: before the deadline one is kept
 *    back for the escalation; an exit whose budget is spent is cancelled when due, and its
 *    remainder is placed afresh once the cancel has landed.
 *
 * Pacing across positions is the caller's (see pacing.ts): the exchange's 10 orders a second
 * are shared by every position squared off together.
 */
import type { RiskConfig } from '../config/risk.js';
import type { PlaceOrderRequest } from '../domain/order.js';
import { isExchange, isProduct } from '../domain/values.js';
import { atLeastAsAggressive, type ExitQuote, marketablePrice } from './exit-price.js';
import { exitSide } from './order-effect.js';
import type { PositionQuantity, Side } from './types.js';

/** An order working on the position: an exit som placed (or only recorded), or any other open order. */
export interface SquareOffOrder {
  /** null: recorded as an intent, not yet acknowledged by the broker (cannot be changed yet). */
  order_id: string | null;
  /** True for the square-off's own exits. */
  exit: boolean;
  transaction_type: Side;
  order_type: string;
  /** The limit price (0 for MARKET and SL-M). */
  price: number;
  /** Kite's total quantity: filled + pending (+ cancelled). */
  quantity: number;
  filled_quantity: number;
  /** Still open; 0 once the order is complete, cancelled or rejected. */
  pending_quantity: number;
  /** Modifications made so far. */
  modifications: number;
  /** Placement (or intent) time, epoch ms: the youngest exits are trimmed first. */
  placed_ms: number;
  /** Placement or last modification, epoch ms: the re-price clock. */
  updated_ms: number;
  /** A cancel has been sent and not yet confirmed. */
  cancel_requested: boolean;
}

/** The instrument facts slicing and pricing need. */
export interface SquareOffInstrument {
  lot_size: number;
  tick_size: number;
  /** Freeze quantity in Kite's units, or null when there is none (orders are then not sliced). */
  freeze_quantity: number | null;
}

export type SquareOffSettings = Pick<
  RiskConfig,
  | 'square_off_protection_pct'
  | 'square_off_escalation_protection_pct'
  | 'square_off_reprice_seconds'
  | 'max_modifications'
>;

export interface SquareOffInput {
  /** The broker's current position (the strategy's share of it) in one instrument and product. */
  position: PositionQuantity;
  instrument: SquareOffInstrument;
  /** Every order working on this instrument and product for the position's owner, exits included. */
  orders: readonly SquareOffOrder[];
  /** Best bid, ask and last now; null when unknown. */
  quote: ExitQuote | null;
  /** The smart-execution limit price, when it gave one (used until the deadline). */
  limit_price: number | null;
  now_ms: number;
  /** From this instant exits are escalated (MIS: the force step; a loss limit: start + deadline). */
  escalate_at_ms: number;
  settings: SquareOffSettings;
}

/** A new exit order to place. */
export interface PlannedExit {
  exchange: string;
  tradingsymbol: string;
  product: string;
  transaction_type: Side;
  quantity: number;
  order_type: 'LIMIT' | 'MARKET';
  /** The limit price (LIMIT only). */
  price: number | null;
  /** Kite's `market_protection`, % (MARKET only). */
  market_protection: number | null;
}

/**
 * The order that carries an exit under its tag: a regular DAY order, priced as planned. Null
 * when the exit names an exchange or product Kite does not take (the position came from a row
 * som cannot trade): it cannot be sent.
 */
export function exitOrderRequest(e: PlannedExit & { tag: string }): PlaceOrderRequest | null {
  if (!isExchange(e.exchange) || !isProduct(e.product)) return null;
  return {
    variety: 'regular',
    exchange: e.exchange,
    tradingsymbol: e.tradingsymbol,
    transaction_type: e.transaction_type,
    order_type: e.order_type,
    product: e.product,
    quantity: e.quantity,
    validity: 'DAY',
    ...(e.price !== null ? { price: e.price } : {}),
    ...(e.market_protection !== null ? { market_protection: e.market_protection } : {}),
    // Last, as the order desk adds it: the intent's request is the desk's, to the byte.
    tag: e.tag,
  };
}

/** A change to a working exit: a new price (re-price, escalation) or a lower total quantity (trim). */
export interface PlannedModify {
  order_id: string;
  reason: 'reprice' | 'escalate' | 'reduce';
  /** The new limit price (the order becomes LIMIT), or null to leave it. */
  price: number | null;
  /** Kite's new total quantity (filled + what stays pending), or null to leave it. */
  quantity: number | null;
}

export interface PlannedCancel {
  order_id: string;
  /**
   * position_order: one of the position's entries, stops or targets; wrong_side: an exit for a
   * position that flipped or closed; surplus: an exit no longer needed; budget_spent: an exit
   * that can no longer be re-priced (replaced once the cancel lands).
   */
  reason: 'position_order' | 'wrong_side' | 'surplus' | 'budget_spent';
}

export interface SquareOffPlan {
  /** The exit side, or null when the position is flat. */
  side: Side | null;
  /** The open quantity to exit (absolute). */
  open_quantity: number;
  /** Pending quantity of working exits and of other orders on the exit side still able to fill. */
  covered: number;
  /** Requests to send, in this order: cancels, then new exits, then modifications. */
  cancel: PlannedCancel[];
  place: PlannedExit[];
  modify: PlannedModify[];
  /** True from the deadline on. */
  escalated: boolean;
  /** Flat, and nothing is working on the position any more. */
  done: boolean;
  /** When to plan again if nothing else happens first (an order update also calls for it); null when done. */
  next_check_ms: number | null;
}

/** The largest quantity one order may carry: whole lots within the freeze quantity. */
export function maxOrderQuantity(instrument: SquareOffInstrument): number {
  const lot = instrument.lot_size > 0 ? instrument.lot_size : 1;
  if (instrument.freeze_quantity === null) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.floor(instrument.freeze_quantity / lot)) * lot;
}

/** `quantity` cut into orders of at most `max` each: the full slices first, the remainder last. */
export function sliceQuantity(quantity: number, max: number): number[] {
  if (quantity <= 0) return [];
  if (!Number.isFinite(max) || quantity <= max) return [quantity];
  const out: number[] = [];
  let left = quantity;
  while (left > 0) {
    const q = Math.min(max, left);
    out.push(q);
    left -= q;
  }
  return out;
}

/** What to send now to square off one position (see the module comment). */
export function planSquareOff(input: SquareOffInput): SquareOffPlan {
  const { position, settings } = input;
  const side = exitSide(position.quantity);
  const open = Math.abs(position.quantity);
  const escalated = input.now_ms >= input.escalate_at_ms;
  const repriceMs = settings.square_off_reprice_seconds * 1000;
  const live = input.orders.filter((o) => o.pending_quantity > 0);

  const cancel: PlannedCancel[] = [];
  const modify: PlannedModify[] = [];
  const cancellable = (o: SquareOffOrder): o is SquareOffOrder & { order_id: string } =>
    o.order_id !== null && !o.cancel_requested;

  // 1. The position's other orders go; on the exit side they cover the position until they do.
  let coverOther = 0;
  for (const o of live) {
    if (o.exit) continue;
    if (o.transaction_type === side) coverOther += o.pending_quantity;
    if (cancellable(o)) cancel.push({ order_id: o.order_id, reason: 'position_order' });
  }

  // 2. Exits on the wrong side go; exits beyond the need are trimmed, youngest first.
  const exits: SquareOffOrder[] = [];
  for (const o of live) {
    if (!o.exit) continue;
    if (o.transaction_type !== side) {
      if (cancellable(o)) cancel.push({ order_id: o.order_id, reason: 'wrong_side' });
    } else {
      exits.push(o);
    }
  }
  let coverExits = exits.reduce((n, o) => n + o.pending_quantity, 0);
  let surplus = coverExits - open;
  const trimmed = new Set<SquareOffOrder>();
  if (surplus > 0) {
    const youngestFirst = [...exits].sort((a, b) => b.placed_ms - a.placed_ms);
    for (const o of youngestFirst) {
      if (surplus <= 0) break;
      // An exit already being cancelled is on its way out: it still covers, but is trimmed already.
      if (o.cancel_requested) surplus -= o.pending_quantity;
      if (!cancellable(o)) continue;
      trimmed.add(o);
      if (o.pending_quantity <= surplus) {
        cancel.push({ order_id: o.order_id, reason: 'surplus' });
        surplus -= o.pending_quantity;
        coverExits -= o.pending_quantity;
      } else {
        const keep = o.pending_quantity - surplus;
        modify.push({ order_id: o.order_id, reason: 'reduce', price: null, quantity: o.filled_quantity + keep });
        coverExits -= surplus;
        surplus = 0;
      }
    }
  }

  // The price new and re-priced exits carry now (step 4).
  const protection = escalated ? settings.square_off_escalation_protection_pct : settings.square_off_protection_pct;
  const marketable =
    side && input.quote ? marketablePrice(side, input.quote, protection, input.instrument.tick_size) : null;
  const target = !escalated && input.limit_price !== null && input.limit_price > 0 ? input.limit_price : marketable;

  // 3. New exits for what nothing covers yet, sliced.
  const place: PlannedExit[] = [];
  const uncovered = side ? open - coverExits - coverOther : 0;
  if (side && uncovered > 0) {
    for (const quantity of sliceQuantity(uncovered, maxOrderQuantity(input.instrument))) {
      place.push({
        exchange: position.exchange,
        tradingsymbol: position.tradingsymbol,
        product: position.product,
        transaction_type: side,
        quantity,
        order_type: target === null ? 'MARKET' : 'LIMIT',
        price: target,
        market_protection: target === null ? protection : null,
      });
    }
  }

  // 5. Re-price exits behind the price: when they have rested long enough, or at once at the deadline.
  let nextCheck = escalated ? Number.POSITIVE_INFINITY : input.escalate_at_ms;
  const budget = escalated ? settings.max_modifications : settings.max_modifications - 1;
  for (const o of exits) {
    if (trimmed.has(o) || !cancellable(o) || side === null || target === null) continue;
    const behind = !(o.order_type === 'LIMIT' && o.price > 0 && atLeastAsAggressive(side, o.price, target));
    if (!behind) continue;
    const rested = input.now_ms - o.updated_ms >= repriceMs;
    const passedEscalation = escalated && o.updated_ms < input.escalate_at_ms;
    if (!rested && !passedEscalation) {
      nextCheck = Math.min(nextCheck, o.updated_ms + repriceMs);
    } else if (o.modifications < budget) {
      modify.push({ order_id: o.order_id, reason: escalated ? 'escalate' : 'reprice', price: target, quantity: null });
      nextCheck = Math.min(nextCheck, input.now_ms + repriceMs);
    } else if (escalated) {
      cancel.push({ order_id: o.order_id, reason: 'budget_spent' });
    }
  }

  const done = side === null && live.length === 0;
  if (!done && !Number.isFinite(nextCheck)) nextCheck = input.now_ms + repriceMs;
  return {
    side,
    open_quantity: open,
    covered: coverExits + coverOther,
    cancel,
    place,
    modify,
    escalated,
    done,
    next_check_ms: done ? null : nextCheck,
  };
}
