/**
 * Which steps of market time each exchange trades in. The paper exchange may pass a
 * predicate (from the trading calendar: sessions and holidays); without one every step
 * trades, so a developer can test at any hour. The predicate is asked once per exchange
 * per minute of market time (at the minute's start: Indian sessions open and close on
 * whole minutes) and the answers are kept as intervals of steps, so stepping over a night
 * or a weekend costs a few hundred calls and no per-second work.
 */
import type { Exchange } from '../../domain/instrument.js';
import { STEP_MS } from './defaults.js';

/** Whether `exchange` is trading at `at`. Must be a pure function of its arguments. */
export type TradingPredicate = (exchange: Exchange, at: Date) => boolean;

const MINUTE_MS = 60_000;

interface ExchangeSchedule {
  /** Trading intervals as flat [start, end) step pairs, ascending. */
  intervals: number[];
  scannedMinute: number;
}

export class TradingSchedule {
  readonly #startMs: number;
  readonly #predicate: TradingPredicate | undefined;
  readonly #byExchange = new Map<Exchange, ExchangeSchedule>();

  constructor(startMs: number, exchanges: Iterable<Exchange>, predicate?: TradingPredicate) {
    this.#startMs = startMs;
    this.#predicate = predicate;
    const firstMinute = Math.floor(startMs / MINUTE_MS);
    for (const ex of exchanges) this.#byExchange.set(ex, { intervals: [], scannedMinute: firstMinute - 1 });
  }

  /** Whether every step trades (no predicate). */
  get alwaysTrading(): boolean {
    return this.#predicate === undefined;
  }

  /** Asks the predicate about every minute up to the one holding `step`. */
  extendTo(step: number): void {
    const predicate = this.#predicate;
    if (!predicate) return;
    const lastMinute = Math.floor((this.#startMs + step * STEP_MS) / MINUTE_MS);
    for (const [ex, sched] of this.#byExchange) {
      for (let m = sched.scannedMinute + 1; m <= lastMinute; m++) {
        if (!predicate(ex, new Date(m * MINUTE_MS))) continue;
        const from = this.#firstStepAtOrAfter(m * MINUTE_MS);
        const to = this.#firstStepAtOrAfter((m + 1) * MINUTE_MS);
        if (to <= from) continue;
        const iv = sched.intervals;
        if (iv.length > 0 && iv[iv.length - 1] === from) iv[iv.length - 1] = to;
        else iv.push(from, to);
      }
      sched.scannedMinute = Math.max(sched.scannedMinute, lastMinute);
    }
  }

  /** The first trading step in [from, to], or -1. */
  nextTradingStep(exchange: Exchange, from: number, to: number): number {
    if (from > to) return -1;
    if (!this.#predicate) return from;
    const iv = this.#byExchange.get(exchange)?.intervals ?? [];
    // Binary search for the first interval whose end is after `from`.
    let lo = 0;
    let hi = iv.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (iv[2 * mid + 1]! <= from) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= iv.length / 2) return -1;
    const candidate = Math.max(from, iv[2 * lo]!);
    return candidate <= to ? candidate : -1;
  }

  /** The last trading step in [from, to], or -1. */
  lastTradingStep(exchange: Exchange, from: number, to: number): number {
    if (from > to) return -1;
    if (!this.#predicate) return to;
    const iv = this.#byExchange.get(exchange)?.intervals ?? [];
    // Binary search for the last interval starting at or before `to`.
    let lo = 0;
    let hi = iv.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (iv[2 * mid]! <= to) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return -1;
    const i = lo - 1;
    const candidate = Math.min(to, iv[2 * i + 1]! - 1);
    return candidate >= from ? candidate : -1;
  }

  #firstStepAtOrAfter(ms: number): number {
    return Math.max(0, Math.ceil((ms - this.#startMs) / STEP_MS));
  }
}
