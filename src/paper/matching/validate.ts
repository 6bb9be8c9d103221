/**
 * Order validation for the paper exchange: a place or modify request, the instrument's facts,
 * the current quote and the session state in; either the order to book or Kite's refusal out.
 * Pure: no clock, no I/O; the caller passes `now` and the session state it computed.
 */
import type { Instrument } from '../../domain/instrument.js';
import type { Quote } from '../../domain/quote.js';
import { istDate } from '../../market/ist.js';
import {
  isStopType,
  type KiteOrder,
  ORDER_TYPES,
  type OrderSpec,
  type OrderType,
  PRODUCTS,
  type Product,
  TERMINAL_STATUSES,
  TRANSACTION_TYPES,
  type TransactionType,
  VALIDITIES,
  VARIETIES,
  type Validity,
} from './order.js';
import { insufficientFunds, type KiteError, reject } from './rejections.js';
import { DEFAULT_RULES, EQUITY_EXCHANGES, type MatchingRules, PRODUCTS_BY_EXCHANGE } from './rules.js';
import { isOnTick, priceAbove, priceBelow, tidyPrice } from './ticks.js';

/** Where the market stands for an exchange, as the caller's trading calendar says. */
export type SessionState = 'open' | 'pre-open' | 'closed';

/**
 * What validation and matching need to know about an instrument. A full `Instrument` row fits;
 * the freeze quantity and circuit limits come from wherever the caller keeps them.
 */
export interface InstrumentFacts {
  instrument: Pick<
    Instrument,
    | 'instrument_token'
    | 'exchange'
    | 'tradingsymbol'
    | 'tick_size'
    | 'lot_size'
    | 'expiry'
    | 'instrument_type'
    | 'last_price'
  >;
  /**
   * The largest quantity one order may carry, as Kite's message counts it ("the maximum
   * quantity of 6000 (20 lots) allowed by the exchanges"); null or absent when there is none.
   */
  freeze_quantity?: number | null;
  /** The day's price band; when absent, the quote's lower/upper_circuit_limit are used. */
  circuit?: { lower: number; upper: number } | null;
}

/** POST /orders/:variety parameters, as the server parsed them (numbers already numbers). */
export interface PlaceParams {
  exchange: string;
  tradingsymbol: string;
  transaction_type: string;
  order_type: string;
  quantity: number;
  product: string;
  price?: number;
  trigger_price?: number;
  disclosed_quantity?: number;
  validity?: string;
  validity_ttl?: number;
  tag?: string;
  market_protection?: number;
}

/** PUT /orders/:variety/:order_id parameters; absent ones keep the order's current value. */
export interface ModifyParams {
  order_type?: string;
  quantity?: number;
  price?: number;
  trigger_price?: number;
  disclosed_quantity?: number;
  validity?: string;
  validity_ttl?: number;
  market_protection?: number;
}

/** The answer of the caller's margin calculator for one order. */
export type MarginCheck = { ok: true } | { ok: false; required: number; available: number };

/** Computes margin for the order (as it would stand) against the account's funds. */
export type MarginCheckFn = (order: KiteOrder) => MarginCheck;

export type Validation = { ok: true; spec: OrderSpec } | { ok: false; error: KiteError };

export interface PlaceInput {
  variety: string;
  params: PlaceParams;
  facts: InstrumentFacts | undefined;
  quote: Quote | undefined;
  session: SessionState;
  now: Date;
  rules?: Partial<MatchingRules>;
}

export interface ModifyInput {
  order: KiteOrder;
  params: ModifyParams;
  facts: InstrumentFacts | undefined;
  quote: Quote | undefined;
  /** Modifications already made to this order. */
  modifications: number;
  /** True when the order is a stop that has not triggered yet (its trigger is still live). */
  awaitingTrigger: boolean;
  rules?: Partial<MatchingRules>;
}

