import type { LiveTick } from '../../src/broker/ticker.js';
import type { Quote } from '../../src/domain/quote.js';
import { type BookInstrument, type DepthSnapshot, depthSnapshot, isStale } from '../../src/execution/depth.js';
import type { Clock } from '../../src/market/clock.js';

/** An instrument whose depth is wanted. */
export interface DepthWanted extends BookInstrument {
  instrument_token: number;
  /** `EXCHANGE:TRADINGSYMBOL`, the key of Kite's quote API. */
  key: string;
}

/** Why no depth could be had for an instrument. */
export interface NoDepth {
  code: 'DEPTH_UNAVAILABLE';
  message: string;
}

export interface DepthSourceDeps {
  clock: Clock;
  /** The latest tick of a token (the link's tick cache). */
  tick(token: number): LiveTick | undefined;
  /** Stream a token in full mode from now on. */
  streamAlso(token: number): void;
  /** The WebSocket feed is connected (a new subscription's first tick can come). */
  feedConnected(): boolean;
  /** One call to Kite's quote API for all these keys (1 a second; the adapter queues). */
  quote(keys: readonly string[]): Promise<Record<string, Quote>>;
  /** Wall milliseconds, to age a tick by when this process received it (Date.now unless a test pins it). */
  wall?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** How often the tick cache is looked at while a first tick is awaited. */
const POLL_MS = 20;

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Where an analysis gets its depth: the WebSocket's full-mode ticks, else one quote call.
 *
 * An instrument with a full-mode tick no older than `maxAgeMs` is read from it at once. Any
 * other is subscribed on demand and its first tick awaited for `waitMs` (when the feed is
 * connected); whatever is still without fresh depth then gets one quote call, all such
 * instruments in that one call. A tick's age runs from when somd received it, on somd's clock
 * (the paper clock in paper mode); a quote's from its answer. Depth older than `maxAgeMs` is
 * never returned: an instrument left without fresh depth gets a {@link NoDepth}.
 */
export class DepthSource {
  readonly #d: DepthSourceDeps;
  readonly #wall: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(deps: DepthSourceDeps) {
    this.#d = deps;
    this.#wall = deps.wall ?? Date.now;
    this.#sleep = deps.sleep ?? sleepReal;
  }

  /** The depth of each instrument, in the order asked. A failed quote call rejects (a broker error). */
  async snapshots(
    wanted: readonly DepthWanted[],
    options: { maxAgeMs: number; waitMs: number },
  ): Promise<(DepthSnapshot | NoDepth)[]> {
    const out: (DepthSnapshot | NoDepth | null)[] = wanted.map((w) => this.#fromTick(w, options.maxAgeMs));
    const missing = () => wanted.filter((_, i) => out[i] === null);
    if (missing().length === 0) return out as (DepthSnapshot | NoDepth)[];
    for (const w of missing()) this.#d.streamAlso(w.instrument_token);
    if (options.waitMs > 0 && this.#d.feedConnected()) {
      const until = this.#wall() + options.waitMs;
      while (this.#wall() < until && missing().length > 0) {
        await this.#sleep(POLL_MS);
        wanted.forEach((w, i) => {
          out[i] ??= this.#fromTick(w, options.maxAgeMs);
        });
      }
    }
    const rest = missing();
    if (rest.length > 0) {
      const quotes = await this.#d.quote(rest.map((w) => w.key));
      const at = this.#d.clock.now();
      wanted.forEach((w, i) => {
        if (out[i] !== null) return;
        const q = quotes[w.key];
        out[i] = q
          ? depthSnapshot(q, w, at, 'quote')
          : { code: 'DEPTH_UNAVAILABLE', message: `the broker sent no quote for ${w.key}` };
      });
    }
    return out as (DepthSnapshot | NoDepth)[];
  }

  /** A snapshot from the token's last tick, when it is full mode with depth and fresh; else null. */
  #fromTick(w: DepthWanted, maxAgeMs: number): DepthSnapshot | null {
    const tick = this.#d.tick(w.instrument_token);
    if (tick?.mode !== 'full' || !tick.depth) return null;
    const now = this.#d.clock.now();
    const at = new Date(now.getTime() - Math.max(0, this.#wall() - tick.received_at));
    if (isStale(at, now, maxAgeMs)) return null;
    return depthSnapshot(tick, w, at, 'ticks');
  }
}
