import { setImmediate as nextTurn } from 'node:timers/promises';
import { OrderFateUnknown } from '../../src/broker/order-placement.js';
import { newOrderTag } from '../../src/broker/order-tag.js';
import type { TickCache } from '../../src/broker/tick-cache.js';
import type { RiskConfig } from '../../src/config/risk.js';
import type { BrokerOrder, PlaceOrderRequest } from '../../src/domain/order.js';
import type { InstrumentProduct } from '../../src/domain/position-shares.js';
import type { Clock } from '../../src/market/clock.js';
import { freezeQuantity } from '../../src/market/freeze-quantity.js';
import { paceRequests } from '../../src/risk/pacing.js';
import { exitOrderRequest, type PlannedExit } from '../../src/risk/square-off.js';
import {
  exitQuoteOf,
  type LiveOrder,
  planRunPosition,
  type RunPositionPlan,
  unsentExits,
} from '../../src/risk/square-off-position.js';
import { type ArmedExit, disarm, loadArmedExits, settleArmedExits, writeArms } from '../../src/store/armed-exits.js';
import type { Store } from '../../src/store/database.js';
import { getInstrument } from '../../src/store/instruments.js';
import {
  type ExitIntent,
  type FirstExitPlanner,
  finishSquareOff,
  getSquareOff,
  type LoadedRunPosition,
  loadRunPosition,
  markUnsentExits,
  type NewExit,
  type RunReader,
  recordExitIntents,
  recordExitPlaced,
  recordExitRequest,
  runningSquareOffs,
  runPositions,
  type SquareOffRun,
} from '../../src/store/square-off.js';
import { SerialQueue } from '../../src/util/serial-queue.js';
import { within } from '../../src/util/within.js';
import type { CancelService } from '../account/cancel-service.js';
import type { OrderDesk } from '../account/order-desk.js';
import type { Logger } from '../logger.js';

export interface SquareOffEngineDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  desk: OrderDesk;
  cancels: CancelService;
  ticks: TickCache;
  config(): RiskConfig;
  /**
   * The limit price smart execution would give this exit, or null (then the exit is priced
   * marketable with protection). Until the deadline only: escalation is always marketable.
   */
  exitLimitPrice?(strategyId: number, exit: PlannedExit): number | null;
  /** Wall milliseconds for pacing (the exchange's rate is in real time); Date.now unless injected. */
  wall?: () => number;
}

/**
 * How long a breach's record waits for its fired exits' answers. Written while they are on
 * their way, the commit's disk work competes with them for the machine; the record holds no
 * exit back but the further slices of a fired position.
 */
const FIRED_ANSWER_WAIT_MS = 50;
/**
 * While anything is armed, how often the engine looks whether the store has changed since it
 * last read the armed positions, and reads them again if so. A look costs a few microseconds;
 * a read about a quarter of a millisecond per armed position, once per burst of writes (a
 * fill, its margin and P&L), since any change to the file counts. A breach within this long
 * of a write reads for itself, as it would without the read ahead.
 */
const READ_AHEAD_EVERY_MS = 25;
/** How long a kick waits for the first exits before its caller goes on. */
const KICK_WAIT_MS = 2_000;
/** After a request the broker failed, the position is planned again this much later (not at once). */
const RETRY_AFTER_MS = 1_000;
/** The broker holding less than the share is waited on this long before the rest counts as not there. */
const SETTLE_MS = 3_000;

interface InstrumentFacts {
  lot_size: number;
  tick_size: number;
  freeze_quantity: number | null;
  instrument_token: number;
}

/** A new exit: its plan, its tag, and the order that carries it (null: none can be made). */
type Exit = PlannedExit & { tag: string; request: PlaceOrderRequest | null };

/** A position to keep armed: its strategy squares off on a loss limit and it is open. */
export interface ArmTarget extends InstrumentProduct {
  strategy_id: number;
}

/** An armed exit a breach has sent, before the breach's record (its own among it) is written. */
interface Fired {
  strategy_id: number;
  where: InstrumentProduct;
  exit: Exit;
  /** Resolves once the broker has answered its placement (or it was not sent). */
  answered: Promise<void>;
}

/** An exit as the run records it. */
const exitRow = (e: PlannedExit & { tag: string }): NewExit => ({
  tag: e.tag,
  exchange: e.exchange,
  tradingsymbol: e.tradingsymbol,
  product: e.product,
  transaction_type: e.transaction_type,
  order_type: e.order_type,
  quantity: e.quantity,
  price: e.price,
});

const exitIntent = (e: Exit): ExitIntent => ({ ...exitRow(e), request: e.request });

