import { createHash } from 'node:crypto';
import type { UserChargeSchedule } from '../costs/schedule-schema.js';
import type { Exchange } from '../domain/instrument.js';
import type { Quote } from '../domain/quote.js';
import { istDate, istInstant, istInstantMs } from '../market/ist.js';
import { daySchedule, sessionAt } from '../market/sessions.js';
import { PaperAccount, tradeFromKite } from './account/index.js';
import { AlertBook } from './alerts/index.js';
import { marginChargesFor, type PaperChargesDeps } from './charges.js';
import { PaperClock, type PaperClockStart } from './clock.js';
import { Faults } from './faults.js';
import { GttBook } from './gtt/index.js';
import { buildInstrumentMaster, type PaperInstrument, toKiteCsv } from './instruments/index.js';
import { type InstrumentSpec, MarketModel } from './market/index.js';
import { hash32 } from './market/rng.js';
import {
  type InstrumentFacts,
  type KiteOrder,
  type MarginCheck,
  MatchingEngine,
  type OrderEvent,
  type PlaceParams,
} from './matching/index.js';
import { PaperHttpServer } from './server/http-server.js';
import { RateLimiter } from './server/rate-limit.js';
import { Router } from './server/router.js';
import { adminRoutes, type Scenario } from './server/routes/admin.js';
import { alertRoutes } from './server/routes/alerts.js';
import { chargesRoutes } from './server/routes/charges.js';
import { gttRoutes } from './server/routes/gtt.js';
import { historicalRoutes } from './server/routes/historical.js';
import { marketRoutes } from './server/routes/market.js';
import { miscRoutes } from './server/routes/misc.js';
import { orderRoutes } from './server/routes/orders.js';
import { portfolioRoutes } from './server/routes/portfolio.js';
import { sessionRoutes, sessionValue } from './server/routes/session.js';
import { TickerServer } from './server/ticker-server.js';
import { SessionManager } from './session/index.js';
import { type TickInput, tickFromQuote } from './ticks/packet.js';

export interface PaperExchangeOptions {
  seed: number;
  clock: PaperClockStart;
  speed?: number;
  /** Loopback port; 0 picks a free one. */
  port?: number;
  apiSecret?: string;
  /** Where GET /connect/login redirects (the app's registered redirect URL). */
  redirectUrl?: string;
  openingBalance?: number;
  tickIntervalMs?: number;
  /** A clock the exchange runs on instead of its own (tests that drive time by hand). */
  wall?: () => number;
  /** Enforce Kite's API rate limits (default true; a test of something else may turn them off). */
  rateLimits?: boolean;
  /** Charge schedules beyond the built-in ones (config `costs.schedules`). */
  chargeSchedules?: readonly UserChargeSchedule[];
}

/** The one paper user every api_key acts for. */
const USER_ID = 'PA0001';

/** Order statuses Kite pushes on the WebSocket: not the OMS's transient PENDING steps. */
const PUSHED_STATUSES = new Set(['OPEN', 'TRIGGER PENDING', 'COMPLETE', 'CANCELLED', 'REJECTED', 'UPDATE', 'MODIFIED']);

/**
 * The paper exchange: a Kite Connect v3 compatible market on 127.0.0.1. It owns the paper
 * clock, the instrument master, the seeded market, the matching engine, sessions, the one
 * paper account, fault injection, and the REST and WebSocket servers that expose them.
 */
export class PaperExchange {
  readonly clock: PaperClock;
  readonly faults: Faults;
  readonly sessions: SessionManager;
  readonly market: MarketModel;
  readonly engine: MatchingEngine;
  readonly account: PaperAccount;
  readonly gtt: GttBook;
  readonly alerts: AlertBook;
  readonly instruments: readonly PaperInstrument[];
  readonly #byKey = new Map<string, PaperInstrument>();
  readonly #byToken = new Map<number, PaperInstrument>();
  readonly #csv = new Map<string, string>();
  readonly #http: PaperHttpServer;
  readonly #ticker: TickerServer;
  readonly #options: PaperExchangeOptions;
  #timer: NodeJS.Timeout | null = null;
  #port = 0;
  /** When each exchange's end of day was last checked (ms). */
  readonly #lastSeen = new Map<Exchange, number>();

