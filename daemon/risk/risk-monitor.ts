import type { Broker } from '../../src/broker/broker.js';
import type { TickCache } from '../../src/broker/tick-cache.js';
import type { LiveTick } from '../../src/broker/ticker.js';
import type { RiskConfig } from '../../src/config/risk.js';
import { fundSegmentOf } from '../../src/costs/margin-check.js';
import type { BrokerOrder } from '../../src/domain/order.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate, istDayStart } from '../../src/market/ist.js';
import { SomError } from '../../src/protocol/errors.js';
import { type AssessInput, assessRisk, riskStatusOf, type StrategyAssessInput } from '../../src/risk/assess.js';
import { type BookPnl, type BookPosition, RiskBook } from '../../src/risk/book.js';
import { bookPositions } from '../../src/risk/book-positions.js';
import { type GateRequest, gate, refusalError } from '../../src/risk/gate.js';
import {
  type AccountRiskFacts,
  evaluateAccountLimits,
  evaluateStrategyLimits,
  type StrategyRiskFacts,
} from '../../src/risk/limits.js';
import { accountUtilisationPct, type SegmentUse, segmentUse, utilisationPct } from '../../src/risk/margin-use.js';
import { countOrders } from '../../src/risk/order-rate.js';
import { initialRiskState, type RiskState, tradingDayOf, transition } from '../../src/risk/trading-state.js';
import type { LimitStatus } from '../../src/risk/types.js';
import type { Store } from '../../src/store/database.js';
import { loadShares } from '../../src/store/position-shares.js';
import {
  intentTimes,
  loadRiskStates,
  type ManualStateChange,
  recordMarginBlocked,
  riskScope,
  type SquareOffStart,
  workingEntries,
  writeManualStates,
  writeRiskActions,
  writeRiskRecord,
} from '../../src/store/risk.js';
import {
  chargesByStrategy,
  loadRiskStrategies,
  loadSharesForPnl,
  type RiskStrategy,
} from '../../src/store/risk-book.js';
import type { FirstExitPlanner } from '../../src/store/square-off.js';
import { SerialQueue } from '../../src/util/serial-queue.js';
import type { CancelService } from '../account/cancel-service.js';
import type { Logger } from '../logger.js';
import type { Recorder } from '../recorder.js';
import type { ArmTarget, SquareOffEngine } from './square-off-engine.js';

export interface RiskMonitorDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  recorder: Recorder;
  broker: Pick<Broker, 'margins' | 'basketMargins'>;
  ticks: TickCache;
  /** `[risk]` as configured now (SIGHUP may change it). */
  config(): RiskConfig;
  engine: SquareOffEngine;
  cancels: CancelService;
  /** True while the broker may be asked (a valid session). */
  brokerReady(): boolean;
}

/** A fill's follow-ups (the instrument's shares, charges, margin) wait this long to take a burst as one. */
const SETTLE_MS = 20;
/** The margin strategies block is asked of the broker at most this often after fills. */
const MARGIN_REFRESH_MS = 500;

interface ScopeMemory {
  state: RiskState;
  limits: LimitStatus[];
  margin_basis: number;
  margin_basis_day: string | null;
}

/** One scope as `som risk` and `som status` show it. */
export interface ScopeView {
  strategy_id: number | null;
  strategy: string | null;
  state: RiskState;
  limits: LimitStatus[];
  pnl: BookPnl;
  risk_status: string;
}

export interface HaltResult {
  /** null: the account. */
  strategy_id: number | null;
  state: RiskState;
  cancelled: string[];
  square_off_runs: number[];
}

export interface ResumeResult {
  resumed: { strategy_id: number | null; state: RiskState }[];
  refused: { strategy_id: number | null; reason: string }[];
}

/**
 * The real-time risk monitor. It keeps the risk book (src/risk/book.ts): every strategy's
 * positions (its shares) valued tick by tick, O(holders of the instrument) a tick, and
 * evaluates the limits fully only when something moved: a tick that changed a loss level, a
 * fill or order update (the instrument's shares read again), a change of margin, and the minute
 * check. Each evaluation is one call to the rules (`assessRisk`), its decisions are held in
 * memory at once (the pre-trade gate sees a halt before anything is written), then written in
 * one transaction and carried out: square-offs handed to the engine, entries cancelled.
 */
