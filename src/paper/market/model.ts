/**
 * The paper exchange's market: seeded prices for every instrument, quoted in Kite's shape.
 *
 * Time. The model moves in whole steps of one second of market time from `start`
 * (`advanceTo` takes any instant; the step is the last whole second reached). Every
 * random draw is tied to a step: an underlying draws a fixed number of values from its own
 * stream per trading step, a derivative per trade event, and a depth snapshot is a pure
 * function of (seed, token, refresh epoch). So the market at time t depends on the seed,
 * the set-up and the hooks called (with their times), never on how often the caller
 * advanced or asked: advancing every 250 ms or once gives the same quotes.
 *
 * Structure. Instruments with no underlying (indices, cash equities, MCX futures given no
 * spot) are roots and follow their own price process (underlying.ts). Futures are valued
 * from their underlying with a cost of carry, options with Black-76 on the forward and a
 * smile (option-pricing.ts). A derivative's last price changes only when it trades; its
 * trades are events at random steps (rate from the liquidity model), drawn from a stream
 * of its own for each day and processed lazily when the contract is asked for or watched,
 * against the root's per-step price history for the day. Each instrument is a Node
 * (node.ts: its set-up, state and valuation); this module owns time, the random streams and
 * the trading schedule, and moves the nodes through them. Inputs and errors: model-types.ts.
 *
 * Cost. Nothing is computed until asked: `advanceTo` brings only the watched instruments
 * up to date. Bringing an instrument up to date costs one random-walk step per trading
 * second for its root (about 150 ns) and one valuation per trade of the instrument
 * (about 0.5 us); a quote costs a few microseconds more for its depth. Measured on 2,000
 * instruments (35 roots, the rest futures and options), all watched: about 0.7 ms per
 * one-second advance; none watched: nothing.
 *
 * Days. At the first trading step of a new IST day an instrument rolls: the previous
 * close is set, the day's open/high/low, volume and OI range restart, and the circuit
 * band is set again from the new base. A root's previous close is its last price. A
 * derivative's is its settlement: the model's value at the last trading second of the day
 * before (NSE settles untraded options at a theoretical price; we do so for all
 * derivatives), and it opens with last_price at that close, last_quantity 0 and
 * last_trade_time at the settlement. Its opening OI comes from a day-to-day rule
 * (open-interest.ts). So nothing about a derivative's day depends on the days before
 * except through values computable without replaying them, and a contract nobody looked at
 * for days costs one day's trades to bring up to date. Before its first trade of a day an
 * instrument shows open, high and low as 0 (as an untraded contract does on NSE feeds).
 */
import type { Exchange } from '../../domain/instrument.js';
import type { Quote } from '../../domain/quote.js';
import { istDayNumber, istDayStartMs, istTimestampMs } from '../../market/ist.js';
import { clampToBand, withinBand } from './circuit.js';
import { AVERAGE_PRICE_DECIMALS, CURRENCY_AVERAGE_PRICE_DECIMALS, STEP_MS } from './defaults.js';
import { buildDepth, type DepthResult, emptyDepth, touchTicks } from './depth.js';
import { levelLots, tradeProbability } from './liquidity.js';
import {
  type DepthConsumed,
  type InstrumentSpec,
  type MarketError,
  type MarketModelOptions,
  MarketSetupError,
  marketError,
  type OrderSide,
  type PricePoint,
} from './model-types.js';
import { kindOf, label, Node } from './node.js';
import {
  afterTrade,
  initialOpenInterest,
  nextDayOpenInterest,
  startOpenInterestDay,
  targetOpenInterest,
} from './open-interest.js';
import { hash2, hash32, hashSeed, Rng, toUnit, uniformAt } from './rng.js';
import { TradingSchedule } from './trading-schedule.js';
import { UnderlyingProcess } from './underlying.js';

function specsLookup(specs: MarketModelOptions['specs']): (token: number) => InstrumentSpec {
  if (!specs) return () => ({});
  if (specs instanceof Map) return (t) => specs.get(t) ?? {};
  const record = specs as Readonly<Record<number, InstrumentSpec>>;
  return (t) => record[t] ?? {};
}

