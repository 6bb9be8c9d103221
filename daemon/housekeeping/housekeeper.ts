import type { BrokerOrder } from '../../src/domain/order.js';
import { agingDecisions } from '../../src/housekeeping/aging.js';
import { expiredOn, expiryDecisions } from '../../src/housekeeping/expiry.js';
import { gttLegsAsOrders } from '../../src/housekeeping/gtt.js';
import type { OcoOverfill } from '../../src/housekeeping/oco.js';
import { manualOrphan } from '../../src/housekeeping/orphans.js';
import { type CleanupResult, cleanupOutcome, correctionText, dangerEnded } from '../../src/housekeeping/outcomes.js';
import {
  type HousekeepingState,
  type PassTrigger,
  type PlannedOrphan,
  planHousekeeping,
} from '../../src/housekeeping/plan.js';
import type { HkOrder, HkSettings, OrphanDetection } from '../../src/housekeeping/types.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate } from '../../src/market/ist.js';
import { SomError } from '../../src/protocol/errors.js';
import type { Store } from '../../src/store/database.js';
import { archiveExpiredShare, loadExpiryPositions, loadInstrumentExpiries } from '../../src/store/expiry.js';
import {
  agedNotifiedOrders,
  clearOrphanDanger,
  finishHousekeepingRun,
  recordAgingNotice,
  recordFlatten,
  recordOrderArchived,
  recordOrphanOutcome,
  recordOverfill,
  writeHousekeepingPass,
} from '../../src/store/housekeeping.js';
import { type HkScope, type LoadedHousekeeping, loadHousekeeping } from '../../src/store/housekeeping-state.js';
import { SerialQueue } from '../../src/util/serial-queue.js';
import type { CancelService } from '../account/cancel-service.js';
import type { Logger } from '../logger.js';

export type { HkScope } from '../../src/store/housekeeping-state.js';

export interface HousekeeperDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The last traded price from the live feed, when the instrument is streamed. */
  lastPrice?(instrumentToken: number): number | undefined;
  /** A pass ended: the orders whose role it changed or that it acted on, and its actions (pushed as events). */
  afterPass?(pass: {
    scope: HkScope | undefined;
    orderIds: readonly string[];
    actions: readonly CleanupAction[];
  }): void;
  /** The one path for cancels and reductions, shared with the square-off engine. */
  cancels: CancelService;
  /**
   * True for an order on a position a square-off is exiting now: the square-off cancels that
   * position's orders itself, so housekeeping leaves them alone meanwhile.
   */
  squareOffHolds?(order: HkOrder): boolean;
  /** Send an order for a strategy through the order desk (tagged, intent recorded): used to flatten an overfill. */
  placeMarket(
    strategyId: number,
    order: { exchange: string; tradingsymbol: string; product: string; side: 'BUY' | 'SELL'; quantity: number },
  ): Promise<string>;
}

export interface CleanupOptions {
  strategyId?: number | undefined;
  dryRun?: boolean;
  /** Cancel even where the strategy allows orphans (strict mode off). */
  force?: boolean;
}

/** One orphan's action in a pass, as `som orphans cleanup` reports it. */
export interface CleanupAction {
  order_id: string;
  action: string;
  result: string;
  /** The danger still stands: som could not cancel it this time (it keeps trying). */
  failed: boolean;
}

export interface CleanupResult_ {
  detections: OrphanDetection[];
  actions: CleanupAction[];
}

/**
 * Carries out the housekeeping rules (src/housekeeping) on the live account: on every order
 * update and position change for the instrument concerned (well under a second after the
 * broker reports a fill), in the minute sweep, and on demand. A pass loads the state through
 * src/store, plans with one pure function (`planHousekeeping`), writes the plan's decisions,
 * then carries out the cancels and reductions at the broker and records each outcome.
 */
export class Housekeeper {
  readonly #d: HousekeeperDeps;
  readonly #queue = new SerialQueue();
  /** Retries waiting for their backoff, by instrument: a failed cleanup is tried again without waiting for a sweep. */
  readonly #retryTimers = new Map<string, NodeJS.Timeout>();
  #lastEventAt: number | null = null;

  constructor(deps: HousekeeperDeps) {
    this.#d = deps;
  }