  private constructor(options: PaperExchangeOptions) {
    this.#options = options;
    this.clock = new PaperClock(options.clock, {
      speed: options.speed ?? 1,
      ...(options.wall ? { wall: options.wall } : {}),
    });
    this.faults = new Faults(options.seed);
    const start = this.clock.now();
    this.instruments = buildInstrumentMaster(istDate(start));
    for (const i of this.instruments) {
      this.#byKey.set(`${i.exchange}:${i.tradingsymbol}`, i);
      this.#byToken.set(i.instrument_token, i);
    }
    this.market = new MarketModel({
      seed: options.seed,
      instruments: this.instruments,
      specs: specsOf(this.instruments),
      // The market opens at 09:15 and has traded until the clock's time: a user arriving at
      // 11:00 sees the day's open, high, low and volume, not a market born that second.
      start: dayOpen(start),
      isTrading: (exchange, at) => {
        const phase = sessionAt(at, exchange).phase;
        return phase === 'normal' || phase === 'closing';
      },
    });
    this.market.advanceTo(start);
    this.sessions = new SessionManager({
      clock: this.clock,
      config: {
        apiSecret: options.apiSecret ?? 'paper',
        ...(options.redirectUrl ? { redirectUrl: options.redirectUrl } : {}),
      },
    });
    // Charges are computed on the paper clock's date, so a paper day in 2026 pays 2026's rates.
    const charges: PaperChargesDeps = {
      today: () => istDate(this.clock.now()),
      instrument: (exchange, symbol) => {
        const i = this.#byKey.get(`${exchange}:${symbol}`);
        return i && { ...i, multiplier: i.paper.multiplier };
      },
      ...(options.chargeSchedules ? { schedules: options.chargeSchedules } : {}),
    };
    this.account = new PaperAccount({
      clock: this.clock,
      chargesFor: marginChargesFor(charges),
      instruments: (exchange, symbol) => {
        const i = this.#byKey.get(`${exchange}:${symbol}`);
        return i && { ...i, multiplier: i.paper.multiplier };
      },
      prices: {
        lastPrice: (token) => this.market.ltp(token),
        closePrice: (token) => this.market.quote(token)?.ohlc.close,
        underlyingPrice: (instrument) => {
          const token = this.#byToken.get(instrument.instrument_token)?.paper.underlyingToken;
          return token ? this.market.ltp(token) : undefined;
        },
      },
      config: { funds: { equity: { opening_balance: options.openingBalance ?? 1_000_000 } } },
      tradingDate: istDate(start),
    });
    this.engine = new MatchingEngine({
      clock: this.clock,
      instruments: (exchange, symbol) => this.#facts(exchange, symbol),
      session: (exchange, at) => sessionState(exchange, at),
      checkMargin: (order) => this.#checkMargin(order),
      consumeDepth: (c) => {
        this.market.depthConsumed(c);
      },
      quote: (token) => this.market.quote(token),
      userId: USER_ID,
    });
    this.engine.subscribe((event) => this.#onOrderEvent(event));
    const placeFromTrigger = (order: PlaceParams & { variety?: string }) => {
      const r = this.engine.place(order.variety ?? 'regular', order);
      return r.ok ? { order_id: r.order_id } : { error: { message: r.error.message, error_type: r.error.error_type } };
    };
    this.gtt = new GttBook({
      userId: USER_ID,
      resolve: (exchange, symbol) => this.#byKey.get(`${exchange}:${symbol}`),
      placeOrder: placeFromTrigger,
      lastPrice: (exchange, symbol) => {
        const i = this.#byKey.get(`${exchange}:${symbol}`);
        return i && this.market.ltp(i.instrument_token);
      },
    });
    this.alerts = new AlertBook({
      userId: USER_ID,
      // Kite's alerts name indices `INDICES:NIFTY 50`; the master lists them under NSE/BSE.
      resolve: (exchange, symbol) =>
        exchange === 'INDICES'
          ? (this.#byKey.get(`NSE:${symbol}`) ?? this.#byKey.get(`BSE:${symbol}`))
          : this.#byKey.get(`${exchange}:${symbol}`),
      placeOrder: placeFromTrigger,
      seed: options.seed,
    });

    const router = new Router();
    for (const route of [
      ...sessionRoutes(this.sessions),
      ...orderRoutes({
        engine: this.engine,
        faults: this.faults,
        sliceLimits: (exchange, symbol) => {
          const i = this.#byKey.get(`${exchange}:${symbol}`);
          return i && { freezeQuantity: i.paper.freezeQuantity, lotSize: i.lot_size };
        },
      }),
      ...marketRoutes({
        resolve: (key) => this.resolve(key),
        quote: (token) => this.market.quote(token),
        instrumentsCsv: (exchange) => this.#instrumentsCsv(exchange),
      }),
      ...portfolioRoutes(this.account),
      ...chargesRoutes(charges),
      ...gttRoutes({ gtt: this.gtt, now: () => this.clock.now() }),
      ...alertRoutes({ alerts: this.alerts, now: () => this.clock.now() }),
      ...historicalRoutes({
        instrument: (token) => this.#byToken.get(token),
        priceAt: (token, at) => this.#historicalPrice(token, at),
        isTrading: (exchange, at) => sessionAt(at, exchange).phase === 'normal',
        now: () => this.clock.now(),
      }),
      ...miscRoutes({ resolve: (key) => this.resolve(key), ltp: (token) => this.market.ltp(token) }),
      ...adminRoutes({
        clock: this.clock,
        faults: this.faults,
        state: () => this.state(),
        invalidateTokens: (apiKey) => this.sessions.invalidate(apiKey ? { api_key: apiKey } : {}),
        dropWebSockets: () => this.#ticker.dropAll(),
        scenario: (instrument, scenario) => this.#scenario(instrument, scenario),
        sync: () => this.sync(),
      }),
    ]) {
      router.add(route);
    }
    this.#http = new PaperHttpServer({
      router,
      faults: this.faults,
      rateLimiter: new RateLimiter(options.rateLimits ?? true),
      now: () => this.clock.now(),
      authenticate: (header) => sessionValue(this.sessions.authenticate(header)).api_key,
    });
    this.#ticker = new TickerServer(this.#http.server, {
      path: '/ws',
      authenticate: (apiKey, accessToken) => this.sessions.authenticate(`token ${apiKey}:${accessToken}`).ok,
      tick: (token) => this.#tick(token),
      stalled: () => this.faults.settings.stall_ticks,
    });
  }

  /** Build the market and listen on 127.0.0.1. */
  static async start(options: PaperExchangeOptions): Promise<PaperExchange> {
    const exchange = new PaperExchange(options);
    exchange.#port = await exchange.#http.listen(options.port ?? 0);
    const interval = options.tickIntervalMs ?? 1000;
    exchange.#timer = setInterval(() => exchange.sync(), interval);
    exchange.#timer.unref();
    return exchange;
  }

  get seed(): number {
    return this.#options.seed;
  }

  get restRoot(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get wsRoot(): string {
    return `ws://127.0.0.1:${this.#port}/ws`;
  }

  /** An instrument by `EXCHANGE:TRADINGSYMBOL` or by its token. */
  resolve(key: string): PaperInstrument | undefined {
    if (/^\d+$/.test(key)) return this.#byToken.get(Number(key));
    return this.#byKey.get(key.toUpperCase());
  }

  /**
   * Bring the market up to the clock and let the engine see the new prices: resting orders
   * fill, stops trigger, the day's open orders are cancelled after the close. Then stream.
   */
  sync(): void {
    const now = this.clock.now();
    this.market.advanceTo(now);
    // Every instrument the engine has a quote of, traded now or earlier, or an order open in: a
    // quote left from an earlier trade would arm the next market order at that old price.
    const quotes: [number, Quote][] = [];
    for (const token of this.engine.quotedTokens()) {
      const quote = this.market.quote(token);
      if (quote) quotes.push([token, quote]);
    }
    this.engine.onQuotes(quotes);
    this.#triggers(now);
    this.#endOfDay(now);
    this.#ticker.broadcastTicks();
  }

  /** GTTs and alerts see the traded price while the market is in its normal session. */
  #triggers(now: Date): void {
    for (const key of this.gtt.watched()) {
      const i = this.#byKey.get(key);
      if (!i || sessionAt(now, i.exchange).phase !== 'normal') continue;
      const ltp = this.market.ltp(i.instrument_token);
      if (ltp !== undefined) this.gtt.onPrice(key, ltp, now);
    }
    for (const token of this.alerts.watched()) {
      const quote = this.market.quote(token);
      if (quote) this.alerts.onPrice(token, quote.last_price, now, quote);
    }
  }

  state(): Record<string, unknown> {
    return {
      now: this.clock.now().toISOString(),
      speed: this.clock.speed,
      seed: this.#options.seed,
      rest_root: this.restRoot,
      ws_root: this.wsRoot,
      instruments: this.instruments.length,
      orders: this.engine.orders().length,
      websocket_connections: this.#ticker.connectionCount,
      sessions: this.sessions.sessions().length,
      faults: this.faults.settings,
    };
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#ticker.close();
    await this.#http.close();
  }

  #facts(exchange: string, symbol: string): InstrumentFacts | undefined {
    const i = this.#byKey.get(`${exchange}:${symbol}`);
    if (!i) return undefined;
    return { instrument: i, freeze_quantity: i.paper.freezeQuantity };
  }

  /**
   * The account's margin check. An injected rejection answers as an RMS margin shortfall, the
   * rejection traders meet most.
   */
  #checkMargin(order: KiteOrder): MarginCheck {
    if (this.faults.takeOrderRejection()) {
      const price = order.price || this.market.ltp(order.instrument_token) || 0;
      return { ok: false, required: order.quantity * price, available: 0 };
    }
    return this.account.canAfford(order);
  }

  /**
   * Historical candles before the market model's start: a deterministic wander around today's
   * reference price (hash of token and minute). The live session itself comes from the model.
   */
  #historicalPrice(token: number, at: Date): number | undefined {
    const now = this.clock.now();
    const live = this.market.ltp(token);
    if (live === undefined) return undefined;
    if (at.getTime() >= this.market.now().getTime() - 1000 || at.getTime() > now.getTime()) return live;
    const minute = Math.floor(at.getTime() / 60_000);
    const days = (now.getTime() - at.getTime()) / 86_400_000;
    const drift =
      Math.sin(minute / 390) * 0.01 * Math.min(1, days) + ((hash32(token ^ minute) % 2001) - 1000) / 1_000_000;
    const tick = this.#byToken.get(token)?.tick_size || 0.05;
    return Math.max(tick, Math.round((live * (1 + drift)) / tick) * tick);
  }

  #onOrderEvent(event: OrderEvent): void {
    if (event.trade) {
      this.market.recordTrade(event.order.instrument_token, event.trade.average_price, event.trade.quantity);
      this.account.applyTrade(tradeFromKite(event.trade));
    }
    this.account.onOrderUpdate(event.order);
    if (!PUSHED_STATUSES.has(event.status)) return;
    // Kite reports a modification on the WebSocket as UPDATE (forum: "Postback sends UPDATE status for order modification").
    const status = event.status === 'MODIFIED' ? 'UPDATE' : event.status;
    this.#ticker.publishOrder({ ...postback(event.order, this.#options.apiSecret ?? 'paper'), status });
  }

  #tick(token: number): TickInput | null {
    const quote: Quote | undefined = this.market.quote(token);
    if (!quote) return null;
    const now = this.clock.now();
    const lastTrade = istInstantMs(quote.last_trade_time.slice(0, 10), quote.last_trade_time.slice(11));
    return tickFromQuote(quote, now, lastTrade === undefined ? now : new Date(lastTrade));
  }

  #instrumentsCsv(exchange?: string): string {
    const key = exchange ?? '*';
    let text = this.#csv.get(key);
    if (text === undefined) {
      text = toKiteCsv(exchange ? this.instruments.filter((i) => i.exchange === exchange) : this.instruments);
      this.#csv.set(key, text);
    }
    return text;
  }

  #scenario(key: string, scenario: Scenario): string | null {
    const instrument = this.resolve(key);
    if (!instrument) return `no instrument ${key}`;
    const token = instrument.instrument_token;
    const errors = [
      scenario.reset ? this.market.resetScenario(token) : null,
      scenario.price_path
        ? this.market.setPricePath(
            token,
            scenario.price_path.map((p) => ({ at: 'at' in p ? new Date(p.at) : p.offset_ms, price: p.price })),
          )
        : null,
      scenario.widen_spread ? this.market.widenSpread(token, scenario.widen_spread) : null,
      scenario.dry_up_depth ? this.market.dryUpDepth(token, scenario.dry_up_depth) : null,
    ].filter((e) => e !== null);
    return errors.length > 0 ? errors.map((e) => e.message).join('; ') : null;
  }

  /**
   * DAY orders still working after an exchange's last session of the day are cancelled, once
   * per exchange per day; a clock jump past one or more closes cancels them too.
   */
  #endOfDay(now: Date): void {
    const today = istDate(now);
    for (const exchange of ['NSE', 'BSE', 'NFO', 'BFO', 'MCX', 'CDS'] as const) {
      const last = this.#lastSeen.get(exchange);
      this.#lastSeen.set(exchange, now.getTime());
      // The exchange cancels what is still working when the normal session ends (the closing
      // session that follows trades at the closing price only).
      const close = daySchedule(today, exchange)
        .filter((i) => i.phase === 'normal')
        .at(-1)
        ?.end.getTime();
      const closedToday = close !== undefined && now.getTime() >= close && (last === undefined || last < close);
      const crossedMidnight = last !== undefined && istDate(new Date(last)) !== today;
      if (closedToday || crossedMidnight) this.engine.endOfDay(exchange);
    }
    if (this.account.tradingDate() < today) this.account.rollDay(today);
  }
}