/** Steps between two trade events for a per-second trade probability `p`, from a uniform draw. */
function gapSteps(p: number, u: number): number {
  if (p >= 1) return 1;
  return 1 + Math.floor(Math.log(u) / Math.log(1 - p));
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Seeded paper market for a universe of instruments. */
export class MarketModel {
  readonly #seedHash: number;
  readonly #startMs: number;
  readonly #nodes = new Map<number, Node>();
  readonly #schedule: TradingSchedule;
  readonly #watched = new Set<number>();
  #nowMs: number;
  #step = 0;
  #version = 0;

  /** Builds the model or returns what is wrong with the set-up. */
  static create(options: MarketModelOptions): MarketModel | MarketError {
    try {
      return new MarketModel(options);
    } catch (e) {
      if (e instanceof MarketSetupError) return e.error;
      throw e;
    }
  }

  /** Throws MarketSetupError on a bad set-up (use `create` to get the error as a value). */
  constructor(options: MarketModelOptions) {
    const startMs = options.start.getTime();
    if (!Number.isFinite(startMs))
      throw new MarketSetupError(marketError('INVALID_ARGUMENT', 'start is not a valid date'));
    this.#seedHash = hashSeed(options.seed);
    this.#startMs = startMs;
    this.#nowMs = startMs;
    const specOf = specsLookup(options.specs);

    for (const inst of options.instruments) {
      if (this.#nodes.has(inst.instrument_token)) {
        throw new MarketSetupError(
          marketError('INVALID_SPEC', `instrument token ${inst.instrument_token} is listed twice`),
        );
      }
      this.#nodes.set(inst.instrument_token, new Node(inst, kindOf(inst), this.#seedHash));
    }
    this.#schedule = new TradingSchedule(
      startMs,
      new Set([...this.#nodes.values()].map((n) => n.exchange)),
      options.isTrading,
    );

    for (const n of this.#nodes.values()) n.link(specOf(n.token), this.#nodes);
    for (const n of this.#nodes.values()) n.resolveRoot();
    for (const n of this.#nodes.values()) n.configure(specOf(n.token), specOf(n.root.token));
    const day = istDayNumber(startMs);
    for (const n of this.#nodes.values()) if (n.isRoot) this.#initRoot(n, specOf(n.token), day);
    for (const n of this.#nodes.values()) if (!n.isRoot) this.#initDerivative(n, specOf(n.token), day);
  }

  // ---------------------------------------------------------------------------------------
  // Time and change feed

  /** The model's current market time. */
  now(): Date {
    return new Date(this.#nowMs);
  }

  /** Whether the model carries `token`. */
  has(token: number): boolean {
    return this.#nodes.has(token);
  }

  /**
   * Moves market time forward to `at` (earlier instants are ignored) and brings the
   * watched instruments up to date. Returns the watched tokens whose quote changed.
   */
  advanceTo(at: Date): number[] {
    const atMs = at.getTime();
    if (!(atMs > this.#nowMs)) return [];
    this.#nowMs = atMs;
    const step = Math.floor((atMs - this.#startMs) / STEP_MS);
    // Within the same second nothing moves (hooks report their own changes).
    if (step <= this.#step) return [];
    this.#schedule.extendTo(step);
    this.#step = step;
    const version = ++this.#version;
    const changed: number[] = [];
    for (const token of this.#watched) {
      const n = this.#nodes.get(token);
      if (!n) continue;
      this.#catchUp(n, this.#step);
      const sig = this.#signatureOf(n);
      if (!sameNumbers(sig, n.signature)) {
        n.signature = sig;
        n.version = version;
        changed.push(token);
      }
    }
    return changed;
  }

  /** `advanceTo(now + ms)`. */
  advanceBy(ms: number): number[] {
    return this.advanceTo(new Date(this.#nowMs + ms));
  }

  /**
   * Instruments whose changes `advanceTo` and `changedSince` report (the tick streamer's
   * subscriptions). Unknown tokens are ignored.
   */
  watch(tokens: Iterable<number>): void {
    for (const t of tokens) {
      const n = this.#nodes.get(t);
      if (!n || this.#watched.has(t)) continue;
      this.#watched.add(t);
      this.#catchUp(n, this.#step);
      n.signature = this.#signatureOf(n);
      n.version = ++this.#version;
    }
  }

  unwatch(tokens: Iterable<number>): void {
    for (const t of tokens) this.#watched.delete(t);
  }

  /**
   * Watched tokens that changed after `cursor` (0 for all), and the cursor to pass next
   * time. Changes come from advancing time and from the hooks below.
   */
  changedSince(cursor: number): { cursor: number; tokens: number[] } {
    const tokens: number[] = [];
    for (const t of this.#watched) {
      const n = this.#nodes.get(t);
      if (n && n.version > cursor) tokens.push(t);
    }
    return { cursor: this.#version, tokens };
  }

  // ---------------------------------------------------------------------------------------
  // Quotes

  /** Full quote in Kite's GET /quote shape, or undefined for a token the model does not carry. */
  quote(token: number): Quote | undefined {
    const n = this.#nodes.get(token);
    if (!n) return undefined;
    this.#catchUp(n, this.#step);
    const book = this.#book(n);
    const avgDecimals =
      n.exchange === 'CDS' || n.exchange === 'BCD' ? CURRENCY_AVERAGE_PRICE_DECIMALS : AVERAGE_PRICE_DECIMALS;
    return {
      instrument_token: n.token,
      timestamp: istTimestampMs(this.#nowMs),
      last_trade_time: istTimestampMs(n.lastTradeMs),
      last_price: n.ltp,
      last_quantity: n.lastQty,
      buy_quantity: book.buyQuantity,
      sell_quantity: book.sellQuantity,
      volume: n.volume,
      average_price: n.volume > 0 ? roundTo(n.turnover / n.volume, avgDecimals) : 0,
      oi: n.oi.oi,
      oi_day_high: n.oi.dayHigh,
      oi_day_low: n.oi.dayLow,
      net_change: n.ltp - n.prevClose,
      lower_circuit_limit: n.limits.lower,
      upper_circuit_limit: n.limits.upper,
      ohlc: { open: n.open, high: n.high, low: n.low, close: n.prevClose },
      depth: book.depth,
    };
  }

  /** Last traded price, or undefined for an unknown token. */
  ltp(token: number): number | undefined {
    const n = this.#nodes.get(token);
    if (!n) return undefined;
    this.#catchUp(n, this.#step);
    return n.ltp;
  }

  /**
   * The model's fair value now (unsnapped): the random walk for a root, carry for a
   * future, Black-76 on the smile for an option. Undefined for an unknown token.
   */
  fairValue(token: number): number | undefined {
    const n = this.#nodes.get(token);
    if (!n) return undefined;
    this.#catchUp(n.root, this.#step);
    return n.evaluate(n.root.process!.price, this.#stepMs(this.#step)).fair;
  }

  // ---------------------------------------------------------------------------------------
  // Hooks for the matching engine

  /**
   * An order took `quantity` from the book: a BUY from the asks, a SELL from the bids.
   * The top levels empty (the book shifts) and refill exponentially over the instrument's
   * refill time (seconds; liquidity.ts).
   */
  consumeDepth(token: number, side: OrderSide, quantity: number): MarketError | null {
    const n = this.#nodes.get(token);
    if (!n) return unknown(token);
    if (n.kind === 'index') return marketError('INVALID_ARGUMENT', `${label(n.inst)} is an index and has no depth`);
    if (!(quantity > 0) || !Number.isFinite(quantity))
      return marketError('INVALID_ARGUMENT', `quantity must be positive, got ${quantity}`);
    if (side !== 'BUY' && side !== 'SELL')
      return marketError('INVALID_ARGUMENT', `side must be BUY or SELL, got ${String(side)}`);
    this.#catchUp(n, this.#step);
    const nowMs = this.#stepMs(this.#step);
    const key = side === 'BUY' ? 'consumedAsk' : 'consumedBid';
    n[key] = { quantity: n.unrefilled(n[key], nowMs) + quantity, atMs: nowMs };
    this.#touch(n);
    return null;
  }

  /** `consumeDepth` for the matching engine's report shape (pass as its `consumeDepth` option). */
  depthConsumed(consumed: DepthConsumed): MarketError | null {
    return this.consumeDepth(consumed.instrument_token, consumed.side === 'sell' ? 'BUY' : 'SELL', consumed.quantity);
  }

  /**
   * A paper fill printed on the tape: last price, last quantity, volume, average price and
   * the day's range follow it. The price must be on the tick and inside the circuit.
   * (Open interest is left to the model.)
   */
  recordTrade(token: number, price: number, quantity: number): MarketError | null {
    const n = this.#nodes.get(token);
    if (!n) return unknown(token);
    if (n.kind === 'index') return marketError('INVALID_ARGUMENT', `${label(n.inst)} is an index and does not trade`);
    if (!(quantity > 0) || !Number.isInteger(quantity))
      return marketError('INVALID_ARGUMENT', `quantity must be a positive integer, got ${quantity}`);
    if (!(price > 0) || !n.grid.isOnTick(price)) {
      return marketError('INVALID_ARGUMENT', `price ${price} is not on ${label(n.inst)}'s tick of ${n.grid.tick}`);
    }
    this.#catchUp(n, this.#step);
    if (!withinBand(price, n.limits)) {
      return marketError(
        'OUTSIDE_CIRCUIT',
        `price ${price} is outside ${label(n.inst)}'s band ${n.limits.lower}-${n.limits.upper}`,
      );
    }
    this.#trade(n, n.grid.snap(price), quantity, this.#nowMs);
    this.#touch(n);
    return null;
  }

  // ---------------------------------------------------------------------------------------
  // Scenarios

  /**
   * The root's price follows straight lines through `points` (from its current price
   * now), then walks on from the last point. Derivatives on it reprice with it, and the
   * instrument prints a trade every second while the path runs. Prices are held inside
   * the circuit band. Only roots (indices, equities, futures without an underlying) take
   * a path: for a derivative, set the path on its underlying.
   */
  setPricePath(token: number, points: readonly PricePoint[]): MarketError | null {
    const n = this.#nodes.get(token);
    if (!n) return unknown(token);
    if (!n.isRoot) {
      return marketError(
        'NOT_AN_UNDERLYING',
        `${label(n.inst)} is priced from ${label(n.root.inst)}; set the path on that token`,
      );
    }
    if (points.length === 0) return marketError('INVALID_PATH', 'a path needs at least one point');
    const steps: { step: number; price: number }[] = [];
    let previous = this.#step;
    for (const p of points) {
      const atMs = typeof p.at === 'number' ? this.#nowMs + p.at : p.at.getTime();
      const step = Math.floor((atMs - this.#startMs) / STEP_MS);
      if (!Number.isFinite(step) || step <= previous) {
        return marketError(
          'INVALID_PATH',
          'path points must be in the future and in time order, at least a second apart',
        );
      }
      if (!(p.price > 0) || !Number.isFinite(p.price))
        return marketError('INVALID_PATH', `path price must be positive, got ${p.price}`);
      steps.push({ step, price: p.price });
      previous = step;
    }
    this.#catchUp(n, this.#step);
    n.process!.setPath(this.#step, steps);
    this.#touch(n);
    return null;
  }

  /** Spread `factor` times its normal width (1 = normal) until reset. */
  widenSpread(token: number, factor: number): MarketError | null {
    return this.#setFactor(token, factor, 'spreadFactor');
  }

  /** Resting quantities divided by `factor` (1 = normal; at least one lot stays a level) until reset. */
  dryUpDepth(token: number, factor: number): MarketError | null {
    return this.#setFactor(token, factor, 'depthFactor');
  }

  /** Ends a price path and restores normal spread and depth for `token`. */
  resetScenario(token: number): MarketError | null {
    const n = this.#nodes.get(token);
    if (!n) return unknown(token);
    this.#catchUp(n, this.#step);
    n.process?.clearPath();
    n.spreadFactor = 1;
    n.depthFactor = 1;
    this.#touch(n);
    return null;
  }

  /** `resetScenario` for every instrument. */
  resetAllScenarios(): void {
    for (const n of this.#nodes.values()) {
      const pathRunning = n.process?.pathActiveAt(this.#step + 1) ?? false;
      if (pathRunning || n.spreadFactor !== 1 || n.depthFactor !== 1) this.resetScenario(n.token);
    }
  }

  /** Bytes of per-step price history held for lazily valued derivatives (for capacity planning). */
  historyBytes(): number {
    let bytes = 0;
    for (const n of this.#nodes.values()) bytes += n.process?.historyBytes ?? 0;
    return bytes;
  }

  // ---------------------------------------------------------------------------------------
  // Set-up

  #initRoot(n: Node, spec: InstrumentSpec, day: number): void {
    const ref = spec.referencePrice ?? (n.inst.last_price > 0 ? n.inst.last_price : undefined);
    if (ref === undefined || !(ref > 0) || !Number.isFinite(ref)) {
      throw new MarketSetupError(marketError('INVALID_SPEC', `${label(n.inst)} needs a positive referencePrice`));
    }
    n.prevClose = n.grid.snap(ref);
    n.ltp = n.prevClose;
    n.initialPrice = ref;
    n.lastTradeMs = this.#startMs;
    n.day = day;
    n.process = new UnderlyingProcess({
      price: ref,
      annualVol: n.annualVol,
      annualDrift: spec.annualDrift ?? 0,
      keepHistory: n.dependents.length > 0,
    });
    n.limits = n.band(this.#startMs);
    n.process.setBand(n.limits.lower, n.limits.upper);
  }

  #initDerivative(n: Node, spec: InstrumentSpec, day: number): void {
    const rootPrice = n.root.process!.price;
    const ev = n.evaluate(rootPrice, this.#startMs);
    n.day = day;
    n.lastTradeMs = this.#startMs;
    n.limits = n.band(this.#startMs);
    if (spec.referencePrice !== undefined) {
      if (!(spec.referencePrice > 0))
        throw new MarketSetupError(marketError('INVALID_SPEC', `${label(n.inst)}: referencePrice must be positive`));
      n.prevClose = n.grid.snap(spec.referencePrice);
    } else {
      n.prevClose = n.grid.price(Math.max(1, n.grid.roundTicks(ev.fair)));
    }
    if (n.kind === 'future') n.limits = n.band(this.#startMs);
    n.prevClose = clampToBand(n.prevClose, n.limits);
    n.ltp = n.prevClose;
    const target = targetOpenInterest(n.profile, ev.ctx, n.lotSize);
    n.oiOpen = spec.openInterest ?? initialOpenInterest(target, n.lotSize, uniformAt(this.#seedHash, n.token, day, 2));
    n.oi = startOpenInterestDay(n.oiOpen);
    n.oiNext = this.#nextOpenInterest(n, day, n.oiOpen);
    n.rng = new Rng(hash32(this.#seedHash, n.token, day));
    n.nextEvent =
      this.#startMs >= n.expiryMs ? Infinity : gapSteps(tradeProbability(n.profile, ev.ctx), n.rng.uniform());
  }

  // ---------------------------------------------------------------------------------------
  // Stepping

  #stepMs(step: number): number {
    return this.#startMs + step * STEP_MS;
  }

  #catchUp(n: Node, target: number): void {
    if (n.step >= target) return;
    if (n.isRoot) this.#catchUpRoot(n, target);
    else this.#catchUpDerivative(n, target);
  }

  #catchUpRoot(r: Node, target: number): void {
    const proc = r.process!;
    while (r.step < target) {
      const s = this.#schedule.nextTradingStep(r.exchange, r.step + 1, target);
      if (s < 0) {
        r.step = target;
        break;
      }
      const ms = this.#stepMs(s);
      const day = istDayNumber(ms);
      if (day !== r.day) this.#rollRoot(r, day, ms);
      // Fixed draws per trading step: normal (2), trade, size.
      const z = r.rng.normal();
      const uTrade = r.rng.uniform();
      const uSize = r.rng.uniform();
      const forced = proc.pathActiveAt(s);
      proc.advance(s, z);
      r.step = s;
      const price = r.grid.snap(proc.price);
      if (r.kind === 'index') {
        this.#print(r, price, ms);
      } else if (forced || uTrade < tradeProbability(r.profile, { z: 0, daysToExpiry: 0 })) {
        const qty =
          r.kind === 'future'
            ? Math.max(1, Math.round(-Math.log(uSize) * r.profile.tradeLots)) * r.lotSize
            : Math.max(1, Math.round((-Math.log(uSize) * r.profile.tradeNotional) / price));
        this.#trade(r, price, qty, ms);
      }
    }
  }

  #catchUpDerivative(d: Node, target: number): void {
    if (d.step >= target) return;
    if (d.root.step < target) this.#catchUpRoot(d.root, target);
    const last = this.#schedule.lastTradingStep(d.exchange, d.step + 1, target);
    if (last < 0) {
      d.step = target;
      return;
    }
    // Only the last trading day up to `target` is replayed; days before it settle by rule.
    const lastDay = istDayNumber(this.#stepMs(last));
    if (lastDay !== d.day) {
      const first = this.#schedule.nextTradingStep(d.exchange, Math.max(d.step + 1, this.#dayStartStep(lastDay)), last);
      this.#rollDerivative(d, lastDay, first);
      d.step = first - 1;
    }
    while (d.nextEvent <= target) {
      const e = this.#schedule.nextTradingStep(d.exchange, Math.max(d.nextEvent, d.step + 1), target);
      if (e < 0) break;
      const ms = this.#stepMs(e);
      if (ms >= d.expiryMs) {
        d.nextEvent = Infinity;
        break;
      }
      this.#derivativeTrade(d, e, ms);
      d.step = e;
    }
    d.step = target;
  }

  /** First step of IST day `day` (may be negative for days before the start). */
  #dayStartStep(day: number): number {
    return Math.ceil((istDayStartMs(day) - this.#startMs) / STEP_MS);
  }

  /** Whether `exchange` traded at any step of IST day `day`. */
  #tradedOn(exchange: Exchange, day: number): boolean {
    return (
      this.#schedule.nextTradingStep(exchange, Math.max(0, this.#dayStartStep(day)), this.#dayStartStep(day + 1) - 1) >=
      0
    );
  }

  /**
   * The root's price at a past `step`: from today's history, or the recorded close of an
   * earlier day, or the starting price before the first close.
   */
  #rootPriceAt(root: Node, step: number): number {
    const proc = root.process!;
    if (step >= root.step) return proc.price;
    const day = istDayNumber(this.#stepMs(step));
    if (day >= root.day) return proc.priceAt(step);
    const closes = root.closes;
    for (let i = closes.length - 2; i >= 0; i -= 2) if (closes[i]! <= day) return closes[i + 1]!;
    return root.initialPrice;
  }

  /** The root's price when IST day `day` opens: its last price before the day (for OI targets and trade rates). */
  #rootPriceAtDayStart(exchange: Exchange, root: Node, day: number): number {
    const settle = this.#schedule.lastTradingStep(exchange, 0, this.#dayStartStep(day) - 1);
    return settle < 0 ? root.initialPrice : this.#rootPriceAt(root, settle);
  }

  /** Day `day`'s OI target and the next day's opening OI from today's. */
  #nextOpenInterest(d: Node, day: number, oiOpen: number): number {
    const ev = d.evaluate(
      this.#rootPriceAtDayStart(d.exchange, d.root, day),
      Math.max(this.#startMs, istDayStartMs(day)),
    );
    const target = targetOpenInterest(d.profile, ev.ctx, d.lotSize);
    return nextDayOpenInterest(oiOpen, target, d.lotSize, uniformAt(this.#seedHash, d.token, day, 1));
  }

  #rollRoot(r: Node, day: number, ms: number): void {
    r.closes.push(r.day, r.process!.price);
    r.prevClose = r.ltp;
    this.#startDay(r, day);
    r.limits = r.band(ms);
    r.process!.startDay();
    r.process!.setBand(r.limits.lower, r.limits.upper);
  }

  /**
   * Moves a derivative to IST day `day`, whose first trading step is `first`: settles the
   * previous trading day, carries OI over the days in between by the day-to-day rule, and
   * starts the day's own trade stream.
   */
  #rollDerivative(d: Node, day: number, first: number): void {
    let oiOpen = d.oiOpen;
    let oiNext = d.oiNext;
    for (let skipped = d.day + 1; skipped < day; skipped++) {
      if (!this.#tradedOn(d.exchange, skipped)) continue;
      oiOpen = oiNext;
      oiNext = this.#nextOpenInterest(d, skipped, oiOpen);
    }
    const settle = this.#schedule.lastTradingStep(d.exchange, 0, this.#dayStartStep(day) - 1);
    if (settle >= 0) {
      const settleMs = this.#stepMs(settle);
      const fair = d.evaluate(this.#rootPriceAt(d.root, settle), settleMs).fair;
      d.prevClose = d.grid.price(Math.max(1, d.grid.roundTicks(fair)));
      d.lastTradeMs = settleMs;
    } else {
      d.prevClose = d.ltp;
    }
    d.ltp = d.prevClose;
    d.lastQty = 0;
    this.#startDay(d, day);
    const firstMs = this.#stepMs(first);
    d.limits = d.band(firstMs);
    d.oiOpen = oiNext;
    d.oi = startOpenInterestDay(oiNext);
    d.oiNext = this.#nextOpenInterest(d, day, oiNext);
    d.rng = new Rng(hash32(this.#seedHash, d.token, day));
    const ev = d.evaluate(this.#rootPriceAtDayStart(d.exchange, d.root, day), firstMs);
    d.nextEvent =
      firstMs >= d.expiryMs ? Infinity : first - 1 + gapSteps(tradeProbability(d.profile, ev.ctx), d.rng.uniform());
  }

  #derivativeTrade(d: Node, e: number, ms: number): void {
    const ev = d.evaluate(d.root.process!.priceAt(e), ms);
    // Fixed draws per event: gap, side, size, OI move, OI direction.
    const uGap = d.rng.uniform();
    const uSide = d.rng.uniform();
    const uSize = d.rng.uniform();
    const uMove = d.rng.uniform();
    const uDirection = d.rng.uniform();
    const band = d.bandTicks();
    const fairTicks = Math.min(band.upper, Math.max(band.lower, ev.fair / d.grid.tick));
    const touch = touchTicks(fairTicks, d.touchSpreadTicks(ev));
    const ticks = Math.min(band.upper, Math.max(Math.max(1, band.lower), uSide < 0.5 ? touch.ask : touch.bid));
    const qty = Math.max(1, Math.round(-Math.log(uSize) * d.profile.tradeLots)) * d.lotSize;
    this.#trade(d, d.grid.price(ticks), qty, ms);
    d.oi = afterTrade(d.oi, qty, d.oiNext, uMove, uDirection);
    d.nextEvent = e + gapSteps(tradeProbability(d.profile, ev.ctx), uGap);
  }

  /** Resets the day's range and volume. */
  #startDay(n: Node, day: number): void {
    n.open = 0;
    n.high = 0;
    n.low = 0;
    n.volume = 0;
    n.turnover = 0;
    n.day = day;
    n.oi = startOpenInterestDay(n.oi.oi);
  }

  /** A price print without volume (an index value). */
  #print(n: Node, price: number, ms: number): void {
    if (n.open === 0) {
      n.open = price;
      n.high = price;
      n.low = price;
    } else {
      if (price > n.high) n.high = price;
      if (price < n.low) n.low = price;
    }
    n.ltp = price;
    n.lastTradeMs = ms;
  }

  #trade(n: Node, price: number, quantity: number, ms: number): void {
    this.#print(n, price, ms);
    n.lastQty = quantity;
    n.volume += quantity;
    n.turnover += price * quantity;
  }

  // ---------------------------------------------------------------------------------------
  // Depth

  #book(n: Node): DepthResult {
    const ms = this.#stepMs(this.#step);
    if (n.kind === 'index' || ms >= n.expiryMs) return { depth: emptyDepth(), buyQuantity: 0, sellQuantity: 0 };
    const ev = n.evaluate(n.root.process!.price, ms);
    const band = n.bandTicks();
    const cash = n.kind === 'equity';
    const price = Math.max(ev.fair, n.grid.tick);
    const meanLevelUnits = (cash ? n.profile.levelNotional / price : levelLots(n.profile, ev.ctx)) / n.depthFactor;
    const meanOrderUnits = cash ? n.profile.orderNotional / price : n.profile.orderLots;
    const epoch = Math.floor((this.#step * STEP_MS) / (n.profile.depthRefreshSeconds * 1000));
    const base = hash32(this.#seedHash, n.token, epoch);
    return buildDepth(
      {
        fairTicks: Math.min(band.upper, Math.max(band.lower, ev.fair / n.grid.tick)),
        spreadTicks: n.touchSpreadTicks(ev),
        maxGapTicks: n.profile.maxLevelGapTicks,
        meanLevelUnits,
        meanOrderUnits,
        unitSize: n.lotSize,
        lowerTicks: band.lower,
        upperTicks: band.upper,
        consumedBid: n.unrefilled(n.consumedBid, ms),
        consumedAsk: n.unrefilled(n.consumedAsk, ms),
      },
      n.grid,
      (k) => toUnit(hash2(base, k)),
    );
  }

  // ---------------------------------------------------------------------------------------
  // Change detection

  /** What a tick shows, reduced to numbers: when these change, the instrument changed. */
  #signatureOf(n: Node): number[] {
    if (n.kind === 'index') return [n.ltp];
    const ms = this.#stepMs(this.#step);
    const expired = ms >= n.expiryMs;
    let bid = 0;
    let ask = 0;
    let epoch = 0;
    if (!expired) {
      const ev = n.evaluate(n.root.process!.price, ms);
      const band = n.bandTicks();
      const touch = touchTicks(
        Math.min(band.upper, Math.max(band.lower, ev.fair / n.grid.tick)),
        n.touchSpreadTicks(ev),
      );
      bid = touch.bid;
      ask = touch.ask;
      epoch = Math.floor((this.#step * STEP_MS) / (n.profile.depthRefreshSeconds * 1000));
    }
    const refilling = n.unrefilled(n.consumedBid, ms) > 0 || n.unrefilled(n.consumedAsk, ms) > 0 ? this.#step : -1;
    return [n.ltp, n.volume, n.oi.oi, bid, ask, epoch, refilling, n.spreadFactor, n.depthFactor];
  }

  #touch(n: Node): void {
    n.version = ++this.#version;
    if (this.#watched.has(n.token)) n.signature = this.#signatureOf(n);
  }

  #setFactor(token: number, factor: number, key: 'spreadFactor' | 'depthFactor'): MarketError | null {
    const n = this.#nodes.get(token);
    if (!n) return unknown(token);
    if (!(factor > 0) || !Number.isFinite(factor))
      return marketError('INVALID_ARGUMENT', `factor must be a positive number, got ${factor}`);
    this.#catchUp(n, this.#step);
    n[key] = factor;
    this.#touch(n);
    return null;
  }
}

function unknown(token: number): MarketError {
  return marketError('UNKNOWN_INSTRUMENT', `the market model has no instrument with token ${token}`);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
