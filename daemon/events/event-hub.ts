import type { LiveTick } from '../../src/broker/ticker.js';
import { TERMINAL_STATUSES } from '../../src/domain/order.js';
import type { Clock } from '../../src/market/clock.js';
import { addSample, type SeriesPoint } from '../../src/pnl/day-series.js';
import { dayPositions, markAccount } from '../../src/pnl/mark-to-market.js';
import type { AlertView } from '../../src/protocol/methods/alerts.js';
import {
  EVENT_NOTIFICATION,
  EVENT_TOPICS,
  type EventNotificationParams,
  type EventTopic,
  type SomEvent,
} from '../../src/protocol/methods/events.js';
import type { PositionView } from '../../src/protocol/methods/orders.js';
import type { ParamsOf, ResultOf } from '../../src/protocol/methods.js';
import type { Store } from '../../src/store/database.js';
import { getInstrumentByToken } from '../../src/store/instruments.js';
import { orderViews, positionViews } from '../../src/store/order-views.js';
import type { ClientChannel } from '../client-channel.js';
import type { Logger } from '../logger.js';

export interface EventHubDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The live feed's latest ticks. */
  ticks: { get(token: number): LiveTick | undefined; entries(): Iterable<[number, LiveTick]> };
  /** Wall-clock pacing (tests pass their own). */
  sampleEveryMs?: number;
  positionsSettleMs?: number;
}

/** A job's run as the scheduler reports it when it ends. */
export interface JobRunEvent {
  job: string;
  trigger: 'schedule' | 'manual' | 'start';
  ok: boolean;
  result: string;
  durationMs: number;
}

/** A housekeeping pass that acted, or changed roles. */
export interface HousekeepingPassEvent {
  scope: { exchange: string; tradingsymbol: string } | undefined;
  /** Orders whose role or state the pass changed: their new state is pushed. */
  orderIds: readonly string[];
  actions: readonly { order_id: string; action: string; result: string; failed: boolean }[];
}

/**
 * A subscriber whose unread backlog passes this has tick summaries and position lists held
 * back (the next one carries the news); past {@link DROP_BACKLOG_BYTES} it is disconnected.
 */
const SKIP_BACKLOG_BYTES = 256 * 1024;
/** A subscriber this far behind has stopped reading: it is cut off rather than let somd's memory grow. */
const DROP_BACKLOG_BYTES = 4 * 1024 * 1024;
/** Positions refreshes come in bursts after fills: one list per burst. */
const POSITIONS_SETTLE_MS = 100;
/** The day's M2M is sampled this often (wall time); the series keeps one point a minute. */
const SAMPLE_EVERY_MS = 5_000;

interface Subscription {
  readonly id: number;
  readonly channel: ClientChannel;
  readonly topics: ReadonlySet<EventTopic>;
  readonly tickIntervalMs: number;
  /** Events wait here until the subscribe answer has gone out, so the answer is the first line. */
  pending: SomEvent[] | null;
  /** The last price each instrument had in this subscriber's previous tick summary. */
  readonly sentPrices: Map<number, number>;
  timer: NodeJS.Timeout | null;
}

/**
 * Events pushed to subscribers on the socket (`events.subscribe`): orders, positions, tick
 * summaries, alerts, job runs and housekeeping actions, as JSON-RPC notifications. Orders,
 * alerts, jobs and housekeeping go out as they happen; positions once a burst of changes has
 * settled; ticks as one summary per subscriber's interval. Nothing is read from the store for a
 * topic no one has asked for. A subscriber that stops reading loses tick summaries first and
 * its connection last: somd never waits for a screen.
 */
