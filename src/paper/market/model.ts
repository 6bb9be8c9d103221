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
 * against the root's per-step price history for the day.
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
import type { Exchange, Instrument } from '../../domain/instrument.js';
import type { Quote } from '../../domain/quote.js';
import {
  clampToBand,
  DEFAULT_EQUITY_BAND_PCT,
  DEFAULT_OPERATING_RANGE_PCT,
  hasBand,
  NO_BAND,
  percentBand,
  revaluationBand,
  withinBand,
  type CircuitLimits,
} from './circuit.js';
import {
  AVERAGE_PRICE_DECIMALS,
  CURRENCY_AVERAGE_PRICE_DECIMALS,
  DEFAULT_ANNUAL_VOL,
  DEFAULT_CARRY_RATE,
  DEFAULT_SMILES,
  RISK_FREE_RATE,
  STEP_MS,
  ZERO_TICK_FALLBACK,
} from './defaults.js';
import { buildDepth, emptyDepth, touchTicks, type DepthResult } from './depth.js';
import { DAY_MS, formatIstTimestamp, IST_OFFSET_MS, istDayIndex } from './ist-time.js';
import {
  defaultLiquidityClass,
  LIQUIDITY_CLASSES,
  LIQUIDITY_PROFILES,
  levelLots,
  spreadTicks,
  tradeProbability,
  type LiquidityClass,
  type LiquidityContext,
  type LiquidityProfile,
} from './liquidity.js';
import {
  afterTrade,
  initialOpenInterest,
  nextDayOpenInterest,
  startOpenInterestDay,
  targetOpenInterest,
  type OpenInterest,
} from './open-interest.js';
import {
  black76Price,
  expiryInstantMs,
  intrinsicValue,
  smileVol,
  standardisedMoneyness,
  yearFraction,
  type OptionKind,
  type SmileParams,
} from './option-pricing.js';
import { hash2, hash32, hashSeed, Rng, toUnit, uniformAt } from './rng.js';
import { TickGrid } from './tick.js';
import { TradingSchedule, type TradingPredicate } from './trading-schedule.js';
import { forwardPrice, UnderlyingProcess } from './underlying.js';

/** Per-instrument inputs, as plain data. Every field is optional; defaults are noted. */
export interface InstrumentSpec {
  /**
   * Previous close. Required for roots unless the instrument row has a last_price; for
   * derivatives it defaults to the model's value at start.
   */
  referencePrice?: number;
  /** Annual volatility: of the random walk (roots) or at-the-money implied (options; default the root's). */
  annualVol?: number;
  /** Annual drift of the random walk (roots; default 0). */
  annualDrift?: number;
  /** Liquidity class (default by kind: see liquidity.ts `defaultLiquidityClass`). */
  liquidity?: LiquidityClass;
  /**
   * Circuit band in percent of the base price: cash equities 2/5/10/20 (default 20),
   * derivatives the operating range (default 10), indices none (default 0). 0 = no band.
   */
  circuitBandPct?: number;
  /** The instrument this one is priced from (futures: the spot; options: the spot or the future). */
  underlyingToken?: number;
  /** Annual cost of carry from spot to forward (default DEFAULT_CARRY_RATE). */
  carryRate?: number;
  /** Discount rate for option values (default RISK_FREE_RATE). */
  rate?: number;
  /** Smile shape for options (default by the root's kind). */
  smile?: SmileParams;
  /** Opening open interest in shares (default from the liquidity model). */
  openInterest?: number;
  /** Expiry instant (default: the expiry date at the exchange's close, EXPIRY_CLOSE_IST). */
  expiryAt?: Date;
}

export type MarketErrorCode =
  | 'UNKNOWN_INSTRUMENT'
  | 'INVALID_SPEC'
  | 'UNKNOWN_UNDERLYING'
  | 'UNDERLYING_CYCLE'
  | 'NOT_AN_UNDERLYING'
  | 'INVALID_PATH'
  | 'INVALID_ARGUMENT'
  | 'OUTSIDE_CIRCUIT';

