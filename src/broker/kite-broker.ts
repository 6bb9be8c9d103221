import { KiteConnect } from 'kiteconnect';
import { EXCHANGES, type Exchange, type Instrument, type InstrumentType } from '../domain/instrument.js';
import {
  type BrokerOrder,
  type BrokerPosition,
  type BrokerTrade,
  type ModifyOrderRequest,
  type PlaceOrderRequest,
  placeOrderRequestSchema,
} from '../domain/order.js';
import type { Depth, DepthLevel, Quote } from '../domain/quote.js';
import { formatDate, isIsoDate } from '../market/ist.js';
import { isKiteCsvError, parseKiteCsv } from '../paper/instruments/csv.js';
import type {
  BasketMargins,
  Broker,
  BrokerGtt,
  BrokerHolding,
  BrokerMargins,
  BrokerProfile,
  BrokerSession,
  GttDefinition,
  MarginOrder,
  OrderMargin,
} from './broker.js';
import { BrokerError } from './errors.js';
import { kiteErrorIn, toBrokerError } from './kite-errors.js';
import {
  kiteInstant,
  kiteWallTime,
  normalizeGtt,
  normalizeHolding,
  normalizeOrder,
  normalizePosition,
  normalizeTrade,
} from './kite-normalize.js';
import { type RateClass, RateLimiter } from './rate-limit.js';
import { type RetryOptions, withRetry } from './retry.js';

/** The official client's instance type (the package exports the constructor under that name). */
export type Kite = InstanceType<typeof KiteConnect>;

/** Kite's login page (the client's own default, kept here so the paper exchange can replace it). */
export const KITE_LOGIN_URL = 'https://kite.zerodha.com/connect/login';

/** Full quotes take at most 500 instruments a request (Kite Connect market quotes docs / forum). */
export const QUOTE_BATCH_SIZE = 500;

const INSTRUMENT_TYPES: readonly InstrumentType[] = ['EQ', 'FUT', 'CE', 'PE'];

export interface KiteBrokerOptions {
  apiKey: string;
  /** `https://api.kite.trade`, or the paper exchange's root. */
  restRoot: string;
  /** Where users sign in; default Kite's own ({@link KITE_LOGIN_URL}). */
  loginUrl?: string;
  /** The client gives up on a request after this long (a write then has an unknown fate). */
  timeoutMs: number;
  /** Shared by everything that uses this api_key; default one with Kite's limits. */
  limiter?: RateLimiter;
  /** Backoff for reads (see retry.ts). */
  retry?: Partial<RetryOptions>;
  accessToken?: string | null;
  /** Called with the `Date` header of every answer (the broker's clock; see broker-clock.ts). */
  onServerDate?: (dateHeader: string | undefined) => void;
}

/**
 * {@link Broker} over Kite Connect v3 through the official kiteconnect client; the same code
 * serves the real Kite and the paper exchange (only the roots differ).
 *
 * Every request waits for its rate-limit class in the shared limiter. Reads are retried on
 * transient failures (retry.ts); writes (place, modify, cancel) are sent once: a write that
 * failed ambiguously may have been carried out, and only the caller can look that up (see
 * order-placement.ts). Every rejection is a {@link BrokerError}; every row is validated and its
 * timestamps converted to UTC instants (kite-normalize.ts).
 */
export class KiteBroker implements Broker {
  readonly #kc: Kite;
  /** The access token requests go out with now. */
  #token = '';
  readonly #apiKey: string;
  readonly #loginUrl: string;
  readonly #limiter: RateLimiter;
  readonly #retry: Partial<RetryOptions>;
  readonly #restRoot: string;
  readonly #timeoutMs: number;
  readonly #onServerDate: ((dateHeader: string | undefined) => void) | undefined;

  constructor(options: KiteBrokerOptions) {
    this.#apiKey = options.apiKey;
    this.#loginUrl = options.loginUrl ?? KITE_LOGIN_URL;
    this.#limiter = options.limiter ?? new RateLimiter();
    this.#retry = options.retry ?? {};
    this.#restRoot = options.restRoot;
    this.#timeoutMs = options.timeoutMs;
    this.#onServerDate = options.onServerDate;
    this.#kc = new KiteConnect({ api_key: options.apiKey, root: options.restRoot, timeout: options.timeoutMs });
    this.setAccessToken(options.accessToken ?? null);
    if (options.onServerDate) this.#watchServerDate(options.onServerDate);
  }