const fail = (error: KiteError): Validation => ({ ok: false, error });

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): value is T {
  return value !== undefined && (allowed as readonly string[]).includes(value);
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

/** The day's circuit limits: the facts' own, else the quote's when it carries them. */
export function circuitOf(facts: InstrumentFacts, quote: Quote | undefined): { lower: number; upper: number } | null {
  if (facts.circuit) return facts.circuit;
  if (quote && quote.upper_circuit_limit > 0) {
    return { lower: quote.lower_circuit_limit, upper: quote.upper_circuit_limit };
  }
  return null;
}

/** The last traded price: the quote's, else the instrument master's; null when neither is known. */
export function lastPriceOf(facts: InstrumentFacts, quote: Quote | undefined): number | null {
  if (quote && quote.last_price > 0) return quote.last_price;
  if (facts.instrument.last_price > 0) return facts.instrument.last_price;
  return null;
}

/**
 * Checks shared by placement and modification, in the order Kite's refusals are most
 * specific: product, quantity, validity, disclosed quantity, prices, circuit, stop, protection.
 */
function checkValues(
  spec: OrderSpec,
  facts: InstrumentFacts,
  quote: Quote | undefined,
  awaitingTrigger: boolean,
  rules: MatchingRules,
): KiteError | null {
  const inst = facts.instrument;
  if (!PRODUCTS_BY_EXCHANGE[spec.exchange].includes(spec.product)) {
    return reject('PRODUCT_NOT_ALLOWED', { product: spec.product, exchange: spec.exchange });
  }

  if (!isPositiveInt(spec.quantity)) return reject('INVALID_FIELD', { field: 'quantity' });
  const lot = inst.lot_size > 0 ? inst.lot_size : 1;
  if (spec.quantity % lot !== 0) return reject('QUANTITY_NOT_LOT_MULTIPLE', { lot });
  const freeze = facts.freeze_quantity;
  if (freeze != null && freeze > 0 && spec.quantity > freeze) {
    return reject('QUANTITY_ABOVE_FREEZE', {
      quantity: spec.quantity,
      lots: spec.quantity / lot,
      max: freeze,
      maxLots: Math.floor(freeze / lot),
    });
  }

  if (spec.validity === 'TTL' && !isPositiveInt(spec.validity_ttl)) {
    return reject('INVALID_FIELD', { field: 'validity_ttl' });
  }
  if (spec.validity === 'IOC' && rules.iocBlockedExchanges.includes(spec.exchange)) {
    return reject('IOC_NOT_ALLOWED', { exchange: spec.exchange });
  }

  const dq = spec.disclosed_quantity;
  if (!Number.isInteger(dq) || dq < 0) return reject('INVALID_FIELD', { field: 'disclosed_quantity' });
  if (dq > 0) {
    const equity = EQUITY_EXCHANGES.includes(spec.exchange);
    if (!equity || dq > spec.quantity || dq < spec.quantity * rules.minDisclosedFraction) {
      return reject('DISCLOSED_QUANTITY');
    }
  }

  const needsPrice = spec.order_type === 'LIMIT' || spec.order_type === 'SL';
  const needsTrigger = isStopType(spec.order_type);
  if (needsPrice && !(spec.price > 0)) return reject('INVALID_FIELD', { field: 'price' });
  if (needsTrigger && !(spec.trigger_price > 0)) return reject('INVALID_FIELD', { field: 'trigger_price' });

  if (needsPrice && !isOnTick(spec.price, inst.tick_size)) return reject('PRICE_NOT_ON_TICK', { tick: inst.tick_size });
  if (needsTrigger && !isOnTick(spec.trigger_price, inst.tick_size)) {
    return reject('TRIGGER_NOT_ON_TICK', { tick: inst.tick_size });
  }

  const circuit = circuitOf(facts, quote);
  if (circuit) {
    if (needsPrice && priceBelow(spec.price, circuit.lower)) {
      return reject('PRICE_BELOW_LOWER_CIRCUIT', { limit: circuit.lower });
    }
    if (needsPrice && priceAbove(spec.price, circuit.upper)) {
      return reject('PRICE_ABOVE_UPPER_CIRCUIT', { limit: circuit.upper });
    }
    if (needsTrigger && spec.transaction_type === 'BUY' && priceAbove(spec.trigger_price, circuit.upper)) {
      return reject('TRIGGER_ABOVE_UPPER_CIRCUIT', { limit: circuit.upper });
    }
    if (needsTrigger && spec.transaction_type === 'SELL' && priceBelow(spec.trigger_price, circuit.lower)) {
      return reject('TRIGGER_BELOW_LOWER_CIRCUIT', { limit: circuit.lower });
    }
  }

  if (spec.order_type === 'SL') {
    // A stop-limit must be marketable once triggered: a buy's limit at or above its trigger.
    if (spec.transaction_type === 'BUY' && priceAbove(spec.trigger_price, spec.price))
      return reject('TRIGGER_ABOVE_PRICE');
    if (spec.transaction_type === 'SELL' && priceBelow(spec.trigger_price, spec.price))
      return reject('TRIGGER_BELOW_PRICE');
  }

  if (needsTrigger && awaitingTrigger) {
    const ltp = lastPriceOf(facts, quote);
    if (ltp !== null) {
      // A stop already through the market would trigger at once: Kite refuses it.
      if (spec.transaction_type === 'BUY' && !priceAbove(spec.trigger_price, ltp))
        return reject('TRIGGER_NOT_ABOVE_LTP', { ltp });
      if (spec.transaction_type === 'SELL' && !priceBelow(spec.trigger_price, ltp))
        return reject('TRIGGER_NOT_BELOW_LTP', { ltp });
    }
  }

  if (spec.order_type === 'MARKET' || spec.order_type === 'SL-M') {
    const mp = spec.market_protection;
    if (!Number.isFinite(mp) || (mp !== -1 && (mp < 0 || mp > 100))) return reject('INVALID_MARKET_PROTECTION');
    if (rules.requireMarketProtection && mp === 0) return reject('MARKET_PROTECTION_REQUIRED');
  }

  if (spec.tag !== null && spec.tag.length > rules.maxTagLength) {
    return reject('TAG_TOO_LONG', { max: rules.maxTagLength });
  }
  return null;
}

/** Accepted prices are on the grid; store them as the grid writes them. */
function tidy(spec: OrderSpec, tick: number): OrderSpec {
  return { ...spec, price: tidyPrice(spec.price, tick), trigger_price: tidyPrice(spec.trigger_price, tick) };
}

/** Prices that mean nothing for an order type are stored as 0, as Kite shows them. */
function normalisePrices(type: OrderType, price: number, trigger: number): { price: number; trigger_price: number } {
  return {
    price: type === 'LIMIT' || type === 'SL' ? price : 0,
    trigger_price: isStopType(type) ? trigger : 0,
  };
}

/**
 * Validate a new order. Refusals come in Kite's order of precedence: the route (variety),
 * missing fields, the instrument, the enums, expiry, market hours, then the values.
 */
export function validatePlace(input: PlaceInput): Validation {
  const rules: MatchingRules = { ...DEFAULT_RULES, ...input.rules };
  const { params: p, facts } = input;

  if (!oneOf(input.variety, VARIETIES)) return fail(reject('INVALID_FIELD', { field: 'variety' }));
  if (input.variety !== 'regular' && input.variety !== 'amo') {
    return fail(reject('UNSUPPORTED_VARIETY', { variety: input.variety }));
  }
  const variety = input.variety;

  for (const field of ['exchange', 'tradingsymbol', 'transaction_type', 'order_type', 'quantity', 'product'] as const) {
    const v = p[field];
    if (v === undefined || v === null || v === '') return fail(reject('MISSING_FIELD', { field }));
  }

  if (!facts || facts.instrument.exchange !== p.exchange || facts.instrument.tradingsymbol !== p.tradingsymbol) {
    return fail(reject('INVALID_TRADINGSYMBOL'));
  }
  const inst = facts.instrument;

  if (!oneOf<TransactionType>(p.transaction_type, TRANSACTION_TYPES)) {
    return fail(reject('INVALID_FIELD', { field: 'transaction_type' }));
  }
  if (!oneOf<OrderType>(p.order_type, ORDER_TYPES)) return fail(reject('INVALID_FIELD', { field: 'order_type' }));
  if (!oneOf<Product>(p.product, PRODUCTS)) return fail(reject('INVALID_FIELD', { field: 'product' }));
  const validity = p.validity ?? 'DAY';
  if (!oneOf<Validity>(validity, VALIDITIES)) return fail(reject('INVALID_FIELD', { field: 'validity' }));

  // A contract is tradable through its expiry day; from the next IST date on it is gone.
  if (inst.expiry !== null && istDate(input.now) > inst.expiry) return fail(reject('INSTRUMENT_EXPIRED'));

  if (variety === 'regular' && input.session === 'closed') return fail(reject('MARKET_CLOSED'));
  if (variety === 'amo' && input.session !== 'closed') return fail(reject('AMO_DURING_MARKET_HOURS'));

  const prices = normalisePrices(p.order_type, p.price ?? 0, p.trigger_price ?? 0);
  const spec: OrderSpec = {
    variety,
    exchange: inst.exchange,
    tradingsymbol: inst.tradingsymbol,
    instrument_token: inst.instrument_token,
    transaction_type: p.transaction_type,
    order_type: p.order_type,
    product: p.product,
    validity,
    validity_ttl: validity === 'TTL' ? (p.validity_ttl ?? 0) : 0,
    quantity: p.quantity,
    disclosed_quantity: p.disclosed_quantity ?? 0,
    ...prices,
    market_protection: p.market_protection ?? 0,
    tag: p.tag === undefined || p.tag === '' ? null : p.tag,
  };
  const error = checkValues(spec, facts, input.quote, isStopType(spec.order_type), rules);
  return error ? fail(error) : { ok: true, spec: tidy(spec, inst.tick_size) };
}

/**
 * Validate a modification of `order`. The result is the order as it would stand; status,
 * fills and timestamps are the engine's business.
 */
export function validateModify(input: ModifyInput): Validation {
  const rules: MatchingRules = { ...DEFAULT_RULES, ...input.rules };
  const { order, params: p, facts } = input;

  if (TERMINAL_STATUSES.includes(order.status)) return fail(reject('MODIFY_NOT_ALLOWED'));
  if (input.modifications >= rules.maxModifications) return fail(reject('MAX_MODIFICATIONS'));
  if (!facts) return fail(reject('INVALID_TRADINGSYMBOL'));

  const type = p.order_type ?? order.order_type;
  if (!oneOf<OrderType>(type, ORDER_TYPES)) return fail(reject('INVALID_FIELD', { field: 'order_type' }));
  const validity = p.validity ?? order.validity;
  if (!oneOf<Validity>(validity, VALIDITIES)) return fail(reject('INVALID_FIELD', { field: 'validity' }));

  const quantity = p.quantity ?? order.quantity;
  if (order.filled_quantity > 0 && quantity <= order.filled_quantity) {
    return fail(reject('QUANTITY_BELOW_FILLED', { filled: order.filled_quantity }));
  }

  // An order that was a MARKET order keeps its protection; one becoming MARKET must bring it
  // (kite.trade/forum comment 52331).
  const marketProtection = p.market_protection ?? (type === order.order_type ? order.market_protection : 0);
  const prices = normalisePrices(type, p.price ?? order.price, p.trigger_price ?? order.trigger_price);
  const spec: OrderSpec = {
    variety: order.variety === 'amo' ? 'amo' : 'regular',
    exchange: order.exchange,
    tradingsymbol: order.tradingsymbol,
    instrument_token: order.instrument_token,
    transaction_type: order.transaction_type,
    order_type: type,
    product: order.product,
    validity,
    validity_ttl: validity === 'TTL' ? (p.validity_ttl ?? order.validity_ttl) : 0,
    quantity,
    disclosed_quantity: p.disclosed_quantity ?? order.disclosed_quantity,
    ...prices,
    market_protection: marketProtection,
    tag: order.tag,
  };
  const awaiting = isStopType(type) && (input.awaitingTrigger || !isStopType(order.order_type));
  const error = checkValues(spec, facts, input.quote, awaiting, rules);
  return error ? fail(error) : { ok: true, spec: tidy(spec, facts.instrument.tick_size) };
}

/**
 * Run the caller's margin check on `order` and, when funds fall short, produce the texts Kite
 * puts on the REJECTED order. Null when the margin suffices.
 */
export function marginRejection(
  order: KiteOrder,
  check: MarginCheckFn,
  userId: string,
): { required: number; available: number; status_message: string; status_message_raw: string } | null {
  const r = check(order);
  if (r.ok) return null;
  return { required: r.required, available: r.available, ...insufficientFunds(r.required, r.available, userId) };
}