export interface MarketError {
  code: MarketErrorCode;
  message: string;
}

export function isMarketError(value: unknown): value is MarketError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/** Thrown by the constructor on a bad set-up; `MarketModel.create` returns the error instead. */
export class MarketSetupError extends Error {
  readonly code: MarketErrorCode;
  constructor(readonly error: MarketError) {
    super(error.message);
    this.name = 'MarketSetupError';
    this.code = error.code;
  }
}

export interface MarketModelOptions {
  /** Same seed and set-up, same market. */
  seed: number | string;
  instruments: readonly Instrument[];
  /** Per-token inputs. */
  specs?: ReadonlyMap<number, InstrumentSpec> | Readonly<Record<number, InstrumentSpec>>;
  /** Market time at step 0. */
  start: Date;
  /** When each exchange trades (default: always). Asked once per exchange per minute. */
  isTrading?: TradingPredicate;
}

/** Kite's transaction_type: a BUY takes liquidity from the ask side, a SELL from the bid side. */
export type OrderSide = 'BUY' | 'SELL';

/**
 * Liquidity taken from one side of the book, as the matching engine reports it: `side` is
 * the book side consumed (`sell` for a BUY order).
 */
export interface DepthConsumed {
  instrument_token: number;
  side: 'buy' | 'sell';
  quantity: number;
  price?: number;
}

/** A point a scenario path passes through: at an instant, or `at` ms after the model's current time. */
export interface PricePoint {
  at: Date | number;
  price: number;
}

type NodeKind = 'index' | 'equity' | 'future' | 'option';

interface Consumption {
  quantity: number;
  atMs: number;
}

interface Evaluation {
  fair: number;
  ctx: LiquidityContext;
}

/** One instrument's set-up and state. */
class Node {
  readonly token: number;
  readonly exchange: Exchange;
  readonly grid: TickGrid;
  readonly lotSize: number;
  root: Node = this;
  underlying: Node | undefined;
  process: UnderlyingProcess | undefined;
  readonly dependents: Node[] = [];
  cls: LiquidityClass = 'medium';
  profile: LiquidityProfile = LIQUIDITY_PROFILES.medium;
  bandPct = 0;
  expiryMs = Infinity;
  annualVol = DEFAULT_ANNUAL_VOL;
  carry = DEFAULT_CARRY_RATE;
  rate = RISK_FREE_RATE;
  smile: SmileParams = DEFAULT_SMILES.index;
  rng: Rng;

  step = 0;
  day = 0;
  prevClose = 0;
  open = 0;
  high = 0;
  low = 0;
  volume = 0;
  turnover = 0;
  ltp = 0;
  lastQty = 0;
  lastTradeMs = 0;
  limits: CircuitLimits = NO_BAND;
  oi: OpenInterest = { oi: 0, dayHigh: 0, dayLow: 0 };
  /** Derivatives: OI at today's open and at the next trading day's open. */
  oiOpen = 0;
  oiNext = 0;
  nextEvent = Infinity;
  /** Roots: closing price of each past day, as flat [day, price] pairs in day order. */
  readonly closes: number[] = [];
  /** Roots: price at step 0. */
  initialPrice = 0;

  spreadFactor = 1;
  depthFactor = 1;
  consumedBid: Consumption = { quantity: 0, atMs: 0 };
  consumedAsk: Consumption = { quantity: 0, atMs: 0 };

  version = 0;
  signature: number[] = [];

  constructor(
    readonly inst: Instrument,
    readonly kind: NodeKind,
    seedHash: number,
  ) {
    this.token = inst.instrument_token;
    this.exchange = inst.exchange;
    this.grid = new TickGrid(inst.tick_size > 0 ? inst.tick_size : ZERO_TICK_FALLBACK);
    this.lotSize = kind === 'future' || kind === 'option' ? Math.max(1, inst.lot_size) : 1;
    this.rng = new Rng(hash32(seedHash, this.token));
  }

  get isRoot(): boolean {
    return this.root === this;
  }

