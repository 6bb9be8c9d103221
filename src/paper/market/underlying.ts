/**
 * The price process of an underlying (an index, a cash equity, or an MCX future that has
 * no spot in the model): geometric Brownian motion stepped once per second of market time.
 *
 * The caller draws one standard normal per trading step from the underlying's own seeded
 * stream, so the path is a function of (seed, instrument, number of trading steps) and not
 * of how often anyone looks. A scenario path overrides the random walk while it lasts
 * (the normals are still drawn and ignored, so the stream stays aligned), and the walk
 * resumes from the path's last point. The price is held inside the circuit band by
 * clamping the state itself: a move past a limit stops at the limit, and the next step
 * starts from there, so the price can sit at a circuit and leave it again.
 *
 * For derivatives that are valued lazily, the process keeps the day's per-step prices.
 */

/** Seconds in the "year" that annual volatility refers to: 252 sessions of 6h15m (NSE 09:15-15:30). */
export const PROCESS_SECONDS_PER_YEAR = 252 * 6.25 * 3600;

/** One second of market time in process years. */
export const STEP_YEARS = 1 / PROCESS_SECONDS_PER_YEAR;

/** One GBM step: price x exp((drift - vol^2/2) dt + vol sqrt(dt) z). */
export function gbmStep(price: number, annualVol: number, annualDrift: number, dtYears: number, z: number): number {
  return price * Math.exp((annualDrift - 0.5 * annualVol * annualVol) * dtYears + annualVol * Math.sqrt(dtYears) * z);
}

/** A futures price from spot with a continuously compounded cost of carry over `tYears`. */
export function forwardPrice(spot: number, carryRate: number, tYears: number): number {
  return tYears > 0 ? spot * Math.exp(carryRate * tYears) : spot;
}

/** A point a scenario path must pass through, at a step index. */
export interface PathPoint {
  step: number;
  price: number;
}

/** The price on a piecewise-linear path at `step` (the path starts at `points[0]`). */
export function pathPriceAt(points: readonly PathPoint[], step: number): number {
  const first = points[0];
  if (!first) return NaN;
  if (step <= first.step) return first.price;
  for (let i = 1; i < points.length; i++) {
    const b = points[i]!;
    if (step <= b.step) {
      const a = points[i - 1]!;
      return b.step === a.step ? b.price : a.price + ((b.price - a.price) * (step - a.step)) / (b.step - a.step);
    }
  }
  return points[points.length - 1]!.price;
}

export interface UnderlyingProcessOptions {
  price: number;
  annualVol: number;
  annualDrift?: number;
  /** Keep the day's per-step prices for `priceAt` (only needed when derivatives hang off it). */
  keepHistory: boolean;
}

export class UnderlyingProcess {
  #latent: number;
  readonly #vol: number;
  readonly #drift: number;
  readonly #keepHistory: boolean;
  #lower = 0;
  #upper = Infinity;
  #path: PathPoint[] | null = null;
  #lastStep = 0;
  /** Price before the first step of the day. */
  #base: number;
  #hist = new Float64Array(0);
  #len = 0;
  /** Runs of consecutive steps in #hist: first step of each run and its offset. */
  #runStarts: number[] = [];
  #runOffsets: number[] = [];

  constructor(options: UnderlyingProcessOptions) {
    this.#latent = options.price;
    this.#base = options.price;
    this.#vol = options.annualVol;
    this.#drift = options.annualDrift ?? 0;
    this.#keepHistory = options.keepHistory;
  }

  /** The current (unsnapped) price. */
  get price(): number {
    return this.#latent;
  }

  get lastStep(): number {
    return this.#lastStep;
  }

  /** Starts a new day's history; the price carries over. */
  startDay(): void {
    this.#base = this.#latent;
    this.#len = 0;
    this.#runStarts = [];
    this.#runOffsets = [];
  }

  /** Sets the circuit band (0, 0 for none) and pulls the price inside it. */
  setBand(lower: number, upper: number): void {
    this.#lower = Math.max(lower, 0);
    this.#upper = upper > 0 ? upper : Infinity;
    this.#latent = this.#clamp(this.#latent);
  }

  /**
   * Follow `points` (ascending steps, all after `fromStep`) starting from the current
   * price at `fromStep`. Prices outside the band are held at the band.
   */
  setPath(fromStep: number, points: readonly PathPoint[]): void {
    this.#path = [{ step: fromStep, price: this.#latent }, ...points.map((p) => ({ step: p.step, price: p.price }))];
  }

  clearPath(): void {
    this.#path = null;
  }

  /** Whether a scenario path drives the price at `step`. */
  pathActiveAt(step: number): boolean {
    const path = this.#path;
    return path !== null && step <= path[path.length - 1]!.step;
  }

  /** One trading step at `step` with standard normal draw `z`. */
  advance(step: number, z: number): void {
    if (this.#path !== null && this.pathActiveAt(step)) {
      this.#latent = this.#clamp(pathPriceAt(this.#path, step));
    } else {
      this.#path = null;
      this.#latent = this.#clamp(gbmStep(this.#latent, this.#vol, this.#drift, STEP_YEARS, z));
    }
    if (this.#keepHistory) this.#record(step);
    this.#lastStep = step;
  }

  /** The price at `step` of the current day (steps before its first trading step give the opening base). */
  priceAt(step: number): number {
    if (step >= this.#lastStep || !this.#keepHistory) return this.#latent;
    for (let i = this.#runStarts.length - 1; i >= 0; i--) {
      const start = this.#runStarts[i]!;
      if (step < start) continue;
      const end = i + 1 < this.#runOffsets.length ? this.#runOffsets[i + 1]! : this.#len;
      const at = Math.min(this.#runOffsets[i]! + (step - start), end - 1);
      return this.#hist[at]!;
    }
    return this.#base;
  }

  /** Bytes held for history (for the performance report). */
  get historyBytes(): number {
    return this.#hist.byteLength;
  }

  #clamp(price: number): number {
    return Math.min(this.#upper, Math.max(this.#lower, price));
  }

  #record(step: number): void {
    const runs = this.#runStarts.length;
    const contiguous = runs > 0 && step === this.#lastStep + 1;
    if (!contiguous) {
      this.#runStarts.push(step);
      this.#runOffsets.push(this.#len);
    }
    if (this.#len === this.#hist.length) {
      const grown = new Float64Array(Math.max(4096, this.#hist.length * 2));
      grown.set(this.#hist);
      this.#hist = grown;
    }
    this.#hist[this.#len++] = this.#latent;
  }
}
