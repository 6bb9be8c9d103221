/**
 * The paper exchange's matching engine: books orders the way Kite does, moves them through
 * Kite's statuses, fills them against quotes' market depth and tells listeners each change.
 * Deterministic: time comes from the injected clock, ids from counters.
 */

import type { Exchange } from '../../domain/instrument.js';
import type { Quote } from '../../domain/quote.js';
import type { Clock } from '../../market/clock.js';
import { istTime, istTimestamp } from '../../market/ist.js';
import { type DepthConsumer, type LevelFill, type WorkingBook, walkBook, workingBook } from './book.js';
import { IdSource, type IdStart } from './ids.js';
import {
  isStopType,
  type KiteOrder,
  type KiteTrade,
  newOrderRecord,
  type OrderListener,
  type OrderSpec,
  type OrderStatus,
  setTags,
  snapshot,
  TERMINAL_STATUSES,
  type UpdateStatus,
} from './order.js';
import { effectiveProtectionPercent, protectionPrice, protectionTags } from './protection.js';
import { type KiteError, reject } from './rejections.js';
import { DEFAULT_RULES, EQUITY_EXCHANGES, type MatchingRules } from './rules.js';
import { priceAbove, priceBelow } from './ticks.js';
import {
  circuitOf,
  type InstrumentFacts,
  lastPriceOf,
  type MarginCheckFn,
  type ModifyParams,
  marginRejection,
  type PlaceParams,
  type SessionState,
  validateModify,
  validatePlace,
} from './validate.js';

/** Finds an instrument's facts by `exchange` and `tradingsymbol`; undefined when unknown. */
export type InstrumentLookup = (exchange: string, tradingsymbol: string) => InstrumentFacts | undefined;

/** The session state of an exchange at a moment, from the caller's trading calendar. */
export type SessionFn = (exchange: Exchange, at: Date) => SessionState;

export interface MatchingEngineOptions {
  clock: Clock;
  instruments: InstrumentLookup;
  session: SessionFn;
  /** The caller's margin calculator; called for every new order and every modification. */
  checkMargin: MarginCheckFn;
  /** Told about every fill so the market model can thin its depth. */
  consumeDepth?: DepthConsumer;
  /** Current quote for an instrument when the engine has not been sent one by onQuote yet. */
  quote?: (instrumentToken: number) => Quote | undefined;
  /** The account: `placed_by`, `account_id`, and the entity in RMS texts (default "PAPER1"). */
  userId?: string;
  ids?: IdStart;
  rules?: Partial<MatchingRules>;
}

/** The answer to place, modify and cancel: Kite's `data.order_id`, or the refusal. */
export type OrderResult = { ok: true; order_id: string } | { ok: false; error: KiteError };

/** Statuses in which an order still works at the exchange. */
const WORKING: readonly OrderStatus[] = ['OPEN', 'TRIGGER PENDING'];

interface Working {
  rec: KiteOrder;
  facts: InstrumentFacts;
  history: KiteOrder[];
  trades: KiteTrade[];
  modifications: number;
  placedAt: Date;
  /** Worst price the order may fill at; null takes any price (an unprotected market order). */
  limit: number | null;
  /** Born MARKET or SL-M: the unfilled rest follows `rules.marketRemainder`. */
  market: boolean;
  /** A stop order whose trigger has been hit. */
  triggered: boolean;
  /** Sum of price x quantity over fills, for the average price. */
  value: number;
}

export class MatchingEngine {
  readonly #clock: Clock;
  readonly #instruments: InstrumentLookup;
  readonly #session: SessionFn;
  readonly #checkMargin: MarginCheckFn;
  readonly #consumeDepth: DepthConsumer | undefined;
  readonly #quoteSource: ((token: number) => Quote | undefined) | undefined;
  readonly #userId: string;
  readonly #ids: IdSource;
  readonly #rules: MatchingRules;

