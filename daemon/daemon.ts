import { chmodSync, mkdirSync } from 'node:fs';
import { BrokerClock } from '../src/broker/broker-clock.js';
import { type LoadedConfig, loadConfig } from '../src/config/load.js';
import type { Paths } from '../src/config/paths.js';
import { configuredMode } from '../src/config/schema.js';
import type { NewAuditEvent } from '../src/domain/audit.js';
import { DEFAULT_STRATEGY } from '../src/domain/strategy.js';
import { isExchange, isProduct } from '../src/domain/values.js';
import { type Clock, systemClock } from '../src/market/clock.js';
import { PaperExchange } from '../src/paper/exchange.js';
import { SomError } from '../src/protocol/errors.js';
import type { BrokerMode } from '../src/protocol/methods/system.js';
import { openStore, type Store } from '../src/store/database.js';
import { ensureDefaultStrategy } from '../src/store/strategies.js';
import { within } from '../src/util/within.js';
import { VERSION } from '../src/version.js';
import { CancelService } from './account/cancel-service.js';
import { Reconciler } from './account/reconciler.js';
import { AlertFeed } from './alerts/alert-feed.js';
import { AlertHook } from './alerts/alert-hook.js';
import { AuditRetention } from './books/audit-retention.js';
import { EndOfDay } from './books/end-of-day.js';
import { BrokerLink } from './broker-link.js';
import type { DaemonContext } from './context.js';
import { dispatchLine, errorLine } from './dispatch.js';
import { EventHub } from './events/event-hub.js';
import { Analyst } from './execution/analyst.js';
import { BracketKeeper } from './execution/bracket-keeper.js';
import { DepthSource } from './execution/depth-source.js';
import { ExecutionDesk } from './execution/execution-desk.js';
import { Housekeeper } from './housekeeping/housekeeper.js';
import { acquireInstanceLock, claimSocketPath, type InstanceLock } from './instance-lock.js';
import { booksJobs } from './jobs/books.js';
import { healthJob } from './jobs/health.js';
import { housekeepingJobs } from './jobs/housekeeping.js';
import { instrumentsJob, refreshInstruments } from './jobs/instruments.js';
import { riskJobs } from './jobs/risk.js';
import { Logger, stderrIsJournal } from './logger.js';
import { HANDLERS } from './methods/index.js';
import { Recorder } from './recorder.js';
import { MisSquareOff } from './risk/mis-square-off.js';
import type { RiskParts } from './risk/parts.js';
import { PnlSnapshots } from './risk/pnl-snapshots.js';
import { RiskMonitor } from './risk/risk-monitor.js';
import { SquareOffEngine } from './risk/square-off-engine.js';
import { Scheduler } from './scheduler.js';
import { SocketServer } from './socket-server.js';

export interface DaemonOptions {
  paths: Paths;
  /** `--paper`: use the paper exchange whatever the configuration says. */
  forcePaper: boolean;
  /** Command-line overrides of the configured log settings. */
  logLevel?: Logger['level'] | undefined;
  logFormat?: Logger['format'] | undefined;
  clock?: Clock;
}

/** Requests in flight get this long to finish at shutdown (the whole stop stays under 5 s). */
const DRAIN_MS = 3_000;
/** Audit and alert writes still queued get this long at shutdown; any left are logged whole. */
const RECORDER_DRAIN_MS = 1_000;

/**
 * A running somd: configuration, store, socket. Start-up is all-or-nothing: a failure at
 * any step undoes the earlier ones (lock released, store closed) before the error surfaces.
 */
export class Daemon {
  readonly logger: Logger;
  readonly #options: DaemonOptions;
  #loaded: LoadedConfig & { loadedAt: Date };
  #store: Store | null = null;
  #lock: InstanceLock | null = null;
  #server: SocketServer | null = null;
  #paper: PaperExchange | null = null;
  #link: BrokerLink | null = null;
  #scheduler: Scheduler | null = null;
  #housekeeper: Housekeeper | null = null;
  #execution: ExecutionDesk | null = null;
  #recorder: Recorder | null = null;
  #events: EventHub | null = null;
  #alertFeed: AlertFeed | null = null;
  #alertHook: AlertHook | null = null;
  #risk: RiskParts | null = null;
  #requestsServed = 0;
  #stopping: Promise<void> | null = null;
  #draining = false;

