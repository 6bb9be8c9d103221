import type { Depth } from '../domain/quote.js';
import type { LiveTick } from './ticker.js';

/**
 * The latest tick of each streamed instrument: what the execution rules and P&L read instead
 * of asking Kite's quote API (1 request a second) for a price they already have.
 *
 * A tick replaces the token's previous one whole, never merged: a price and a depth from
 * different moments would describe a book that never existed.
 */
export class TickCache {
  readonly #ticks = new Map<number, LiveTick>();
  /** The tokens being streamed; null until {@link track} is first called (then every token is kept). */
  #tracked: Set<number> | null = null;

  /** Take a batch from the ticker. Ticks of tokens no longer tracked (still in flight) are ignored. */
  apply(ticks: Iterable<LiveTick>): void {
    for (const tick of ticks) {
      if (this.#tracked && !this.#tracked.has(tick.instrument_token)) continue;
      this.#ticks.set(tick.instrument_token, tick);
    }
  }

  /** The last tick of a token, if one has arrived. */
  get(token: number): LiveTick | undefined {
    return this.#ticks.get(token);
  }

  /** The last traded price of a token, if a tick has arrived. */
  lastPrice(token: number): number | undefined {
    return this.#ticks.get(token)?.last_price;
  }

  /** The market depth of a token's last tick; undefined without a tick or when it carried none (indices, non-full modes). */
  depth(token: number): Depth | undefined {
    return this.#ticks.get(token)?.depth ?? undefined;
  }

  /** Every token with a tick, and its tick. */
  entries(): IterableIterator<[number, LiveTick]> {
    return this.#ticks.entries();
  }

  /** How many tokens have a tick. */
  get size(): number {
    return this.#ticks.size;
  }

  /**
   * The tokens now streamed (the ticker's subscription set): forget the others' ticks, and ignore
   * any that arrive late. Returns how many tokens were forgotten.
   */
  track(tokens: Iterable<number>): number {
    this.#tracked = new Set(tokens);
    let dropped = 0;
    for (const token of [...this.#ticks.keys()]) {
      if (!this.#tracked.has(token)) {
        this.#ticks.delete(token);
        dropped++;
      }
    }
    return dropped;
  }

  /** Forget every tick (e.g. at the end of the trading day); the tracked set stays. */
  clear(): void {
    this.#ticks.clear();
  }
}
