import type { Broker } from '../../src/broker/broker.js';
import { BrokerError } from '../../src/broker/errors.js';
import type { NewAuditEvent } from '../../src/domain/audit.js';
import { type BrokerOrder, TERMINAL_STATUSES } from '../../src/domain/order.js';
import { agingDecisions } from '../../src/housekeeping/aging.js';
import { expiryDecisions } from '../../src/housekeeping/expiry.js';
import { detectOrphans, manualOrphan, type OrphanDetection } from '../../src/housekeeping/orphans.js';
import { inferRole } from '../../src/housekeeping/roles.js';
import type { HkOrder } from '../../src/housekeeping/types.js';
import type { Clock } from '../../src/market/clock.js';
import { SomError } from '../../src/protocol/errors.js';
import { raiseAlert } from '../../src/store/alerts.js';
import type { Store } from '../../src/store/database.js';
import {
  archiveOrder,
  markOrphan,
  recordHousekeepingEvent,
  setOrderRole,
  touchHousekeepingRun,
} from '../../src/store/housekeeping.js';
import type { Logger } from '../logger.js';
import { runOco } from './oco-runner.js';
import { type HkScope, type HkState, loadHkState } from './state.js';

export interface HousekeeperDeps {
  store: Store;
  broker: Broker;
  clock: Clock;
  logger: Logger;
  audit(event: NewAuditEvent): Promise<void>;
  /** Send an order for a strategy through the order desk (tagged, intent recorded): used to flatten an overfill. */
  /** The last traded price from the live feed, when the instrument is streamed. */
  lastPrice?(instrumentToken: number): number | undefined;
  placeMarket(
    strategyId: number,
    order: { exchange: string; tradingsymbol: string; product: string; side: 'BUY' | 'SELL'; quantity: number },
  ): Promise<string>;
}

/** Broker messages that mean "nothing left to cancel or modify": understood, never retried. */
const ALREADY_CLOSED = /(complete|completed|cancel+ed|rejected|expired|not open|no longer|already)/i;
/** A cancel that keeps failing for other reasons is tried this often, then left to the user (with an alert). */
const MAX_ATTEMPTS = 5;
/** A cancel or reduce the broker accepted is not sent again for this long while its update is on the way. */
const RESEND_AFTER_MS = 10_000;

export interface CleanupOptions {
  strategyId?: number | undefined;
  dryRun?: boolean;
  /** Cancel even where the strategy allows orphans (strict mode off). */
  force?: boolean;
}

export interface CleanupResult {
  detections: OrphanDetection[];
  actions: { order_id: string; action: string; result: string }[];
}

/**
 * Carries out the housekeeping rules (src/housekeeping) on the live account: on every order
 * update and position change for the instrument concerned (well under a second after the
 * broker reports a fill), in the minute sweep, and on demand. Every detection and action is
 * recorded in housekeeping_events and the audit trail.
 */
export class Housekeeper {
  readonly #d: HousekeeperDeps;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #inFlight = new Set<string>();
  readonly #attempts = new Map<string, number>();
  readonly #notified = new Set<string>();
  readonly #agedNotified = new Set<string>();
  /** Cancels and reductions sent, by order and action, with the wall time they were sent. */
  readonly #sent = new Map<string, number>();
  #lastEventAt: number | null = null;

  constructor(deps: HousekeeperDeps) {
    this.#d = deps;
  }

  /** Wall time of the last event-driven run (for the latency benchmark). */
  get lastEventAt(): number | null {
    return this.#lastEventAt;
  }