export class EventHub {
  readonly #d: EventHubDeps;
  readonly #subs = new Map<number, Subscription>();
  #nextId = 1;
  /** Today's positions as the broker last reported them: marked to the feed for every summary. */
  #day: PositionView[] = [];
  #series: SeriesPoint[] = [];
  readonly #names = new Map<number, { exchange: string; tradingsymbol: string } | null>();
  #positionsTimer: NodeJS.Timeout | null = null;
  #sampleTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(deps: EventHubDeps) {
    this.#d = deps;
  }

  /** Load today's positions and start sampling the day's M2M. */
  async start(): Promise<void> {
    await this.#loadPositions();
    this.#sampleTimer = setInterval(() => this.#sample(), this.#d.sampleEveryMs ?? SAMPLE_EVERY_MS);
    this.#sampleTimer.unref();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#sampleTimer) clearInterval(this.#sampleTimer);
    if (this.#positionsTimer) clearTimeout(this.#positionsTimer);
    for (const sub of this.#subs.values()) if (sub.timer) clearInterval(sub.timer);
    this.#subs.clear();
  }

  get subscribers(): number {
    return this.#subs.size;
  }

  /** Start pushing to `channel`; events begin after the answer to the request has been written. */
  subscribe(channel: ClientChannel, params: ParamsOf<'events.subscribe'>): ResultOf<'events.subscribe'> {
    const topics = new Set<EventTopic>(params.topics ?? EVENT_TOPICS);
    const sub: Subscription = {
      id: this.#nextId++,
      channel,
      topics,
      tickIntervalMs: params.tick_interval_ms,
      pending: [],
      sentPrices: new Map(),
      timer: null,
    };
    this.#subs.set(sub.id, sub);
    channel.onClose(() => this.#drop(sub));
    if (topics.has('ticks')) {
      sub.timer = setInterval(() => void this.#summarise(sub), sub.tickIntervalMs);
      sub.timer.unref();
    }
    // The answer is written when the handler's promise settles, in this turn of the event
    // loop; the events held meanwhile follow it.
    setImmediate(() => {
      const held = sub.pending ?? [];
      sub.pending = null;
      for (const event of held) this.#send(sub, event);
    });
    return {
      subscription: sub.id,
      topics: [...topics],
      tick_interval_ms: sub.tickIntervalMs,
      at: this.#d.clock.now().toISOString(),
      positions: this.#day,
      m2m_today: this.#series,
    };
  }

  /** Stop one of `channel`'s subscriptions; false when it has none by that id. */
  unsubscribe(channel: ClientChannel, id: number): boolean {
    const sub = this.#subs.get(id);
    if (!sub || sub.channel !== channel) return false;
    this.#drop(sub);
    return true;
  }

  /** An order's state changed: push it as the store now has it. */
  orderChanged(orderId: string): void {
    if (!this.#wanted('orders')) return;
    void this.#pushOrders([orderId]);
  }

  /** The broker's positions changed: reload today's, and push them once the burst settles. */
  positionsChanged(): void {
    if (this.#positionsTimer || this.#stopped) return;
    this.#positionsTimer = setTimeout(() => {
      this.#positionsTimer = null;
      void this.#loadPositions()
        .then(async () => {
          if (this.#wanted('positions'))
            this.#publish({ type: 'positions', at: this.#now(), positions: this.#day }, true);
        })
        .catch((err) => this.#d.logger.warn('events.positions_failed', { error: (err as Error).message }));
    }, this.#d.positionsSettleMs ?? POSITIONS_SETTLE_MS);
    this.#positionsTimer.unref();
  }

  /** An alert was raised, read or resolved. */
  alertChanged(change: 'raised' | 'read' | 'resolved', alert: AlertView): void {
    this.#publish({ type: 'alert', at: this.#now(), change, alert });
  }

  /** A scheduled job's run ended. */
  jobDone(run: JobRunEvent): void {
    this.#publish({
      type: 'job',
      at: this.#now(),
      job: run.job,
      trigger: run.trigger,
      ok: run.ok,
      result: run.result,
      duration_ms: run.durationMs,
    });
  }

  /** A housekeeping pass ended: the orders it changed, and what it did if anything. */
  housekeepingDone(pass: HousekeepingPassEvent): void {
    if (pass.orderIds.length > 0 && this.#wanted('orders')) void this.#pushOrders(pass.orderIds);
    if (pass.actions.length === 0) return;
    this.#publish({
      type: 'housekeeping',
      at: this.#now(),
      exchange: pass.scope?.exchange ?? null,
      tradingsymbol: pass.scope?.tradingsymbol ?? null,
      actions: pass.actions.map((a) => ({ ...a })),
    });
  }

  async #pushOrders(orderIds: readonly string[]): Promise<void> {
    try {
      for (const orderId of orderIds) {
        const [order] = await orderViews(this.#d.store.db, { orderId, limit: 1 });
        if (order) this.#publish({ type: 'order', at: this.#now(), open: !TERMINAL_STATUSES.has(order.status), order });
      }
    } catch (err) {
      this.#d.logger.warn('events.order_failed', { error: (err as Error).message });
    }
  }

  async #loadPositions(): Promise<void> {
    this.#day = dayPositions(await positionViews(this.#d.store.db, true), this.#d.clock.now());
  }

  #sample(): void {
    if (this.#day.length === 0) return;
    const marks = markAccount(this.#day, (token) => this.#d.ticks.get(token)?.last_price);
    this.#series = addSample(this.#series, this.#d.clock.now(), marks.m2m);
  }

  /** One subscriber's tick summary: nothing when no price has moved since its last one. */
  async #summarise(sub: Subscription): Promise<void> {
    if (sub.pending !== null || sub.channel.backlog > SKIP_BACKLOG_BYTES) return;
    const moved: [number, LiveTick][] = [];
    for (const [token, tick] of this.#d.ticks.entries()) {
      if (sub.sentPrices.get(token) !== tick.last_price) moved.push([token, tick]);
    }
    if (moved.length === 0) return;
    for (const [token, tick] of moved) sub.sentPrices.set(token, tick.last_price);
    try {
      const ticks = [];
      for (const [token, tick] of moved) {
        const name = await this.#nameOf(token);
        ticks.push({
          instrument_token: token,
          exchange: name?.exchange ?? null,
          tradingsymbol: name?.tradingsymbol ?? null,
          last_price: tick.last_price,
          net_change: tick.net_change,
        });
      }
      const marks = markAccount(this.#day, (token) => this.#d.ticks.get(token)?.last_price);
      this.#send(sub, {
        type: 'ticks',
        at: this.#now(),
        ticks,
        positions: marks.positions,
        account: { pnl: marks.pnl, m2m: marks.m2m },
      });
    } catch (err) {
      this.#d.logger.warn('events.ticks_failed', { error: (err as Error).message });
    }
  }

  async #nameOf(token: number): Promise<{ exchange: string; tradingsymbol: string } | null> {
    const held = this.#day.find((p) => p.instrument_token === token);
    if (held) return held;
    if (!this.#names.has(token)) {
      const instrument = await getInstrumentByToken(this.#d.store.db, token);
      this.#names.set(
        token,
        instrument ? { exchange: instrument.exchange, tradingsymbol: instrument.tradingsymbol } : null,
      );
    }
    return this.#names.get(token) ?? null;
  }

  #wanted(topic: EventTopic): boolean {
    for (const sub of this.#subs.values()) if (sub.topics.has(topic)) return true;
    return false;
  }

  /** To every subscriber of the event's topic; `skippable` events wait out a subscriber's backlog. */
  #publish(event: SomEvent, skippable = false): void {
    const topic = TOPIC_OF[event.type];
    for (const sub of this.#subs.values()) {
      if (!sub.topics.has(topic)) continue;
      if (skippable && sub.channel.backlog > SKIP_BACKLOG_BYTES) continue;
      this.#send(sub, event);
    }
  }

  #send(sub: Subscription, event: SomEvent): void {
    if (sub.pending !== null) {
      sub.pending.push(event);
      return;
    }
    if (sub.channel.backlog > DROP_BACKLOG_BYTES) {
      this.#d.logger.warn('events.subscriber_dropped', {
        subscription: sub.id,
        backlog_bytes: sub.channel.backlog,
        note: 'it stopped reading its events',
      });
      this.#drop(sub);
      sub.channel.destroy();
      return;
    }
    const params: EventNotificationParams = { subscription: sub.id, event };
    if (!sub.channel.push(JSON.stringify({ jsonrpc: '2.0', method: EVENT_NOTIFICATION, params }))) this.#drop(sub);
  }

  #drop(sub: Subscription): void {
    if (sub.timer) clearInterval(sub.timer);
    sub.timer = null;
    this.#subs.delete(sub.id);
  }

  #now(): string {
    return this.#d.clock.now().toISOString();
  }
}

const TOPIC_OF: Record<SomEvent['type'], EventTopic> = {
  order: 'orders',
  positions: 'positions',
  ticks: 'ticks',
  alert: 'alerts',
  job: 'jobs',
  housekeeping: 'housekeeping',
};