  get isDerivative(): boolean {
    return this.kind === 'future' || this.kind === 'option';
  }

  get optionKind(): OptionKind {
    return this.inst.instrument_type === 'PE' ? 'PE' : 'CE';
  }
}

function kindOf(inst: Instrument): NodeKind {
  if (inst.segment === 'INDICES') return 'index';
  switch (inst.instrument_type) {
    case 'FUT':
      return 'future';
    case 'CE':
    case 'PE':
      return 'option';
    default:
      return 'equity';
  }
}

function specsLookup(specs: MarketModelOptions['specs']): (token: number) => InstrumentSpec {
  if (!specs) return () => ({});
  if (specs instanceof Map) return (t) => specs.get(t) ?? {};
  const record = specs as Readonly<Record<number, InstrumentSpec>>;
  return (t) => record[t] ?? {};
}

function fail(code: MarketErrorCode, message: string): MarketError {
  return { code, message };
}

function label(inst: Instrument): string {
  return `${inst.exchange}:${inst.tradingsymbol} (${inst.instrument_token})`;
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
    if (!Number.isFinite(startMs)) throw new MarketSetupError(fail('INVALID_ARGUMENT', 'start is not a valid date'));
    this.#seedHash = hashSeed(options.seed);
    this.#startMs = startMs;
    this.#nowMs = startMs;
    const specOf = specsLookup(options.specs);

    for (const inst of options.instruments) {
      if (this.#nodes.has(inst.instrument_token)) {
        throw new MarketSetupError(fail('INVALID_SPEC', `instrument token ${inst.instrument_token} is listed twice`));
      }
      this.#nodes.set(inst.instrument_token, new Node(inst, kindOf(inst), this.#seedHash));
    }
    this.#schedule = new TradingSchedule(startMs, new Set([...this.#nodes.values()].map((n) => n.exchange)), options.isTrading);

    for (const n of this.#nodes.values()) this.#link(n, specOf(n.token));
    for (const n of this.#nodes.values()) this.#resolveRoot(n);
    for (const n of this.#nodes.values()) this.#configure(n, specOf(n.token), specOf(n.root.token));
    const day = istDayIndex(startMs);
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
    const avgDecimals = n.exchange === 'CDS' || n.exchange === 'BCD' ? CURRENCY_AVERAGE_PRICE_DECIMALS : AVERAGE_PRICE_DECIMALS;
    return {
      instrument_token: n.token,
      timestamp: formatIstTimestamp(this.#nowMs),
      last_trade_time: formatIstTimestamp(n.lastTradeMs),
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
    return this.#evaluate(n, n.root.process!.price, this.#stepMs(this.#step)).fair;
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
    if (n.kind === 'index') return fail('INVALID_ARGUMENT', `${label(n.inst)} is an index and has no depth`);
    if (!(quantity > 0) || !Number.isFinite(quantity)) return fail('INVALID_ARGUMENT', `quantity must be positive, got ${quantity}`);
    if (side !== 'BUY' && side !== 'SELL') return fail('INVALID_ARGUMENT', `side must be BUY or SELL, got ${String(side)}`);
    this.#catchUp(n, this.#step);
    const nowMs = this.#stepMs(this.#step);
    const key = side === 'BUY' ? 'consumedAsk' : 'consumedBid';
    n[key] = { quantity: this.#consumed(n, n[key], nowMs) + quantity, atMs: nowMs };
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
    if (n.kind === 'index') return fail('INVALID_ARGUMENT', `${label(n.inst)} is an index and does not trade`);
    if (!(quantity > 0) || !Number.isInteger(quantity)) return fail('INVALID_ARGUMENT', `quantity must be a positive integer, got ${quantity}`);
    if (!(price > 0) || !n.grid.isOnTick(price)) {
      return fail('INVALID_ARGUMENT', `price ${price} is not on ${label(n.inst)}'s tick of ${n.grid.tick}`);
    }
    this.#catchUp(n, this.#step);
    if (!withinBand(price, n.limits)) {
      return fail('OUTSIDE_CIRCUIT', `price ${price} is outside ${label(n.inst)}'s band ${n.limits.lower}-${n.limits.upper}`);
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
      return fail('NOT_AN_UNDERLYING', `${label(n.inst)} is priced from ${label(n.root.inst)}; set the path on that token`);
    }
    if (points.length === 0) return fail('INVALID_PATH', 'a path needs at least one point');
    const steps: { step: number; price: number }[] = [];
    let previous = this.#step;
    for (const p of points) {
      const atMs = typeof p.at === 'number' ? this.#nowMs + p.at : p.at.getTime();
      const step = Math.floor((atMs - this.#startMs) / STEP_MS);
      if (!Number.isFinite(step) || step <= previous) {
        return fail('INVALID_PATH', 'path points must be in the future and in time order, at least a second apart');
      }
      if (!(p.price > 0) || !Number.isFinite(p.price)) return fail('INVALID_PATH', `path price must be positive, got ${p.price}`);
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

  #link(n: Node, spec: InstrumentSpec): void {
    const inst = n.inst;
    if (spec.underlyingToken === undefined) {
      if (n.kind === 'option') {
        throw new MarketSetupError(fail('INVALID_SPEC', `${label(inst)} is an option and needs an underlyingToken`));
      }
      return;
    }
    if (n.kind === 'index' || n.kind === 'equity') {
      throw new MarketSetupError(fail('INVALID_SPEC', `${label(inst)} is cash or an index and cannot have an underlying`));
    }
    const u = this.#nodes.get(spec.underlyingToken);
    if (!u) {
      throw new MarketSetupError(fail('UNKNOWN_UNDERLYING', `${label(inst)}: underlying token ${spec.underlyingToken} is not in the instrument list`));
    }
    if (u.kind === 'option') {
      throw new MarketSetupError(fail('INVALID_SPEC', `${label(inst)}: underlying ${label(u.inst)} is an option`));
    }
    n.underlying = u;
  }

  #resolveRoot(n: Node): void {
    const seen = new Set<Node>();
    let cur = n;
    while (cur.underlying) {
      if (seen.has(cur)) throw new MarketSetupError(fail('UNDERLYING_CYCLE', `${label(n.inst)}: underlyings form a cycle`));
      seen.add(cur);
      cur = cur.underlying;
    }
    n.root = cur;
    if (cur !== n) cur.dependents.push(n);
  }

  #configure(n: Node, spec: InstrumentSpec, rootSpec: InstrumentSpec): void {
    const inst = n.inst;
    const bad = (what: string) => new MarketSetupError(fail('INVALID_SPEC', `${label(inst)}: ${what}`));
    if (spec.liquidity !== undefined && !LIQUIDITY_CLASSES.includes(spec.liquidity)) throw bad(`unknown liquidity class ${String(spec.liquidity)}`);
    n.cls = spec.liquidity ?? defaultLiquidityClass(inst, n.root.inst);
    n.profile = LIQUIDITY_PROFILES[n.cls];

    const bandDefault = n.kind === 'index' ? 0 : n.kind === 'equity' ? DEFAULT_EQUITY_BAND_PCT : DEFAULT_OPERATING_RANGE_PCT;
    n.bandPct = spec.circuitBandPct ?? bandDefault;
    if (!(n.bandPct >= 0) || n.bandPct >= 100) throw bad(`circuitBandPct must be in [0, 100), got ${n.bandPct}`);

    n.annualVol = spec.annualVol ?? rootSpec.annualVol ?? DEFAULT_ANNUAL_VOL;
    if (!(n.annualVol >= 0) || !Number.isFinite(n.annualVol)) throw bad(`annualVol must be a non-negative number, got ${n.annualVol}`);
    n.carry = spec.carryRate ?? DEFAULT_CARRY_RATE;
    n.rate = spec.rate ?? RISK_FREE_RATE;
    const rootKind = n.root.kind === 'index' ? 'index' : n.root.kind === 'equity' ? 'stock' : 'commodity';
    n.smile = spec.smile ?? DEFAULT_SMILES[rootKind];

    if (n.isDerivative) {
      if (spec.expiryAt !== undefined) {
        n.expiryMs = spec.expiryAt.getTime();
      } else if (inst.expiry) {
        n.expiryMs = expiryInstantMs(inst.expiry, inst.exchange) ?? NaN;
      }
      if (Number.isNaN(n.expiryMs)) throw bad(`cannot read expiry ${String(inst.expiry)}`);
      if (n.kind === 'option') {
        if (!Number.isFinite(n.expiryMs)) throw bad('an option needs an expiry');
        if (!(inst.strike > 0)) throw bad(`an option needs a positive strike, got ${inst.strike}`);
      }
    }
  }

  #initRoot(n: Node, spec: InstrumentSpec, day: number): void {
    const ref = spec.referencePrice ?? (n.inst.last_price > 0 ? n.inst.last_price : undefined);
    if (ref === undefined || !(ref > 0) || !Number.isFinite(ref)) {
      throw new MarketSetupError(fail('INVALID_SPEC', `${label(n.inst)} needs a positive referencePrice`));
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
    n.limits = this.#band(n, this.#startMs);
    n.process.setBand(n.limits.lower, n.limits.upper);
  }

  #initDerivative(n: Node, spec: InstrumentSpec, day: number): void {
    const rootPrice = n.root.process!.price;
    const ev = this.#evaluate(n, rootPrice, this.#startMs);
    n.day = day;
    n.lastTradeMs = this.#startMs;
    n.limits = this.#band(n, this.#startMs);
    if (spec.referencePrice !== undefined) {
      if (!(spec.referencePrice > 0)) throw new MarketSetupError(fail('INVALID_SPEC', `${label(n.inst)}: referencePrice must be positive`));
      n.prevClose = n.grid.snap(spec.referencePrice);
    } else {
      n.prevClose = n.grid.price(Math.max(1, n.grid.roundTicks(ev.fair)));
    }
    if (n.kind === 'future') n.limits = this.#band(n, this.#startMs);
    n.prevClose = clampToBand(n.prevClose, n.limits);
    n.ltp = n.prevClose;
    const target = targetOpenInterest(n.profile, ev.ctx, n.lotSize);
    n.oiOpen = spec.openInterest ?? initialOpenInterest(target, n.lotSize, uniformAt(this.#seedHash, n.token, day, 2));
    n.oi = startOpenInterestDay(n.oiOpen);
    n.oiNext = this.#nextOpenInterest(n, day, n.oiOpen);
    n.rng = new Rng(hash32(this.#seedHash, n.token, day));
    n.nextEvent = this.#startMs >= n.expiryMs ? Infinity : gapSteps(tradeProbability(n.profile, ev.ctx), n.rng.uniform());
  }

  // ---------------------------------------------------------------------------------------
  // Valuation

  #stepMs(step: number): number {
    return this.#startMs + step * STEP_MS;
  }

  /** Fair value of `n` with its root at `rootPrice` at instant `ms`, and its liquidity context. */
  #evaluate(n: Node, rootPrice: number, ms: number): Evaluation {
    if (n.isRoot) {
      const days = n.kind === 'future' && Number.isFinite(n.expiryMs) ? Math.max(0, yearFraction(ms, n.expiryMs) * 365) : 0;
      return { fair: rootPrice, ctx: { z: 0, daysToExpiry: days } };
    }
    const u = n.underlying!;
    const up = this.#evaluate(u, rootPrice, ms).fair;
    const t = Number.isFinite(n.expiryMs) ? yearFraction(ms, n.expiryMs) : 0;
    const days = Math.max(0, t * 365);
    const fwd = u.kind === 'future' ? up : forwardPrice(up, n.carry, t);
    if (n.kind === 'future') return { fair: fwd, ctx: { z: 0, daysToExpiry: days } };
    const strike = n.inst.strike;
    const z = standardisedMoneyness(fwd, strike, t, n.annualVol);
    if (t <= 0) return { fair: intrinsicValue(n.optionKind, fwd, strike), ctx: { z, daysToExpiry: 0 } };
    const vol = smileVol(n.annualVol, fwd, strike, t, n.smile);
    return { fair: black76Price(n.optionKind, fwd, strike, t, n.rate, vol), ctx: { z, daysToExpiry: days } };
  }

  #liquidityKind(n: Node): 'cash' | 'future' | 'option' {
    return n.kind === 'option' ? 'option' : n.kind === 'future' ? 'future' : 'cash';
  }

  #band(n: Node, ms: number): CircuitLimits {
    if (n.bandPct <= 0) return NO_BAND;
    if (n.kind === 'option') {
      return revaluationBand((u) => this.#evaluate(n, u, ms).fair, n.root.prevClose, n.bandPct, n.grid);
    }
    return percentBand(n.prevClose, n.bandPct, n.grid);
  }

  #bandTicks(n: Node): { lower: number; upper: number } {
    return hasBand(n.limits)
      ? { lower: n.grid.roundTicks(n.limits.lower), upper: n.grid.roundTicks(n.limits.upper) }
      : { lower: 0, upper: Infinity };
  }

  #spreadTicks(n: Node, ev: Evaluation): number {
    const base = spreadTicks(n.profile, this.#liquidityKind(n), ev.fair, n.grid.tick, ev.ctx);
    return Math.max(1, Math.ceil(base * n.spreadFactor - 1e-9));
  }

  // ---------------------------------------------------------------------------------------
  // Stepping

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
      const day = istDayIndex(ms);
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
    const lastDay = istDayIndex(this.#stepMs(last));
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
    return Math.ceil((day * DAY_MS - IST_OFFSET_MS - this.#startMs) / STEP_MS);
  }

  /** Whether `exchange` traded at any step of IST day `day`. */
  #tradedOn(exchange: Exchange, day: number): boolean {
    return this.#schedule.nextTradingStep(exchange, Math.max(0, this.#dayStartStep(day)), this.#dayStartStep(day + 1) - 1) >= 0;
  }

  /**
   * The root's price at a past `step`: from today's history, or the recorded close of an
   * earlier day, or the starting price before the first close.
   */
  #rootPriceAt(root: Node, step: number): number {
    const proc = root.process!;
    if (step >= root.step) return proc.price;
    const day = istDayIndex(this.#stepMs(step));
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
    const ev = this.#evaluate(d, this.#rootPriceAtDayStart(d.exchange, d.root, day), Math.max(this.#startMs, day * DAY_MS - IST_OFFSET_MS));
    const target = targetOpenInterest(d.profile, ev.ctx, d.lotSize);
    return nextDayOpenInterest(oiOpen, target, d.lotSize, uniformAt(this.#seedHash, d.token, day, 1));
  }

  #rollRoot(r: Node, day: number, ms: number): void {
    r.closes.push(r.day, r.process!.price);
    r.prevClose = r.ltp;
    this.#startDay(r, day);
    r.limits = this.#band(r, ms);
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
      const fair = this.#evaluate(d, this.#rootPriceAt(d.root, settle), settleMs).fair;
      d.prevClose = d.grid.price(Math.max(1, d.grid.roundTicks(fair)));
      d.lastTradeMs = settleMs;
    } else {
      d.prevClose = d.ltp;
    }
    d.ltp = d.prevClose;
    d.lastQty = 0;
    this.#startDay(d, day);
    const firstMs = this.#stepMs(first);
    d.limits = this.#band(d, firstMs);
    d.oiOpen = oiNext;
    d.oi = startOpenInterestDay(oiNext);
    d.oiNext = this.#nextOpenInterest(d, day, oiNext);
    d.rng = new Rng(hash32(this.#seedHash, d.token, day));
    const ev = this.#evaluate(d, this.#rootPriceAtDayStart(d.exchange, d.root, day), firstMs);
    d.nextEvent = firstMs >= d.expiryMs ? Infinity : first - 1 + gapSteps(tradeProbability(d.profile, ev.ctx), d.rng.uniform());
  }

  #derivativeTrade(d: Node, e: number, ms: number): void {
    const ev = this.#evaluate(d, d.root.process!.priceAt(e), ms);
    // Fixed draws per event: gap, side, size, OI move, OI direction.
    const uGap = d.rng.uniform();
    const uSide = d.rng.uniform();
    const uSize = d.rng.uniform();
    const uMove = d.rng.uniform();
    const uDirection = d.rng.uniform();
    const band = this.#bandTicks(d);
    const fairTicks = Math.min(band.upper, Math.max(band.lower, ev.fair / d.grid.tick));
    const touch = touchTicks(fairTicks, this.#spreadTicks(d, ev));
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

  #consumed(n: Node, c: Consumption, nowMs: number): number {
    if (c.quantity <= 0) return 0;
    const left = c.quantity * Math.exp(-(nowMs - c.atMs) / (n.profile.refillSeconds * 1000));
    return left < 0.5 * n.lotSize ? 0 : left;
  }

  #book(n: Node): DepthResult {
    const ms = this.#stepMs(this.#step);
    if (n.kind === 'index' || ms >= n.expiryMs) return { depth: emptyDepth(), buyQuantity: 0, sellQuantity: 0 };
    const ev = this.#evaluate(n, n.root.process!.price, ms);
    const band = this.#bandTicks(n);
    const cash = n.kind === 'equity';
    const price = Math.max(ev.fair, n.grid.tick);
    const meanLevelUnits = (cash ? n.profile.levelNotional / price : levelLots(n.profile, ev.ctx)) / n.depthFactor;
    const meanOrderUnits = cash ? n.profile.orderNotional / price : n.profile.orderLots;
    const epoch = Math.floor((this.#step * STEP_MS) / (n.profile.depthRefreshSeconds * 1000));
    const base = hash32(this.#seedHash, n.token, epoch);
    return buildDepth(
      {
        fairTicks: Math.min(band.upper, Math.max(band.lower, ev.fair / n.grid.tick)),
        spreadTicks: this.#spreadTicks(n, ev),
        maxGapTicks: n.profile.maxLevelGapTicks,
        meanLevelUnits,
        meanOrderUnits,
        unitSize: n.lotSize,
        lowerTicks: band.lower,
        upperTicks: band.upper,
        consumedBid: this.#consumed(n, n.consumedBid, ms),
        consumedAsk: this.#consumed(n, n.consumedAsk, ms),
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
      const ev = this.#evaluate(n, n.root.process!.price, ms);
      const band = this.#bandTicks(n);
      const touch = touchTicks(Math.min(band.upper, Math.max(band.lower, ev.fair / n.grid.tick)), this.#spreadTicks(n, ev));
      bid = touch.bid;
      ask = touch.ask;
      epoch = Math.floor((this.#step * STEP_MS) / (n.profile.depthRefreshSeconds * 1000));
    }
    const refilling = this.#consumed(n, n.consumedBid, ms) > 0 || this.#consumed(n, n.consumedAsk, ms) > 0 ? this.#step : -1;
    return [n.ltp, n.volume, n.oi.oi, bid, ask, epoch, refilling, n.spreadFactor, n.depthFactor];
  }

  #touch(n: Node): void {
    n.version = ++this.#version;
    if (this.#watched.has(n.token)) n.signature = this.#signatureOf(n);
  }

  #setFactor(token: number, factor: number, key: 'spreadFactor' | 'depthFactor'): MarketError | null {
    const n = this.#nodes.get(token);
    if (!n) return unknown(token);
    if (!(factor > 0) || !Number.isFinite(factor)) return fail('INVALID_ARGUMENT', `factor must be a positive number, got ${factor}`);
    this.#catchUp(n, this.#step);
    n[key] = factor;
    this.#touch(n);
    return null;
  }
}

function unknown(token: number): MarketError {
  return fail('UNKNOWN_INSTRUMENT', `the market model has no instrument with token ${token}`);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