  /** AccountSync calls this for every order whose state changed. */
  onOrderChanged(order: BrokerOrder, isNew: boolean): void {
    void this.#serial(async () => {
      if (isNew) await this.#assignRole(order);
      const scope = { exchange: order.exchange, tradingsymbol: order.tradingsymbol };
      await this.#run('event', scope);
      this.#lastEventAt = Date.now();
    }).catch((err) => this.#d.logger.warn('housekeeping.event_failed', { error: (err as Error).message }));
  }

  /** Positions changed at the broker (a refresh): check those instruments. */
  onPositionsChanged(scopes: readonly HkScope[]): void {
    for (const scope of scopes) {
      void this.#serial(() => this.#run('event', scope)).catch((err) =>
        this.#d.logger.warn('housekeeping.event_failed', { error: (err as Error).message }),
      );
    }
  }

  /** The minute sweep, the end-of-day run and the expiry job all come through here. */
  sweep(job: string): Promise<CleanupResult> {
    return this.#serial(() => this.#run(job));
  }

  /** `som orphans cleanup`. */
  cleanup(options: CleanupOptions): Promise<CleanupResult> {
    return this.#serial(() => this.#run('manual', undefined, options));
  }

  /** `som orphans mark`: the user says this order protects nothing any more (reason MANUAL). */
  markManual(orderId: string, note?: string): Promise<{ detection: OrphanDetection; result: string }> {
    return this.#serial(async () => {
      const now = this.#d.clock.now();
      const state = await loadHkState(this.#d.store.db, now);
      const order = state.openOrders.find((o) => o.order_id === orderId);
      if (!order) throw new SomError('NOT_FOUND', `no open order ${orderId}; see \`som orders --open\``);
      const settings = state.settings.get(order.strategy_id) ?? state.settings.get(state.defaultStrategyId)!;
      const detection = manualOrphan(order, settings, now, null, note);
      const result = await this.#act('manual', order, detection, detection.action);
      return { detection, result };
    });
  }

  /** The orphans as of now, without acting (`som orphans`). */
  async detect(strategyId?: number): Promise<OrphanDetection[]> {
    const state = await loadHkState(this.#d.store.db, this.#d.clock.now());
    return this.#detections(state).filter((d) => strategyId === undefined || d.strategy_id === strategyId);
  }

  /** Order aging: alert about old open orders, cancel where the strategy allows, archive stale ones. */
  runAging(job = 'aging'): Promise<string> {
    return this.#serial(async () => {
      const { db } = this.#d.store;
      const now = this.#d.clock.now();
      const state = await loadHkState(db, now);
      const settingsFor = (id: number) => state.settings.get(id) ?? state.settings.get(state.defaultStrategyId)!;
      const counts = { notify: 0, cancel: 0, archive: 0 };
      for (const d of agingDecisions(state.openOrders, now, settingsFor, this.#agedNotified)) {
        counts[d.kind]++;
        const order = state.openOrders.find((o) => o.order_id === d.order_id)!;
        if (d.kind === 'notify') {
          this.#agedNotified.add(d.order_id);
          await raiseAlert(
            db,
            {
              type: 'ORDER_AGED',
              priority: 'normal',
              strategyId: d.strategy_id,
              orderId: d.order_id,
              title: `Order ${d.order_id} open for ${d.age_minutes} minutes`,
              message: d.explanation,
              dedupeKey: `aged:${d.order_id}`,
            },
            now,
          );
          await this.#d.audit({
            type: 'ORDER_AGED',
            strategyId: d.strategy_id,
            orderId: d.order_id,
            payload: { age_minutes: d.age_minutes, threshold_minutes: d.threshold_minutes },
          });
          await recordHousekeepingEvent(
            db,
            {
              job,
              strategyId: d.strategy_id,
              orderId: d.order_id,
              action: 'notify',
              reason: 'AGED',
              result: 'alert raised',
              detail: { age_minutes: d.age_minutes },
            },
            now,
          );
        } else if (d.kind === 'cancel') {
          await this.#modifyOrCancel(job, order, 'AGED', { kind: 'cancel' });
        } else {
          await archiveOrder(db, d.order_id, now);
          await this.#d.audit({
            type: 'ORDER_ARCHIVED',
            strategyId: d.strategy_id,
            orderId: d.order_id,
            payload: { age_minutes: d.age_minutes, explanation: d.explanation },
          });
          await recordHousekeepingEvent(
            db,
            {
              job,
              strategyId: d.strategy_id,
              orderId: d.order_id,
              action: 'archive',
              reason: 'AGED',
              result: 'archived',
            },
            now,
          );
        }
      }
      return this.#finish(
        job,
        state,
        now,
        `${counts.notify} notified, ${counts.cancel} cancelled, ${counts.archive} archived`,
      );
    });
  }

  /**
   * The 09:00 expiry job: cancel orders on expired instruments, and archive positions in them
   * with their P&L at settlement. By then the broker has settled and dropped the contract, so
   * each position is taken from the broker's last description of it (kept in the store): its
   * quantity, average price and last price (the settlement price, on expiry day's close).
   * The settlement P&L is added to the owning strategy's realised P&L.
   */
  runExpiry(job = 'expiry'): Promise<string> {
    return this.#serial(async () => {
      const { db } = this.#d.store;
      const now = this.#d.clock.now();
      const state = await loadHkState(db, now);
      const rows = await db
        .selectFrom('positions')
        .select(['id', 'exchange', 'tradingsymbol', 'product', 'broker_json'])
        .where('archived_at', 'is', null)
        .execute();
      const last = new Map(
        rows.map((r) => [
          r.id,
          JSON.parse(r.broker_json) as {
            quantity: number;
            average_price: number;
            last_price: number;
            multiplier: number;
          },
        ]),
      );
      const positions = [];
      for (const r of rows) {
        const l = last.get(r.id)!;
        if (l.quantity === 0) continue;
        positions.push({
          strategy_id: await this.#ownerOf(r.exchange, r.tradingsymbol, r.product, state.defaultStrategyId),
          exchange: r.exchange,
          tradingsymbol: r.tradingsymbol,
          product: r.product,
          quantity: l.quantity,
          position_id: r.id,
          average_price: l.average_price,
          multiplier: l.multiplier,
        });
      }
      const instruments = new Map(
        (
          await db
            .selectFrom('instruments')
            .select(['exchange', 'tradingsymbol', 'expiry'])
            .where('expiry', 'is not', null)
            .execute()
        ).map((r) => [`${r.exchange}:${r.tradingsymbol}`, r]),
      );
      let cancelled = 0;
      let archived = 0;
      const decisions = expiryDecisions({
        orders: state.openOrders,
        positions,
        instruments: (ex, sym) => instruments.get(`${ex}:${sym}`) ?? null,
        today: state.today,
        settlementPrice: (ex, sym) => {
          const row = rows.find((r) => r.exchange === ex && r.tradingsymbol === sym);
          return row ? last.get(row.id)!.last_price : null;
        },
      });
      for (const d of decisions) {
        if (d.kind === 'cancel') {
          const order = state.openOrders.find((o) => o.order_id === d.order_id)!;
          await this.#act(
            job,
            order,
            {
              order_id: d.order_id,
              strategy_id: d.strategy_id,
              reason: 'INSTRUMENT_EXPIRED',
              parent_position_id: order.parent_position_id,
              action: { kind: 'cancel' },
              proposed: { kind: 'cancel' },
              notify: false,
              explanation: d.explanation,
              detected_at: now.toISOString(),
            },
            { kind: 'cancel' },
          );
          cancelled++;
          continue;
        }
        archived++;
        const pnl = d.realised_pnl ?? 0;
        await db.transaction().execute(async (trx) => {
          if (d.position_id !== null) {
            await trx
              .updateTable('positions')
              .set({ archived_at: now.toISOString(), settlement_pnl: d.realised_pnl })
              .where('id', '=', d.position_id)
              .execute();
          }
          await trx
            .updateTable('strategies')
            .set((eb) => ({ realised_pnl: eb('realised_pnl', '+', pnl) }))
            .where('id', '=', d.strategy_id)
            .execute();
        });
        await this.#d.audit({ type: 'POSITION_ARCHIVED', strategyId: d.strategy_id, payload: { ...d } });
        await recordHousekeepingEvent(
          db,
          {
            job,
            strategyId: d.strategy_id,
            action: 'archive position',
            reason: 'INSTRUMENT_EXPIRED',
            result:
              d.realised_pnl === null ? 'archived (no settlement price)' : `archived, settlement P&L ${d.realised_pnl}`,
            detail: { ...d },
          },
          now,
        );
      }
      if (decisions.length > 0) {
        const { alert, created } = await raiseAlert(
          db,
          {
            type: 'EXPIRY_CLEANUP',
            priority: 'normal',
            title: `Expiry cleanup ${state.today}`,
            message: `${cancelled} orders on expired instruments cancelled, ${archived} expired positions archived with their settlement P&L`,
            dedupeKey: `expiry:${state.today}`,
          },
          now,
        );
        if (created)
          await this.#d.audit({ type: 'ALERT_RAISED', payload: { alert_id: alert.id, type: 'EXPIRY_CLEANUP' } });
      }
      return this.#finish(job, state, now, `${cancelled} orders cancelled, ${archived} positions archived`);
    });
  }

  /** The strategy that traded an instrument last (its position, in practice), else `default`. */
  async #ownerOf(exchange: string, tradingsymbol: string, product: string, defaultStrategyId: number): Promise<number> {
    const row = await this.#d.store.db
      .selectFrom('orders')
      .select('strategy_id')
      .where('exchange', '=', exchange)
      .where('tradingsymbol', '=', tradingsymbol)
      .where('product', '=', product)
      .where('filled_quantity', '>', 0)
      .orderBy('order_timestamp', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.strategy_id ?? defaultStrategyId;
  }

  async #finish(job: string, state: HkState, now: Date, summary: string): Promise<string> {
    await touchHousekeepingRun(this.#d.store.db, [...state.settings.keys()], now);
    await recordHousekeepingEvent(this.#d.store.db, { job, action: 'run', result: summary }, now);
    await this.#d.audit({ type: 'HOUSEKEEPING_RUN', payload: { job, result: summary } });
    return summary;
  }

  /** Wait for queued runs (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const q = this.#queue;
      await q.catch(() => undefined);
      if (q === this.#queue) return;
    }
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #detections(state: HkState): OrphanDetection[] {
    return detectOrphans({
      orders: state.openOrders,
      positions: state.positions,
      settingsFor: (id) => state.settings.get(id) ?? state.settings.get(state.defaultStrategyId)!,
      isExpired: state.isExpired,
      now: this.#d.clock.now(),
    });
  }

  async #run(job: string, scope?: HkScope, options: CleanupOptions = {}): Promise<CleanupResult> {
    const started = performance.now();
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    let state = await loadHkState(db, now, scope);
    // OCO first: a leg cancelled because its partner filled is not also a "position closed" orphan.
    if ((await runOco(state, this.#ocoDeps(job), scope)) > 0) state = await loadHkState(db, this.#d.clock.now(), scope);
    let detections = this.#detections(state);
    if (options.strategyId !== undefined) detections = detections.filter((d) => d.strategy_id === options.strategyId);
    const actions: CleanupResult['actions'] = [];
    for (const detection of detections) {
      const order = state.openOrders.find((o) => o.order_id === detection.order_id)!;
      let action = detection.action;
      if (options.force && action.kind === 'report')
        action = detection.reason === 'EXCESS_QUANTITY' ? action : { kind: 'cancel' };
      const result = options.dryRun ? 'dry-run' : await this.#act(job, order, detection, action);
      actions.push({
        order_id: detection.order_id,
        action: action.kind === 'reduce' ? `reduce to ${action.quantity}` : action.kind,
        result,
      });
    }
    if (job !== 'event') {
      const summary = `${detections.length} orphans, ${actions.filter((a) => a.result === 'cancelled' || a.result === 'reduced').length} acted on${options.dryRun ? ' (dry run)' : ''} in ${Math.round(performance.now() - started)} ms`;
      await this.#finish(job, state, now, summary);
    }
    return { detections, actions };
  }

  async #act(
    job: string,
    order: HkOrder,
    detection: OrphanDetection,
    action: OrphanDetection['action'],
  ): Promise<string> {
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    const actionText = action.kind === 'reduce' ? `reduce to ${action.quantity}` : action.kind;
    const first = !this.#notified.has(`${order.order_id}:${detection.reason}`);
    if (first) {
      this.#notified.add(`${order.order_id}:${detection.reason}`);
      await markOrphan(
        db,
        order.order_id,
        { reason: detection.reason, parentPositionId: detection.parent_position_id, action: actionText },
        now,
      );
      await this.#d.audit({
        type: 'ORPHAN_DETECTED',
        strategyId: order.strategy_id,
        orderId: order.order_id,
        payload: {
          reason: detection.reason,
          action: actionText,
          parent_position_id: detection.parent_position_id,
          explanation: detection.explanation,
          job,
        },
      });
      if (detection.notify) {
        const { alert, created } = await raiseAlert(
          db,
          {
            type: 'ORPHAN_DETECTED',
            priority: 'high',
            strategyId: order.strategy_id,
            orderId: order.order_id,
            title: `Orphaned ${order.order_type} ${order.transaction_type} ${order.exchange}:${order.tradingsymbol}`,
            message: `${detection.explanation}. ${action.kind === 'report' ? 'Not cancelled (this strategy allows orphans): cancel it yourself or run `som orphans cleanup --force`.' : `som will ${actionText} it.`}`,
            payload: { reason: detection.reason },
            dedupeKey: `orphan:${order.order_id}`,
          },
          now,
        );
        if (created)
          await this.#d.audit({
            type: 'ALERT_RAISED',
            strategyId: order.strategy_id,
            orderId: order.order_id,
            payload: { alert_id: alert.id, type: 'ORPHAN_DETECTED' },
          });
      }
    }
    if (action.kind === 'report') {
      if (first)
        await recordHousekeepingEvent(
          db,
          {
            job,
            strategyId: order.strategy_id,
            orderId: order.order_id,
            action: 'report',
            reason: detection.reason,
            result: 'reported',
          },
          now,
        );
      return 'reported';
    }
    return this.#modifyOrCancel(job, order, detection.reason, action);
  }

  /** Cancel or reduce an order at the broker, once at a time, understanding "already closed". */
  async #modifyOrCancel(
    job: string,
    order: HkOrder,
    reason: string,
    action: { kind: 'cancel' } | { kind: 'reduce'; quantity: number },
  ): Promise<string> {
    const { db } = this.#d.store;
    if (this.#inFlight.has(order.order_id)) return 'in flight';
    // Sent moments ago and the broker's update has not arrived yet: do not send it twice.
    const key = `${order.order_id}:${action.kind === 'cancel' ? 'cancel' : action.quantity}`;
    const sentAt = this.#sent.get(key);
    if (sentAt !== undefined && Date.now() - sentAt < RESEND_AFTER_MS) return 'sent, awaiting the broker';
    const attempts = (this.#attempts.get(order.order_id) ?? 0) + 1;
    if (attempts > MAX_ATTEMPTS) return 'gave up';
    this.#attempts.set(order.order_id, attempts);
    this.#inFlight.add(order.order_id);
    const started = performance.now();
    let result: string;
    try {
      if (action.kind === 'cancel') await this.#d.broker.cancelOrder(order.variety, order.order_id);
      else await this.#d.broker.modifyOrder(order.variety, order.order_id, { quantity: action.quantity });
      result = action.kind === 'cancel' ? 'cancelled' : 'reduced';
      this.#attempts.delete(order.order_id);
      this.#sent.set(key, Date.now());
      if (this.#sent.size > 10_000) this.#sent.clear();
    } catch (err) {
      if (
        err instanceof BrokerError &&
        (err.kind === 'order' || err.kind === 'input') &&
        ALREADY_CLOSED.test(err.message)
      ) {
        result = 'already closed';
        this.#attempts.delete(order.order_id);
      } else {
        result = `error: ${(err as Error).message}`;
        if (attempts === MAX_ATTEMPTS) await this.#giveUpAlert(order, (err as Error).message);
      }
    } finally {
      this.#inFlight.delete(order.order_id);
    }
    const now = this.#d.clock.now();
    const durationMs = performance.now() - started;
    await recordHousekeepingEvent(
      db,
      {
        job,
        strategyId: order.strategy_id,
        orderId: order.order_id,
        action: action.kind === 'cancel' ? 'cancel' : `reduce to ${action.quantity}`,
        reason,
        result,
        durationMs,
      },
      now,
    );
    await this.#d.audit({
      type: action.kind === 'cancel' ? 'ORPHAN_CANCELLED' : 'ORPHAN_REDUCED',
      strategyId: order.strategy_id,
      orderId: order.order_id,
      payload: {
        reason,
        result,
        job,
        ...(action.kind === 'reduce' ? { quantity: action.quantity } : {}),
        ms: Math.round(durationMs),
      },
    });
    this.#d.logger.info('housekeeping.action', {
      orderId: order.order_id,
      action: action.kind,
      reason,
      result,
      ms: Math.round(durationMs),
    });
    return result;
  }

  async #giveUpAlert(order: HkOrder, message: string): Promise<void> {
    await raiseAlert(
      this.#d.store.db,
      {
        type: 'CLEANUP_FAILED',
        priority: 'critical',
        strategyId: order.strategy_id,
        orderId: order.order_id,
        title: `Could not cancel ${order.exchange}:${order.tradingsymbol} order ${order.order_id}`,
        message: `${MAX_ATTEMPTS} attempts failed (${message}). Cancel it on Kite yourself.`,
        dedupeKey: `cleanup-failed:${order.order_id}`,
      },
      this.#d.clock.now(),
    );
  }

  #ocoDeps(job: string) {
    return {
      store: this.#d.store,
      clock: this.#d.clock,
      audit: this.#d.audit,
      logger: this.#d.logger,
      act: (order: HkOrder, reason: string, action: { kind: 'cancel' } | { kind: 'reduce'; quantity: number }) =>
        this.#modifyOrCancel(job, order, reason, action),
      placeMarket: this.#d.placeMarket,
    };
  }

  /** First sight of an order placed outside som: decide whether it is an entry or protects a position. */
  async #assignRole(order: BrokerOrder): Promise<void> {
    if (TERMINAL_STATUSES.has(order.status) && order.filled_quantity === 0) return;
    const { db } = this.#d.store;
    const row = await db
      .selectFrom('orders')
      .select(['role', 'strategy_id'])
      .where('order_id', '=', order.order_id)
      .executeTakeFirst();
    if (!row || row.role !== null) return;
    const state = await loadHkState(db, this.#d.clock.now(), {
      exchange: order.exchange,
      tradingsymbol: order.tradingsymbol,
    });
    const position = state.positions.find((p) => p.strategy_id === row.strategy_id && p.product === order.product);
    // The position before this order: take its own fills back out.
    const own = order.transaction_type === 'BUY' ? order.filled_quantity : -order.filled_quantity;
    const before = (position?.quantity ?? 0) - own;
    const hk = state.openOrders.find((o) => o.order_id === order.order_id) ?? toHk(order, row.strategy_id);
    // Kite turns a MARKET order into a LIMIT at its protection price (tagged `mktp`): still an
    // immediate exit, never a resting target.
    const asPlaced = order.tags.some((t) => t === 'mktp' || t.startsWith('mktp:'))
      ? { ...hk, order_type: 'MARKET' }
      : hk;
    const lastPrice = this.#d.lastPrice?.(order.instrument_token);
    const { role, reason } = inferRole(asPlaced, before, lastPrice === undefined ? {} : { lastPrice });
    await setOrderRole(db, order.order_id, role, reason);
  }
}

function toHk(o: BrokerOrder, strategyId: number): HkOrder {
  return {
    order_id: o.order_id,
    strategy_id: strategyId,
    source: 'external',
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    instrument_token: o.instrument_token,
    product: o.product,
    transaction_type: o.transaction_type,
    order_type: o.order_type,
    variety: o.variety,
    status: o.status,
    quantity: o.quantity,
    filled_quantity: o.filled_quantity,
    pending_quantity: o.pending_quantity,
    price: o.price,
    trigger_price: o.trigger_price,
    average_price: o.average_price,
    order_timestamp: o.order_timestamp,
    role: null,
    oco_group_id: null,
    parent_position_id: null,
  };
}
