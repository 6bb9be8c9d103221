/**
 * One instrument of the paper market (see model.ts): its set-up, its mutable state, and its
 * valuation from its root's price. A node only reads its own fields and its underlyings';
 * time, randomness and the trading schedule stay with the model, which moves the nodes.
 */
import type { Exchange, Instrument } from '../../domain/instrument.js';
import {
  type CircuitLimits,
  DEFAULT_EQUITY_BAND_PCT,
  DEFAULT_OPERATING_RANGE_PCT,
  hasBand,
  NO_BAND,
  percentBand,
  revaluationBand,
} from './circuit.js';
import {
  DEFAULT_ANNUAL_VOL,
  DEFAULT_CARRY_RATE,
  DEFAULT_SMILES,
  RISK_FREE_RATE,
  ZERO_TICK_FALLBACK,
} from './defaults.js';
import {
  defaultLiquidityClass,
  LIQUIDITY_CLASSES,
  LIQUIDITY_PROFILES,
  type LiquidityClass,
  type LiquidityContext,
  type LiquidityProfile,
  spreadTicks,
} from './liquidity.js';
import { type InstrumentSpec, MarketSetupError, marketError } from './model-types.js';
import type { OpenInterest } from './open-interest.js';
import {
  black76Price,
  expiryInstantMs,
  intrinsicValue,
  type OptionKind,
  type SmileParams,
  smileVol,
  standardisedMoneyness,
  yearFraction,
} from './option-pricing.js';
import { hash32, Rng } from './rng.js';
import { TickGrid } from './tick.js';
import { forwardPrice, type UnderlyingProcess } from './underlying.js';

export type NodeKind = 'index' | 'equity' | 'future' | 'option';

/** Depth taken from one side of the book: how much, and when (it refills from then). */
export interface Consumption {
  quantity: number;
  atMs: number;
}

/** A node's fair value at some root price and instant, and its liquidity context there. */
export interface Evaluation {
  fair: number;
  ctx: LiquidityContext;
}

/** One instrument of the model: its set-up, its state, and its valuation from its root's price. */
export class Node {
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

  // ---------------------------------------------------------------------------------------
  // Set-up (the model calls these in this order, each for every node, then initialises state)

  /** Points `underlying` at the instrument the spec names, after checking the pair makes sense. */
  link(spec: InstrumentSpec, nodes: ReadonlyMap<number, Node>): void {
    const inst = this.inst;
    if (spec.underlyingToken === undefined) {
      if (this.kind === 'option') {
        throw new MarketSetupError(
          marketError('INVALID_SPEC', `${label(inst)} is an option and needs an underlyingToken`),
        );
      }
      return;
    }
    if (this.kind === 'index' || this.kind === 'equity') {
      throw new MarketSetupError(
        marketError('INVALID_SPEC', `${label(inst)} is cash or an index and cannot have an underlying`),
      );
    }
    const u = nodes.get(spec.underlyingToken);
    if (!u) {
      throw new MarketSetupError(
        marketError(
          'UNKNOWN_UNDERLYING',
          `${label(inst)}: underlying token ${spec.underlyingToken} is not in the instrument list`,
        ),
      );
    }
    if (u.kind === 'option') {
      throw new MarketSetupError(
        marketError('INVALID_SPEC', `${label(inst)}: underlying ${label(u.inst)} is an option`),
      );
    }
    this.underlying = u;
  }

  /** Follows the underlyings to the root and registers with it as a dependent. */
  resolveRoot(): void {
    const seen = new Set<Node>();
    let cur: Node = this;
    while (cur.underlying) {
      if (seen.has(cur))
        throw new MarketSetupError(marketError('UNDERLYING_CYCLE', `${label(this.inst)}: underlyings form a cycle`));
      seen.add(cur);
      cur = cur.underlying;
    }
    this.root = cur;
    if (cur !== this) cur.dependents.push(this);
  }

