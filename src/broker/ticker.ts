import { KiteTicker, type KiteTickerParams } from 'kiteconnect';
import type { Depth, DepthLevel, Ohlc } from '../domain/quote.js';
import type { SomErrorValue } from '../protocol/errors.js';

/**
 * Kite's WebSocket feed (ticks and order updates) on top of the official client's
 * `KiteTicker`, with som's own reconnection.
 *
 * Why not KiteTicker's reconnection: with `reconnect: true` it calls `process.exit(1)` once it
 * runs out of retries, which would take the daemon down. And KiteTicker keeps its socket, its
 * event callbacks and its timers in module-level variables: two live instances in one process
 * share (and break) one socket, and every `on()` adds a callback that is never removed. So this
 * module registers its callbacks once per process, routes them to the one live
 * {@link BrokerTicker}, and opens a new KiteTicker (reconnect off) for each attempt only after
 * the previous socket has closed: there is never more than one socket.
 */

export type TickerState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

/**
 * One instrument's tick, normalised from KiteTicker's decoding. Field names follow Kite's quote
 * and tick JSON (`volume`, `last_quantity`, `buy_quantity`, ...). What a packet does not carry
 * is 0 (numbers) or null (ohlc, depth, times): an index has no depth, volume or OI; an `ltp`
 * packet only has the last price.
 */
export interface LiveTick {
  instrument_token: number;
  /** False for indices (segment 9): they cannot be traded and carry no depth. */
  tradable: boolean;
  mode: 'ltp' | 'quote' | 'full';
  last_price: number;
  last_quantity: number;
  average_price: number;
  volume: number;
  buy_quantity: number;
  sell_quantity: number;
  ohlc: Ohlc | null;
  /** last_price - ohlc.close (the previous day's close), as Kite's quote `net_change`; 0 without a close. */
  net_change: number;
  oi: number;
  oi_day_high: number;
  oi_day_low: number;
  last_trade_time: Date | null;
  /** The exchange's timestamp of the tick. */
  timestamp: Date | null;
  /** Five levels a side, best first (full mode, tradable instruments only). */
  depth: Depth | null;
  /** When this process received the tick (wall ms). */
  received_at: number;
}

export interface BackoffOptions {
  /** First retry delay (before jitter). */
  minMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
  /** Jitter source in [0, 1); Math.random unless a test pins it. */
  random?: () => number;
}

export interface BrokerTickerOptions {
  apiKey: string;
  accessToken: string;
  /** The WebSocket root: the paper exchange's `wsRoot`, or `wss://ws.kite.trade` for Kite. */
  wsRoot: string;
  backoff?: BackoffOptions;
  /** No tick for this long while connected and subscribed sets {@link BrokerTicker.stale}. Off when absent. */
  staleAfterMs?: number;
  /** A handshake that has not completed after this long is abandoned and retried (default 10 s). */
  connectTimeoutMs?: number;
  /** Wall clock for `lastTickAt` and `received_at` (ms); Date.now unless a test injects one. */
  wall?: () => number;
}

/**
 * Callbacks. They run inside the WebSocket's event handlers and should not throw; one that does
 * is rethrown on the next turn of the event loop (an uncaught exception), so that it cannot cut
 * kiteconnect's own bookkeeping short.
 */
export interface BrokerTickerHandlers {
  /** Ticks for subscribed tokens, one batch per WebSocket frame. */
  onTicks?(ticks: LiveTick[]): void;
  /** An order update (the text frame's `data`, Kite's postback shape), untouched. */
  onOrderUpdate?(raw: Record<string, unknown>): void;
  /** Every state change, with a sentence saying why (never the access token). */
  onState?(state: TickerState, detail: string): void;
  /** The feed went quiet ({@link BrokerTickerOptions.staleAfterMs}) or came back. */
  onStale?(stale: boolean, detail: string): void;
}

/** Reconnect delays unless configured: first retry after 250-500 ms, never more than 30 s apart. */
export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = { minMs: 250, maxMs: 30_000 };

/**
 * Kite streams at most 3000 instruments on one WebSocket connection (Kite v3 WebSocket docs;
 * Zerodha staff on the Kite forum, "Max 3000 instrument can subscriptions in a single WebSocket
 * connection").
 */