const keyOf = (p: InstrumentProduct) => `${p.exchange}:${p.tradingsymbol}:${p.product}`;
/** The position alone, without the fields of what names it (an armed exit's tag and time). */
const positionOf = (p: InstrumentProduct): InstrumentProduct => ({
  exchange: p.exchange,
  tradingsymbol: p.tradingsymbol,
  product: p.product,
});
/** A strategy's position, as arming keys it. */
const armKey = (p: ArmTarget) => `${p.strategy_id}|${keyOf(p)}`;
/** A position of a run, as the engine's memory keys it. */
const positionKey = (runId: number, p: InstrumentProduct) => `${runId}|${keyOf(p)}`;
const inScope = (run: SquareOffRun, p: InstrumentProduct): boolean =>
  (run.products === null || run.products.includes(p.product)) &&
  (run.exchanges === null || run.exchanges.includes(p.exchange));

/**
 * The one square-off engine, for loss limits, the kill switch and the MIS timetable. Each run
 * covers a strategy's positions (all, or MIS in one segment); each position is planned by the
 * pure planner (src/risk/square-off.ts) from what the store holds now, whenever something
 * changes (an order update, a position refresh, a send finished, a re-price or deadline timer):
 * 1. the position's other orders are cancelled through the shared cancel path, and
 *    housekeeping is told to leave them alone meanwhile ({@link holds});
 * 2. exits are recorded (each an intent with its tag) before they are sent, sliced by freeze
 *    quantity, and sent paced at `square_off_orders_per_second` across every position;
 * 3. priced marketable with protection (or at the smart-execution limit price);
 * 4. re-priced within the modification budget, escalated at the deadline.
 * The quantity comes from the store each time (the share and the broker's position), never from
 * memory, and exits already recorded count as covering: a restart resumes the run from the
 * store and the broker's order book without a second exit.
 *
 * Armed exits (src/store/armed-exits.ts): every open position of a strategy that squares off on
 * its loss limit has a tag on disk for its first exit. A breach plans that exit from the store
 * (a read, no write), sends it under the armed tag at once, and only then writes the breach and
 * the run, the exit recorded in it; the rest of the run is planned as above. One commit no
 * longer stands between a breach and its first exit, and usually no read either: the read is
 * kept ahead of the breach and used only while the store's change mark says a read now would
 * return the same rows. After a crash, an armed tag the broker lists is adopted into the run
 * (never sent again); one it does not list is dropped.
 */
export class SquareOffEngine {
  readonly #d: SquareOffEngineDeps;
  readonly #queue = new SerialQueue();
  readonly #runs = new Map<number, SquareOffRun>();
  /** Positions to plan again, by run and position key, with the promise of that plan. */
  readonly #dirty = new Map<string, { run: number; where: InstrumentProduct; planned: Promise<void> }>();
  /** Requests sent at once (not held back by the rate) and not yet answered. */
  readonly #immediate = new Set<Promise<void>>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** Done or not, per run and position, as last planned. */
  readonly #done = new Map<string, boolean>();
  /** Since when the broker has held less than the share, per run and position (wall ms). */
  readonly #shortSince = new Map<string, number>();
  readonly #instruments = new Map<string, InstrumentFacts | null>();
  /** Tags handed to the sender and not yet through the desk (their intent may not be recorded yet). */
  readonly #sending = new Set<string>();
  /** Orders with a modification on its way. */
  readonly #modifying = new Set<string>();
  /** Send times (wall ms) of the engine's order requests, for pacing. */
  #recent: number[] = [];
  /** Armed exits on disk, by strategy and position. */
  #armed = new Map<string, ArmedExit>();
  /** The positions to keep armed, as the risk monitor last said. */
  #wanted: readonly ArmTarget[] = [];
  /**
   * Each armed position as a breach's run would read it, with the store's change mark from just
   * before the read: while the mark stands, a fresh read would return the same rows.
   */
  readonly #aheadReads = new Map<string, { mark: string; loaded: LoadedRunPosition }>();
  #readAheadTimer: NodeJS.Timeout | null = null;
  #active = false;
  #stopped = false;
  readonly #wall: () => number;

  constructor(deps: SquareOffEngineDeps) {
    this.#d = deps;
    this.#wall = deps.wall ?? Date.now;
  }