  private constructor(options: DaemonOptions, loaded: LoadedConfig, logger: Logger) {
    this.#options = options;
    this.#loaded = { ...loaded, loadedAt: new Date() };
    this.logger = logger;
  }

  /** Load config (CONFIG_INVALID on any problem), then bring the daemon up. */
  static async start(options: DaemonOptions): Promise<Daemon> {
    const loaded = loadConfig(options.paths.configPath, options.paths.configExplicit);
    const logger = new Logger(
      options.logLevel ?? loaded.config.daemon.log_level,
      options.logFormat ?? loaded.config.daemon.log_format,
      undefined,
      stderrIsJournal(),
    );
    const daemon = new Daemon(options, loaded, logger);
    try {
      await daemon.#bringUp();
    } catch (err) {
      await daemon.#tearDown();
      throw err;
    }
    return daemon;
  }

  get mode(): BrokerMode {
    return this.#options.forcePaper ? 'paper' : configuredMode(this.#loaded.config);
  }

  async #bringUp(): Promise<void> {
    const { paths } = this.#options;
    mkdirSync(paths.home, { recursive: true, mode: 0o700 });
    chmodSync(paths.home, 0o700);
    this.#lock = acquireInstanceLock(paths.lockPath, paths.home);
    await claimSocketPath(paths.socketPath);
    this.#store = await openStore(paths.databasePath);
    if (this.mode === 'paper') this.#paper = await this.#startPaper();
    // In paper mode every rule runs on the paper market's time; against Kite, on the broker's.
    const brokerClock =
      !this.#paper && !this.#options.clock && this.#loaded.config.broker.clock === 'broker' ? new BrokerClock() : null;
    const clock = this.#paper?.clock ?? this.#options.clock ?? brokerClock ?? systemClock;
    // Uptime is the process's, on the wall clock; events carry the (possibly paper) clock's time.
    const startedAt = new Date();
    const store = this.#store;
    const recorder = new Recorder({ store, clock, logger: this.logger });
    this.#recorder = recorder;
    const audit = (event: NewAuditEvent) => recorder.audit(event);
    const created = await ensureDefaultStrategy(store.db, clock.now());
    if (created)
      await audit({
        type: 'STRATEGY_CREATED',
        strategyId: created.id,
        payload: { name: DEFAULT_STRATEGY, profile: 'default' },
      });