function specsOf(instruments: readonly PaperInstrument[]): Map<number, InstrumentSpec> {
  const specs = new Map<number, InstrumentSpec>();
  for (const i of instruments) {
    const spec: InstrumentSpec = { referencePrice: i.paper.referencePrice };
    if (i.paper.circuitBandPct !== null) spec.circuitBandPct = i.paper.circuitBandPct;
    if (i.paper.underlyingToken !== null) spec.underlyingToken = i.paper.underlyingToken;
    specs.set(i.instrument_token, spec);
  }
  return specs;
}

function dayOpen(at: Date): Date {
  const open = istInstant(istDate(at), '09:15');
  return open.getTime() < at.getTime() ? open : at;
}

function sessionState(exchange: Exchange, at: Date): 'open' | 'pre-open' | 'closed' {
  const phase = sessionAt(at, exchange).phase;
  if (phase === 'normal') return 'open';
  if (phase === 'pre_open') return 'pre-open';
  return 'closed';
}

/**
 * The WebSocket/postback order shape (postback.json): the order plus the user and app fields.
 * `checksum` is Kite's: hex SHA-256 of order_id + order_timestamp + api_secret, so a receiver
 * can check the update came from the exchange (kite.trade/docs/connect/v3/postbacks).
 */
function postback(order: KiteOrder, apiSecret: string): Record<string, unknown> {
  return {
    user_id: order.placed_by,
    unfilled_quantity: order.pending_quantity,
    app_id: 0,
    checksum: createHash('sha256').update(`${order.order_id}${order.order_timestamp}${apiSecret}`).digest('hex'),
    ...order,
  };
}
