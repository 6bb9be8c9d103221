/**
 * The paper account's GTT book: the triggers a user placed, their lifecycle, and what fires
 * when the price moves. It keeps state but does no I/O: the caller passes the time and the
 * prices, and places the orders through the `placeOrder` callback it provides.
 */
import { istTimestamp } from '../../market/ist.js';
import { gttError } from './messages.js';
import { firingLeg, GTT_LIMITS, type GttLimits, gttExpiry, parseGttRequest, validateGtt } from './rules.js';
import type {
  Gtt,
  GttError,
  GttFiring,
  GttOrderRequest,
  GttOrderResult,
  GttOutcome,
  GttRequest,
  GttSpec,
  OrderPlacer,
} from './types.js';

/** What the book needs to know about an instrument. */
export interface GttInstrument {
  instrument_token: number;
  /** Contract expiry (YYYY-MM-DD) for derivatives, null for shares. */
  expiry: string | null;
}

export interface GttBookOptions {
  /** The account's user id (`user_id`, `account_id`). */
  userId: string;
  /** An instrument by exchange and tradingsymbol (upper case), or undefined when unknown. */
  resolve(exchange: string, tradingsymbol: string): GttInstrument | undefined;
  /** Places a fired GTT's order; wire it to the matching engine. */
  placeOrder: OrderPlacer;
  /**
   * The market's last traded price, for the distance rules; the request's own `last_price`
   * stands in when this is absent or has no price.
   */
  lastPrice?(exchange: string, tradingsymbol: string): number | undefined;
  /** The app id Kite writes into a fired order's `meta` (`{"app_id":...,"gtt":...}`). */
  appId?: number;
  /** The first trigger id handed out (ids then count up). */
  firstId?: number;
  limits?: Partial<GttLimits>;
}

interface Entry {
  gtt: Gtt;
  expiresAt: number;
}

const DEFAULT_FIRST_ID = 100_001;

export class GttBook {
  readonly #options: GttBookOptions;
  readonly #limits: GttLimits;
  readonly #entries = new Map<number, Entry>();
  #nextId: number;

  constructor(options: GttBookOptions) {
    this.#options = options;
    this.#limits = { ...GTT_LIMITS, ...options.limits };
    this.#nextId = options.firstId ?? DEFAULT_FIRST_ID;
  }