  /**
   * Ask the broker the time: one HEAD request to the REST root, its `Date` header (undefined
   * when no answer came). somd asks before it judges a stored session's expiry, so a host
   * clock on another day than its broker's cannot call a live session dead.
   */
  async serverDate(): Promise<string | undefined> {
    try {
      const res = await fetch(this.#restRoot, { method: 'HEAD', signal: AbortSignal.timeout(this.#timeoutMs) });
      const date = res.headers.get('date') ?? undefined;
      this.#onServerDate?.(date);
      return date;
    } catch {
      return undefined;
    }
  }

  /** Whether answers' `Date` headers reach `onServerDate` (false if the client's internals moved). */
  get watchesServerDate(): boolean {
    return this.#watching;
  }

  #watching = false;

  /**
   * kiteconnect hands back only the body, so the header is read in an axios response
   * transform on the client's own request instance (transforms see the headers; they run
   * before the client's interceptor strips them).
   */
  #watchServerDate(onDate: (dateHeader: string | undefined) => void): void {
    const instance = (this.#kc as unknown as { requestInstance?: { defaults?: { transformResponse?: unknown } } })
      .requestInstance;
    const defaults = instance?.defaults;
    if (!defaults) return;
    const existing = defaults.transformResponse;
    const chain = Array.isArray(existing) ? existing : existing ? [existing] : [];
    const observe = (data: unknown, headers?: { get?: (name: string) => unknown; date?: unknown }) => {
      const value = typeof headers?.get === 'function' ? headers.get('date') : headers?.date;
      onDate(typeof value === 'string' ? value : undefined);
      return data;
    };
    defaults.transformResponse = [observe, ...chain];
    this.#watching = true;
  }

  setAccessToken(token: string | null): void {
    // The client sends no Authorization header for an empty token; Kite then answers TokenException.
    this.#token = token ?? '';
    this.#kc.setAccessToken(this.#token);
  }

  loginUrl(): string {
    return `${this.#loginUrl}?v=3&api_key=${encodeURIComponent(this.#apiKey)}`;
  }

  async generateSession(requestToken: string, apiSecret: string): Promise<BrokerSession> {
    // Not retried: a request token is good for one exchange, so a retry after a lost answer
    // could only fail.
    const raw = object(await this.#send('other', (kc) => kc.generateSession(requestToken, apiSecret)), 'session');
    const accessToken = raw.access_token;
    if (typeof accessToken !== 'string' || accessToken === '')
      throw new BrokerError('data', 'the session Kite returned has no access_token');
    return {
      user_id: String(raw.user_id ?? ''),
      user_name: String(raw.user_name ?? ''),
      access_token: accessToken,
      login_time: kiteInstant(raw.login_time),
    };
  }

  async profile(): Promise<BrokerProfile> {
    const raw = object(await this.#read('other', (kc) => kc.getProfile()), 'profile');
    return {
      user_id: String(raw.user_id ?? ''),
      user_name: String(raw.user_name ?? ''),
      email: String(raw.email ?? ''),
      broker: String(raw.broker ?? ''),
      exchanges: strings(raw.exchanges),
      products: strings(raw.products),
      order_types: strings(raw.order_types),
    };
  }

  async placeOrder(request: PlaceOrderRequest): Promise<{ order_id: string }> {
    const parsed = placeOrderRequestSchema.safeParse(request);
    if (!parsed.success) {
      throw new BrokerError(
        'input',
        `not a valid order: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const { variety, ...rest } = parsed.data;
    // A fresh object: the client writes `variety` into the params it is given.
    const params = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const result = await this.#send('order', (kc) =>
      kc.placeOrder(variety, params as unknown as Parameters<Kite['placeOrder']>[1]),
    );
    return orderIdOf(result);
  }

  async modifyOrder(variety: string, orderId: string, changes: ModifyOrderRequest): Promise<{ order_id: string }> {
    const params = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const result = await this.#send('order', (kc) =>
      kc.modifyOrder(
        variety as Parameters<Kite['modifyOrder']>[0],
        orderId,
        params as Parameters<Kite['modifyOrder']>[2],
      ),
    );
    return orderIdOf(result);
  }

  async cancelOrder(variety: string, orderId: string, parentOrderId?: string): Promise<{ order_id: string }> {
    const result = await this.#send('order', (kc) =>
      kc.cancelOrder(
        variety as Parameters<Kite['cancelOrder']>[0],
        orderId,
        parentOrderId ? { parent_order_id: parentOrderId } : undefined,
      ),
    );
    return orderIdOf(result);
  }

  async orders(): Promise<BrokerOrder[]> {
    return array(await this.#read('other', (kc) => kc.getOrders()), 'orders').map(normalizeOrder);
  }

  async orderHistory(orderId: string): Promise<BrokerOrder[]> {
    return array(await this.#read('other', (kc) => kc.getOrderHistory(orderId)), 'order history').map(normalizeOrder);
  }

  async trades(): Promise<BrokerTrade[]> {
    return array(await this.#read('other', (kc) => kc.getTrades()), 'trades').map(normalizeTrade);
  }

  async orderTrades(orderId: string): Promise<BrokerTrade[]> {
    return array(await this.#read('other', (kc) => kc.getOrderTrades(orderId)), 'order trades').map(normalizeTrade);
  }

  async positions(): Promise<{ net: BrokerPosition[]; day: BrokerPosition[] }> {
    const raw = object(await this.#read('other', (kc) => kc.getPositions()), 'positions');
    return {
      net: array(raw.net ?? [], 'net positions').map(normalizePosition),
      day: array(raw.day ?? [], 'day positions').map(normalizePosition),
    };
  }

  async holdings(): Promise<BrokerHolding[]> {
    return array(await this.#read('other', (kc) => kc.getHoldings()), 'holdings').map(normalizeHolding);
  }

  async gtts(): Promise<BrokerGtt[]> {
    return array(await this.#read('other', (kc) => kc.getGTTs()), 'GTT triggers').map(normalizeGtt);
  }

  async deleteGtt(id: number): Promise<void> {
    await this.#send('order', (kc) => kc.deleteGTT(id));
  }

  async modifyGtt(id: number, gtt: GttDefinition): Promise<void> {
    const params = {
      trigger_type: gtt.type,
      exchange: gtt.exchange,
      tradingsymbol: gtt.tradingsymbol,
      trigger_values: gtt.trigger_values,
      last_price: gtt.last_price,
      orders: gtt.orders.map((o) => ({ ...o })),
    } as unknown as Parameters<Kite['modifyGTT']>[1];
    await this.#send('order', (kc) => kc.modifyGTT(id, params));
  }

  async margins(): Promise<BrokerMargins> {
    const raw = object(await this.#read('other', (kc) => kc.getMargins()), 'margins');
    const out: BrokerMargins = {};
    if (raw.equity && typeof raw.equity === 'object') out.equity = raw.equity as BrokerMargins['equity'];
    if (raw.commodity && typeof raw.commodity === 'object') out.commodity = raw.commodity as BrokerMargins['commodity'];
    return out;
  }

  async basketMargins(orders: readonly MarginOrder[], considerPositions: boolean): Promise<BasketMargins> {
    // The client's default mode (compact): the totals are all som needs; charges are its own.
    const list = orders.map((o) => ({ ...o })) as unknown as Parameters<Kite['orderBasketMargins']>[0];
    const raw = object(
      await this.#read('other', (kc) => kc.orderBasketMargins(list, considerPositions)),
      'basket margins',
    );
    return {
      initial: toOrderMargin(raw.initial, 'basket margins initial'),
      final: toOrderMargin(raw.final, 'basket margins final'),
      orders: array(raw.orders ?? [], 'basket margins orders').map((o, i) =>
        toOrderMargin(o, `basket margins order ${i + 1}`),
      ),
    };
  }

  async instruments(): Promise<Instrument[]> {
    const raw = await this.#read('other', (kc) => kc.getInstruments());
    // kiteconnect parses the CSV only when the content type is exactly `text/csv`; with any
    // other CSV type (a charset added) it hands the text over as it came.
    if (typeof raw === 'string') {
      const parsed = parseKiteCsv(raw, { skipBadRows: true });
      if (isKiteCsvError(parsed))
        throw new BrokerError('data', `the instrument master could not be read: ${parsed.message}`);
      return parsed;
    }
    const out: Instrument[] = [];
    for (const row of array(raw, 'instruments')) {
      const instrument = toInstrument(row);
      if (instrument) out.push(instrument);
    }
    return out;
  }

  async quote(keys: readonly string[]): Promise<Record<string, Quote>> {
    const out: Record<string, Quote> = {};
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += QUOTE_BATCH_SIZE) {
      const batch = unique.slice(i, i + QUOTE_BATCH_SIZE);
      const raw = object(await this.#read('quote', (kc) => kc.getQuote(batch)), 'quote');
      // Kite leaves out keys it does not know; so does this.
      for (const [key, value] of Object.entries(raw)) out[key] = toQuote(key, value);
    }
    return out;
  }

  /** A read: rate-limited, retried on transient failures. */
  #read(cls: RateClass, call: (kc: Kite) => Promise<unknown>): Promise<unknown> {
    return withRetry(() => this.#send(cls, call), this.#retry);
  }

  /** One rate-limited request; every failure becomes a BrokerError. */
  async #send(cls: RateClass, call: (kc: Kite) => Promise<unknown>): Promise<unknown> {
    await this.#limiter.acquire(cls);
    const token = this.#token;
    let result: unknown;
    try {
      result = await call(this.#kc);
    } catch (err) {
      const e = toBrokerError(err);
      // Refused for a token replaced while the request was out (a new login): not the session in use.
      if (e.kind === 'token' && token !== this.#token) {
        throw new BrokerError('token', e.message, e.brokerType, e.outcome, { stale_token: true });
      }
      throw e;
    }
    // The client resolves with a DataException object for an unexpected content type.
    const kiteError = kiteErrorIn(result);
    if (kiteError) throw toBrokerError(kiteError);
    return result;
  }
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BrokerError('data', `unexpected ${what} answer from the broker`);
  return value as Record<string, unknown>;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new BrokerError('data', `unexpected ${what} answer from the broker: not a list`);
  return value;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function orderIdOf(result: unknown): { order_id: string } {
  const id = (result as { order_id?: unknown } | null)?.order_id;
  if (typeof id === 'string' && id !== '') return { order_id: id };
  if (typeof id === 'number') return { order_id: String(id) };
  throw new BrokerError('data', 'the broker accepted the request but returned no order_id');
}

/** A margin entry; parts Kite's compact mode leaves out read 0, a missing total is bad data. */
export function toOrderMargin(value: unknown, what: string): OrderMargin {
  const r = object(value, what);
  const total = num(r.total);
  if (Number.isNaN(total)) throw new BrokerError('data', `unexpected ${what} answer from the broker: no total`);
  const part = (v: unknown) => {
    const n = num(v);
    return Number.isNaN(n) ? 0 : n;
  };
  return {
    type: typeof r.type === 'string' ? r.type : '',
    tradingsymbol: typeof r.tradingsymbol === 'string' ? r.tradingsymbol : '',
    exchange: typeof r.exchange === 'string' ? r.exchange : '',
    span: part(r.span),
    exposure: part(r.exposure),
    option_premium: part(r.option_premium),
    additional: part(r.additional),
    bo: part(r.bo),
    cash: part(r.cash),
    var: part(r.var),
    total,
  };
}

const num = (v: unknown): number =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : Number.NaN;

/**
 * One row of the instrument master as kiteconnect parsed it: tokens still strings (it converts
 * only the prices and sizes), expiry a Date made by `new Date("YYYY-MM-DD")`, which JavaScript
 * reads as UTC midnight (so the UTC getters give the date back in any host zone). Rows this
 * type cannot describe (other exchanges or instrument types, the blank line after the last
 * row) are left out.
 */
export function toInstrument(row: unknown): Instrument | null {
  if (typeof row !== 'object' || row === null) return null;
  const r = row as Record<string, unknown>;
  const instrument_token = num(r.instrument_token);
  const exchange_token = num(r.exchange_token);
  const tradingsymbol = typeof r.tradingsymbol === 'string' ? r.tradingsymbol : '';
  const exchange = r.exchange as Exchange;
  const instrument_type = r.instrument_type as InstrumentType;
  if (!Number.isSafeInteger(instrument_token) || instrument_token <= 0 || tradingsymbol === '') return null;
  if (!EXCHANGES.includes(exchange) || !INSTRUMENT_TYPES.includes(instrument_type)) return null;
  const expiry = expiryOf(r.expiry);
  if (expiry === undefined) return null;
  const orZero = (v: unknown) => {
    const n = num(v);
    return Number.isNaN(n) ? 0 : n;
  };
  return {
    instrument_token,
    exchange_token: Number.isSafeInteger(exchange_token) ? exchange_token : 0,
    tradingsymbol,
    name: typeof r.name === 'string' ? r.name : '',
    last_price: orZero(r.last_price),
    expiry,
    strike: orZero(r.strike),
    tick_size: orZero(r.tick_size),
    lot_size: orZero(r.lot_size),
    instrument_type,
    segment: typeof r.segment === 'string' ? r.segment : '',
    exchange,
  };
}

/** `YYYY-MM-DD`, null for none, undefined for something unreadable. */
function expiryOf(value: unknown): string | null | undefined {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    return formatDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  return typeof value === 'string' && isIsoDate(value) ? value : undefined;
}

const EMPTY_LEVEL: DepthLevel = { price: 0, quantity: 0, orders: 0 };
const DEPTH_LEVELS = 5;

/**
 * One full quote. kiteconnect has turned `timestamp` and `last_trade_time` into host-zone Dates;
 * they go back to Kite's IST `YYYY-MM-DD HH:mm:ss` (the Quote type keeps Kite's format). Fields
 * Kite leaves out for some instruments (indices have no depth or OI) read as 0, and a missing
 * depth as five empty levels a side.
 */
export function toQuote(key: string, raw: unknown): Quote {
  const r = object(raw, `quote ${key}`);
  const instrument_token = num(r.instrument_token);
  const last_price = num(r.last_price);
  if (!Number.isSafeInteger(instrument_token) || Number.isNaN(last_price)) {
    throw new BrokerError('data', `unexpected quote for ${key} from the broker: no instrument_token or last_price`);
  }
  const n = (v: unknown) => {
    const x = num(v);
    return Number.isNaN(x) ? 0 : x;
  };
  const ohlc = (r.ohlc ?? {}) as Record<string, unknown>;
  const depth = (r.depth ?? {}) as Record<string, unknown>;
  return {
    instrument_token,
    timestamp: kiteWallTime(r.timestamp) ?? '',
    last_trade_time: kiteWallTime(r.last_trade_time) ?? '',
    last_price,
    last_quantity: n(r.last_quantity),
    buy_quantity: n(r.buy_quantity),
    sell_quantity: n(r.sell_quantity),
    volume: n(r.volume),
    average_price: n(r.average_price),
    oi: n(r.oi),
    oi_day_high: n(r.oi_day_high),
    oi_day_low: n(r.oi_day_low),
    net_change: n(r.net_change),
    lower_circuit_limit: n(r.lower_circuit_limit),
    upper_circuit_limit: n(r.upper_circuit_limit),
    ohlc: { open: n(ohlc.open), high: n(ohlc.high), low: n(ohlc.low), close: n(ohlc.close) },
    depth: { buy: levels(depth.buy, n), sell: levels(depth.sell, n) } satisfies Depth,
  };
}

function levels(side: unknown, n: (v: unknown) => number): DepthLevel[] {
  if (!Array.isArray(side)) return Array.from({ length: DEPTH_LEVELS }, () => ({ ...EMPTY_LEVEL }));
  return side.map((l) => {
    const level = (l ?? {}) as Record<string, unknown>;
    return { price: n(level.price), quantity: n(level.quantity), orders: n(level.orders) };
  });
}