  /** Runs in progress, as the engine holds them. */
  get running(): readonly SquareOffRun[] {
    return [...this.#runs.values()];
  }

  /**
   * Start planning: the account has been read from the broker (so exits whose fate a crash left
   * open are settled). Runs left running by an earlier somd are resumed.
   */
  async activate(): Promise<void> {
    if (this.#stopped) return;
    await this.#queue.run(() => this.#settleArmed());
    for (const run of await runningSquareOffs(this.#d.store.db)) this.#runs.set(run.id, run);
    this.#active = true;
    for (const run of this.#runs.values()) await this.#scheduleRun(run);
    this.arm(this.#wanted);
  }

  /**
   * Keep exactly these positions armed (the risk monitor's word after each reload): a new open
   * position gets a tag on disk, a closed one loses it. Written in one transaction; a position
   * counts as armed only once its tag is on disk.
   */
  arm(wanted: readonly ArmTarget[]): void {
    this.#wanted = wanted;
    if (!this.#active || this.#stopped) return;
    this.#queue
      .run(() => this.#applyArms())
      .catch((err) => this.#d.logger.warn('square_off.arm_failed', { error: (err as Error).message }));
  }

  /** The armed exits, as on disk (`som risk` lists them). */
  get armed(): readonly ArmedExit[] {
    return [...this.#armed.values()];
  }

  async #applyArms(): Promise<void> {
    const want = new Map(this.#wanted.map((w) => [armKey(w), w]));
    const drop: string[] = [];
    for (const [key, a] of this.#armed) if (!want.has(key) && !this.#sending.has(a.tag)) drop.push(a.tag);
    const at = this.#d.clock.now().toISOString();
    const add: ArmedExit[] = [];
    for (const [key, w] of want) {
      if (this.#armed.has(key)) continue;
      add.push({
        tag: newOrderTag(w.strategy_id),
        strategy_id: w.strategy_id,
        exchange: w.exchange,
        tradingsymbol: w.tradingsymbol,
        product: w.product,
        armed_at: at,
      });
    }
    if (add.length > 0 || drop.length > 0) {
      await writeArms(this.#d.store.db, add, drop);
      const dropped = new Set(drop);
      for (const [key, a] of [...this.#armed]) if (dropped.has(a.tag)) this.#armed.delete(key);
      for (const a of add) this.#armed.set(armKey(a), a);
    }
    this.#keepReadingAhead();
  }

  /**
   * Keep each armed position read ahead for its breach: a breach whose store has not changed
   * since then plans its first exit from that read, with no read of its own before the send.
   * The loop runs while anything is armed.
   */
  #keepReadingAhead(): void {
    if (this.#armed.size === 0) this.#aheadReads.clear();
    if (this.#readAheadTimer || this.#stopped || this.#armed.size === 0) return;
    this.#readAheadTimer = setTimeout(() => {
      this.#readAheadTimer = null;
      void this.#readAhead()
        .catch((err) => this.#d.logger.warn('square_off.read_ahead_failed', { error: (err as Error).message }))
        .finally(() => this.#keepReadingAhead());
    }, READ_AHEAD_EVERY_MS);
    this.#readAheadTimer.unref();
  }

  async #readAhead(): Promise<void> {
    for (const key of [...this.#aheadReads.keys()]) if (!this.#armed.has(key)) this.#aheadReads.delete(key);
    const settings = this.#d.config();
    const nowMs = this.#d.clock.now().getTime();
    for (const [key, armed] of [...this.#armed]) {
      if (this.#stopped) return;
      // Taken before the read: a write landing first makes the read newer than its mark, which
      // only costs a read again; the other way round could keep a stale read.
      const mark = this.#d.store.changeMark();
      if (mark === null) return;
      if (this.#aheadReads.get(key)?.mark === mark) continue;
      const where = positionOf(armed);
      const loaded = await loadRunPosition(
        this.#d.store.db,
        this.#breachRun(armed.strategy_id, nowMs, settings),
        where,
      );
      await this.#facts(where, loaded.instrument_token);
      this.#aheadReads.set(key, { mark, loaded });
    }
  }

  /** The armed position's read kept ahead, if the store has not changed since it was taken. */
  #readAheadOf(key: string): LoadedRunPosition | null {
    const kept = this.#aheadReads.get(key);
    if (!kept) return null;
    return kept.mark === this.#d.store.changeMark() ? kept.loaded : null;
  }

  /** The run a breach of the strategy is about to open, as the planner sees it before it exists. */
  #breachRun(strategyId: number, nowMs: number, settings: RiskConfig): SquareOffRun {
    return {
      id: 0,
      strategy_id: strategyId,
      cause: 'loss_limit',
      products: null,
      exchanges: null,
      started_at: new Date(nowMs).toISOString(),
      escalate_at: new Date(nowMs + settings.square_off_deadline_seconds * 1000).toISOString(),
      status: 'running',
      finished_at: null,
      note: null,
    };
  }

  /** Armed exits a crash left: adopted into their square-off when the broker has them, else dropped. */
  async #settleArmed(): Promise<void> {
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    const deadline = this.#d.config().square_off_deadline_seconds * 1000;
    const settled = await settleArmedExits(
      db,
      { escalate_at: new Date(now.getTime() + deadline), skip: this.#sending },
      now,
    );
    for (const a of settled.adopted) this.#d.logger.warn('square_off.armed_exit_adopted', { ...a });
    this.#armed = new Map((await loadArmedExits(db)).map((a) => [armKey(a), a]));
  }

  /**
   * Runs just opened or widened in the store: plan them now. Resolves once each position has
   * been planned and the exits the rate allows at once have been placed (or have failed), for
   * at most {@link KICK_WAIT_MS}: the caller's own bookkeeping then does not hold up the exits.
   */
  async kick(runIds: readonly number[]): Promise<void> {
    const planned: Promise<void>[] = [];
    for (const id of runIds) {
      const run = await getSquareOff(this.#d.store.db, id);
      if (run?.status !== 'running') continue;
      this.#runs.set(run.id, run);
      if (this.#active) planned.push(...(await this.#scheduleRun(run)));
    }
    await within(
      Promise.all(planned).then(() => Promise.allSettled([...this.#immediate])),
      KICK_WAIT_MS,
    );
  }

  /**
   * Square-offs opened by `write` in its transaction (a breach's record and its runs), with
   * their first exits planned inside that transaction and recorded in it: one commit stands
   * between the breach and its first exit. The exits leave as soon as it is done; then every
   * position is planned as {@link SquareOffEngine.kick} plans it. A run `write` only widened,
   * and a position with exits already, are left to that planning. Returns what `write` returns.
   */
  async open(
    write: (firstExits: FirstExitPlanner) => Promise<Map<number, number>>,
    squareOff: readonly number[] = [],
  ): Promise<Map<number, number>> {
    const first: { run: SquareOffRun; where: InstrumentProduct; exits: Exit[] }[] = [];
    const settings = this.#d.config();
    // The breach's record, the fired exits' intents in it: their fates are written after it.
    let recordWritten!: (run: ReadonlyMap<number, SquareOffRun> | null) => void;
    const written = new Promise<ReadonlyMap<number, SquareOffRun> | null>((resolve) => {
      recordWritten = resolve;
    });
    const intentWritten = written.then((r) => {
      if (r === null) throw new Error('the breach was not recorded');
    });
    intentWritten.catch(() => undefined);
    const openedRuns = new Map<number, SquareOffRun>();
    const runs = await this.#queue.run(async () => {
      let fired: Fired[] = [];
      try {
        if (this.#active) fired = await this.#fire(squareOff, settings, written, intentWritten);
        // The record waits for the fired exits' answers: the store's work, synchronous underneath,
        // would otherwise hold their requests back, and its commit compete with them.
        if (fired.length > 0) await within(Promise.all(fired.map((f) => f.answered)), FIRED_ANSWER_WAIT_MS);
        const out = await write(async (opened, read) => {
          const out = new Map<number, ExitIntent[]>();
          if (!this.#active) return out;
          for (const run of opened) {
            if (this.#runs.has(run.id)) continue;
            openedRuns.set(run.strategy_id, run);
            const recorded: ExitIntent[] = [];
            out.set(run.id, recorded);
            try {
              const mine = fired.filter((f) => f.strategy_id === run.strategy_id);
              // The fired exits are the run's first: recorded before its positions are read, they cover what they carry.
              if (mine.length > 0)
                await read.record(
                  run,
                  mine.map((f) => ({ ...exitIntent(f.exit), armed: true })),
                );
              for (const where of await read.positions(run)) {
                const loaded = await read.position(run, where);
                const wasFired = mine.some((f) => keyOf(f.where) === keyOf(where));
                if (loaded.exits.length > 0 && !wasFired) continue;
                const facts = await this.#facts(where, loaded.instrument_token, read);
                if (!facts) continue;
                const rp = this.#planOf(run, where, loaded, facts, this.#d.clock.now().getTime(), settings);
                if (rp.done || rp.plan.place.length === 0) continue;
                const exits = this.#newExits(run, rp);
                this.#claim(exits);
                first.push({ run, where, exits });
                recorded.push(...exits.map(exitIntent));
              }
            } catch (err) {
              // The run is written all the same; planning after the commit exits what this missed.
              this.#d.logger.warn('square_off.first_exits_failed', { run: run.id, error: (err as Error).message });
            }
          }
          return out;
        });
        recordWritten(openedRuns);
        return out;
      } catch (err) {
        recordWritten(null);
        for (const f of first) this.#unclaim(f.exits);
        // A fired exit's intent is written by its placement now (see OrderDesk's intentWritten);
        // its armed tag is spent, and must not be adopted as a breach's exit again.
        if (fired.length > 0) {
          void disarm(
            this.#d.store.db,
            fired.map((f) => f.exit.tag),
          ).catch((e: unknown) => this.#d.logger.warn('square_off.disarm_failed', { error: (e as Error).message }));
        }
        throw err;
      }
    });
    for (const run of openedRuns.values()) this.#runs.set(run.id, run);
    for (const f of first) {
      for (const e of f.exits) this.#send(settings, () => this.#placeExit(f.run.strategy_id, f.run, f.where, e));
    }
    // Let the first exits leave before planning goes on: a request reaches its socket on a later
    // turn of the event loop, and the store's work, synchronous underneath, would all run first.
    // (Not between the positions of one plan: the exits of a square-off then leave spread over
    // its fills' bookkeeping, and the rate's second window opens that much later.)
    await nextTurn();
    await this.kick([...runs.values()]).catch((err: unknown) =>
      this.#d.logger.warn('square_off.kick_failed', { error: (err as Error).message }),
    );
    return runs;
  }

  /** True while a running square-off covers the order's position: housekeeping leaves its orders alone. */
  holds(order: { strategy_id: number; exchange: string; tradingsymbol: string; product: string }): boolean {
    for (const run of this.#runs.values()) {
      if (run.strategy_id === order.strategy_id && inScope(run, order)) return true;
    }
    return false;
  }

  /** An order changed: plan again the positions of running squares-off it is on. */
  onOrderChanged(order: BrokerOrder & { strategy_id?: number }): void {
    this.onPositionsChanged([order]);
  }

  /** Positions, fills or orders moved in these instruments. */
  onPositionsChanged(scopes: readonly { exchange: string; tradingsymbol: string; product?: string }[]): void {
    if (!this.#active) return;
    for (const run of this.#runs.values()) {
      for (const s of scopes) {
        if (s.product !== undefined) {
          const where = { exchange: s.exchange, tradingsymbol: s.tradingsymbol, product: s.product };
          if (inScope(run, where)) void this.#mark(run.id, where);
        } else {
          // A position refresh names instruments only: plan the run's positions in them.
          void this.#scheduleRun(run, s);
        }
      }
    }
  }

  /** Wait for planning queued so far (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#readAheadTimer) clearTimeout(this.#readAheadTimer);
    this.#readAheadTimer = null;
    for (const t of this.#timers.values()) clearTimeout(t.timer);
    this.#timers.clear();
  }

  /** Plan the run's positions (or those in one instrument); the plans' promises. */
  async #scheduleRun(run: SquareOffRun, only?: { exchange: string; tradingsymbol: string }): Promise<Promise<void>[]> {
    const positions = await runPositions(this.#d.store.db, run);
    const planned: Promise<void>[] = [];
    for (const p of positions) {
      if (only && (p.exchange !== only.exchange || p.tradingsymbol !== only.tradingsymbol)) continue;
      planned.push(this.#mark(run.id, p));
    }
    if (positions.length === 0 && !only) planned.push(this.#mark(run.id, null));
    return planned;
  }

  /**
   * Plan this position of the run again soon (`where` null: only see whether the run is done).
   * Resolves when that plan has run (a plan already waiting is joined). Never rejects.
   */
  #mark(runId: number, where: InstrumentProduct | null): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    const key = `${runId}|${where ? keyOf(where) : ''}`;
    const waiting = this.#dirty.get(key);
    if (waiting) return waiting.planned;
    const item = {
      run: runId,
      where: where ?? { exchange: '', tradingsymbol: '', product: '' },
      planned: Promise.resolve(),
    };
    this.#dirty.set(key, item);
    item.planned = this.#queue
      .run(async () => {
        this.#dirty.delete(key);
        const run = this.#runs.get(item.run);
        if (!run) return;
        try {
          if (item.where.exchange !== '') await this.#planPosition(run, item.where);
          await this.#finishIfDone(run);
        } catch (err) {
          // The store or the broker failed: the position is looked at again shortly, never dropped.
          this.#d.logger.warn('square_off.plan_failed', { run: runId, error: (err as Error).message });
          if (item.where.exchange !== '') this.#at(runId, item.where, this.#d.clock.now().getTime() + RETRY_AFTER_MS);
        }
      })
      .catch((err) => this.#d.logger.warn('square_off.plan_failed', { run: runId, error: (err as Error).message }));
    return item.planned;
  }

  #at(runId: number, where: InstrumentProduct, at: number): void {
    const key = positionKey(runId, where);
    const existing = this.#timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const delay = Math.max(0, at - this.#d.clock.now().getTime());
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      void this.#mark(runId, where);
    }, delay);
    timer.unref();
    this.#timers.set(key, { at, timer });
  }

  /** `read`: inside a transaction, its reads (the store's connection waits for it to end). */
  async #facts(where: InstrumentProduct, token: number | null, read?: RunReader): Promise<InstrumentFacts | null> {
    const key = `${where.exchange}:${where.tradingsymbol}`;
    if (this.#instruments.has(key)) return this.#instruments.get(key)!;
    const i = read
      ? await read.instrument(where.exchange, where.tradingsymbol)
      : await getInstrument(this.#d.store.db, where.exchange, where.tradingsymbol);
    const facts = i
      ? {
          lot_size: i.lot_size,
          tick_size: i.tick_size,
          freeze_quantity: freezeQuantity(i, this.#d.clock.now()),
          instrument_token: token ?? i.instrument_token,
        }
      : null;
    this.#instruments.set(key, facts);
    return facts;
  }

  async #planPosition(run: SquareOffRun, where: InstrumentProduct): Promise<void> {
    const { db } = this.#d.store;
    const now = this.#d.clock.now();
    const nowMs = now.getTime();
    const posKey = positionKey(run.id, where);
    let loaded = await loadRunPosition(db, run, where);
    const unsent = unsentExits(loaded.exits, loaded.intents, this.#sending);
    if (unsent.length > 0) {
      await markUnsentExits(db, run, unsent, now);
      loaded = await loadRunPosition(db, run, where);
    }
    const facts = await this.#facts(where, loaded.instrument_token);
    if (!facts) {
      this.#d.logger.warn('square_off.no_instrument', { run: run.id, ...where });
      this.#done.set(posKey, true);
      return;
    }
    const settings = this.#d.config();
    const plan = this.#planOf(run, where, loaded, facts, nowMs, settings);
    if (plan.short_by === null) this.#shortSince.delete(posKey);
    else if (!this.#shortSince.has(posKey)) this.#shortSince.set(posKey, nowMs);
    const tags = new Map(loaded.exits.flatMap((e) => (e.order_id ? [[e.order_id, e.tag] as const] : [])));
    await this.#carryOut(run, where, plan, loaded.others, tags, settings);
    // An exit of this position still on its way (its fill can arrive before its answer) is
    // recorded as sent before the position counts as done: the run's record never ends before
    // its own exits. Its placement plans the position again when it is back.
    const done = plan.done && !loaded.exits.some((e) => this.#sending.has(e.tag));
    this.#done.set(posKey, done);
    if (plan.done) {
      if (done && plan.note)
        this.#d.logger.info('square_off.position_done', { run: run.id, ...where, note: plan.note });
      return;
    }
    let next = plan.plan.next_check_ms ?? nowMs + settings.square_off_reprice_seconds * 1000;
    if (plan.plan.place.length > 0) next = Math.min(next, nowMs + settings.square_off_reprice_seconds * 1000);
    this.#at(run.id, where, next);
  }

  /** The planner's answer for one position, from what the store holds (`loaded`) and the engine's memory. */
  #planOf(
    run: SquareOffRun,
    where: InstrumentProduct,
    loaded: LoadedRunPosition,
    facts: InstrumentFacts,
    nowMs: number,
    settings: RiskConfig,
  ): RunPositionPlan {
    const tick = this.#d.ticks.get(facts.instrument_token);
    const brokerFresh =
      loaded.broker !== null && (loaded.last_fill_at === null || loaded.broker.updated_at >= loaded.last_fill_at);
    const cancelling = new Set<string>(this.#modifying);
    for (const o of [...loaded.others, ...loaded.exits]) {
      if (o.order_id && this.#d.cancels.isCancelling(o.order_id)) cancelling.add(o.order_id);
    }
    return planRunPosition({
      where,
      share: loaded.share,
      broker: loaded.broker,
      broker_fresh: brokerFresh,
      exits: loaded.exits,
      elsewhere: loaded.elsewhere,
      others: loaded.others,
      cancelling,
      short_since_ms: this.#shortSince.get(positionKey(run.id, where)) ?? null,
      settle_ms: SETTLE_MS,
      instrument: { lot_size: facts.lot_size, tick_size: facts.tick_size, freeze_quantity: facts.freeze_quantity },
      quote: tick ? exitQuoteOf(tick) : null,
      limit_price: null,
      now_ms: nowMs,
      escalate_at_ms: Date.parse(run.escalate_at),
      settings,
    });
  }

  /**
   * The plan's new exits, each under a fresh tag (the first under `firstTag` when given: an
   * armed one), at the smart-execution price when there is one.
   */
  #newExits(run: SquareOffRun, rp: RunPositionPlan, firstTag?: string): Exit[] {
    return rp.plan.place.map((p, i) => {
      const limit = this.#limitPrice(run, p, rp.plan.escalated);
      const exit = {
        ...p,
        ...(limit === null ? {} : { order_type: 'LIMIT' as const, price: limit, market_protection: null }),
        tag: i === 0 && firstTag !== undefined ? firstTag : newOrderTag(run.strategy_id),
      };
      return { ...exit, request: exitOrderRequest(exit) };
    });
  }

  /**
   * Exits about to be recorded are on their way from now: the engine's plans count them, and
   * the desk's settling of fates leaves their pending intents alone until they are placed.
   */
  #claim(exits: readonly Exit[]): void {
    for (const e of exits) this.#sending.add(e.tag);
    this.#d.desk.claim(exits.flatMap((e) => (e.request ? [e.tag] : [])));
  }

  /** Exits whose record failed: nothing is on its way. */
  #unclaim(exits: readonly Exit[]): void {
    for (const e of exits) this.#sending.delete(e.tag);
    this.#d.desk.unclaim(exits.map((e) => e.tag));
  }

  /** Send what the plan asks for: cancels, then new exits (recorded first), then modifications. */
  async #carryOut(
    run: SquareOffRun,
    where: InstrumentProduct,
    rp: RunPositionPlan,
    others: readonly LiveOrder[],
    tags: ReadonlyMap<string, string>,
    settings: RiskConfig,
  ): Promise<void> {
    const { plan } = rp;
    const now = this.#d.clock.now();
    for (const c of plan.cancel) {
      const other = others.find((o) => o.order_id === c.order_id);
      this.#send(settings, async () => {
        const outcome = await this.#d.cancels.correct(
          {
            order_id: c.order_id,
            variety: other?.variety ?? 'regular',
            parent_order_id: other?.parent_order_id ?? null,
          },
          { kind: 'cancel' },
        );
        const result =
          outcome.kind === 'done'
            ? 'sent'
            : outcome.kind === 'failed'
              ? `error: ${outcome.message}`
              : outcome.kind === 'already-closed'
                ? 'already closed'
                : outcome.kind;
        await recordExitRequest(
          this.#d.store.db,
          run,
          { order_id: c.order_id, tag: null, action: 'cancel', reason: c.reason, result },
          this.#d.clock.now(),
        );
        this.#again(run.id, where, outcome.kind === 'failed');
      });
    }

    if (plan.place.length > 0) {
      const exits = this.#newExits(run, rp);
      this.#claim(exits);
      try {
        await recordExitIntents(this.#d.store.db, run, exits.map(exitIntent), now);
      } catch (err) {
        this.#unclaim(exits);
        throw err;
      }
      for (const e of exits) this.#send(settings, () => this.#placeExit(run.strategy_id, run, where, e));
    }

    for (const m of plan.modify) {
      this.#modifying.add(m.order_id);
      this.#send(settings, async () => {
        let result = 'sent';
        try {
          await this.#d.desk.modify(
            m.order_id,
            m.price !== null ? { price: m.price, order_type: 'LIMIT' } : { quantity: m.quantity! },
            { exit: true },
          );
        } catch (err) {
          result = `error: ${(err as Error).message}`;
        } finally {
          this.#modifying.delete(m.order_id);
        }
        await recordExitRequest(
          this.#d.store.db,
          run,
          {
            order_id: m.order_id,
            tag: tags.get(m.order_id) ?? null,
            action: 'modify',
            reason: m.reason,
            price: m.price,
            quantity: m.quantity,
            result,
          },
          this.#d.clock.now(),
        );
        this.#again(run.id, where, result !== 'sent');
      });
    }
  }

  #limitPrice(run: SquareOffRun, exit: PlannedExit, escalated: boolean): number | null {
    if (escalated || !this.#d.exitLimitPrice) return null;
    const price = this.#d.exitLimitPrice(run.strategy_id, exit);
    return price !== null && price > 0 ? price : null;
  }

  /**
   * A breach's armed exits, sent now: for each armed position of these strategies (none with a
   * run going already), the first exit planned from the store as the run will plan it, under
   * its armed tag. Nothing is written first: the armed tag was on disk before the breach.
   */
  async #fire(
    strategyIds: readonly number[],
    settings: RiskConfig,
    written: Promise<ReadonlyMap<number, SquareOffRun> | null>,
    intentWritten: Promise<void>,
  ): Promise<Fired[]> {
    const fired: Fired[] = [];
    if (this.#armed.size === 0) return fired;
    const nowMs = this.#d.clock.now().getTime();
    for (const strategyId of strategyIds) {
      if ([...this.#runs.values()].some((r) => r.strategy_id === strategyId)) continue;
      const run = this.#breachRun(strategyId, nowMs, settings);
      for (const [key, armed] of [...this.#armed]) {
        if (armed.strategy_id !== strategyId || this.#sending.has(armed.tag)) continue;
        const where = positionOf(armed);
        try {
          const loaded = this.#readAheadOf(key) ?? (await loadRunPosition(this.#d.store.db, run, where));
          const facts = await this.#facts(where, loaded.instrument_token);
          if (!facts) continue;
          const rp = this.#planOf(run, where, loaded, facts, nowMs, settings);
          const [exit] = this.#newExits(run, rp, armed.tag);
          if (rp.done || !exit) continue;
          this.#claim([exit]);
          this.#armed.delete(key);
          let answer!: () => void;
          const answered = new Promise<void>((resolve) => {
            answer = resolve;
          });
          fired.push({ strategy_id: strategyId, where, exit, answered });
          const runOf = written.then((runs) => runs?.get(strategyId) ?? null);
          this.#send(settings, () =>
            this.#placeExit(strategyId, runOf, where, exit, { intentWritten, answered: answer }),
          );
        } catch (err) {
          // Not fired: the run plans this position once the breach is written.
          this.#d.logger.warn('square_off.fire_failed', {
            strategy: strategyId,
            ...where,
            error: (err as Error).message,
          });
        }
      }
    }
    return fired;
  }

  /**
   * Send one recorded exit through the desk (its intent is recorded: only the send is left). A
   * fired exit (`intentWritten`) leaves before its run exists: its outcome is recorded once the
   * breach's record is (`run` resolves null when that record failed: the order, if placed, is
   * then one of the position's orders to the next plan, covering what it carries).
   */
  async #placeExit(
    strategyId: number,
    run: SquareOffRun | Promise<SquareOffRun | null>,
    where: InstrumentProduct,
    e: Exit,
    fired?: { intentWritten: Promise<void>; answered: () => void },
  ): Promise<void> {
    const { db } = this.#d.store;
    let failed = false;
    let outcome: { state: 'sent' | 'unknown' | 'failed'; order_id?: string; error?: string };
    try {
      if (!e.request) throw new Error(`cannot place an exit on ${e.exchange} ${e.product}`);
      const { tag, ...request } = e.request;
      const placed = await this.#d.desk.place(strategyId, request, {
        tag,
        exit: true,
        recorded: true,
        ...(fired ?? {}),
      });
      outcome = { state: 'sent', order_id: placed.orderId };
    } catch (err) {
      fired?.answered();
      failed = true;
      const unknown = err instanceof OrderFateUnknown;
      outcome = { state: unknown ? 'unknown' : 'failed', error: (err as Error).message };
      this.#d.logger.warn('square_off.exit_failed', { tag: e.tag, unknown, error: (err as Error).message });
    }
    try {
      const r = await run;
      if (!r) {
        this.#d.logger.warn('square_off.exit_without_run', { tag: e.tag, ...outcome });
        return;
      }
      const record = recordExitPlaced(db, r, exitRow(e), outcome, this.#d.clock.now());
      await (failed ? record.catch(() => undefined) : record);
      this.#again(r.id, where, failed);
    } finally {
      this.#sending.delete(e.tag);
    }
  }

  /** Plan the position again: at once, or after a pause when the broker just failed. */
  #again(runId: number, where: InstrumentProduct, failed: boolean): void {
    if (failed) this.#at(runId, where, this.#d.clock.now().getTime() + RETRY_AFTER_MS);
    else void this.#mark(runId, where);
  }

  /** Hand a request to the sender: at once when the rate allows, else when it does. */
  #send(settings: RiskConfig, request: () => Promise<void>): void {
    const now = this.#wall();
    this.#recent = this.#recent.filter((t) => t > now - 1000);
    const [at] = paceRequests(1, settings.square_off_orders_per_second, this.#recent, now);
    const when = at ?? now;
    this.#recent.push(when);
    const go = () =>
      request().catch((err) => this.#d.logger.warn('square_off.send_failed', { error: (err as Error).message }));
    if (when <= now) {
      const sent = go();
      this.#immediate.add(sent);
      void sent.finally(() => this.#immediate.delete(sent));
    } else {
      setTimeout(() => void go(), when - now).unref();
    }
  }

  async #finishIfDone(run: SquareOffRun): Promise<void> {
    if (!this.#runs.has(run.id)) return;
    const positions = await runPositions(this.#d.store.db, run);
    const pending = positions.filter((p) => this.#done.get(positionKey(run.id, p)) !== true);
    if (pending.length > 0) {
      for (const p of pending) if (!this.#done.has(positionKey(run.id, p))) void this.#mark(run.id, p);
      return;
    }
    this.#runs.delete(run.id);
    const mine = (key: string) => key.startsWith(`${run.id}|`);
    for (const key of [...this.#done.keys()]) if (mine(key)) this.#done.delete(key);
    for (const key of [...this.#shortSince.keys()]) if (mine(key)) this.#shortSince.delete(key);
    for (const [key, t] of [...this.#timers]) {
      if (!mine(key)) continue;
      clearTimeout(t.timer);
      this.#timers.delete(key);
    }
    const note =
      positions.length === 0
        ? 'nothing to square off'
        : `${positions.length} position${positions.length === 1 ? '' : 's'} flat, nothing working`;
    await finishSquareOff(this.#d.store.db, run, note, this.#d.clock.now());
    this.#d.logger.info('square_off.done', { run: run.id, strategy: run.strategy_id, cause: run.cause });
  }
}