  readonly #orders = new Map<string, Working>();
  /** Orders in placement order: time priority when several compete for the same depth. */
  readonly #sequence: Working[] = [];
  /**
   * The orders not yet finished (COMPLETE, CANCELLED, REJECTED), in placement order: what each
   * quote and sweep looks at, so their cost follows the open book rather than the day's orders.
   */
  readonly #open = new Set<Working>();
  readonly #trades: KiteTrade[] = [];
  readonly #listeners = new Set<OrderListener>();
  readonly #quotes = new Map<number, Quote>();
  readonly #books = new Map<number, WorkingBook>();
  #inPass = false;
  readonly #deferredQuotes = new Map<number, Quote>();

  constructor(options: MatchingEngineOptions) {
    this.#clock = options.clock;
    this.#instruments = options.instruments;
    this.#session = options.session;
    this.#checkMargin = options.checkMargin;
    this.#consumeDepth = options.consumeDepth;
    this.#quoteSource = options.quote;
    this.#userId = options.userId ?? 'PAPER1';
    this.#ids = new IdSource(options.ids);
    this.#rules = { ...DEFAULT_RULES, ...options.rules };
  }

  /** Listen to every order change; returns the function that stops listening. */
  subscribe(listener: OrderListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * POST /orders/:variety. A refused request creates no order; an accepted one is booked
   * (PUT ORDER REQ RECEIVED, VALIDATION PENDING), margin-checked (REJECTED when short), then
   * held for the open (AMO REQ RECEIVED) or sent to the exchange (OPEN PENDING, OPEN or
   * TRIGGER PENDING) and matched at once when the market is open.
   */
  place(variety: string, params: PlaceParams): OrderResult {
    const now = this.#clock.now();
    const facts = this.#instruments(params.exchange, params.tradingsymbol);
    const quote = facts ? this.#quoteFor(facts.instrument.instrument_token) : undefined;
    const session: SessionState = facts ? this.#session(facts.instrument.exchange, now) : 'closed';
    const v = validatePlace({ variety, params, facts, quote, session, now, rules: this.#rules });
    if (!v.ok) return v;
    if (!facts) throw new Error('unreachable: validation passed without instrument facts');

    const order_id = this.#ids.nextOrderId(now);
    const w: Working = {
      rec: newOrderRecord(v.spec, { order_id, user_id: this.#userId }, istTimestamp(now)),
      facts,
      history: [],
      trades: [],
      modifications: 0,
      placedAt: now,
      limit: null,
      market: v.spec.order_type === 'MARKET' || v.spec.order_type === 'SL-M',
      triggered: false,
      value: 0,
    };
    this.#orders.set(order_id, w);
    this.#sequence.push(w);
    this.#open.add(w);

    this.#emit(w, 'PUT ORDER REQ RECEIVED');
    this.#setStatus(w, 'VALIDATION PENDING');

    const short = marginRejection(snapshot(w.rec), this.#checkMargin, this.#userId);
    if (short) {
      w.rec.status_message = short.status_message;
      w.rec.status_message_raw = short.status_message_raw;
      w.rec.pending_quantity = 0; // as on orders.json's margin-rejected order
      this.#setStatus(w, 'REJECTED');
      return { ok: true, order_id };
    }

    if (w.rec.variety === 'amo') {
      this.#setStatus(w, 'AMO REQ RECEIVED');
      return { ok: true, order_id };
    }
    this.#sendToExchange(w, now);
    return { ok: true, order_id };
  }

  /**
   * PUT /orders/:variety/:order_id. Kite's history for a modification reads MODIFY VALIDATION
   * PENDING, MODIFY PENDING, MODIFIED with the old values and then OPEN (or TRIGGER PENDING)
   * with the new ones (order_info.json); an AMO still waiting goes back to AMO REQ RECEIVED.
   * `variety` is the route's and is not checked against the order.
   */
  modify(variety: string, orderId: string, params: ModifyParams): OrderResult {
    void variety;
    const w = this.#orders.get(orderId);
    if (!w) return { ok: false, error: reject('ORDER_NOT_FOUND') };
    const now = this.#clock.now();
    const token = w.rec.instrument_token;
    const v = validateModify({
      order: w.rec,
      params,
      facts: w.facts,
      quote: this.#quoteFor(token),
      modifications: w.modifications,
      awaitingTrigger: w.rec.status === 'TRIGGER PENDING',
      rules: this.#rules,
    });
    if (!v.ok) return v;

    const proposed = snapshot(w.rec);
    applySpec(proposed, v.spec);
    const short = marginRejection(proposed, this.#checkMargin, this.#userId);
    // The order stays as it was; the refusal's wording and type are unconfirmed for modify.
    if (short) return { ok: false, error: reject('INSUFFICIENT_FUNDS', short) };

    w.modifications += 1;
    const ts = istTimestamp(now);
    w.rec.order_timestamp = ts;
    const wasStop = isStopType(w.rec.order_type);

    if (w.rec.status === 'AMO REQ RECEIVED') {
      this.#setStatus(w, 'MODIFY VALIDATION PENDING');
      applySpec(w.rec, v.spec);
      w.rec.modified = true;
      w.market = v.spec.order_type === 'MARKET' || v.spec.order_type === 'SL-M';
      this.#setStatus(w, 'AMO REQ RECEIVED');
      return { ok: true, order_id: orderId };
    }

    this.#setStatus(w, 'MODIFY VALIDATION PENDING');
    this.#setStatus(w, 'MODIFY PENDING');
    w.rec.exchange_timestamp = ts;
    w.rec.exchange_update_timestamp = ts;
    this.#setStatus(w, 'MODIFIED');

    applySpec(w.rec, v.spec);
    w.rec.modified = true;
    w.market = v.spec.order_type === 'MARKET' || v.spec.order_type === 'SL-M';
    if (isStopType(v.spec.order_type) && !(wasStop && w.triggered)) {
      w.triggered = false;
      this.#setStatus(w, 'TRIGGER PENDING');
      return { ok: true, order_id: orderId };
    }
    this.#arm(w);
    this.#setStatus(w, 'OPEN');
    if (this.#session(w.rec.exchange, now) === 'open') this.#runPass(() => this.#match(w, now));
    return { ok: true, order_id: orderId };
  }

  /** DELETE /orders/:variety/:order_id: CANCEL PENDING then CANCELLED; finished orders are refused. */
  cancel(variety: string, orderId: string): OrderResult {
    void variety;
    const w = this.#orders.get(orderId);
    if (!w) return { ok: false, error: reject('ORDER_NOT_FOUND') };
    const status = w.rec.status;
    if (!WORKING.includes(status) && status !== 'AMO REQ RECEIVED') {
      return { ok: false, error: reject('CANCEL_NOT_ALLOWED') };
    }
    const now = this.#clock.now();
    if (status !== 'AMO REQ RECEIVED') this.#setStatus(w, 'CANCEL PENDING');
    this.#cancelRest(w, now);
    return { ok: true, order_id: orderId };
  }

  /**
   * A new quote for an instrument: stop orders whose trigger the last price crossed start
   * working (a buy stop when LTP >= trigger, a sell stop when LTP <= trigger), then working
   * orders fill against the quote's depth in placement order. Only while the session is open.
   */
  onQuote(instrumentToken: number, quote: Quote): void {
    this.onQuotes([[instrumentToken, quote]]);
  }

  /**
   * New quotes for several instruments at once, as the market moves: each as {@link onQuote},
   * with the time-driven {@link sweep} run once and the open orders grouped by instrument once.
   */
  onQuotes(quotes: Iterable<readonly [number, Quote]>): void {
    if (this.#inPass) {
      // A depth consumer that answers with a fresh quote mid-pass: take it after this pass.
      for (const [token, quote] of quotes) this.#deferredQuotes.set(token, quote);
      return;
    }
    const fresh: (readonly [number, Quote])[] = [];
    for (const entry of quotes) {
      const [token, quote] = entry;
      this.#quotes.set(token, quote);
      this.#books.set(token, workingBook(quote.depth));
      fresh.push(entry);
    }
    this.sweep();

    const now = this.#clock.now();
    const working = new Map<number, Working[]>();
    for (const w of this.#open) {
      if (!WORKING.includes(w.rec.status)) continue;
      const list = working.get(w.rec.instrument_token);
      if (list) list.push(w);
      else working.set(w.rec.instrument_token, [w]);
    }
    for (const [token, quote] of fresh) {
      const live = working.get(token);
      const first = live?.[0];
      if (!live || !first || this.#session(first.rec.exchange, now) !== 'open') continue;
      this.#runPass(() => {
        for (const w of live) {
          if (w.rec.status !== 'TRIGGER PENDING') continue;
          const t = w.rec.trigger_price;
          const hit =
            w.rec.transaction_type === 'BUY' ? !priceBelow(quote.last_price, t) : !priceAbove(quote.last_price, t);
          if (!hit) continue;
          w.triggered = true;
          this.#arm(w);
          w.rec.exchange_update_timestamp = istTimestamp(now);
          this.#setStatus(w, 'OPEN');
        }
        for (const w of live) if (w.rec.status === 'OPEN') this.#match(w, now);
      });
    }
    this.#drainDeferred();
  }

  /**
   * Time-driven work, also run on every quote: AMOs go to the exchange when their session
   * opens, TTL orders lapse when their minutes are up.
   */
  sweep(): void {
    const now = this.#clock.now();
    for (const w of [...this.#open]) {
      const rec = w.rec;
      if (rec.status === 'AMO REQ RECEIVED') {
        const state = this.#session(rec.exchange, now);
        if (state === 'open' || (state === 'pre-open' && releasedAtPreOpen(rec))) this.#sendToExchange(w, now);
      } else if (
        rec.validity === 'TTL' &&
        WORKING.includes(rec.status) &&
        now.getTime() - w.placedAt.getTime() >= rec.validity_ttl * 60_000
      ) {
        this.#cancelRest(w, now);
      }
    }
  }

  /**
   * The end of the trading day: every order still working on `exchange` (all exchanges when
   * omitted) is cancelled, as the exchange purges its book. AMOs waiting for the next open are
   * kept. Returns the cancelled order ids.
   */
  endOfDay(exchange?: Exchange): string[] {
    const now = this.#clock.now();
    const done: string[] = [];
    for (const w of [...this.#open]) {
      if (!WORKING.includes(w.rec.status)) continue;
      if (exchange !== undefined && w.rec.exchange !== exchange) continue;
      this.#cancelRest(w, now);
      done.push(w.rec.order_id);
    }
    return done;
  }

  /**
   * Instruments whose quote the engine holds (from onQuote or its source), and those of orders
   * still open. The exchange sends each a fresh quote as the market moves: an order arriving
   * later must see today's price, not the one its instrument had when it last traded.
   */
  quotedTokens(): number[] {
    const tokens = new Set(this.#quotes.keys());
    for (const w of this.#open) tokens.add(w.rec.instrument_token);
    return [...tokens];
  }

  /** GET /orders: every order of the session as it stands, in placement order. */
  orders(): KiteOrder[] {
    return this.#sequence.map((w) => snapshot(w.rec));
  }

  order(orderId: string): KiteOrder | undefined {
    const w = this.#orders.get(orderId);
    return w ? snapshot(w.rec) : undefined;
  }

  /** GET /orders/:order_id: the order at each change, oldest first (order_info.json). */
  history(orderId: string): KiteOrder[] | undefined {
    return this.#orders.get(orderId)?.history.map(snapshot);
  }

  /** GET /trades: every fill, in the order they happened. */
  trades(): KiteTrade[] {
    return this.#trades.map((t) => ({ ...t }));
  }

  /** GET /orders/:order_id/trades. */
  orderTrades(orderId: string): KiteTrade[] | undefined {
    return this.#orders.get(orderId)?.trades.map((t) => ({ ...t }));
  }

  // -- internals ------------------------------------------------------------------------

  #quoteFor(token: number): Quote | undefined {
    const cached = this.#quotes.get(token);
    if (cached) return cached;
    const q = this.#quoteSource?.(token);
    if (q) {
      this.#quotes.set(token, q);
      this.#books.set(token, workingBook(q.depth));
    }
    return q;
  }

  /** OPEN PENDING, then the exchange's acknowledgement: OPEN or TRIGGER PENDING; match when open. */
  #sendToExchange(w: Working, now: Date): void {
    this.#setStatus(w, 'OPEN PENDING');
    const ts = istTimestamp(now);
    w.rec.exchange_order_id = this.#ids.nextExchangeOrderId(w.rec.exchange);
    w.rec.exchange_timestamp = ts;
    w.rec.exchange_update_timestamp = ts;
    if (isStopType(w.rec.order_type)) {
      this.#setStatus(w, 'TRIGGER PENDING');
      return;
    }
    this.#arm(w);
    this.#setStatus(w, 'OPEN');
    if (this.#session(w.rec.exchange, now) === 'open') this.#runPass(() => this.#match(w, now));
  }

  /**
   * Fix the price the order works at. A MARKET order becomes what Kite shows for a protected
   * market order (orders.json): order_type LIMIT at the protection price, tags mktp and
   * mktp:<pct>, market_protection 0. A triggered SL-M keeps its type and works at the
   * protection price computed from the LTP at trigger time.
   */
  #arm(w: Working): void {
    const rec = w.rec;
    if (rec.order_type === 'LIMIT' || rec.order_type === 'SL') {
      w.limit = rec.price;
      return;
    }
    const inst = w.facts.instrument;
    const quote = this.#quoteFor(rec.instrument_token);
    const ltp = lastPriceOf(w.facts, quote);
    const pct = ltp === null ? null : effectiveProtectionPercent(rec.market_protection, ltp, inst.instrument_type);
    if (ltp === null || pct === null) {
      w.limit = null;
      return;
    }
    w.limit = protectionPrice(rec.transaction_type, ltp, pct, inst.tick_size, circuitOf(w.facts, quote));
    if (rec.order_type === 'MARKET') {
      rec.order_type = 'LIMIT';
      rec.price = w.limit;
      rec.market_protection = 0;
      setTags(rec, [...(rec.tag !== null ? [rec.tag] : []), ...protectionTags(pct)]);
    }
  }

  /** Fill what the working book allows, then settle the rest (IOC and market remainders). */
  #match(w: Working, now: Date): void {
    const rec = w.rec;
    if (rec.status !== 'OPEN' || rec.pending_quantity <= 0) return;
    const book = this.#books.get(rec.instrument_token);
    const fills = book ? walkBook(book, rec.transaction_type, rec.pending_quantity, w.limit) : [];
    for (const f of fills) {
      this.#fill(w, f, now);
      this.#consumeDepth?.({
        instrument_token: rec.instrument_token,
        side: rec.transaction_type === 'BUY' ? 'sell' : 'buy',
        price: f.price,
        quantity: f.quantity,
      });
    }
    if (rec.status !== 'OPEN' || rec.pending_quantity <= 0) return;
    const cancelRest =
      rec.validity === 'IOC' || (w.market && (w.limit === null || this.#rules.marketRemainder === 'cancel'));
    if (cancelRest) this.#cancelRest(w, now);
  }

  /** One trade: the order's quantities and average move; UPDATE while open, COMPLETE when done. */
  #fill(w: Working, f: LevelFill, now: Date): void {
    const rec = w.rec;
    const ts = istTimestamp(now);
    rec.filled_quantity += f.quantity;
    rec.pending_quantity -= f.quantity;
    w.value += f.price * f.quantity;
    rec.average_price = w.value / rec.filled_quantity;
    rec.exchange_update_timestamp = ts;
    const trade: KiteTrade = {
      trade_id: this.#ids.nextTradeId(),
      order_id: rec.order_id,
      exchange: rec.exchange,
      tradingsymbol: rec.tradingsymbol,
      instrument_token: rec.instrument_token,
      product: rec.product,
      average_price: f.price,
      quantity: f.quantity,
      exchange_order_id: rec.exchange_order_id,
      transaction_type: rec.transaction_type,
      fill_timestamp: ts,
      // The trade book's order_timestamp carries only the time (trades.json).
      order_timestamp: istTime(now),
      exchange_timestamp: ts,
    };
    this.#trades.push(trade);
    w.trades.push(trade);
    if (rec.pending_quantity === 0) this.#setStatus(w, 'COMPLETE', trade);
    else this.#emit(w, 'UPDATE', trade);
  }

  /** The unfilled quantity is cancelled; pending_quantity stays as Kite leaves it (orders.json). */
  #cancelRest(w: Working, now: Date): void {
    w.rec.cancelled_quantity = w.rec.pending_quantity;
    w.rec.exchange_update_timestamp = w.rec.exchange_order_id !== null ? istTimestamp(now) : null;
    this.#setStatus(w, 'CANCELLED');
  }

  #setStatus(w: Working, status: OrderStatus, trade?: KiteTrade): void {
    w.rec.status = status;
    if (TERMINAL_STATUSES.includes(status)) this.#open.delete(w);
    this.#emit(w, status, trade);
  }

  #emit(w: Working, status: UpdateStatus, trade?: KiteTrade): void {
    w.history.push(snapshot(w.rec));
    for (const listener of [...this.#listeners]) {
      listener(trade ? { status, order: snapshot(w.rec), trade: { ...trade } } : { status, order: snapshot(w.rec) });
    }
  }

  #runPass(pass: () => void): void {
    if (this.#inPass) {
      pass();
      return;
    }
    this.#inPass = true;
    try {
      pass();
    } finally {
      this.#inPass = false;
    }
    this.#drainDeferred();
  }

  #drainDeferred(): void {
    if (this.#inPass || this.#deferredQuotes.size === 0) return;
    const pending = [...this.#deferredQuotes];
    this.#deferredQuotes.clear();
    for (const [token, quote] of pending) this.onQuote(token, quote);
  }
}

/** Copy the validated values onto a record; pending follows the new quantity. */
function applySpec(rec: KiteOrder, spec: OrderSpec): void {
  rec.order_type = spec.order_type;
  rec.validity = spec.validity;
  rec.validity_ttl = spec.validity_ttl;
  rec.quantity = spec.quantity;
  rec.pending_quantity = spec.quantity - rec.filled_quantity;
  rec.disclosed_quantity = spec.disclosed_quantity;
  rec.price = spec.price;
  rec.trigger_price = spec.trigger_price;
  rec.market_protection = spec.market_protection;
}

/**
 * Zerodha sends equity MARKET and LIMIT DAY AMOs at 09:00 (pre-open) and the rest (IOC, SL,
 * SL-M, F&O) at 09:15 (support.zerodha.com, "What is an After Market Order (AMO)?").
 */
function releasedAtPreOpen(rec: KiteOrder): boolean {
  return (
    EQUITY_EXCHANGES.includes(rec.exchange) &&
    (rec.order_type === 'MARKET' || rec.order_type === 'LIMIT') &&
    rec.validity === 'DAY'
  );
}
