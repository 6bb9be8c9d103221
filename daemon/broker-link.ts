import { isAbsolute, join } from 'node:path';
import type { BrokerSession } from '../src/broker/broker.js';
import type { BrokerClock } from '../src/broker/broker-clock.js';
import { BrokerError, isServerUnavailable } from '../src/broker/errors.js';
import { KiteBroker } from '../src/broker/kite-broker.js';
import {
  readApiSecret,
  readSessionFile,
  removeSessionFile,
  type StoredSession,
  writeSessionFile,
} from '../src/broker/secret-files.js';
import { kiteTokenExpiry } from '../src/broker/session-expiry.js';
import { TickCache } from '../src/broker/tick-cache.js';
import { BrokerTicker, type LiveTick, type TickerState } from '../src/broker/ticker.js';
import type { Config } from '../src/config/schema.js';
import type { UserChargeSchedule } from '../src/costs/schedule-schema.js';
import type { PlaceOrderRequest } from '../src/domain/order.js';
import type { Clock } from '../src/market/clock.js';
import { sessionAt } from '../src/market/sessions.js';
import type { PaperExchange } from '../src/paper/exchange.js';
import { SomError } from '../src/protocol/errors.js';
import type { BrokerMode } from '../src/protocol/methods/system.js';
import type { Store } from '../src/store/database.js';
import { createIntentLedger } from '../src/store/intents.js';
import { AccountSync } from './account/account-sync.js';
import { CostLedger } from './account/cost-ledger.js';
import { OrderDesk } from './account/order-desk.js';
import { HealthBoard } from './health-board.js';
import type { Logger } from './logger.js';
import type { Recorder } from './recorder.js';

export type SessionState = 'none' | 'valid' | 'expired' | 'invalid';
export interface BrokerLinkDeps {
  mode: BrokerMode;
  config: Config['broker'];
  home: string;
  store: Store;
  clock: Clock;
  /** Kite mode with `broker.clock = "broker"`: the clock that learns the broker's time from its answers. */
  brokerClock?: BrokerClock | null;
  logger: Logger;
  paper: PaperExchange | null;
  paperApiSecret: string;
  /** The user's charge schedules from the config (read at each use: SIGHUP may change them). */
  chargeSchedules(): readonly UserChargeSchedule[];
  /** Every audit event and alert the link writes. */
  recorder: Recorder;
  /** The order desk's analysis of each order about to go out (smart execution). */
  analyseOrder?(strategyId: number, request: PlaceOrderRequest, known?: number): Promise<number | null>;
}

/** Instruments streamed on demand for their depth, at most (Kite streams 3000 on one connection). */
const ON_DEMAND_MAX = 200;

/** The api_key somd uses with its own paper exchange when none is configured (any key works there). */
const PAPER_API_KEY = 'sompaper';

/**
 * somd's connection to the broker: the session (access token, its expiry, login), the REST
 * adapter, the WebSocket feed, the live account, and the health of all of it. Placement is
 * paused whenever the link cannot be trusted, and resumes by itself when it can.
 */
export class BrokerLink {
  readonly broker: KiteBroker;
  readonly account: AccountSync;
  readonly desk: OrderDesk;
  readonly ticks = new TickCache();
  readonly #d: BrokerLinkDeps;
  readonly #apiKey: string;
  readonly #wsRoot: string;
  #ticker: BrokerTicker | null = null;
  #session: StoredSession | null = null;
  #sessionState: SessionState = 'none';
  #sessionDetail = 'not logged in';
  readonly #health: HealthBoard;
  #refreshTimer: NodeJS.Timeout | null = null;
  #relogin: Promise<void> | null = null;
  #stopped = false;
  #tickerState: TickerState = 'idle';
  #tickerDetail = '';
  #readyHooks: (() => Promise<unknown>)[] = [];
  /** Instruments streamed because som needed their depth, beyond the account's own; oldest first. */
  readonly #onDemand = new Set<number>();
  #catchUp: ((why: 'start' | 'reconnect') => Promise<void>) | null = null;
  /** The feed was lost since it last connected: its next connection catches up. */
  #feedLost = false;
  #tickListeners: ((ticks: readonly LiveTick[]) => void)[] = [];

