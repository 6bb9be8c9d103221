/**
 * Prices on an instrument's tick. Arithmetic is done in whole ticks and converted back with
 * the tick's own number of decimals, so a price prints as the exchange shows it (1412.95,
 * not 1412.9500000000002).
 */

/** Tolerance for "already on the tick" when dividing a price by its tick in binary floating point. */
const TICK_EPSILON = 1e-7;

/** Decimals needed to print multiples of `tick`: 0.05 -> 2, 0.0025 -> 4, 1 -> 0. */
export function tickDecimals(tick: number): number {
  for (let d = 0; d <= 8; d++) {
    const scaled = tick * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return d;
  }
  return 8;
}

/** One instrument's price grid. */
export class TickGrid {
  readonly tick: number;
  readonly decimals: number;
  readonly #scale: number;

  constructor(tick: number) {
    if (!(tick > 0)) throw new RangeError(`tick size must be positive, got ${tick}`);
    this.tick = tick;
    this.decimals = tickDecimals(tick);
    this.#scale = 10 ** this.decimals;
  }

  /** Price of a whole number of ticks, rounded to the tick's decimals. */
  price(ticks: number): number {
    return Math.round(ticks * this.tick * this.#scale) / this.#scale;
  }

  /** Price in (fractional) ticks. */
  ticksOf(price: number): number {
    return price / this.tick;
  }

  /** Nearest tick, as a count of ticks. */
  roundTicks(price: number): number {
    return Math.round(price / this.tick);
  }

  /** Highest tick at or below `price`, as a count of ticks. */
  floorTicks(price: number): number {
    return Math.floor(price / this.tick + TICK_EPSILON);
  }

  /** Lowest tick at or above `price`, as a count of ticks. */
  ceilTicks(price: number): number {
    return Math.ceil(price / this.tick - TICK_EPSILON);
  }

  /** `price` snapped to the nearest tick. */
  snap(price: number): number {
    return this.price(this.roundTicks(price));
  }

  /** Whether `price` is a whole number of ticks (within floating-point noise). */
  isOnTick(price: number): boolean {
    const t = price / this.tick;
    return Math.abs(t - Math.round(t)) < TICK_EPSILON;
  }
}