export const MAX_TOKENS_PER_CONNECTION = 3000;

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * kiteconnect's fixed read timeout (`read_timeout` in dist/lib/ticker.js): a socket silent this
 * long is closed by the client. Kite sends a 1-byte heartbeat every second when idle.
 */
const KITECONNECT_READ_TIMEOUT_S = 5;

/**
 * `ws` destroys a socket whose peer does not answer the close handshake after 30 s (its
 * closeTimeout); stop() waits for the close event no longer than that, plus a margin.
 */
const SOCKET_CLOSE_GRACE_MS = 35_000;

/** Shorter "tokens" (test stand-ins) are not masked in details. */
const MIN_REDACTED_LENGTH = 8;

/**
 * How long to wait before the next connection attempt after `failures` consecutive failures
 * (0 for the first retry after a working connection dropped): exponential from `minMs`, with
 * jitter that stretches each wait by up to 100 % so that many clients do not retry in step, and
 * capped at `maxMs`. With 250 ms .. 30 s: 250-500, 500-1000, 1000-2000, ... 30000 ms.
 */
export function reconnectDelayMs(failures: number, backoff: BackoffOptions): number {
  const random = backoff.random ?? Math.random;
  // 2^30 times any sane minMs is past any sane maxMs; the cap keeps the power finite.
  const base = backoff.minMs * 2 ** Math.min(Math.max(0, failures), 30);
  return Math.round(Math.min(backoff.maxMs, base * (1 + random())));
}

/** Turn one tick as KiteTicker decodes it into a {@link LiveTick}; null for something that is not a tick. */
export function normaliseTick(raw: unknown, receivedAt: number): LiveTick | null {
  if (!isRecord(raw)) return null;
  const token = raw.instrument_token;
  if (typeof token !== 'number' || !Number.isInteger(token) || token <= 0) return null;
  const lastPrice = num(raw.last_price);
  const ohlc = isRecord(raw.ohlc)
    ? { open: num(raw.ohlc.open), high: num(raw.ohlc.high), low: num(raw.ohlc.low), close: num(raw.ohlc.close) }
    : null;
  const mode = raw.mode === 'full' || raw.mode === 'quote' || raw.mode === 'ltp' ? raw.mode : 'ltp';
  return {
    instrument_token: token,
    tradable: raw.tradable !== false,
    mode,
    last_price: lastPrice,
    last_quantity: num(raw.last_traded_quantity),
    average_price: num(raw.average_traded_price),
    volume: num(raw.volume_traded),
    buy_quantity: num(raw.total_buy_quantity),
    sell_quantity: num(raw.total_sell_quantity),
    ohlc,
    net_change: ohlc && ohlc.close !== 0 ? lastPrice - ohlc.close : 0,
    oi: num(raw.oi),
    oi_day_high: num(raw.oi_day_high),
    oi_day_low: num(raw.oi_day_low),
    last_trade_time: date(raw.last_trade_time),
    timestamp: date(raw.exchange_timestamp),
    depth: depthOf(raw.depth),
    received_at: receivedAt,
  };
}

type Ticker = InstanceType<typeof KiteTicker>;

/** What the live BrokerTicker hears from kiteconnect's module-wide event triggers. */
interface Receiver {
  connect(): void;
  ticks(raw: unknown): void;
  orderUpdate(raw: unknown): void;
  error(event: unknown): void;
  disconnect(event?: unknown): void;
  close(event: unknown): void;
}

/** kiteconnect's triggers are process-wide: callbacks go in once and are routed from here. */
let receiver: Receiver | null = null;
let routed = false;
/** The one BrokerTicker that may hold a socket (kiteconnect has one socket per process). */
let live: BrokerTicker | null = null;