  constructor(deps: BrokerLinkDeps) {
    this.#d = deps;
    this.#health = new HealthBoard({ clock: deps.clock, logger: deps.logger, recorder: deps.recorder });
    const paper = deps.paper;
    this.#apiKey = paper ? deps.config.api_key || PAPER_API_KEY : deps.config.api_key;
    this.#wsRoot = paper ? paper.wsRoot : deps.config.ws_root;
    this.broker = new KiteBroker({
      apiKey: this.#apiKey,
      restRoot: paper ? paper.restRoot : deps.config.rest_root,
      loginUrl: paper ? `${paper.restRoot}/connect/login` : deps.config.login_url,
      timeoutMs: deps.config.timeout_ms,
      ...(deps.brokerClock ? { onServerDate: (date) => this.#observeServerDate(date) } : {}),
    });
    const costs = new CostLedger(deps.store, deps.clock, deps.chargeSchedules);
    this.account = new AccountSync({
      costs,
      store: deps.store,
      broker: this.broker,
      clock: deps.clock,
      logger: deps.logger,
      audit: (event) => deps.recorder.audit(event),
      onBrokerError: (err, during) => this.#onBrokerError(err, during),
      onBrokerOk: (during, ms) => this.#health.record('api', true, `${during} answered in ${Math.round(ms)} ms`, ms),
      onWatchlistChanged: () => this.#subscribe(),
      // Intents a crash interrupted, or whose fate was unknown, are settled from each order book read.
      onOrderBook: async (orders) => {
        const settled = await this.desk.settleFates(orders);
        if (settled.length > 0) deps.logger.info('intents.settled', { count: settled.length });
      },
    });
    this.desk = new OrderDesk({
      costs,
      store: deps.store,
      broker: this.broker,
      ledger: createIntentLedger(deps.store.db, deps.clock),
      account: this.account,
      recorder: deps.recorder,
      logger: deps.logger,
      placementBlocked: () => this.placementBlocked(),
      onBrokerError: (err, during) => this.#onBrokerError(err, during),
      requestTimeoutMs: deps.config.timeout_ms,
      ...(deps.analyseOrder ? { analyse: deps.analyseOrder } : {}),
    });
  }

  get sessionPath(): string {
    return join(this.#d.home, 'kite_session.json');
  }

  get apiSecretPath(): string {
    const file = this.#d.config.api_secret_file;
    return isAbsolute(file) ? file : join(this.#d.home, file);
  }

  /**
   * Bring the link up: restore (or in paper mode, make) a session, reconcile order intents
   * left by a crash, load the account, start the feed and the refresh loop. A broker that is
   * down does not stop somd: the link says so in status and keeps trying.
   */
  async start(): Promise<void> {
    if (this.#d.mode === 'kite' && !this.#apiKey) {
      this.#setSession('none', 'no api_key configured: set broker.api_key in the config');
      return;
    }
    try {
      // A stored session's expiry is judged on the broker's clock: learn it first.
      if (this.#d.brokerClock) await this.broker.serverDate();
      if (this.#d.paper) await this.#paperLogin();
      else this.#restoreSession();
    } catch (err) {
      this.#d.logger.warn('session.start_failed', { error: (err as Error).message });
    }
    if (this.#sessionState === 'valid') await this.#onSessionReady();
    this.#refreshTimer = setInterval(() => void this.refreshAccount(), this.#d.config.refresh_seconds * 1000);
    this.#refreshTimer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#refreshTimer) clearInterval(this.#refreshTimer);
    this.account.stop();
    await this.#ticker?.stop();
    this.#ticker = null;
  }

  /** True while the broker session is usable. */
  sessionReady(): boolean {
    this.#checkExpiry();
    return this.#sessionState === 'valid';
  }

  /** Run `hook` each time a session becomes ready (after start-up, login or a paper re-login). */
  onSessionReady(hook: () => Promise<unknown>): void {
    this.#readyHooks.push(hook);
  }

  /**
   * How the account catches up when a session becomes ready and when the feed comes back (Kite
   * does not replay the order updates sent meanwhile): a reconciliation round. Until one is set,
   * a plain refresh of the account.
   */
  setCatchUp(catchUp: (why: 'start' | 'reconnect') => Promise<void>): void {
    this.#catchUp = catchUp;
  }

  #catchUpNow(why: 'start' | 'reconnect'): Promise<void> {
    return this.#catchUp ? this.#catchUp(why) : this.account.refresh();
  }

  /** Run `listener` on every batch of ticks, once the tick cache has them (the risk monitor's feed). */
  onTicks(listener: (ticks: readonly LiveTick[]) => void): void {
    this.#tickListeners.push(listener);
  }

  /** The Kite login page for `som login` (null in paper mode: nothing to sign in to). */
  loginUrl(): string | null {
    if (this.#d.paper) return null;
    if (!this.#apiKey)
      throw new SomError('CONFIG_INVALID', 'broker.api_key is not set: add your Kite Connect app key to the config');
    return this.broker.loginUrl();
  }

  /** `som login`: exchange a request_token (real Kite) or sign in to the paper exchange. */
  async login(requestToken?: string): Promise<StoredSession> {
    if (this.#d.paper) {
      await this.#paperLogin();
    } else {
      if (!this.#apiKey)
        throw new SomError('CONFIG_INVALID', 'broker.api_key is not set: add your Kite Connect app key to the config');
      if (!requestToken)
        throw new SomError(
          'INVALID_INPUT',
          'a request_token is needed: run `som login` and sign in on the page it prints',
        );
      const secret = readApiSecret(this.apiSecretPath);
      const session = await this.broker.generateSession(requestToken, secret);
      this.#adopt(session);
    }
    await this.#onSessionReady();
    return this.#session!;
  }

  async logout(): Promise<boolean> {
    const had = this.#session !== null;
    removeSessionFile(this.sessionPath);
    this.#session = null;
    this.broker.setAccessToken(null);
    await this.#ticker?.stop();
    this.#ticker = null;
    this.#setSession('none', 'logged out');
    await this.#d.recorder.audit({ type: 'SESSION_LOGOUT', payload: {} });
    return had;
  }

  /** Why orders may not go out now, or null when they may. */
  placementBlocked(): string | null {
    this.#checkExpiry();
    if (this.#sessionState !== 'valid') return this.#sessionDetail;
    const failing = this.#health.pausingFailure();
    return failing ? `${failing.name} check failing: ${failing.detail}` : null;
  }

  /** Run every health check now; the scheduler calls this each minute. Returns a one-line summary. */
  async healthCheck(): Promise<string> {
    const now = this.#d.clock.now();
    this.#checkExpiry();
    this.#health.record('session', this.#sessionState === 'valid', this.#sessionDetail, null);
    if (this.#sessionState === 'valid') {
      const started = performance.now();
      try {
        await this.broker.profile();
        const ms = performance.now() - started;
        const slow = ms > this.#d.config.max_api_latency_ms;
        this.#health.record(
          'api',
          !slow,
          slow
            ? `profile took ${Math.round(ms)} ms (limit ${this.#d.config.max_api_latency_ms})`
            : `profile answered in ${Math.round(ms)} ms`,
          ms,
        );
      } catch (err) {
        if (err instanceof BrokerError) this.#onBrokerError(err, 'health check');
        else this.#health.record('api', false, (err as Error).message, null);
      }
      const connected = this.#tickerState === 'connected';
      this.#health.record(
        'websocket',
        connected,
        connected ? 'connected' : `${this.#tickerState}${this.#tickerDetail ? `: ${this.#tickerDetail}` : ''}`,
        null,
      );
      this.#health.record('ticks', ...this.#ticksVerdict(now));
    } else {
      this.#health.record('api', false, `not checked: ${this.#sessionDetail}`, null);
      this.#health.record('websocket', false, 'not connected: no valid session', null);
      this.#health.record('ticks', true, 'no feed without a session', null);
      if (this.#d.paper) await this.#scheduleRelogin();
    }
    const median = this.desk.medianLatencyMs();
    const slow = median !== null && median > this.#d.config.max_order_latency_ms;
    this.#health.record(
      'order_latency',
      !slow,
      median === null
        ? 'no orders placed yet'
        : `median of the last ${this.desk.latencies.length} placements ${Math.round(median)} ms`,
      median,
    );
    await this.#health.syncAlerts();
    const failing = this.#health.failing();
    // A recovered link catches up on anything the feed missed while it was down.
    if (failing.length === 0) void this.refreshAccount();
    return failing.length === 0 ? 'healthy' : `failing: ${failing.join(', ')}`;
  }

  status() {
    this.#checkExpiry();
    const checks = this.#health.list();
    const blocked = this.placementBlocked();
    let state: 'not_configured' | 'connecting' | 'connected' | 'degraded' | 'disconnected';
    if (this.#d.mode === 'kite' && !this.#apiKey) state = 'not_configured';
    else if (this.#sessionState !== 'valid') state = 'disconnected';
    else if (this.#tickerState === 'connecting' || this.#tickerState === 'idle') state = 'connecting';
    else if (checks.some((c) => !c.ok) || this.#tickerState !== 'connected') state = 'degraded';
    else state = 'connected';
    return {
      state,
      clock: this.clockStatus(),
      detail:
        blocked ??
        (this.#d.paper ? `paper exchange at ${this.#d.paper.restRoot}` : `Kite at ${this.#d.config.rest_root}`),
      session: {
        state: this.#sessionState,
        detail: this.#sessionDetail,
        user_id: this.#session?.user_id ?? null,
        login_time: this.#session?.login_time ?? null,
        expires_at: this.#session?.expires_at ?? null,
      },
      placement: { paused: blocked !== null, reason: blocked },
      checks,
      ticker: {
        state: this.#tickerState,
        detail: this.#tickerDetail,
        subscribed: this.account.watchlist.size,
        lastTickAt: this.#ticker?.lastTickAt ? new Date(this.#ticker.lastTickAt).toISOString() : null,
        reconnects: this.#ticker?.reconnects ?? 0,
      },
      account: {
        lastRefreshAt: this.account.lastRefreshAt?.toISOString() ?? null,
        lastUpdateAt: this.account.lastUpdateAt?.toISOString() ?? null,
        updatesApplied: this.account.counters.applied,
        updatesRefused: this.account.counters.refused,
      },
    };
  }

  /** What `som status` shows of the clock the rules run on. */
  clockStatus(): { source: 'paper' | 'broker' | 'system'; offset_ms: number; observed_at: string | null } {
    const bc = this.#d.brokerClock;
    if (this.#d.paper) return { source: 'paper', offset_ms: 0, observed_at: null };
    if (!bc) return { source: 'system', offset_ms: 0, observed_at: null };
    return { source: 'broker', offset_ms: bc.offsetMs, observed_at: bc.observedAt?.toISOString() ?? null };
  }

  #observeServerDate(date: string | undefined): void {
    const adopted = this.#d.brokerClock?.observe(date);
    if (adopted === null || adopted === undefined) return;
    this.#d.logger.warn('clock.adjusted', {
      offset_ms: adopted,
      note:
        adopted === 0
          ? "back on the host's clock"
          : "the broker's clock differs from the host's: running on the broker's",
    });
  }

  // --- session -------------------------------------------------------------------------

  async #paperLogin(): Promise<void> {
    const paper = this.#d.paper!;
    const res = await fetch(`${paper.restRoot}/connect/login?v=3&api_key=${encodeURIComponent(this.#apiKey)}`, {
      redirect: 'manual',
    });
    const location = res.headers.get('location');
    const requestToken = location ? new URL(location).searchParams.get('request_token') : null;
    if (!requestToken)
      throw new SomError(
        'BROKER_ERROR',
        `the paper exchange's login did not redirect with a request_token (HTTP ${res.status})`,
      );
    const session = await this.broker.generateSession(requestToken, this.#d.paperApiSecret);
    this.#adopt(session);
  }

  #restoreSession(): void {
    let saved: StoredSession | null;
    try {
      saved = readSessionFile(this.sessionPath);
    } catch (err) {
      this.#setSession('none', (err as Error).message);
      return;
    }
    if (!saved || saved.api_key !== this.#apiKey) {
      this.#setSession('none', 'not logged in to Kite: run `som login`');
      this.#raiseLoginAlert('No Kite session: run `som login` to sign in.');
      return;
    }
    this.#session = saved;
    this.broker.setAccessToken(saved.access_token);
    this.#setSession('valid', `logged in as ${saved.user_id}`);
    this.#checkExpiry();
  }

  #adopt(session: BrokerSession): void {
    // Our clock, not the broker's login_time: expiry is judged on this clock, and a broker
    // clock ahead of ours must not make a fresh token look expired (or the reverse).
    const loginTime = this.#d.clock.now();
    const stored: StoredSession = {
      api_key: this.#apiKey,
      user_id: session.user_id,
      user_name: session.user_name,
      access_token: session.access_token,
      login_time: loginTime.toISOString(),
      expires_at: kiteTokenExpiry(loginTime).toISOString(),
    };
    writeSessionFile(this.sessionPath, stored);
    this.#session = stored;
    this.broker.setAccessToken(stored.access_token);
    this.#ticker?.setAccessToken(stored.access_token);
    this.#setSession('valid', `logged in as ${stored.user_id}`);
    this.#d.recorder.auditLater({
      type: 'SESSION_LOGIN',
      payload: {
        user_id: stored.user_id,
        login_time: stored.login_time,
        expires_at: stored.expires_at,
        mode: this.#d.mode,
      },
    });
    this.#d.recorder.resolveLater('session', `logged in as ${stored.user_id}`);
  }

  async #onSessionReady(): Promise<void> {
    try {
      // The catch-up settles intents a crash interrupted, or whose fate was unknown, before anything else is sent.
      await this.#catchUpNow('start');
    } catch (err) {
      this.#d.logger.warn('account.load_failed', { error: (err as Error).message });
    }
    this.#startTicker();
    for (const hook of this.#readyHooks) {
      void hook().catch((err) => this.#d.logger.warn('session.ready_hook_failed', { error: (err as Error).message }));
    }
  }

  #checkExpiry(): void {
    if (this.#sessionState !== 'valid' || !this.#session) return;
    if (this.#d.clock.now().getTime() >= new Date(this.#session.expires_at).getTime()) {
      this.#setSession(
        'expired',
        `the Kite session expired at ${this.#session.expires_at} (tokens die at 06:00 IST): run \`som login\``,
      );
      this.#sessionLost('expired');
    }
  }

  #setSession(state: SessionState, detail: string): void {
    if (this.#sessionState !== state) this.#d.logger.info('session.state', { state, detail });
    this.#sessionState = state;
    this.#sessionDetail = detail;
    this.#health.record('session', state === 'valid', detail, null);
  }

  /** The session ended: record it, stop the feed, and sign in again (paper) or ask the user to. Never rejects. */
  #sessionLost(why: 'expired' | 'invalid'): void {
    this.#d.recorder.auditLater({
      type: why === 'expired' ? 'SESSION_EXPIRED' : 'SESSION_INVALID',
      payload: { detail: this.#sessionDetail },
    });
    const ticker = this.#ticker;
    this.#ticker = null;
    this.#tickerState = 'disconnected';
    this.#tickerDetail = 'no valid session';
    if (!this.#d.paper) this.#raiseLoginAlert(`${this.#sessionDetail}. Order placement is paused until you log in.`);
    (ticker?.stop() ?? Promise.resolve())
      .then(() => (this.#d.paper ? this.#scheduleRelogin() : undefined))
      .catch((err) => this.#d.logger.warn('session.lost_handling_failed', { error: (err as Error).message }));
  }

  /** Paper mode heals a lost session itself: the paper exchange signs anyone in. */
  #scheduleRelogin(): Promise<void> {
    this.#relogin ??= (async () => {
      try {
        await this.#paperLogin();
        await this.#onSessionReady();
      } catch (err) {
        this.#d.logger.warn('session.relogin_failed', { error: (err as Error).message });
      } finally {
        this.#relogin = null;
      }
    })();
    return this.#relogin;
  }

  #raiseLoginAlert(message: string): void {
    this.#d.recorder.raiseLater(
      { type: 'LOGIN_REQUIRED', priority: 'high', title: 'Log in to Kite', message, dedupeKey: 'session' },
      { message },
    );
  }

  // --- feed ----------------------------------------------------------------------------

  /**
   * Stream an instrument in full mode although the account has nothing in it (its depth is
   * wanted for an analysis). Kept until {@link ON_DEMAND_MAX} newer ones push it out.
   */
  streamAlso(token: number): void {
    if (this.#onDemand.has(token)) return;
    this.#onDemand.add(token);
    for (const old of this.#onDemand) {
      if (this.#onDemand.size <= ON_DEMAND_MAX) break;
      this.#onDemand.delete(old);
    }
    this.#subscribe();
  }

  /** The feed is connected: a newly streamed instrument's first tick can be waited for. */
  feedConnected(): boolean {
    return this.#tickerState === 'connected';
  }

  #streamed(): Set<number> {
    return new Set([...this.account.watchlist, ...this.#onDemand]);
  }

  #subscribe(): void {
    const tokens = this.#streamed();
    this.ticks.track(tokens);
    this.#ticker?.setSubscriptions(tokens);
  }

  #startTicker(): void {
    if (this.#stopped || !this.#session) return;
    if (this.#ticker) {
      this.#ticker.setAccessToken(this.#session.access_token);
      return;
    }
    this.#ticker = new BrokerTicker(
      { apiKey: this.#apiKey, accessToken: this.#session.access_token, wsRoot: this.#wsRoot },
      {
        onTicks: (ticks) => {
          this.ticks.apply(ticks);
          // A quiet feed is judged by the health job; the first tick after it clears the check at once.
          if (this.#health.isFailing('ticks')) this.#health.record('ticks', ...this.#ticksVerdict(this.#d.clock.now()));
          for (const listener of this.#tickListeners) listener(ticks);
        },
        onOrderUpdate: (raw) => {
          void this.account
            .applyOrderUpdate(raw)
            .catch((err) => this.#d.logger.warn('order_update.failed', { error: (err as Error).message }));
        },
        onState: (state, detail) => {
          const was = this.#tickerState;
          this.#tickerState = state;
          this.#tickerDetail = detail;
          if (state === was) return;
          this.#d.logger.info('ticker.state', { state, detail });
          if (state === 'connected') {
            this.#health.record('websocket', true, 'connected', null);
            this.#health.record('ticks', ...this.#ticksVerdict(this.#d.clock.now()));
            // Updates sent while the socket was down are not replayed by Kite: catch up over REST.
            if (this.#feedLost) void this.#reconnected();
            this.#feedLost = false;
          } else if (state === 'disconnected') {
            // Reconnecting passes through `connecting`: remember the loss until the feed is back.
            this.#feedLost = true;
            this.#health.record('websocket', false, `disconnected: ${detail}`, null);
          }
        },
      },
    );
    this.#ticker.setSubscriptions(this.#streamed());
    this.#ticker.start();
  }

  #ticksVerdict(now: Date): [boolean, string, number | null] {
    const subscribed = this.account.watchlist.size;
    if (subscribed === 0) return [true, 'nothing subscribed', null];
    if (sessionAt(now, 'NSE').phase === 'closed') return [true, `${subscribed} subscribed; market closed`, null];
    const ticker = this.#ticker;
    if (ticker?.state !== 'connected') return [true, `${subscribed} subscribed; the feed is not connected`, null];
    const last = ticker.lastTickAt;
    const limit = this.#d.config.stale_ticks_seconds * 1000;
    // A connection just opened gets the same allowance as a quiet feed before it counts as silent.
    const quietMs = Date.now() - Math.max(last ?? 0, ticker.connectedAt);
    if (quietMs > limit) {
      return [
        false,
        last === null
          ? `${subscribed} subscribed, no tick in ${Math.round(quietMs / 1000)} s since connecting (limit ${limit / 1000} s)`
          : `no tick for ${Math.round(quietMs / 1000)} s (limit ${limit / 1000} s)`,
        quietMs,
      ];
    }
    return last === null
      ? [true, `${subscribed} subscribed, waiting for the first tick`, null]
      : [true, `last tick ${Math.round(Date.now() - last)} ms ago`, Date.now() - last];
  }

  // --- health --------------------------------------------------------------------------

  /**
   * The safety net, every `broker.refresh_seconds` and after a reconnect: the account re-read
   * over REST, then any order whose fate was unknown settled against the order book. Never rejects.
   */
  async refreshAccount(): Promise<void> {
    if (this.#sessionState !== 'valid' || this.#stopped) return;
    try {
      await this.account.refresh();
    } catch (err) {
      this.#d.logger.warn('account.refresh_failed', { error: (err as Error).message });
    }
  }

  /** The feed is back: catch up on what it missed. Never rejects. */
  async #reconnected(): Promise<void> {
    if (this.#sessionState !== 'valid' || this.#stopped) return;
    try {
      await this.#catchUpNow('reconnect');
    } catch (err) {
      this.#d.logger.warn('account.catch_up_failed', { error: (err as Error).message });
    }
  }

  #onBrokerError(err: BrokerError, during: string): void {
    // A request sent with a token a new login has since replaced says nothing of the session in use.
    if (err.kind === 'token' && err.data?.stale_token === true) return;
    if (err.kind === 'token') {
      if (this.#sessionState === 'valid') {
        this.#setSession('invalid', `Kite refused the session (${err.message}): run \`som login\``);
        this.#sessionLost('invalid');
      }
      return;
    }
    if (isServerUnavailable(err)) this.#health.record('api', false, `${during}: ${err.message}`, null);
  }
}
