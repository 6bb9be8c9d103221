import type { Broker } from '../../src/broker/broker.js';
import { BrokerError } from '../../src/broker/errors.js';
import type { IntentSettlement } from '../../src/broker/order-fate.js';
import { fateUnknownAlert } from '../../src/broker/order-fate.js';
import {
  INTENT_ERROR_CODES,
  type IntentLedger,
  OrderFateUnknown,
  placeOrderOnce,
} from '../../src/broker/order-placement.js';
import { newOrderTag } from '../../src/broker/order-tag.js';
import {
  type BrokerOrder,
  type ModifyOrderRequest,
  type PlaceOrderRequest,
  TERMINAL_STATUSES,
} from '../../src/domain/order.js';
import { SomError } from '../../src/protocol/errors.js';
import type { GateRequest } from '../../src/risk/gate.js';
import type { Store } from '../../src/store/database.js';
import { listIntents, orderCreatedEvent } from '../../src/store/intents.js';
import { getOrder } from '../../src/store/orders.js';
import { within } from '../../src/util/within.js';
import type { Logger } from '../logger.js';
import type { Recorder } from '../recorder.js';
import type { AccountSync } from './account-sync.js';
import { afterIntent } from './after-intent.js';
import type { CostLedger } from './cost-ledger.js';
import { settleUnknownIntents } from './order-fates.js';

export interface OrderDeskDeps {
  store: Store;
  costs: CostLedger;
  broker: Broker;
  ledger: IntentLedger;
  account: AccountSync;
  recorder: Recorder;
  logger: Logger;
  /** Why orders may not go out now (session invalid, broker unhealthy), or null. */
  placementBlocked(): string | null;
  onBrokerError(err: BrokerError, during: string): void;
  /** The broker client's time-out for one request (`broker.timeout_ms`). */
  requestTimeoutMs: number;
  /** Default {@link PLACEMENT_DEADLINE_MS}. */
  placementDeadlineMs?: number;
  /** Records the market analysis of an order about to go out (`known`: one made already); its id. Never holds it. */
  analyse?(strategyId: number, request: PlaceOrderRequest, known?: number): Promise<number | null>;
}

/**
 * The longest a placement may take before som answers that its fate is unknown.
 *
 * som's client waits 60 s for an answer. Unbounded, a placement could take minutes: with the
 * default broker.timeout_ms of 7 s, a send (7 s), five look-ups in the order book, each a read
 * of up to four tries (5 x (0.3 + 4 x 7 + 1.4) s), a resend (7 s) and five more look-ups: about
 * five minutes. With this bound the whole request stays inside the client's minute: before the
 * send, the ORDER_CREATED audit (a write retried for at most about 3 s); after it, the
 * unknown-fate alert (the same) or the order's first state (at most {@link LEARN_WITHIN_MS}):
 * 3 + 40 + 5 = 48 s.
 */
export const PLACEMENT_DEADLINE_MS = 40_000;

/** After a placement, the order's state is read at once for at most this long; the feed brings it otherwise. */
export const LEARN_WITHIN_MS = 5_000;

/**
 * The risk engine's pre-trade gate: resolves when the order may go, rejects with RISK_BLOCKED
 * (exit 4) when it may not. `exit`: a square-off's own exit, which always passes (and counts).
 */
export type OrderGate = (strategyId: number, request: GateRequest, options: { exit: boolean }) => Promise<void>;

export interface PlaceOptions {
  /** The analysis `som trade` made for this order. */
  analysisId?: number;
  /** The tag to send under, chosen (and stored) by the caller; a fresh one otherwise. */
  tag?: string;
  /** An exit som sends to close a position (the square-off's): never refused by the risk gate. */
  exit?: boolean;
  /**
   * The caller wrote this order's intent and ORDER_CREATED audit itself, in the commit that
   * decided the order (`recordNewIntents`), and claimed its tag ({@link OrderDesk.claim}): only
   * the send is left.
   */
  recorded?: boolean;
  /**
   * With `recorded`: the intent is being written in a transaction of the caller's that ends when
   * this settles (an armed exit, whose record on disk was its armed tag, leaves first). The
   * order's fate is written after it; if that transaction failed, the intent is recorded here.
   */
  intentWritten?: Promise<unknown>;
  /** With `intentWritten`: told once the broker has answered (or the order was not sent), before its fate waits for the intent. */
  answered?: () => void;
}

/** How many recent placement latencies the health check looks at. */
const LATENCY_WINDOW = 20;

/**
 * Sends som's orders: each gets a fresh tag carrying its strategy, recorded as an intent
 * (and audited as ORDER_CREATED) before the request leaves; a request that times out is
 * looked up by tag instead of being resent blindly (order-placement.ts). A placement answers
 * within {@link PLACEMENT_DEADLINE_MS}; one whose fate is then unknown raises an
 * ORDER_FATE_UNKNOWN alert at once, and is settled by the next full read of the order book.
 */