    const brokerConfig = this.#loaded.config.broker;
    // The order desk analyses every order it sends; the analyst reads the link's feed, so it comes after.
    let analyst: Analyst | null = null;
    const link = new BrokerLink({
      mode: this.mode,
      config: brokerConfig,
      home: paths.home,
      store,
      clock,
      brokerClock,
      logger: this.logger,
      paper: this.#paper,
      paperApiSecret: this.#loaded.config.paper.api_secret,
      chargeSchedules: () => this.#loaded.config.costs.schedules,
      recorder,
      analyseOrder: (strategyId, request, known) =>
        analyst?.forOrder(strategyId, request, known) ?? Promise.resolve(null),
    });
    this.#link = link;
    const scheduler = new Scheduler(clock, this.logger);
    this.#scheduler = scheduler;
    const events = new EventHub({ store, clock, logger: this.logger, ticks: link.ticks });
    this.#events = events;
    await events.start();
    scheduler.onRunDone((run) => events.jobDone(run));
    const alertHook = new AlertHook({ config: () => this.#loaded.config.alerts, logger: this.logger });
    this.#alertHook = alertHook;
    const alertFeed = new AlertFeed({
      store,
      logger: this.logger,
      onChange: (change, alert) => {
        events.alertChanged(change, alert);
        if (change === 'raised') alertHook.run(alert);
      },
    });
    this.#alertFeed = alertFeed;
    await alertFeed.start();
    const jobDeps = { store, link, mode: this.mode, audit };
    scheduler.add(healthJob(jobDeps, brokerConfig.health_schedule));
    scheduler.add(instrumentsJob(jobDeps, brokerConfig.instruments_schedule));
    link.onSessionReady(() => refreshInstruments(jobDeps, clock.now(), false));
    // A cancel needs only a session: it is tried even while the feed is down.
    const cancels = new CancelService({
      store,
      broker: link.broker,
      brokerBlocked: () => (link.sessionReady() ? null : link.status().session.detail),
    });
    const risk = this.#startRisk(store, clock, recorder, link, cancels);
    const housekeeper = new Housekeeper({
      store,
      clock,
      logger: this.logger,
      afterPass: (pass) => events.housekeepingDone(pass),
      lastPrice: (token) => link.ticks.lastPrice(token),
      cancels,
      squareOffHolds: (order) => risk.engine.holds(order),
      placeMarket: async (strategyId, o) => {
        // The instrument's words come from the broker's own rows: anything else is refused, not cast.
        if (!isExchange(o.exchange) || !isProduct(o.product)) {
          throw new SomError('INVALID_INPUT', `cannot place an order on ${o.exchange} ${o.product}`);
        }
        const placed = await link.desk.place(
          strategyId,
          {
            variety: 'regular',
            exchange: o.exchange,
            tradingsymbol: o.tradingsymbol,
            transaction_type: o.side,
            order_type: 'MARKET',
            product: o.product,
            quantity: o.quantity,
            validity: 'DAY',
            market_protection: -1,
            // Flattening the unwanted position an overfill opened: an exit, never refused by the risk gate.
          },
          { exit: true },
        );
        return placed.orderId;
      },
    });
    const execution = this.#startExecution(store, clock, recorder, link, housekeeper);
    analyst = execution.analyst;
    link.account.listen({
      onOrderChanged: (order, isNew) => {
        housekeeper.onOrderChanged(order, isNew);
        execution.desk.onOrderChanged(order, isNew);
        risk.monitor.onOrderChanged(order);
        risk.engine.onOrderChanged(order);
        if (order.filled_quantity > 0) risk.snapshots.onFill();
      },
      onPositionsChanged: (scopes) => {
        housekeeper.onPositionsChanged(scopes);
        risk.monitor.onPositionsChanged(scopes);
        risk.engine.onPositionsChanged(scopes);
      },
    });
    link.account.listen({
      onOrderChanged: (order) => events.orderChanged(order.order_id),
      onPositionsChanged: () => events.positionsChanged(),
    });
    this.#housekeeper = housekeeper;
    for (const job of housekeepingJobs(housekeeper, this.#loaded.config.housekeeping)) scheduler.add(job);
    const reconciler = new Reconciler({
      store,
      clock,
      logger: this.logger,
      broker: link.broker,
      account: link.account,
      settleFates: (orders) => link.desk.settleFates(orders),
      config: () => this.#loaded.config.reconcile,
      brokerBlocked: () => (link.sessionReady() ? null : link.status().session.detail),
    });
    // A session ready or the feed back: a reconciliation round brings the account up to date.
    link.setCatchUp(async (why) => {
      try {
        await reconciler.round(why);
      } catch (err) {
        this.logger.warn('reconcile.catch_up_failed', { why, error: (err as Error).message });
        await link.account.refresh();
      }
    });
    const eod = new EndOfDay({
      store,
      clock,
      logger: this.logger,
      home: paths.home,
      reconciler,
      housekeeper,
      runOwed: (now, except) => scheduler.runOwed(now, except),
    });
    const retention = new AuditRetention({ store, clock, home: paths.home, config: () => this.#loaded.config.audit });
    for (const job of booksJobs({ reconciler, eod, retention }, this.#loaded.config)) scheduler.add(job);
    for (const job of riskJobs(risk, this.#loaded.config)) scheduler.add(job);
    const ctx = this.#context(
      store,
      clock,
      startedAt,
      recorder,
      link,
      scheduler,
      housekeeper,
      execution.desk,
      events,
      { reconciler, eod },
      risk,
    );

    const tooLarge = errorLine(null, 'INVALID_REQUEST', 'request line exceeds 1 MiB; it was skipped');
    this.#server = new SocketServer(
      paths.socketPath,
      async (line, client) => {
        if (!this.#draining) this.#requestsServed++;
        return dispatchLine(line, HANDLERS, ctx, this.#draining, client);
      },
      tooLarge,
      this.logger,
    );
    await this.#server.listen();
    await ctx.audit({ type: 'DAEMON_STARTED', payload: { version: VERSION, mode: this.mode, pid: process.pid } });
    scheduler.start();
    execution.desk.start();
    // The broker may be slow or down: somd serves (and reports it in status) meanwhile.
    void link.start().catch((err) => this.logger.error('broker.start_failed', { error: (err as Error).message }));
    if (this.#paper) {
      this.logger.info('paper.started', {
        rest: this.#paper.restRoot,
        ws: this.#paper.wsRoot,
        now: this.#paper.clock.now().toISOString(),
      });
    }
    this.logger.info('somd.started', {
      version: VERSION,
      pid: process.pid,
      mode: this.mode,
      socket: paths.socketPath,
      home: paths.home,
      config: this.#loaded.path ?? '(defaults)',
    });
  }

  /** Smart execution: the depth source, the analyst, the bracket keeper and the execution desk. */
  #startExecution(store: Store, clock: Clock, recorder: Recorder, link: BrokerLink, housekeeper: Housekeeper) {
    const config = () => this.#loaded.config.execution;
    const depth = new DepthSource({
      clock,
      tick: (token) => link.ticks.get(token),
      streamAlso: (token) => link.streamAlso(token),
      feedConnected: () => link.feedConnected(),
      quote: (keys) => link.broker.quote(keys),
    });
    const analyst = new Analyst({ store, clock, logger: this.logger, depth, config });
    const keeper = new BracketKeeper({
      store,
      clock,
      logger: this.logger,
      place: (strategyId, request, options) => link.desk.place(strategyId, request, options),
      modify: (orderId, changes, options) => link.desk.modify(orderId, changes, options),
      linked: (scope) => housekeeper.onPositionsChanged([scope]),
    });
    const desk = new ExecutionDesk({
      store,
      clock,
      logger: this.logger,
      recorder,
      analyst,
      keeper,
      place: (strategyId, request, options) => link.desk.place(strategyId, request, options),
      placementBlocked: () => link.placementBlocked(),
      config,
    });
    this.#execution = desk;
    return { analyst, desk };
  }

  /**
   * The risk engine: the monitor (fed by ticks, fills and order updates; the order desk's
   * pre-trade gate), the square-off engine (planning once the account has been read after each
   * login), the MIS timetable and the P&L snapshots.
   */
  #startRisk(store: Store, clock: Clock, recorder: Recorder, link: BrokerLink, cancels: CancelService): RiskParts {
    const config = () => this.#loaded.config;
    const engine = new SquareOffEngine({
      store,
      clock,
      logger: this.logger,
      desk: link.desk,
      cancels,
      ticks: link.ticks,
      config: () => config().risk,
    });
    const monitor = new RiskMonitor({
      store,
      clock,
      logger: this.logger,
      recorder,
      broker: link.broker,
      ticks: link.ticks,
      config: () => config().risk,
      engine,
      cancels,
      brokerReady: () => link.sessionReady(),
    });
    const snapshots = new PnlSnapshots({
      store,
      clock,
      logger: this.logger,
      monitor,
      ticks: link.ticks,
      broker: link.broker,
      brokerReady: () => link.sessionReady(),
      config: () => config().pnl,
    });
    const mis = new MisSquareOff({ store, clock, logger: this.logger, monitor, engine, config: () => config().risk });
    link.desk.useGate((strategyId, request, options) => monitor.gate(strategyId, request, options));
    link.onTicks((ticks) => monitor.onTicks(ticks));
    link.onSessionReady(() => engine.activate());
    void monitor.start().catch((err) => this.logger.error('risk.start_failed', { error: (err as Error).message }));
    this.#risk = { monitor, engine, mis, snapshots };
    return this.#risk;
  }

  async #startPaper(): Promise<PaperExchange> {
    const p = this.#loaded.config.paper;
    return PaperExchange.start({
      seed: p.seed,
      clock: p.clock === 'auto' || p.clock === 'real' ? p.clock : new Date(p.clock),
      speed: p.speed,
      port: p.port,
      apiSecret: p.api_secret,
      openingBalance: p.opening_balance,
      tickIntervalMs: p.tick_interval_ms,
      chargeSchedules: this.#loaded.config.costs.schedules,
    });
  }

  #context(
    store: Store,
    clock: Clock,
    startedAt: Date,
    recorder: Recorder,
    link: BrokerLink,
    scheduler: Scheduler,
    housekeeper: Housekeeper,
    execution: ExecutionDesk,
    events: EventHub,
    books: { reconciler: Reconciler; eod: EndOfDay },
    risk: RiskParts,
  ): DaemonContext {
    return {
      ...books,
      recorder,
      link,
      housekeeper,
      execution,
      risk,
      scheduler,
      store,
      clock,
      logger: this.logger,
      paths: this.#options.paths,
      mode: this.mode,
      startedAt,
      config: () => this.#loaded,
      audit: (event: NewAuditEvent) => recorder.audit(event),
      stats: () => ({ connections: this.#server?.connections ?? 0, requestsServed: this.#requestsServed }),
      paper: this.#paper,
      events,
    };
  }

  /**
   * SIGHUP: read the configuration again. A bad file is logged and the running configuration
   * kept; the broker mode cannot change without a restart (open orders belong to one broker).
   */
  async reload(): Promise<void> {
    try {
      const next = loadConfig(this.#options.paths.configPath, this.#options.paths.configExplicit);
      const before = this.mode;
      const nextMode = this.#options.forcePaper ? 'paper' : configuredMode(next.config);
      if (nextMode !== before) {
        this.logger.warn('config.mode_change_ignored', {
          running: before,
          configured: nextMode,
          note: 'restart somd to switch',
        });
      }
      this.#loaded = { ...next, config: { ...next.config, broker: this.#loaded.config.broker }, loadedAt: new Date() };
      this.logger.level = this.#options.logLevel ?? next.config.daemon.log_level;
      this.logger.format = this.#options.logFormat ?? next.config.daemon.log_format;
      await this.#recorder?.audit({ type: 'CONFIG_RELOADED', payload: { path: next.path } }).catch(() => undefined);
      this.logger.info('config.reloaded', { path: next.path ?? '(defaults)' });
    } catch (err) {
      const message = err instanceof SomError ? err.message : String(err);
      this.logger.error('config.reload_failed', { error: message, note: 'keeping the running configuration' });
    }
  }

  /** The stop ran out of time: audit events and alerts not yet written are logged whole instead. */
  abandonWrites(): void {
    this.#recorder?.abandon('not written: somd had to stop at once');
  }

  /** Stop accepting, drain requests in flight, record the stop, close the store, remove the socket. */
  stop(reason: string): Promise<void> {
    this.#stopping ??= (async () => {
      this.logger.info('somd.stopping', { reason });
      this.#draining = true;
      // Jobs get the drain's time to finish, in parallel, so the whole stop stays under 5 s.
      await Promise.all([this.#server?.close(DRAIN_MS), this.#scheduler?.stop()]);
      this.#server = null;
      // A lost write is reported by the recorder itself; the stop goes on.
      await this.#recorder?.audit({ type: 'DAEMON_STOPPED', payload: { reason } }).catch(() => undefined);
      await this.#tearDown();
      this.logger.info('somd.stopped', { reason });
    })();
    return this.#stopping;
  }

  async #tearDown(): Promise<void> {
    await this.#server?.close(0);
    this.#server = null;
    await this.#scheduler?.stop();
    this.#scheduler = null;
    this.#execution?.stop();
    this.#execution = null;
    this.#events?.stop();
    this.#events = null;
    this.#alertFeed?.stop();
    this.#alertFeed = null;
    this.#alertHook?.stop();
    this.#alertHook = null;
    this.#housekeeper?.stop();
    this.#housekeeper = null;
    this.#risk?.monitor.stop();
    this.#risk?.engine.stop();
    this.#risk?.snapshots.stop();
    this.#risk = null;
    await this.#link?.stop();
    this.#link = null;
    await this.#paper?.close();
    this.#paper = null;
    // Every audit event and alert asked for is written before the store closes, or logged whole.
    if (this.#recorder && !(await within(this.#recorder.idle(), RECORDER_DRAIN_MS)).done) {
      this.#recorder.abandon('not written: somd stopped before the database took it');
    }
    this.#recorder = null;
    await this.#store?.close();
    this.#store = null;
    this.#lock?.release();
    this.#lock = null;
  }
}
