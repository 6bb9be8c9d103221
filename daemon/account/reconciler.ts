import type { Broker } from '../../src/broker/broker.js';
import type { ReconcileConfig } from '../../src/config/reconcile.js';
import type { BrokerOrder } from '../../src/domain/order.js';
import { accountQuantities } from '../../src/domain/position-shares.js';
import type { Clock } from '../../src/market/clock.js';
import { istDate } from '../../src/market/ist.js';
import { SomError } from '../../src/protocol/errors.js';
import type { ReconcileRoundView } from '../../src/protocol/methods/books.js';
import {
  CHANGED_WHILE_READ,
  type HealOutcome,
  planRound,
  type RoundReport,
  settleRound,
} from '../../src/reconcile/round.js';
import { reconcileShares } from '../../src/reconcile/shares.js';
import type { Store } from '../../src/store/database.js';
import { loadShares } from '../../src/store/position-shares.js';
import {
  finishReconcileRound,
  healEvent,
  loadReconcileBooks,
  loadReconcilePersistence,
  writeRecordHeal,
} from '../../src/store/reconcile.js';
import { strategyNames } from '../../src/store/strategies.js';
import { SerialQueue } from '../../src/util/serial-queue.js';
import type { Logger } from '../logger.js';
import type { AccountSync } from './account-sync.js';

/** What started a round: a broker session became ready, the feed came back, the hourly schedule, the user, end of day. */
export type ReconcileTrigger = 'start' | 'reconnect' | 'schedule' | 'manual' | 'eod';

export interface ReconcilerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  broker: Broker;
  account: AccountSync;
  /** Settle placements whose fate was unknown from an order book just read (the order desk). */
  settleFates(orders: readonly BrokerOrder[]): Promise<unknown>;
  config(): ReconcileConfig;
  /** Why the broker cannot be asked now (no session), or null. */
  brokerBlocked(): string | null;
}

/** A round's report, and the broker's order book it read (end of day matches orders against it). */
export interface RoundOutcome {
  view: ReconcileRoundView;
  brokerOrderIds: ReadonlySet<string>;
}

/**
 * Data reconciliation: som's orders, fills, positions and shares against the broker's books
 * (src/reconcile), healed by adopting the broker's records, never by trading. A round reads the
 * broker's order book, trade book, positions and holdings, loads som's books, plans with
 * `planRound`, and carries out the heals: an order through the account's own update rule (its
 * fills shared out once), a fill or a position as a store write, each with its RECONCILE_HEALED
 * entry; then the account is read again, which lets the position basis adopt what the broker
 * holds and no fill explains (the one adoption rule). What is left is compared again, and the
 * round is recorded (`finishReconcileRound`). One round at a time.
 */
export class Reconciler {
  readonly #d: ReconcilerDeps;
  readonly #queue = new SerialQueue();

  constructor(deps: ReconcilerDeps) {
    this.#d = deps;
  }

  /** Run a round now (after any round in progress); `strategyId` limits it to that strategy's orders and fills. */
  round(trigger: ReconcileTrigger, strategyId?: number): Promise<RoundOutcome> {
    return this.#queue.run(() => this.#round(trigger, strategyId));
  }

  async #round(trigger: ReconcileTrigger, strategyId: number | undefined): Promise<RoundOutcome> {
    const blocked = this.#d.brokerBlocked();
    if (blocked) throw new SomError('BROKER_ERROR', `cannot reconcile with the broker now: ${blocked}`);
    const { store, clock, broker, account } = this.#d;
    const { db } = store;
    const started = performance.now();
    const readAt = clock.now();
    // Orders before trades: every fill in the trade book then belongs to an order in the order book.
    const orders = await broker.orders();
    const trades = await broker.trades();
    const { net } = await broker.positions();
    const holdings = await broker.holdings();
    await this.#d.settleFates(orders);
    const now = clock.now();
    const config = this.#d.config();
    const whole = strategyId === undefined;
    const loaded = await account.exclusive(() => loadReconcileBooks(db, now, readAt));
    const plan = planRound({
      day: istDate(now),
      som: loaded,
      broker: { orders, trades, positions: net },
      priceTolerance: config.price_tolerance,
      strategyId,
      shares: loaded.shares,
      account: accountQuantities(net, holdings),
      changedSince: loaded.changedSince,
    });

    const outcomes = new Map<string, HealOutcome>();
    account.beginHealing();
    let adoptions: ReturnType<AccountSync['endHealing']> = [];
    try {
      for (const heal of plan.heals) {
        try {
          if (heal.record === 'order') {
            const applied = await account.heal(heal.row, healEvent(heal));
            outcomes.set(heal.id, applied ? { ok: true } : { ok: false, reason: CHANGED_WHILE_READ });
          } else {
            await account.exclusive(() => writeRecordHeal(db, heal, clock.now()));
            outcomes.set(heal.id, { ok: true });
          }
        } catch (err) {
          const reason = `the heal failed: ${(err as Error).message}`;
          outcomes.set(heal.id, { ok: false, reason });
          this.#d.logger.warn('reconcile.heal_failed', { heal: heal.id, error: (err as Error).message });
        }
      }
      // The rest of the account read again (GTTs too); positions twice, so a difference that
      // held still is adopted into the strategies' shares by the position basis's rule.
      if (whole) await account.refresh();
    } finally {
      adoptions = account.endHealing();
    }
    const sharesAfter = whole
      ? reconcileShares(await loadShares(db), account.accountQuantities ?? accountQuantities(net, holdings))
      : [];
    const at = clock.now();
    const report = settleRound({
      plan,
      outcomes,
      sharesAfter,
      adoptions,
      persistence: whole ? await loadReconcilePersistence(db) : null,
      at: at.toISOString(),
      escalateAfterRounds: config.escalate_after_rounds,
    });
    const durationMs = performance.now() - started;
    await finishReconcileRound(
      db,
      {
        trigger,
        strategyId: strategyId ?? null,
        report,
        durationMs,
        messages: new Map(report.discrepancies.map((d) => [d.id, d.message])),
      },
      at,
    );
    if (report.discrepancies.length > 0) {
      this.#d.logger.info('reconcile.round', {
        trigger,
        found: report.discrepancies.length,
        unhealed: report.unhealed,
      });
    }
    return {
      view: await this.#view(report, { at, trigger, strategyId, durationMs }),
      brokerOrderIds: new Set(orders.map((o) => o.order_id)),
    };
  }

  async #view(
    report: RoundReport,
    round: { at: Date; trigger: ReconcileTrigger; strategyId: number | undefined; durationMs: number },
  ): Promise<ReconcileRoundView> {
    const names = await strategyNames(this.#d.store.db);
    const nameOf = (id: number | null | undefined) =>
      id === null || id === undefined ? null : (names.get(id) ?? String(id));
    return {
      at: round.at.toISOString(),
      trigger: round.trigger,
      strategy: nameOf(round.strategyId),
      duration_ms: round.durationMs,
      counts: report.counts,
      healed: report.healed,
      unhealed: report.unhealed,
      discrepancies: report.discrepancies.map((d) => ({
        id: d.id,
        kind: d.kind,
        record: d.record,
        key: d.key,
        strategy: nameOf(d.strategy_id),
        som: d.som,
        broker: d.broker,
        message: d.message,
        healed: d.healed,
        how: d.how,
        unhealed: d.healed ? null : (d.unhealed ?? 'not healed'),
      })),
      escalated: report.escalate,
      open: report.open,
    };
  }
}