export class OrderDesk {
  readonly #d: OrderDeskDeps;
  readonly latencies: number[] = [];
  /** Tags with a send still on its way (one left behind at the deadline included). */
  readonly #sending = new Set<string>();
  #gate: OrderGate | null = null;

  constructor(deps: OrderDeskDeps) {
    this.#d = deps;
  }

  /** Every order and modification passes `gate` first (the risk engine's pre-trade gate). */
  useGate(gate: OrderGate): void {
    this.#gate = gate;
  }

  async place(
    strategyId: number,
    request: Omit<PlaceOrderRequest, 'tag'>,
    options: PlaceOptions = {},
  ): Promise<{ orderId: string; tag: string; recovered: boolean }> {
    const tag = options.tag ?? newOrderTag(strategyId);
    const tagged = { ...request, tag };
    const ledger =
      options.recorded && options.intentWritten
        ? afterIntent(this.#d.ledger, options.intentWritten, { tag, strategyId, request: tagged }, options.answered)
        : this.#d.ledger;
    try {
      await this.#gate?.(strategyId, { action: 'place', ...request }, { exit: options.exit === true });
      this.#assertOpen();
    } catch (err) {
      if (options.recorded) await this.#neverSent(ledger, tag, err);
      throw err;
    }
    // An exit leaves without waiting for an analysis or its bookkeeping: its expected charges
    // are stored once it has left. Any other order's are stored before it leaves (a costing
    // failure never blocks it).
    const analysisId =
      this.#d.analyse && !options.exit
        ? await this.#d.analyse(strategyId, tagged, options.analysisId).catch(() => null)
        : null;
    const estimate = () => this.#d.costs.recordEstimate(strategyId, tagged).catch(() => null);
    const costBreakdownId = options.exit ? null : await estimate();
    if (!options.recorded) {
      await this.#d.recorder.audit(
        orderCreatedEvent({ strategyId, tag, request: tagged, costBreakdownId, analysisId }),
      );
    }
    const sends: Promise<unknown>[] = [];
    this.#sending.add(tag);
    const started = performance.now();
    let placed: { orderId: string; recovered: boolean };
    try {
      placed = await placeOrderOnce(
        this.#d.broker,
        ledger,
        { strategyId, request: tagged },
        {
          deadlineMs: this.#d.placementDeadlineMs ?? PLACEMENT_DEADLINE_MS,
          sendTimeoutMs: this.#d.requestTimeoutMs,
          track: (send) => sends.push(send),
          recorded: options.recorded === true,
        },
      );
    } catch (err) {
      await this.#notPlaced(strategyId, tagged, err);
      throw err;
    } finally {
      // A send left behind at the deadline may still land: its intent stays open until it is done.
      void Promise.allSettled(sends).then(() => this.#sending.delete(tag));
    }
    this.#latency(performance.now() - started);
    const { orderId, recovered } = placed;
    // The order is at the broker: nothing after this point may make it look unplaced. A lost
    // write is the recorder's to report; a missed cost link is made again when the order's
    // first update arrives.
    if (recovered) {
      await this.#d.recorder
        .audit({
          type: 'ORDER_RECOVERED',
          strategyId,
          orderId,
          payload: { tag, note: 'request failed in transit; found in the order book by its tag, not resent' },
        })
        .catch(() => undefined);
    }
    if (options.exit) await estimate();
    await this.#d.costs
      .link(orderId, tag)
      .catch((err) => this.#d.logger.warn('costs.link_failed', { orderId, tag, error: (err as Error).message }));
    await this.#learn(orderId);
    return { orderId, tag, recovered };
  }

  /**
   * Tags whose intents the caller is about to write itself and will place with `recorded`: from
   * now until that placement ends (or {@link OrderDesk.unclaim}), settling fates leaves them
   * alone, as it does a send on its way. Claimed before the write, so no read of the order book
   * can find one pending and not yet sent, and call it never placed.
   */
  claim(tags: readonly string[]): void {
    for (const t of tags) this.#sending.add(t);
  }

  /** Claimed tags whose intents were not written after all (their transaction failed). */
  unclaim(tags: readonly string[]): void {
    for (const t of tags) this.#sending.delete(t);
  }

  /** A recorded intent the desk would not send (it is closing): the ledger says so, and it may be sent again. */
  async #neverSent(ledger: IntentLedger, tag: string, err: unknown): Promise<void> {
    this.#sending.delete(tag);
    await ledger
      .failed(tag, { code: INTENT_ERROR_CODES.notSent, message: `not sent: ${(err as Error).message}` })
      .catch(() => undefined);
  }

  /** Record why a placement did not land; when its fate is unknown, tell the user at once. */
  async #notPlaced(strategyId: number, request: PlaceOrderRequest & { tag: string }, err: unknown): Promise<void> {
    const error = err instanceof SomError ? err.toValue() : { code: 'FAILED', message: String(err) };
    await this.#d.recorder
      .audit({ type: 'ORDER_SEND_FAILED', strategyId, payload: { tag: request.tag, error } })
      .catch(() => undefined);
    if (err instanceof OrderFateUnknown) {
      // Raised before the caller is answered, with the tag to look for, whatever the client does next.
      await this.#d.recorder
        .raise(fateUnknownAlert({ tag: request.tag, strategyId, request, why: err.why }), { tag: request.tag })
        .catch(() => undefined);
    }
    if (err instanceof BrokerError) this.#d.onBrokerError(err, 'place order');
  }