  /** POST /gtt/triggers: validate and store; `{ trigger_id }` or the refusal. */
  place(req: GttRequest, now: Date): GttOutcome {
    this.expire(now);
    const checked = this.#check(req);
    if (!checked.ok) return checked;
    const { spec, token, contractExpiry } = checked;
    const active = [...this.#entries.values()].filter((e) => e.gtt.status === 'active').length;
    if (active >= this.#limits.maxActive)
      return { ok: false, error: gttError('MAX_ACTIVE', { max: this.#limits.maxActive }) };
    const id = this.#nextId++;
    const at = istTimestamp(now);
    const expires = gttExpiry(now, contractExpiry, this.#limits);
    const gtt: Gtt = {
      id,
      user_id: this.#options.userId,
      parent_trigger: null,
      type: spec.type,
      created_at: at,
      updated_at: at,
      expires_at: istTimestamp(expires),
      status: 'active',
      condition: conditionOf(spec, token),
      orders: ordersOf(spec),
      meta: {},
    };
    this.#entries.set(id, { gtt, expiresAt: expires.getTime() });
    return { ok: true, trigger_id: id };
  }

  /** PUT /gtt/triggers/{id}: replace an active trigger's values and orders (not its instrument). */
  modify(id: number, req: GttRequest, now: Date): GttOutcome {
    this.expire(now);
    const entry = this.#entries.get(id);
    if (!entry) return { ok: false, error: gttError('NOT_FOUND', { id: String(id) }) };
    if (entry.gtt.status !== 'active')
      return { ok: false, error: gttError('NOT_ACTIVE', { status: entry.gtt.status }) };
    const checked = this.#check(req);
    if (!checked.ok) return checked;
    const { spec, token } = checked;
    const was = entry.gtt.condition;
    if (spec.condition.exchange !== was.exchange || spec.condition.tradingsymbol !== was.tradingsymbol) {
      return { ok: false, error: gttError('INSTRUMENT_CHANGED') };
    }
    entry.gtt = {
      ...entry.gtt,
      type: spec.type,
      updated_at: istTimestamp(now),
      condition: conditionOf(spec, token),
      orders: ordersOf(spec),
    };
    return { ok: true, trigger_id: id };
  }

  /** DELETE /gtt/triggers/{id}: an active trigger becomes `deleted` (it stays in the list). */
  delete(id: number, now: Date): GttOutcome {
    this.expire(now);
    const entry = this.#entries.get(id);
    if (!entry) return { ok: false, error: gttError('NOT_FOUND', { id: String(id) }) };
    if (entry.gtt.status !== 'active')
      return { ok: false, error: gttError('NOT_ACTIVE', { status: entry.gtt.status }) };
    entry.gtt = { ...entry.gtt, status: 'deleted', updated_at: istTimestamp(now) };
    return { ok: true, trigger_id: id };
  }

  /** GET /gtt/triggers/{id}. */
  get(id: number, now?: Date): Gtt | undefined {
    if (now) this.expire(now);
    return this.#entries.get(id)?.gtt;
  }

  /** GET /gtt/triggers: every trigger, newest first (as Kite's sample lists them). */
  list(now?: Date): Gtt[] {
    if (now) this.expire(now);
    return [...this.#entries.values()].map((e) => e.gtt).sort((a, b) => b.id - a.id);
  }

  /** `EXCHANGE:TRADINGSYMBOL` of every instrument an active trigger watches: what to feed onPrice. */
  watched(): string[] {
    const keys = new Set<string>();
    for (const { gtt } of this.#entries.values()) {
      if (gtt.status === 'active') keys.add(`${gtt.condition.exchange}:${gtt.condition.tradingsymbol}`);
    }
    return [...keys];
  }

  /**
   * A traded price of `key` (`EXCHANGE:TRADINGSYMBOL`) at `now`: every active trigger it crosses
   * fires once, places its order through `placeOrder`, and turns `triggered` with the order's
   * result recorded. Feed it only prices that traded (normal market hours), as Kite's GTT
   * engine watches exchange ticks.
   */
  onPrice(key: string, ltp: number, now: Date): GttFiring[] {
    this.expire(now);
    const fired: GttFiring[] = [];
    for (const entry of [...this.#entries.values()].sort((a, b) => a.gtt.id - b.gtt.id)) {
      const gtt = entry.gtt;
      if (gtt.status !== 'active') continue;
      if (`${gtt.condition.exchange}:${gtt.condition.tradingsymbol}` !== key) continue;
      const leg = firingLeg(gtt.type, gtt.condition.trigger_values, gtt.condition.last_price, ltp);
      if (leg === null) continue;
      const spec = gtt.orders[leg]!;
      const order: GttOrderRequest = {
        exchange: spec.exchange,
        tradingsymbol: spec.tradingsymbol,
        transaction_type: spec.transaction_type,
        order_type: spec.order_type,
        quantity: spec.quantity,
        product: spec.product,
        price: spec.price,
        validity: 'DAY',
      };
      // Marked first, so a placement that feeds prices back cannot fire the trigger twice.
      entry.gtt = { ...gtt, status: 'triggered', updated_at: istTimestamp(now), meta: null };
      const outcome = this.#options.placeOrder(order);
      const result: GttOrderResult = {
        account_id: this.#options.userId,
        exchange: order.exchange,
        tradingsymbol: order.tradingsymbol,
        validity: order.validity,
        product: order.product,
        order_type: order.order_type,
        transaction_type: order.transaction_type,
        quantity: order.quantity,
        price: order.price,
        meta: JSON.stringify({ app_id: this.#options.appId ?? 0, gtt: gtt.id }),
        timestamp: istTimestamp(now),
        triggered_at: ltp,
        order_result:
          'order_id' in outcome
            ? { status: 'success', order_id: outcome.order_id, rejection_reason: '' }
            : { status: 'failed', order_id: '', rejection_reason: outcome.error.message },
      };
      entry.gtt = { ...entry.gtt, orders: entry.gtt.orders.map((o, i) => (i === leg ? { ...o, result } : o)) };
      fired.push({ trigger_id: gtt.id, leg, order, outcome });
    }
    return fired;
  }

  /** Active triggers whose validity ran out by `now` turn `expired`; returns their ids. */
  expire(now: Date): number[] {
    const ids: number[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.gtt.status === 'active' && now.getTime() >= entry.expiresAt) {
        entry.gtt = { ...entry.gtt, status: 'expired', updated_at: istTimestamp(now) };
        ids.push(entry.gtt.id);
      }
    }
    return ids;
  }

  /**
   * The broker takes a trigger off (corporate action, delisting, contract change): it turns
   * `cancelled`, `disabled` or `rejected`, with the reason kept in `meta` for a rejection.
   */
  retire(id: number, status: 'cancelled' | 'disabled' | 'rejected', now: Date, reason = ''): boolean {
    const entry = this.#entries.get(id);
    if (entry?.gtt.status !== 'active') return false;
    entry.gtt = {
      ...entry.gtt,
      status,
      updated_at: istTimestamp(now),
      meta: status === 'rejected' ? { rejection_reason: reason } : entry.gtt.meta,
    };
    return true;
  }

  #check(
    req: GttRequest,
  ): { ok: true; spec: GttSpec; token: number; contractExpiry: string | null } | { ok: false; error: GttError } {
    const parsed = parseGttRequest(req);
    if (!parsed.ok) return parsed;
    const { spec } = parsed;
    const instrument = this.#options.resolve(spec.condition.exchange, spec.condition.tradingsymbol);
    if (!instrument) return { ok: false, error: gttError('INVALID_TRADINGSYMBOL') };
    const ltp = this.#options.lastPrice?.(spec.condition.exchange, spec.condition.tradingsymbol);
    const problem = validateGtt(spec, ltp ?? spec.condition.last_price, this.#limits);
    if (problem) return { ok: false, error: problem };
    return { ok: true, spec, token: instrument.instrument_token, contractExpiry: instrument.expiry };
  }
}

function conditionOf(spec: GttSpec, token: number): Gtt['condition'] {
  return {
    exchange: spec.condition.exchange,
    last_price: spec.condition.last_price,
    tradingsymbol: spec.condition.tradingsymbol,
    trigger_values: [...spec.condition.trigger_values],
    instrument_token: token,
  };
}

function ordersOf(spec: GttSpec): Gtt['orders'] {
  return spec.orders.map((o) => ({
    exchange: o.exchange.toUpperCase(),
    tradingsymbol: o.tradingsymbol.toUpperCase(),
    product: o.product,
    order_type: o.order_type,
    transaction_type: o.transaction_type,
    quantity: o.quantity,
    price: o.price,
    result: null,
  }));
}