function createKiteTicker(apiKey: string, accessToken: string, root: string): Ticker {
  // `root` is read by the constructor but missing from KiteTickerParams. Reconnect stays off:
  // kiteconnect's own reconnection ends in process.exit(1).
  const params = { api_key: apiKey, access_token: accessToken, root, reconnect: false };
  const ticker = new KiteTicker(params as KiteTickerParams);
  if (!routed) {
    routed = true;
    const on = (ticker as unknown as { on(event: string, cb: (...args: unknown[]) => void): void }).on.bind(ticker);
    on('connect', () => receiver?.connect());
    on('ticks', (ticks) => receiver?.ticks(ticks));
    on('order_update', (order) => receiver?.orderUpdate(order));
    on('error', (event) => receiver?.error(event));
    on('disconnect', (...args) => receiver?.disconnect(...args));
    on('close', (event) => receiver?.close(event));
  }
  return ticker;
}

interface Attempt {
  ticker: Ticker;
  /** The access token this attempt connected with. */
  token: string;
  /** connecting: handshake under way; open: connected; lost: kiteconnect gave up on a silent socket, its close is pending. */
  phase: 'connecting' | 'open' | 'lost';
  /** The socket error seen during this attempt, in words. */
  error: string | null;
  timer: NodeJS.Timeout | null;
}

/**
 * The live feed from Kite (or the paper exchange): connects, subscribes the wanted instruments in
 * full mode, passes ticks and order updates on, and reconnects by itself with exponential
 * backoff until {@link stop}. Only one may be running per process (kiteconnect keeps one socket
 * per process): {@link start} throws while another one is running.
 */
export class BrokerTicker {
  readonly #apiKey: string;
  #accessToken: string;
  readonly #root: string;
  readonly #backoff: BackoffOptions;
  readonly #staleAfterMs: number | null;
  readonly #connectTimeoutMs: number;
  readonly #wall: () => number;
  readonly #handlers: BrokerTickerHandlers;
  readonly #receiver: Receiver;

  #state: TickerState = 'idle';
  #attempt: Attempt | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  /** Retries since the last successful connection (a dropped connection counts as the first). */
  #failures = 0;
  #everConnected = false;
  #reconnects = 0;
  /** What the caller wants streamed, and what the current connection has been told. */
  #desired = new Set<number>();
  #applied = new Set<number>();
  #lastTickAt: number | null = null;
  #connectedAt = 0;
  #subscribedAt = 0;
  #stale = false;
  #staleTimer: NodeJS.Timeout | null = null;
  #stopping: { promise: Promise<void>; resolve: () => void; fallback: NodeJS.Timeout | null } | null = null;