  /**
   * Settle intents whose fate is open against a full read of the order book (`book`; read here
   * when not given and something is open): unknown ones, and pending ones no send of this
   * process is working on (a crash interrupted them). A tag whose send is still on its way is
   * left alone: its order may yet appear.
   */
  async settleFates(book?: readonly BrokerOrder[]): Promise<IntentSettlement[]> {
    if (!book) {
      const open = await listIntents(this.#d.store.db, { states: ['pending', 'unknown'] });
      if (open.every((i) => this.#sending.has(i.tag))) return [];
      book = await this.#d.broker.orders();
    }
    const settled = await settleUnknownIntents(
      book,
      { store: this.#d.store, ledger: this.#d.ledger, recorder: this.#d.recorder },
      { includePending: true, sending: this.#sending },
    );
    // An order found by its tag joins the account now (a no-op when the feed already brought it).
    for (const s of settled) if (s.kind === 'placed') await this.#d.account.ingest(s.order, 'refresh');
    return settled;
  }

  async modify(orderId: string, changes: ModifyOrderRequest, options: { exit?: boolean } = {}): Promise<void> {
    this.#assertOpen();
    const order = await this.#liveOrder(orderId, 'modify');
    const quantity = changes.quantity === undefined ? order.pending_quantity : changes.quantity - order.filled_quantity;
    await this.#gate?.(
      order.strategy_id,
      { action: 'modify', previous_quantity: order.pending_quantity, ...order, quantity },
      { exit: options.exit === true },
    );
    if (Object.keys(changes).length === 0)
      throw new SomError(
        'INVALID_INPUT',
        'nothing to change: give a quantity, price, trigger price, order type or validity',
      );
    try {
      await this.#d.broker.modifyOrder(order.variety, orderId, changes);
    } catch (err) {
      if (err instanceof BrokerError) this.#d.onBrokerError(err, 'modify order');
      throw err;
    }
    await this.#d.recorder.audit({
      type: 'ORDER_MODIFY_REQUESTED',
      strategyId: order.strategy_id,
      orderId,
      payload: { changes },
    });
    await this.#learn(orderId);
  }

  async cancel(orderId: string): Promise<void> {
    this.#assertOpen();
    const order = await this.#liveOrder(orderId, 'cancel');
    try {
      await this.#d.broker.cancelOrder(order.variety, orderId, order.parent_order_id ?? undefined);
    } catch (err) {
      if (err instanceof BrokerError) this.#d.onBrokerError(err, 'cancel order');
      throw err;
    }
    await this.#d.recorder.audit({
      type: 'ORDER_CANCEL_REQUESTED',
      strategyId: order.strategy_id,
      orderId,
      payload: {},
    });
    await this.#learn(orderId);
  }

  /** The median of recent placement round trips, or null before the first. */
  medianLatencyMs(): number | null {
    if (this.latencies.length === 0) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  #latency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.shift();
  }

  #assertOpen(): void {
    const blocked = this.#d.placementBlocked();
    if (blocked) throw new SomError('BROKER_UNAVAILABLE', `order placement is paused: ${blocked}`);
  }

  async #liveOrder(orderId: string, verb: string) {
    const order = await getOrder(this.#d.store.db, orderId);
    if (!order) throw new SomError('NOT_FOUND', `no order ${orderId}; see \`som orders\``);
    if (TERMINAL_STATUSES.has(order.status)) {
      throw new SomError('INVALID_INPUT', `cannot ${verb} order ${orderId}: it is already ${order.status}`);
    }
    return order;
  }

  /** Read the order's latest state now rather than waiting for the WebSocket (for a moment at most). */
  async #learn(orderId: string): Promise<void> {
    try {
      const history = await within(this.#d.broker.orderHistory(orderId), LEARN_WITHIN_MS);
      const latest = history.done ? history.value.at(-1) : undefined;
      if (latest) await this.#d.account.ingest(latest, 'history');
    } catch (err) {
      // The WebSocket or the next refresh will bring it; the order itself went through.
      if (err instanceof BrokerError) this.#d.onBrokerError(err, 'order history');
    }
  }
}