  /** Wall time of the last event-driven run (for the latency benchmark). */
  get lastEventAt(): number | null {
    return this.#lastEventAt;
  }

  /** AccountSync calls this for every order whose state changed. */
  onOrderChanged(order: BrokerOrder, _isNew: boolean): void {
    this.#queue
      .run(async () => {
        await this.#run('event', 'event', { exchange: order.exchange, tradingsymbol: order.tradingsymbol });
        this.#lastEventAt = Date.now();
      })
      .catch((err) => this.#d.logger.warn('housekeeping.event_failed', { error: (err as Error).message }));
  }

  /** Positions, shares or GTTs changed in these instruments: check them. */
  onPositionsChanged(scopes: readonly HkScope[]): void {
    const unique = new Map(scopes.map((s) => [`${s.exchange}:${s.tradingsymbol}`, s]));
    for (const scope of unique.values()) {
      this.#queue
        .run(() => this.#run('event', 'event', scope))
        .catch((err) => this.#d.logger.warn('housekeeping.event_failed', { error: (err as Error).message }));
    }
  }

  /** The minute sweep, the end-of-day run and the like: every instrument, retries due or not. */
  sweep(job: string): Promise<CleanupResult_> {
    return this.#queue.run(() => this.#run(job, 'sweep'));
  }

  /** `som orphans cleanup`: always tries again, whatever the backoff. */
  cleanup(options: CleanupOptions): Promise<CleanupResult_> {
    return this.#queue.run(() => this.#run('manual', 'user', undefined, options));
  }

  /** `som orphans mark`: the user says this order protects nothing any more (reason MANUAL). */
  markManual(orderId: string, note?: string): Promise<{ detection: OrphanDetection; action: CleanupAction }> {
    return this.#queue.run(async () => {
      const now = this.#d.clock.now();
      const loaded = await loadHousekeeping(this.#d.store.db);
      const order = [...loaded.orders, ...loaded.gtts.flatMap(gttLegsAsOrders)].find((o) => o.order_id === orderId);
      if (!order || order.status === 'COMPLETE' || order.status === 'CANCELLED' || order.status === 'REJECTED') {
        throw new SomError('NOT_FOUND', `no open order ${orderId}; see \`som orders --open\``);
      }
      const detection = manualOrphan(order, settingsOf(loaded, order.strategy_id), now, null, note);
      const planned: PlannedOrphan = {
        detection,
        order,
        act: detection.action.kind === 'report' ? null : detection.action,
        deferral: null,
      };
      const action = await this.#handle('manual', planned, loaded, now);
      return { detection, action };
    });
  }

  /** The orphans as of now, without acting (`som orphans`). */
  async detect(strategyId?: number): Promise<OrphanDetection[]> {
    const now = this.#d.clock.now();
    const loaded = await loadHousekeeping(this.#d.store.db);
    return planHousekeeping(this.#state(loaded, now), { now, trigger: 'sweep', strategyId }).orphans.map(
      (o) => o.detection,
    );
  }

  /** Order aging: alert about old open orders, cancel them where the strategy allows, archive stale ones. */
  runAging(job = 'aging'): Promise<string> {
    return this.#queue.run(async () => {
      const { db } = this.#d.store;
      const now = this.#d.clock.now();
      const loaded = await loadHousekeeping(db);
      const counts = { notify: 0, cancel: 0, archive: 0 };
      const decisions = agingDecisions(
        loaded.orders,
        now,
        (id) => settingsOf(loaded, id),
        await agedNotifiedOrders(db),
      );
      for (const d of decisions) {
        counts[d.kind]++;
        const order = loaded.orders.find((o) => o.order_id === d.order_id)!;
        if (d.kind === 'notify') {
          await recordAgingNotice(
            db,
            {
              job,
              strategyId: d.strategy_id,
              orderId: d.order_id,
              ageMinutes: d.age_minutes,
              thresholdMinutes: d.threshold_minutes,
              explanation: d.explanation,
            },
            now,
          );
        } else if (d.kind === 'cancel') {
          await this.#handle(job, agedCancel(order, d.explanation, now), loaded, now);
        } else {
          await recordOrderArchived(
            db,
            {
              job,
              strategyId: d.strategy_id,
              orderId: d.order_id,
              ageMinutes: d.age_minutes,
              explanation: d.explanation,
            },
            now,
          );
        }
      }
      const summary = `${counts.notify} notified, ${counts.cancel} cancelled, ${counts.archive} archived`;
      await finishHousekeepingRun(db, { job, summary }, now);
      return summary;
    });
  }

  /**
   * The 09:00 expiry job: cancel orders on expired instruments, and archive each strategy's
   * share of positions in them with its P&L at settlement (added to the strategy's realised
   * P&L).
   */
  runExpiry(job = 'expiry'): Promise<string> {
    return this.#queue.run(async () => {
      const { db } = this.#d.store;
      const now = this.#d.clock.now();
      const loaded = await loadHousekeeping(db);
      const { positions, lastPrice } = await loadExpiryPositions(db);
      const instruments = await loadInstrumentExpiries(db);
      const decisions = expiryDecisions({
        orders: loaded.orders,
        positions,
        instruments: (ex, sym) => instruments.get(`${ex}:${sym}`) ?? null,
        today: istDate(now),
        settlementPrice: (ex, sym) => lastPrice.get(`${ex}:${sym}`) ?? null,
      });
      let cancelled = 0;
      let archived = 0;
      for (const d of decisions) {
        if (d.kind === 'cancel') {
          const order = loaded.orders.find((o) => o.order_id === d.order_id)!;
          await this.#handle(job, expiredCancel(order, d.explanation, now), loaded, now);
          cancelled++;
        } else {
          await archiveExpiredShare(db, job, d, now);
          archived++;
        }
      }
      const summary = `${cancelled} orders cancelled, ${archived} positions archived`;
      await finishHousekeepingRun(db, { job, summary }, now);
      return summary;
    });
  }

  /** Wait for queued runs (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  #state(loaded: LoadedHousekeeping, now: Date): HousekeepingState {
    const isExpired = expiredOn(istDate(now), (ex, sym) => {
      const key = `${ex}:${sym}`;
      return loaded.expiries.has(key) ? { expiry: loaded.expiries.get(key) ?? null } : null;
    });
    return {
      orders: loaded.orders,
      gttLegs: loaded.gtts.flatMap(gttLegsAsOrders),
      positions: loaded.positions,
      settingsFor: (id) => settingsOf(loaded, id),
      isExpired,
      retry: (id) => loaded.retries.get(id) ?? { attempts: 0, nextAt: null },
      ...(this.#d.squareOffHolds ? { squareOffHolds: this.#d.squareOffHolds } : {}),
      firstSight: (o) => {
        const lastPrice = this.#d.lastPrice?.(o.instrument_token);
        return lastPrice === undefined ? {} : { lastPrice };
      },
    };
  }

  async #run(
    job: string,
    trigger: PassTrigger,
    scope?: HkScope,
    options: CleanupOptions = {},
  ): Promise<CleanupResult_> {
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    const loaded = await loadHousekeeping(db, scope);
    const plan = planHousekeeping(this.#state(loaded, now), {
      now,
      trigger,
      strategyId: options.strategyId,
      force: options.force,
    });
    const roles = plan.roles.map((r) => {
      const order = loaded.orders.find((o) => o.order_id === r.order_id)!;
      return { ...r, strategy_id: order.strategy_id, previous: order.role };
    });
    await writeHousekeepingPass(db, { roles, finishedGroups: plan.finishedGroups }, now);
    // Orphans whose danger ended without som: the retries stop and the failure alerts resolve.
    const detected = new Set(plan.orphans.map((o) => o.detection.order_id));
    const ended = [...loaded.markedOrphans.keys()].filter((id) => !detected.has(id) && loaded.retries.has(id));
    if (scope === undefined && options.strategyId === undefined) await clearOrphanDanger(db, ended, dangerEnded, now);

    // A GTT is one object at the broker: its two legs are handled once, by the first leg planned.
    const gttsHandled = new Set<number>();
    const planned = plan.orphans.filter((p) => {
      const gtt = p.order.gtt;
      if (!gtt || options.dryRun) return true;
      if (gttsHandled.has(gtt.id)) return false;
      gttsHandled.add(gtt.id);
      return true;
    });
    // The position's cancels go together (the broker's rate limiter paces them), not one
    // after the other: a stop and its target are both gone one round trip after the exit.
    const actions: CleanupAction[] = await Promise.all(
      planned.map(async (p): Promise<CleanupAction> => {
        if (!options.dryRun) return this.#handle(job, p, loaded, now);
        const act = p.act ?? (options.force ? p.detection.proposed : null);
        return {
          order_id: p.order.order_id,
          action: act ? correctionText(act, p.order.gtt != null) : 'report',
          result: 'dry-run',
          failed: false,
        };
      }),
    );
    if (!options.dryRun) for (const o of plan.overfills) await this.#overfill(o);
    if (scope === undefined) {
      const acted = actions.filter((a) => !a.failed && a.result !== 'reported' && a.result !== 'dry-run').length;
      const failed = actions.filter((a) => a.failed).length;
      const summary = `${plan.orphans.length} orphans, ${acted} acted on${failed > 0 ? `, ${failed} could not be cancelled (retrying)` : ''}${options.dryRun ? ' (dry run)' : ''}`;
      await finishHousekeepingRun(db, { job, summary }, now);
    }
    if (!options.dryRun) {
      const changed = roles.filter((r) => r.role !== r.previous).map((r) => r.order_id);
      this.#d.afterPass?.({ scope, orderIds: [...new Set([...changed, ...actions.map((a) => a.order_id)])], actions });
    }
    return { detections: plan.orphans.map((o) => o.detection), actions };
  }

  /** Carry out one orphan's plan and record how it ended. */
  async #handle(job: string, planned: PlannedOrphan, loaded: LoadedHousekeeping, now: Date): Promise<CleanupAction> {
    const { detection, order } = planned;
    const first = loaded.markedOrphans.get(order.order_id) !== detection.reason;
    const retry = loaded.retries.get(order.order_id) ?? { attempts: 0, nextAt: null };
    const gtt = order.gtt != null;
    let result: CleanupResult;
    let durationMs: number | null = null;
    if (planned.act === null) {
      if (planned.deferral) {
        // Waiting is recorded once, when it starts; the pass that acts records the rest.
        if (!first) {
          const waiting = planned.deferral.kind === 'backoff';
          return { order_id: order.order_id, action: 'wait', result: planned.deferral.message, failed: waiting };
        }
        result = { kind: 'deferred', deferral: planned.deferral };
      } else {
        if (!first) return { order_id: order.order_id, action: 'report', result: 'reported', failed: false };
        result = { kind: 'reported' };
      }
    } else {
      const started = performance.now();
      const outcome = await this.#d.cancels.correct(order, planned.act);
      if (outcome.kind === 'in-flight' || outcome.kind === 'awaiting') {
        return {
          order_id: order.order_id,
          action: correctionText(planned.act, gtt),
          result: outcome.kind === 'in-flight' ? 'in flight' : 'sent, awaiting the broker',
          failed: false,
        };
      }
      result = outcome;
      durationMs = performance.now() - started;
    }
    const record = cleanupOutcome({
      detection,
      order,
      result,
      attemptsBefore: retry.attempts,
      firstReport: first,
      now,
    });
    await recordOrphanOutcome(
      this.#d.store.db,
      {
        orderId: order.order_id,
        strategyId: order.strategy_id,
        reason: detection.reason,
        parentPositionId: detection.parent_position_id,
        explanation: detection.explanation,
        job,
        durationMs,
        first,
        ...record,
      },
      now,
    );
    this.#d.logger.info('housekeeping.action', {
      orderId: order.order_id,
      reason: detection.reason,
      action: record.log.action,
      result: record.log.result,
      ...(durationMs !== null ? { ms: Math.round(durationMs) } : {}),
    });
    if (record.retry) this.#retryLater(order, Date.parse(record.retry.nextAt) - now.getTime());
    return {
      order_id: order.order_id,
      action: record.log.action,
      result: record.log.result,
      failed: result.kind === 'failed' || (result.kind === 'deferred' && result.deferral.kind === 'backoff'),
    };
  }

  /** Run a pass over the order's instrument once its backoff is over (the danger may still stand then). */
  #retryLater(order: HkOrder, delayMs: number): void {
    const scope = { exchange: order.exchange, tradingsymbol: order.tradingsymbol };
    const key = `${scope.exchange}:${scope.tradingsymbol}`;
    if (this.#retryTimers.has(key)) return;
    const timer = setTimeout(
      () => {
        this.#retryTimers.delete(key);
        this.#queue
          .run(() => this.#run('retry', 'sweep', scope))
          .catch((err) => this.#d.logger.warn('housekeeping.retry_failed', { error: (err as Error).message }));
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    this.#retryTimers.set(key, timer);
  }

  /** Stop the retry timers (shutdown). */
  stop(): void {
    for (const timer of this.#retryTimers.values()) clearTimeout(timer);
    this.#retryTimers.clear();
  }

  /** Both legs of an OCO group filled: a high alert, and the unwanted position flattened where allowed. */
  async #overfill(o: OcoOverfill): Promise<void> {
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    const groupId = o.oco_group_id ?? 0;
    const created = await recordOverfill(
      db,
      {
        groupId,
        strategyId: o.strategy_id,
        alert: describeOverfill(o),
        detail: { order_ids: o.order_ids, excess: o.excess, quantity: o.quantity, side: o.side },
      },
      now,
    );
    if (!created) return;
    let result = 'reported';
    let orderId: string | null = null;
    if (o.flatten && o.quantity > 0) {
      try {
        orderId = await this.#d.placeMarket(o.strategy_id, {
          exchange: o.exchange,
          tradingsymbol: o.tradingsymbol,
          product: o.product,
          side: o.side,
          quantity: o.quantity,
        });
        result = `flattened by order ${orderId}`;
      } catch (err) {
        result = `flatten failed: ${(err as Error).message}`;
      }
    }
    await recordFlatten(
      db,
      { groupId, strategyId: o.strategy_id, orderId, result, detail: { quantity: o.quantity, side: o.side } },
      this.#d.clock.now(),
    );
  }
}

function settingsOf(loaded: LoadedHousekeeping, strategyId: number): HkSettings {
  return loaded.settings.get(strategyId) ?? loaded.settings.get(loaded.defaultStrategyId)!;
}

function describeOverfill(o: {
  exchange: string;
  tradingsymbol: string;
  product: string;
  explanation: string;
  flatten: boolean;
  quantity: number;
  side: 'BUY' | 'SELL';
  order_ids: [string, string];
  excess: number;
}) {
  const what = o.flatten
    ? `som is flattening ${o.quantity} with a ${o.side} MARKET order.`
    : o.quantity > 0
      ? `Flatten ${o.quantity} yourself (flatten_on_overfill is off).`
      : '';
  return {
    title: `Both legs filled: ${o.exchange}:${o.tradingsymbol} ${o.product}`,
    message: `${o.explanation}. ${what}`.trim(),
    payload: { order_ids: o.order_ids, excess: o.excess, quantity: o.quantity, side: o.side },
  };
}

/** An aged entry the strategy allows cancelling: handled like an orphan, with the aging job's reason. */
function agedCancel(order: HkOrder, explanation: string, now: Date): PlannedOrphan {
  return {
    detection: {
      order_id: order.order_id,
      strategy_id: order.strategy_id,
      reason: 'AGED',
      parent_position_id: order.parent_position_id,
      action: { kind: 'cancel' },
      proposed: { kind: 'cancel' },
      notify: false,
      explanation: `AGED: ${explanation}`,
      detected_at: now.toISOString(),
      gtt: null,
    },
    order,
    act: { kind: 'cancel' },
    deferral: null,
  };
}

/** An open order on an expired instrument. */
function expiredCancel(order: HkOrder, explanation: string, now: Date): PlannedOrphan {
  return {
    detection: {
      order_id: order.order_id,
      strategy_id: order.strategy_id,
      reason: 'INSTRUMENT_EXPIRED',
      parent_position_id: order.parent_position_id,
      action: { kind: 'cancel' },
      proposed: { kind: 'cancel' },
      notify: false,
      explanation,
      detected_at: now.toISOString(),
      gtt: null,
    },
    order,
    act: { kind: 'cancel' },
    deferral: null,
  };
}