  /** Liquidity, circuit band, volatility, rates, smile and expiry from the spec and the defaults. */
  configure(spec: InstrumentSpec, rootSpec: InstrumentSpec): void {
    const inst = this.inst;
    const bad = (what: string) => new MarketSetupError(marketError('INVALID_SPEC', `${label(inst)}: ${what}`));
    if (spec.liquidity !== undefined && !LIQUIDITY_CLASSES.includes(spec.liquidity))
      throw bad(`unknown liquidity class ${String(spec.liquidity)}`);
    this.cls = spec.liquidity ?? defaultLiquidityClass(inst, this.root.inst);
    this.profile = LIQUIDITY_PROFILES[this.cls];

    const bandDefault =
      this.kind === 'index' ? 0 : this.kind === 'equity' ? DEFAULT_EQUITY_BAND_PCT : DEFAULT_OPERATING_RANGE_PCT;
    this.bandPct = spec.circuitBandPct ?? bandDefault;
    if (!(this.bandPct >= 0) || this.bandPct >= 100)
      throw bad(`circuitBandPct must be in [0, 100), got ${this.bandPct}`);

    this.annualVol = spec.annualVol ?? rootSpec.annualVol ?? DEFAULT_ANNUAL_VOL;
    if (!(this.annualVol >= 0) || !Number.isFinite(this.annualVol))
      throw bad(`annualVol must be a non-negative number, got ${this.annualVol}`);
    this.carry = spec.carryRate ?? DEFAULT_CARRY_RATE;
    this.rate = spec.rate ?? RISK_FREE_RATE;
    const rootKind = this.root.kind === 'index' ? 'index' : this.root.kind === 'equity' ? 'stock' : 'commodity';
    this.smile = spec.smile ?? DEFAULT_SMILES[rootKind];

    if (this.isDerivative) {
      if (spec.expiryAt !== undefined) {
        this.expiryMs = spec.expiryAt.getTime();
      } else if (inst.expiry) {
        this.expiryMs = expiryInstantMs(inst.expiry, inst.exchange) ?? NaN;
      }
      if (Number.isNaN(this.expiryMs)) throw bad(`cannot read expiry ${String(inst.expiry)}`);
      if (this.kind === 'option') {
        if (!Number.isFinite(this.expiryMs)) throw bad('an option needs an expiry');
        if (!(inst.strike > 0)) throw bad(`an option needs a positive strike, got ${inst.strike}`);
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Valuation

  /** Fair value with the root at `rootPrice` at instant `ms`, and the liquidity context. */
  evaluate(rootPrice: number, ms: number): Evaluation {
    if (this.isRoot) {
      const days =
        this.kind === 'future' && Number.isFinite(this.expiryMs)
          ? Math.max(0, yearFraction(ms, this.expiryMs) * 365)
          : 0;
      return { fair: rootPrice, ctx: { z: 0, daysToExpiry: days } };
    }
    const u = this.underlying!;
    const up = u.evaluate(rootPrice, ms).fair;
    const t = Number.isFinite(this.expiryMs) ? yearFraction(ms, this.expiryMs) : 0;
    const days = Math.max(0, t * 365);
    const fwd = u.kind === 'future' ? up : forwardPrice(up, this.carry, t);
    if (this.kind === 'future') return { fair: fwd, ctx: { z: 0, daysToExpiry: days } };
    const strike = this.inst.strike;
    const z = standardisedMoneyness(fwd, strike, t, this.annualVol);
    if (t <= 0) return { fair: intrinsicValue(this.optionKind, fwd, strike), ctx: { z, daysToExpiry: 0 } };
    const vol = smileVol(this.annualVol, fwd, strike, t, this.smile);
    return { fair: black76Price(this.optionKind, fwd, strike, t, this.rate, vol), ctx: { z, daysToExpiry: days } };
  }

  /** The circuit band from the previous close at instant `ms` (options: by revaluing at the root's band). */
  band(ms: number): CircuitLimits {
    if (this.bandPct <= 0) return NO_BAND;
    if (this.kind === 'option') {
      return revaluationBand((u) => this.evaluate(u, ms).fair, this.root.prevClose, this.bandPct, this.grid);
    }
    return percentBand(this.prevClose, this.bandPct, this.grid);
  }

  /** The current band in ticks (0 to infinity without one). */
  bandTicks(): { lower: number; upper: number } {
    return hasBand(this.limits)
      ? { lower: this.grid.roundTicks(this.limits.lower), upper: this.grid.roundTicks(this.limits.upper) }
      : { lower: 0, upper: Infinity };
  }

  /** Bid-ask spread in ticks at valuation `ev`, widened by any scenario factor; at least one. */
  touchSpreadTicks(ev: Evaluation): number {
    const base = spreadTicks(this.profile, this.#liquidityKind(), ev.fair, this.grid.tick, ev.ctx);
    return Math.max(1, Math.ceil(base * this.spreadFactor - 1e-9));
  }

  /** What is left at `nowMs` of depth consumed earlier, refilling exponentially (0 under half a lot). */
  unrefilled(c: Consumption, nowMs: number): number {
    if (c.quantity <= 0) return 0;
    const left = c.quantity * Math.exp(-(nowMs - c.atMs) / (this.profile.refillSeconds * 1000));
    return left < 0.5 * this.lotSize ? 0 : left;
  }

  #liquidityKind(): 'cash' | 'future' | 'option' {
    return this.kind === 'option' ? 'option' : this.kind === 'future' ? 'future' : 'cash';
  }
}

/** The model's kind of an instrument row. */
export function kindOf(inst: Instrument): NodeKind {
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

/** `NSE:INFY (408065)`: an instrument as the model's error messages name it. */
export function label(inst: Instrument): string {
  return `${inst.exchange}:${inst.tradingsymbol} (${inst.instrument_token})`;
}