  constructor(options: BrokerTickerOptions, handlers: BrokerTickerHandlers = {}) {
    const backoff = options.backoff ?? DEFAULT_BACKOFF;
    if (!(backoff.minMs > 0) || !(backoff.maxMs >= backoff.minMs)) {
      throw new RangeError(`backoff needs 0 < minMs <= maxMs, got ${backoff.minMs} .. ${backoff.maxMs}`);
    }
    this.#apiKey = options.apiKey;
    this.#accessToken = options.accessToken;
    this.#root = options.wsRoot;
    this.#backoff = backoff;
    this.#staleAfterMs = options.staleAfterMs ?? null;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#wall = options.wall ?? Date.now;
    this.#handlers = handlers;
    this.#receiver = {
      connect: () => this.#onConnect(),
      ticks: (raw) => this.#onTicks(raw),
      orderUpdate: (raw) => this.#onOrderUpdate(raw),
      error: (event) => this.#onError(event),
      disconnect: (...args) => this.#onDisconnect(args.length > 0 && args[0] !== undefined),
      close: (event) => this.#onClose(event),
    };
  }

  get state(): TickerState {
    return this.#state;
  }

  /** When the last tick for a subscribed token arrived (wall ms), null before the first. */
  get lastTickAt(): number | null {
    return this.#lastTickAt;
  }

  /** How many times the feed connected again after losing a connection (since construction). */
  /** When the current connection opened (ms on the ticker's wall clock); 0 before the first. */
  get connectedAt(): number {
    return this.#connectedAt;
  }

  get reconnects(): number {
    return this.#reconnects;
  }

  /**
   * True while connected and subscribed with no tick for `staleAfterMs` (a stalled feed: the
   * socket is up, heartbeats arrive, prices do not). Outside market hours Kite sends no ticks,
   * so the caller decides whether quiet means trouble.
   */
  get stale(): boolean {
    return this.#stale;
  }

  /** The tokens the caller wants streamed. */
  get subscriptions(): ReadonlySet<number> {
    return this.#desired;
  }

  /** Connect, and keep reconnecting until {@link stop}. Does nothing if already started. */
  start(): void {
    if (this.#stopping) throw new Error('BrokerTicker is still stopping: await stop() before start()');
    if (this.#state !== 'idle' && this.#state !== 'closed') return;
    if (live && live !== this) {
      throw new Error(
        'another BrokerTicker is running in this process; stop it first (kiteconnect has one socket per process)',
      );
    }
    live = this;
    receiver = this.#receiver;
    this.#failures = 0;
    // A start after stop() is a new beginning, not a reconnection.
    this.#everConnected = false;
    this.#connect();
  }

  /** Close the socket and stop reconnecting; resolves once the socket has closed. */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping.promise;
    if (this.#state === 'idle' || this.#state === 'closed') return Promise.resolve();
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.#stopping = { promise, resolve, fallback: null };
    this.#clearRetry();
    const attempt = this.#attempt;
    if (!attempt) {
      this.#finishStop();
      return promise;
    }
    // The close event finishes the stop. A socket kiteconnect already dropped (phase lost) is
    // closing on its own; the fallback covers a close event that never comes.
    attempt.ticker.disconnect();
    this.#stopping.fallback = setTimeout(() => {
      if (this.#attempt === attempt) this.#finishStop();
    }, SOCKET_CLOSE_GRACE_MS);
    this.#stopping.fallback.unref();
    return promise;
  }

  /**
   * Use this access token from the next (re)connection on. If the ticker is waiting to retry,
   * it retries now: a fresh login is the usual cure for a refused handshake.
   */
  setAccessToken(token: string): void {
    this.#accessToken = token;
    if (this.#retryTimer && !this.#stopping) {
      this.#clearRetry();
      this.#failures = 0;
      this.#connect();
    }
  }

  /**
   * The instruments to stream, all in full mode. Applied now if connected (only the difference
   * is sent), and in full after every reconnect. More than {@link MAX_TOKENS_PER_CONNECTION}
   * or a token that is not a positive 32-bit integer is refused as a value and changes nothing.
   */
  setSubscriptions(tokens: Iterable<number>): SomErrorValue | null {
    const next = new Set<number>();
    for (const token of tokens) {
      if (!Number.isInteger(token) || token <= 0 || token > 0xffff_ffff) {
        return { code: 'INVALID_INPUT', message: `not an instrument token: ${String(token)}` };
      }
      next.add(token);
    }
    if (next.size > MAX_TOKENS_PER_CONNECTION) {
      return {
        code: 'INVALID_INPUT',
        message: `Kite streams at most ${MAX_TOKENS_PER_CONNECTION} instruments on one connection; asked for ${next.size}`,
      };
    }
    if (this.#desired.size === 0 && next.size > 0) this.#subscribedAt = this.#wall();
    this.#desired = next;
    const attempt = this.#attempt;
    if (attempt?.phase === 'open') this.#sendSubscriptions(attempt.ticker);
    this.#armStale();
    return null;
  }

  #connect(): void {
    const ticker = createKiteTicker(this.#apiKey, this.#accessToken, this.#root);
    const attempt: Attempt = { ticker, token: this.#accessToken, phase: 'connecting', error: null, timer: null };
    this.#attempt = attempt;
    this.#setState(
      'connecting',
      this.#failures === 0 ? `connecting to ${this.#root}` : `reconnecting to ${this.#root} (retry ${this.#failures})`,
    );
    attempt.timer = setTimeout(() => {
      if (this.#attempt !== attempt || attempt.phase !== 'connecting') return;
      attempt.error = `no handshake within ${this.#connectTimeoutMs} ms`;
      // Closing a connecting socket makes ws emit error and close: the close event retries.
      attempt.ticker.disconnect();
    }, this.#connectTimeoutMs);
    try {
      ticker.connect();
    } catch (err) {
      // ws throws synchronously for a malformed URL; no socket exists, so no close event will come.
      attempt.error = errorText(err);
      this.#onClose(undefined);
    }
  }

  #onConnect(): void {
    const attempt = this.#attempt;
    if (attempt?.phase !== 'connecting') return;
    this.#clearAttemptTimer(attempt);
    attempt.phase = 'open';
    if (this.#everConnected) this.#reconnects++;
    this.#everConnected = true;
    this.#failures = 0;
    this.#connectedAt = this.#wall();
    this.#applied.clear();
    this.#sendSubscriptions(attempt.ticker);
    this.#setState('connected', `connected to ${this.#root}; streaming ${this.#desired.size} instruments in full mode`);
    this.#armStale();
  }

  #onTicks(raw: unknown): void {
    if (this.#attempt?.phase !== 'open' || !Array.isArray(raw)) return;
    const now = this.#wall();
    const ticks: LiveTick[] = [];
    for (const r of raw) {
      const tick = normaliseTick(r, now);
      // A tick for a token just unsubscribed may still be in flight: the caller asked not to see it.
      if (tick && this.#desired.has(tick.instrument_token)) ticks.push(tick);
    }
    if (ticks.length === 0) return;
    this.#lastTickAt = now;
    if (this.#stale) {
      this.#setStale(false, 'ticks are flowing again');
      this.#armStale();
    }
    this.#emit(() => this.#handlers.onTicks?.(ticks));
  }

  #onOrderUpdate(raw: unknown): void {
    if (!isRecord(raw)) return;
    this.#emit(() => this.#handlers.onOrderUpdate?.(raw));
  }

  #onError(event: unknown): void {
    // The first error says why; later ones are the consequences (ours: the connect timeout's own abort).
    if (this.#attempt && this.#attempt.error === null) this.#attempt.error = errorText(event);
  }

  /**
   * kiteconnect raises `disconnect` without an event only when its read timer found the socket
   * silent: it has asked the socket to close, and the close event (which retries) may take up
   * to ws's close timeout. Report the loss now.
   */
  #onDisconnect(hasEvent: boolean): void {
    const attempt = this.#attempt;
    if (hasEvent || attempt?.phase !== 'open' || this.#stopping) return;
    attempt.phase = 'lost';
    this.#applied.clear();
    this.#armStale();
    this.#setState('disconnected', `no data from the server for ${KITECONNECT_READ_TIMEOUT_S} s; closing the socket`);
  }

  #onClose(event: unknown): void {
    const attempt = this.#attempt;
    if (!attempt) return;
    this.#attempt = null;
    this.#clearAttemptTimer(attempt);
    this.#applied.clear();
    this.#armStale();
    if (this.#stopping) {
      this.#finishStop();
      return;
    }
    const why =
      attempt.phase === 'open'
        ? `connection lost (${closeText(event)})`
        : attempt.phase === 'lost'
          ? `no data from the server for ${KITECONNECT_READ_TIMEOUT_S} s`
          : `could not connect: ${attempt.error ?? closeText(event)}`;
    // A token set while this attempt was under way deserves a prompt try.
    if (attempt.token !== this.#accessToken) this.#failures = 0;
    const delay = reconnectDelayMs(this.#failures, this.#backoff);
    this.#failures++;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
    this.#setState('disconnected', `${why}; retrying in ${delay} ms`);
  }

  #finishStop(): void {
    const stopping = this.#stopping;
    if (this.#attempt) this.#clearAttemptTimer(this.#attempt);
    this.#attempt = null;
    this.#clearRetry();
    this.#applied.clear();
    this.#armStale();
    if (live === this) live = null;
    if (receiver === this.#receiver) receiver = null;
    this.#stopping = null;
    if (stopping?.fallback) clearTimeout(stopping.fallback);
    this.#setState('closed', 'stopped');
    stopping?.resolve();
  }

  /** Tell the connection the difference between what it streams and what is wanted. */
  #sendSubscriptions(ticker: Ticker): void {
    const added = [...this.#desired].filter((t) => !this.#applied.has(t));
    const removed = [...this.#applied].filter((t) => !this.#desired.has(t));
    if (removed.length > 0) ticker.unsubscribe(removed);
    // Kite subscribes in quote mode; the mode message upgrades the new tokens to full (depth).
    if (added.length > 0) {
      ticker.subscribe(added);
      ticker.setMode('full', added);
    }
    this.#applied = new Set(this.#desired);
  }

  /** Start (or stop) watching for a quiet feed, from the later of the last tick, connection and first subscription. */
  #armStale(): void {
    if (this.#staleTimer) clearTimeout(this.#staleTimer);
    this.#staleTimer = null;
    const watching = this.#staleAfterMs !== null && this.#attempt?.phase === 'open' && this.#desired.size > 0;
    if (!watching) {
      if (this.#stale) this.#setStale(false, this.#attempt?.phase === 'open' ? 'no subscriptions' : 'not connected');
      return;
    }
    if (this.#stale) return;
    const since = Math.max(this.#lastTickAt ?? 0, this.#connectedAt, this.#subscribedAt);
    const wait = Math.max(0, since + this.#staleAfterMs! - this.#wall());
    this.#staleTimer = setTimeout(() => {
      this.#staleTimer = null;
      const quiet = this.#wall() - Math.max(this.#lastTickAt ?? 0, this.#connectedAt, this.#subscribedAt);
      if (quiet >= this.#staleAfterMs!) {
        this.#setStale(
          true,
          `no tick for ${quiet} ms while connected and subscribed to ${this.#desired.size} instruments`,
        );
      } else {
        this.#armStale();
      }
    }, wait);
    this.#staleTimer.unref();
  }

  #setStale(stale: boolean, detail: string): void {
    this.#stale = stale;
    this.#emit(() => this.#handlers.onStale?.(stale, detail));
  }

  #setState(state: TickerState, detail: string): void {
    this.#state = state;
    const safe = this.#redact(detail);
    this.#emit(() => this.#handlers.onState?.(state, safe));
  }

  /** Socket errors can quote the URL, and the URL carries the access token. */
  #redact(text: string): string {
    let out = text.replace(/access_token=[^&\s]*/g, 'access_token=***');
    // Kite's tokens are 32 characters; masking a very short one would mangle ordinary words.
    if (this.#accessToken.length >= MIN_REDACTED_LENGTH) out = out.split(this.#accessToken).join('***');
    return out;
  }

  #emit(call: () => void): void {
    try {
      call();
    } catch (err) {
      setImmediate(() => {
        throw err;
      });
    }
  }

  #clearAttemptTimer(attempt: Attempt): void {
    if (attempt.timer) clearTimeout(attempt.timer);
    attempt.timer = null;
  }

  #clearRetry(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }
}

/** A socket error in words; a refused handshake says what the status means. */
function errorText(event: unknown): string {
  const message =
    isRecord(event) && typeof event.message === 'string'
      ? event.message
      : event instanceof Error
        ? event.message
        : String(event);
  const status = /Unexpected server response: (\d{3})/.exec(message)?.[1];
  if (status === '403')
    return 'the server refused the handshake (HTTP 403): the access token is invalid or expired; log in again';
  if (status) return `the server refused the handshake (HTTP ${status})`;
  return message;
}

function closeText(event: unknown): string {
  if (!isRecord(event) || typeof event.code !== 'number') return 'socket closed';
  const reason = typeof event.reason === 'string' && event.reason ? `: ${event.reason}` : '';
  // 1006: the connection ended without a close frame (dropped, reset, or killed by a proxy).
  return event.code === 1006 ? `code 1006, no close frame${reason}` : `code ${event.code}${reason}`;
}

function depthOf(raw: unknown): Depth | null {
  if (!isRecord(raw) || !Array.isArray(raw.buy) || !Array.isArray(raw.sell)) return null;
  return { buy: raw.buy.map(levelOf), sell: raw.sell.map(levelOf) };
}

function levelOf(raw: unknown): DepthLevel {
  return isRecord(raw)
    ? { price: num(raw.price), quantity: num(raw.quantity), orders: num(raw.orders) }
    : { price: 0, quantity: 0, orders: 0 };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function date(value: unknown): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}