export class RiskMonitor {
  readonly #d: RiskMonitorDeps;
  readonly #queue = new SerialQueue();
  #book: RiskBook;
  #strategies = new Map<number, RiskStrategy>();
  readonly #states = new Map<string, ScopeMemory>();
  /** New orders som sent today (epoch ms on the clock), by strategy. */
  #sends: { strategy_id: number; ms: number }[] = [];
  #funds: { equity: SegmentUse | null; commodity: SegmentUse | null } | null = null;
  #charges = new Map<number, number>();
  /** What each strategy blocks now (the basket of its positions), rupees. */
  readonly #blocked = new Map<number, number>();
  #day: string | null = null;
  #loaded: Promise<void> | null = null;
  #started: Promise<void> | null = null;
  readonly #dirty = new Set<string>();
  #dirtyTimer: NodeJS.Timeout | null = null;
  readonly #marginDue = new Set<number>();
  #marginTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(deps: RiskMonitorDeps) {
    this.#d = deps;
    this.#book = this.#newBook();
  }

  /**
   * Load everything and evaluate once; later calls wait for that first evaluation only. (Every
   * caller, `som status` and each order's gate among them, awaits this: evaluating again here
   * wrote every scope's record to disk on each of them.) A start that failed is tried again.
   */
  start(): Promise<void> {
    this.#loaded ??= this.#queue.run(() => this.#reloadAll());
    this.#started ??= this.#loaded
      .then(() => this.#queue.run(() => this.#evaluate(null, true)))
      .catch((err: unknown) => {
        this.#loaded = null;
        this.#started = null;
        throw err;
      });
    return this.#started;
  }

  /** A strategy's settings changed: its limits apply from the next order, not the next minute check. */
  async settingsChanged(): Promise<void> {
    await this.start();
    await this.#queue.run(async () => {
      this.#strategies = new Map((await loadRiskStrategies(this.#d.store.db)).map((s) => [s.id, s]));
      this.#arm();
      await this.#evaluate(null, true);
    });
  }

  stop(): void {
    this.#stopped = true;
    if (this.#dirtyTimer) clearTimeout(this.#dirtyTimer);
    if (this.#marginTimer) clearTimeout(this.#marginTimer);
  }

  /** Wait for queued work (tests, the minute check). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** A batch of ticks: move the book; evaluate only the scopes whose loss level moved. */
  onTicks(ticks: readonly LiveTick[]): void {
    if (this.#stopped || !this.#loaded) return;
    let strategies: number[] | null = null;
    let account = false;
    for (const t of ticks) {
      const changes = this.#book.tick(t.instrument_token, t.last_price);
      for (const c of changes) {
        if (c.strategy_id === null) account = true;
        else {
          strategies ??= [];
          if (!strategies.includes(c.strategy_id)) strategies.push(c.strategy_id);
        }
      }
    }
    if (strategies || account) {
      const ids = strategies ?? [];
      this.#queue
        .run(() => this.#evaluate(ids, account))
        .catch((err) => this.#d.logger.warn('risk.evaluate_failed', { error: (err as Error).message }));
    }
  }

  /** An order changed (a fill among others): read its instrument's shares again, then evaluate. */
  onOrderChanged(order: BrokerOrder): void {
    this.#markDirty(order.exchange, order.tradingsymbol);
  }

  /** The broker's positions or the shares changed in these instruments. */
  onPositionsChanged(scopes: readonly { exchange: string; tradingsymbol: string }[]): void {
    for (const s of scopes) this.#markDirty(s.exchange, s.tradingsymbol);
  }

  /** The minute check: settings, charges, margin and every share read again; every scope evaluated. */
  async check(): Promise<string> {
    await this.#refreshFunds();
    await this.#queue.run(async () => {
      await this.#reloadAll();
      await this.#evaluate(null, true);
    });
    const halted = [...this.#states.values()].filter((s) => s.state.state !== 'ACTIVE').length;
    return `${this.#strategies.size} strategies evaluated, ${halted} not ACTIVE`;
  }

  /** The pre-trade gate (src/risk/gate.ts) for the order desk: resolves to send, rejects with RISK_BLOCKED. */
  async gate(strategyId: number, request: GateRequest, options: { exit: boolean }): Promise<void> {
    const now = this.#d.clock.now();
    if (options.exit || request.action === 'cancel') {
      if (request.action === 'place') this.#sends.push({ strategy_id: strategyId, ms: now.getTime() });
      return;
    }
    await this.start();
    let strategy = this.#strategies.get(strategyId);
    if (!strategy) {
      // A strategy created since the last load.
      await this.#queue.run(async () => {
        this.#strategies = new Map((await loadRiskStrategies(this.#d.store.db)).map((s) => [s.id, s]));
      });
      strategy = this.#strategies.get(strategyId);
    }
    if (!strategy) throw new SomError('NOT_FOUND', `no strategy ${strategyId}`);
    const day = tradingDayOf(now);
    const shares = await loadShares(this.#d.store.db, {
      exchange: request.exchange,
      tradingsymbol: request.tradingsymbol,
    });
    // The limits on the live book: a loss past its limit refuses even before the monitor has moved the state.
    const warn = this.#d.config().warn_pct;
    const input = {
      request,
      strategy: {
        state: this.#effective(strategyId, day, now).state,
        limits: evaluateStrategyLimits(this.#strategyFacts(strategy, now.getTime()), warn),
        settings: strategy.settings,
      },
      account: {
        state: this.#effective(null, day, now).state,
        limits: evaluateAccountLimits(this.#accountFacts(now.getTime()), warn),
        limits_config: this.#accountLimits(),
      },
      positions: shares.filter((s) => s.strategy_id === strategyId),
      counts: this.#counts(strategyId, now.getTime()),
      margin_utilization_after_pct: null as number | null,
    };
    let decision = gate(input);
    if (decision.allow && decision.effect !== null && decision.effect !== 'reduce' && request.action === 'place') {
      const after = await this.#utilisationAfter(request);
      if (after !== null) decision = gate({ ...input, margin_utilization_after_pct: after });
    }
    if (!decision.allow) {
      const error = refusalError(decision);
      await this.#d.recorder
        .audit({
          type: 'RISK_ORDER_REFUSED',
          strategyId,
          payload: { request, reason: decision.reason, message: decision.message, ...decision.data },
        })
        .catch(() => undefined);
      this.#d.logger.info('risk.refused', { strategy: strategy.name, reason: decision.reason });
      throw new SomError(error.code, error.message, error.data);
    }
    if (request.action === 'place') this.#sends.push({ strategy_id: strategyId, ms: now.getTime() });
  }

  /** `som halt`: HALTED, working entries cancelled, and with `flatten` a square-off. */
  async halt(options: { strategyId: number | null; flatten: boolean; note: string | null }): Promise<HaltResult> {
    await this.start();
    const result = await this.#queue.run(async () => {
      const now = this.#d.clock.now();
      const day = tradingDayOf(now);
      const current = this.#memory(options.strategyId, day, now);
      const t = transition(current.state, { kind: 'halt', note: options.note }, day, now);
      if (!t.ok) throw new SomError('FAILED', t.message);
      current.state = t.next;
      const targets = options.strategyId === null ? [...this.#strategies.keys()] : [options.strategyId];
      const holding = new Set(
        (await loadShares(this.#d.store.db)).filter((s) => s.quantity !== 0).map((s) => s.strategy_id),
      );
      const escalateAt = new Date(now.getTime() + this.#d.config().square_off_deadline_seconds * 1000);
      const squareOffs: SquareOffStart[] = options.flatten
        ? targets
            .filter((id) => holding.has(id))
            .map((id) => ({
              strategy_id: id,
              cause: 'kill_switch',
              products: null,
              exchanges: null,
              escalate_at: escalateAt,
            }))
        : [];
      const change: ManualStateChange = {
        strategy_id: options.strategyId,
        next: t.next,
        status: riskStatusOf(t.next, current.limits),
        type: 'RISK_HALTED',
        payload: { note: options.note, flatten: options.flatten },
      };
      const runs = await writeManualStates(this.#d.store.db, [change], squareOffs, now);
      return { targets, runs: [...runs.values()], state: t.next };
    });
    await this.#d.engine.kick(result.runs);
    const cancelled = await this.#cancelEntries(result.targets, 'halted by hand');
    this.#d.logger.info('risk.halted', { scope: riskScope(options.strategyId), flatten: options.flatten });
    return { strategy_id: options.strategyId, state: result.state, cancelled, square_off_runs: result.runs };
  }

  /**
   * `som resume`: the scope back to ACTIVE. A halt caused by a loss limit lifts only with
   * `force` on its own trading day (listed as refused otherwise). `all`: the account and every
   * strategy that is not ACTIVE.
   */
  async resume(options: { strategyId: number | null; all: boolean; force: boolean }): Promise<ResumeResult> {
    await this.start();
    return this.#queue.run(async () => {
      const now = this.#d.clock.now();
      const day = tradingDayOf(now);
      const scopes: (number | null)[] =
        options.strategyId !== null
          ? [options.strategyId]
          : options.all
            ? [
                null,
                ...[...this.#strategies.keys()].filter((id) => this.#memory(id, day, now).state.state !== 'ACTIVE'),
              ]
            : [null];
      const changes: ManualStateChange[] = [];
      const out: ResumeResult = { resumed: [], refused: [] };
      for (const id of scopes) {
        const current = this.#memory(id, day, now);
        const t = transition(current.state, { kind: 'resume', force: options.force, limits: current.limits }, day, now);
        if (!t.ok) {
          out.refused.push({ strategy_id: id, reason: t.message });
          continue;
        }
        current.state = t.next;
        changes.push({
          strategy_id: id,
          next: t.next,
          status: riskStatusOf(t.next, current.limits),
          type: 'RISK_RESUMED',
          payload: { force: options.force, acknowledged: t.next.acknowledged },
        });
        out.resumed.push({ strategy_id: id, state: t.next });
      }
      await writeManualStates(this.#d.store.db, changes, [], now);
      return out;
    });
  }

  /** Every scope now: state, limits evaluated on the live book, P&L (for `som risk` and `som status`). */
  async view(): Promise<{ account: ScopeView; strategies: ScopeView[] }> {
    await this.start();
    const now = this.#d.clock.now();
    const day = tradingDayOf(now);
    const warn = this.#d.config().warn_pct;
    const account: ScopeView = {
      strategy_id: null,
      strategy: null,
      state: this.#effective(null, day, now).state,
      limits: evaluateAccountLimits(this.#accountFacts(now.getTime()), warn),
      pnl: this.#book.accountPnl(),
      risk_status: '',
    };
    account.risk_status = riskStatusOf(account.state, account.limits);
    const strategies = [...this.#strategies.values()].map((s): ScopeView => {
      const state = this.#effective(s.id, day, now).state;
      const limits = evaluateStrategyLimits(this.#strategyFacts(s, now.getTime()), warn);
      return {
        strategy_id: s.id,
        strategy: s.name,
        state,
        limits,
        pnl: this.#book.strategyPnl(s.id) ?? {
          realised: 0,
          unrealised: 0,
          charges: this.#charges.get(s.id) ?? 0,
          net: 0,
        },
        risk_status: riskStatusOf(state, limits),
      };
    });
    return { account, strategies };
  }

  /** A strategy's positions in the book (its shares, valued at the last price), or every strategy's. */
  positions(strategyId: number | null): BookPosition[] {
    if (strategyId !== null) return this.#book.positions(strategyId);
    return [...this.#strategies.keys()].flatMap((id) => this.#book.positions(id));
  }

  /** A strategy's P&L now (null: the account's). */
  pnl(strategyId: number | null): BookPnl {
    if (strategyId === null) return this.#book.accountPnl();
    return (
      this.#book.strategyPnl(strategyId) ?? {
        realised: 0,
        unrealised: 0,
        charges: this.#charges.get(strategyId) ?? 0,
        net: 0,
      }
    );
  }

  /** Margin a strategy blocks now (null: the account's, every strategy's together), or null while unknown. */
  marginBlocked(strategyId: number | null): number | null {
    if (strategyId !== null) return this.#blocked.get(strategyId) ?? null;
    if (this.#blocked.size === 0) return null;
    let total = 0;
    for (const v of this.#blocked.values()) total += v;
    return total;
  }

  /** Strategy names and settings as last loaded. */
  strategies(): ReadonlyMap<number, RiskStrategy> {
    return this.#strategies;
  }

  // --- loading -------------------------------------------------------------------------

  #newBook(): RiskBook {
    const c = this.#d.config();
    return new RiskBook({ warn_pct: c.warn_pct, max_daily_loss: c.max_daily_loss });
  }

  async #reloadAll(): Promise<void> {
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    const since = istDayStart(now).toISOString();
    this.#day = istDate(now);
    this.#strategies = new Map((await loadRiskStrategies(db)).map((s) => [s.id, s]));
    for (const [scope, stored] of await loadRiskStates(db)) {
      const memory = this.#states.get(scope);
      // Memory may be ahead of the store by a write in flight; the store is read only for what memory lacks.
      if (!memory) this.#states.set(scope, { ...stored });
      else {
        memory.margin_basis = stored.margin_basis;
        memory.margin_basis_day = stored.margin_basis_day;
      }
    }
    this.#sends = (await intentTimes(db, since)).map((i) => ({ strategy_id: i.strategy_id, ms: Date.parse(i.at) }));
    this.#charges = await chargesByStrategy(db, this.#day);
    const book = this.#newBook();
    for (const s of this.#strategies.values()) book.setStrategy(s.id, this.#bookStrategy(s, now));
    for (const p of bookPositions(await loadSharesForPnl(db, since), (t) => this.#d.ticks.lastPrice(t))) {
      book.setPosition(p);
    }
    this.#book = book;
    this.#arm();
  }

  /** Every open position of a strategy that squares off on its loss limit keeps an armed exit (square-off engine). */
  #arm(): void {
    const wanted: ArmTarget[] = [];
    for (const s of this.#strategies.values()) {
      if (!s.settings.auto_square_off_on_loss_limit) continue;
      for (const p of this.#book.positions(s.id)) {
        if (p.quantity === 0) continue;
        wanted.push({ strategy_id: s.id, exchange: p.exchange, tradingsymbol: p.tradingsymbol, product: p.product });
      }
    }
    this.#d.engine.arm(wanted);
  }

  #bookStrategy(s: RiskStrategy, now: Date) {
    const memory = this.#states.get(riskScope(s.id));
    const basis = memory && memory.margin_basis_day === istDate(now) ? memory.margin_basis : 0;
    return {
      charges: this.#charges.get(s.id) ?? 0,
      max_loss_abs: s.settings.max_loss_per_strategy_abs,
      max_loss_pct: s.settings.max_loss_per_strategy_pct,
      margin_basis: basis,
    };
  }

  #markDirty(exchange: string, tradingsymbol: string): void {
    if (this.#stopped) return;
    this.#dirty.add(`${exchange}\u0000${tradingsymbol}`);
    if (this.#dirtyTimer) return;
    this.#dirtyTimer = setTimeout(() => {
      this.#dirtyTimer = null;
      const scopes = [...this.#dirty].map((k) => {
        const [exchange, tradingsymbol] = k.split('\u0000') as [string, string];
        return { exchange, tradingsymbol };
      });
      this.#dirty.clear();
      this.#queue
        .run(() => this.#reloadInstruments(scopes))
        .catch((err) => this.#d.logger.warn('risk.reload_failed', { error: (err as Error).message }));
    }, SETTLE_MS);
    this.#dirtyTimer.unref();
  }

  /** Read these instruments' shares and today's charges again, then evaluate the strategies they touch. */
  async #reloadInstruments(scopes: readonly { exchange: string; tradingsymbol: string }[]): Promise<void> {
    await this.#loaded;
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    if (this.#day !== istDate(now)) {
      // A new day: everything is read again (the day's P&L starts over).
      await this.#reloadAll();
      await this.#evaluate(null, true);
      return;
    }
    const since = istDayStart(now).toISOString();
    this.#charges = await chargesByStrategy(db, this.#day);
    const touched = new Set<number>();
    for (const scope of scopes) {
      const shares = await loadSharesForPnl(db, since, scope);
      // Holders the store no longer lists in this instrument are set flat.
      for (const p of this.positions(null)) {
        if (p.exchange !== scope.exchange || p.tradingsymbol !== scope.tradingsymbol) continue;
        if (!shares.some((s) => s.strategy_id === p.strategy_id && s.product === p.product)) {
          this.#book.setPosition({ ...p, quantity: 0, realised: 0 });
          touched.add(p.strategy_id);
        }
      }
      for (const p of bookPositions(shares, (t) => this.#d.ticks.lastPrice(t))) {
        this.#book.setPosition(p);
        touched.add(p.strategy_id);
      }
    }
    for (const id of touched) {
      const s = this.#strategies.get(id);
      if (s) this.#book.setStrategy(id, this.#bookStrategy(s, now));
      this.#scheduleMargin(id);
    }
    if (touched.size > 0) this.#arm();
    await this.#evaluate([...touched], true);
  }

  // --- evaluation ----------------------------------------------------------------------

  #accountLimits() {
    const c = this.#d.config();
    return {
      max_daily_loss: c.max_daily_loss,
      max_orders_per_minute: c.max_orders_per_minute,
      max_orders_per_day: c.max_orders_per_day,
    };
  }

  #counts(strategyId: number, nowMs: number) {
    const mine = countOrders(
      this.#sends.filter((s) => s.strategy_id === strategyId).map((s) => s.ms),
      nowMs,
    );
    const all = countOrders(
      this.#sends.map((s) => s.ms),
      nowMs,
    );
    return { strategy_last_minute: mine.last_minute, account_last_minute: all.last_minute, account_today: all.today };
  }

  #utilisation(): number | null {
    return this.#funds ? accountUtilisationPct([this.#funds.equity, this.#funds.commodity]) : null;
  }

  #strategyFacts(s: RiskStrategy, nowMs: number): StrategyRiskFacts {
    const memory = this.#states.get(riskScope(s.id));
    const day = istDate(new Date(nowMs));
    return {
      settings: s.settings,
      pnl: this.pnl(s.id).net,
      margin_basis: memory && memory.margin_basis_day === day ? memory.margin_basis : 0,
      positions: this.#book.positions(s.id),
      orders_last_minute: this.#counts(s.id, nowMs).strategy_last_minute,
      margin_utilization_pct: this.#utilisation(),
    };
  }

  #accountFacts(nowMs: number): AccountRiskFacts {
    const all = countOrders(
      this.#sends.map((s) => s.ms),
      nowMs,
    );
    return {
      limits: this.#accountLimits(),
      pnl: this.#book.accountPnl().net,
      orders_last_minute: all.last_minute,
      orders_today: all.today,
    };
  }

  /** A scope's memory, created ACTIVE for a scope never seen. */
  #memory(strategyId: number | null, day: string, now: Date): ScopeMemory {
    const scope = riskScope(strategyId);
    let m = this.#states.get(scope);
    if (!m) {
      m = { state: initialRiskState(day, now), limits: [], margin_basis: 0, margin_basis_day: null };
      this.#states.set(scope, m);
    }
    return m;
  }

  /** A scope's state as it stands today (a loss-limit halt of an earlier day has lapsed) and its limits. */
  #effective(strategyId: number | null, day: string, now: Date): { state: RiskState; limits: LimitStatus[] } {
    const m = this.#memory(strategyId, day, now);
    const t = transition(m.state, { kind: 'evaluate', limits: m.limits }, day, now);
    return { state: t.ok ? t.next : m.state, limits: m.limits };
  }

  /** Evaluate these strategies (null: all) and the account if asked; decide, remember, write, act. */
  async #evaluate(strategyIds: readonly number[] | null, withAccount: boolean): Promise<void> {
    const now = this.#d.clock.now();
    const nowMs = now.getTime();
    const day = tradingDayOf(now);
    const config = this.#d.config();
    const ids = strategyIds ?? [...this.#strategies.keys()];
    const strategies: StrategyAssessInput[] = [];
    for (const id of ids) {
      const s = this.#strategies.get(id);
      if (!s) continue;
      const m = this.#memory(id, day, now);
      strategies.push({
        strategy_id: id,
        name: s.name,
        facts: this.#strategyFacts(s, nowMs),
        state: m.state,
        previous: m.limits,
        auto_square_off_on_loss_limit: s.settings.auto_square_off_on_loss_limit,
      });
    }
    const accountMemory = this.#memory(null, day, now);
    const input: AssessInput = {
      strategies,
      account: withAccount
        ? { facts: this.#accountFacts(nowMs), state: accountMemory.state, previous: accountMemory.limits }
        : null,
      warn_pct: config.warn_pct,
      trading_day: day,
      now,
    };
    const decisions = assessRisk(input);
    // Memory first: from here on the gate refuses what a new state refuses.
    const before = new Map<ScopeMemory, Pick<ScopeMemory, 'state' | 'limits'>>();
    for (const d of decisions.scopes) {
      const m = this.#memory(d.strategy_id, day, now);
      before.set(m, { state: m.state, limits: m.limits });
      m.state = d.next;
      m.limits = d.limits;
    }
    // The breach first (states, alerts, square-offs and their audit) with the square-offs' first
    // exits in the same commit, then the exits leave, then the rest of the record: the first
    // exit goes out without waiting for warnings and limits.
    const context = { trading_day: day, escalate_at: new Date(nowMs + config.square_off_deadline_seconds * 1000) };
    const write = (firstExits?: FirstExitPlanner) =>
      writeRiskActions(this.#d.store.db, decisions, context, now, firstExits);
    try {
      if (decisions.square_off.length > 0) await this.#d.engine.open(write, decisions.square_off);
      else await write();
    } catch (err) {
      // Nothing of the breach was written: forget it, so the next evaluation finds it again and
      // writes it whole (a square-off included) rather than taking it as already handled.
      for (const [m, was] of before) Object.assign(m, was);
      throw err;
    }
    await writeRiskRecord(this.#d.store.db, decisions, { trading_day: day }, now);
    for (const d of decisions.scopes) {
      for (const e of d.events) {
        this.#d.logger.info(e.level === 'breach' ? 'risk.breach' : 'risk.warning', {
          scope: riskScope(d.strategy_id),
          key: e.key,
          value: e.value,
          limit: e.limit,
          action: e.action,
        });
      }
    }
    if (decisions.cancel_entries.length > 0) {
      void this.#cancelEntries(decisions.cancel_entries, 'halted by a loss limit');
    }
  }

  /** Cancel the working entries of these strategies (together), through the shared cancel path. */
  async #cancelEntries(strategyIds: readonly number[], why: string): Promise<string[]> {
    const entries = await workingEntries(this.#d.store.db, strategyIds);
    const results = await Promise.all(
      entries.map(async (e) => {
        const outcome = await this.#d.cancels.correct(e, { kind: 'cancel' });
        await this.#d.recorder
          .audit({
            type: 'ORDER_CANCEL_REQUESTED',
            strategyId: e.strategy_id,
            orderId: e.order_id,
            payload: {
              reason: why,
              result: outcome.kind,
              ...('message' in outcome ? { message: outcome.message } : {}),
            },
          })
          .catch(() => undefined);
        return outcome.kind === 'done' || outcome.kind === 'awaiting' || outcome.kind === 'in-flight'
          ? e.order_id
          : null;
      }),
    );
    return results.filter((id): id is string => id !== null);
  }

  // --- margin --------------------------------------------------------------------------

  /** Funds from the broker; a change of utilisation is evaluated by the caller (the minute check). */
  async #refreshFunds(): Promise<void> {
    if (!this.#d.brokerReady()) return;
    try {
      const m = await this.#d.broker.margins();
      this.#funds = { equity: segmentUse(m.equity), commodity: segmentUse(m.commodity) };
    } catch (err) {
      this.#d.logger.warn('risk.funds_failed', { error: (err as Error).message });
    }
  }

  /** Utilisation of the order's fund segment once the order is in (Kite's basket margin, positions considered). */
  async #utilisationAfter(request: Extract<GateRequest, { action: 'place' }>): Promise<number | null> {
    if (!this.#d.brokerReady()) return null;
    try {
      if (!this.#funds) await this.#refreshFunds();
      const segment = this.#funds?.[fundSegmentOf(request.exchange)] ?? null;
      if (!segment) return null;
      const r = request as Extract<GateRequest, { action: 'place' }> & { price?: number; order_type?: string };
      const priced = typeof r.price === 'number' && r.price > 0;
      const basket = await this.#d.broker.basketMargins(
        [
          {
            exchange: request.exchange,
            tradingsymbol: request.tradingsymbol,
            transaction_type: request.transaction_type,
            variety: 'regular',
            product: request.product,
            order_type: priced ? 'LIMIT' : 'MARKET',
            quantity: request.quantity,
            price: priced ? r.price! : 0,
            trigger_price: 0,
          },
        ],
        true,
      );
      return utilisationPct(segment, basket.final.total);
    } catch (err) {
      // Not checked: the broker's own margin check still stands between the order and the market.
      this.#d.logger.warn('risk.margin_check_failed', { error: (err as Error).message });
      return null;
    }
  }

  /**
   * Ask the broker what the strategy's positions block, soon. A burst of fills, over any number
   * of strategies, makes one refresh: the funds once, and a basket margin only for a strategy
   * with an open position. Every read counts against Kite's 10 requests a second that orders'
   * bookkeeping shares, so a strategy that is flat and was flat asks nothing.
   */
  #scheduleMargin(strategyId: number): void {
    if (this.#stopped) return;
    this.#marginDue.add(strategyId);
    if (this.#marginTimer) return;
    this.#marginTimer = setTimeout(() => {
      this.#marginTimer = null;
      const due = [...this.#marginDue];
      this.#marginDue.clear();
      void this.#refreshMargins(due);
    }, MARGIN_REFRESH_MS);
    this.#marginTimer.unref();
  }

  async #refreshMargins(strategyIds: readonly number[]): Promise<void> {
    if (!this.#d.brokerReady()) return;
    await this.#refreshFunds();
    const changed: { strategyId: number; blocked: number }[] = [];
    for (const strategyId of strategyIds) {
      const legs = this.#book.positions(strategyId).filter((p) => p.quantity !== 0);
      if (legs.length === 0) {
        if (this.#blocked.get(strategyId) !== 0) changed.push({ strategyId, blocked: 0 });
        continue;
      }
      try {
        const basket = await this.#d.broker.basketMargins(
          legs.map((p) => ({
            exchange: p.exchange,
            tradingsymbol: p.tradingsymbol,
            transaction_type: p.quantity > 0 ? ('BUY' as const) : ('SELL' as const),
            variety: 'regular' as const,
            product: p.product,
            order_type: 'MARKET' as const,
            quantity: Math.abs(p.quantity),
            price: 0,
            trigger_price: 0,
          })),
          false,
        );
        changed.push({ strategyId, blocked: basket.final.total });
      } catch (err) {
        this.#d.logger.warn('risk.margin_failed', { strategy: strategyId, error: (err as Error).message });
      }
    }
    if (changed.length === 0) return;
    try {
      await this.#queue.run(async () => {
        const now = this.#d.clock.now();
        const day = istDate(now);
        for (const { strategyId, blocked } of changed) {
          this.#blocked.set(strategyId, blocked);
          const peak = await recordMarginBlocked(this.#d.store.db, strategyId, blocked, day, now);
          const m = this.#memory(strategyId, tradingDayOf(now), now);
          m.margin_basis = peak;
          m.margin_basis_day = day;
          const s = this.#strategies.get(strategyId);
          if (s) this.#book.setStrategy(strategyId, this.#bookStrategy(s, now));
        }
        await this.#evaluate(
          changed.map((c) => c.strategyId),
          true,
        );
      });
    } catch (err) {
      this.#d.logger.warn('risk.margin_failed', { error: (err as Error).message });
    }
  }
}
