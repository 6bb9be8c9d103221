/**
 * One WebSocket connection's subscriptions: which instruments it streams and in what mode, and
 * the binary message to send it when quotes change.
 */
import { type ClientMessage, MAX_TOKENS_PER_CONNECTION, type TickProtocolError } from './client-message.js';
import { encodeFrame, MAX_PACKETS_PER_FRAME } from './frame.js';
import { encodeTick, type TickInput, type TickMode } from './packet.js';

/**
 * Mode of a token subscribed without a `mode` message. Kite's docs do not say; Zerodha staff on
 * the Kite forum ("By default when you subscribe for a token, It subscribes with modeQuote") and
 * pykiteconnect's client-side table (subscribe records MODE_QUOTE) both say quote.
 */
export const DEFAULT_SUBSCRIBE_MODE: TickMode = 'quote';

/** What a client message did. */
export interface ApplyResult {
  /**
   * Tokens newly subscribed or whose mode changed, in message order: send them a tick now so
   * the client has a current value without waiting for the next trade.
   */
  refresh: number[];
  /** Tokens the message named that needed nothing: mode or unsubscribe for a token not subscribed. */
  ignored: number[];
  /** Tokens refused because the connection is at its cap; `error` says so. */
  rejected: number[];
  error: TickProtocolError | null;
}

export class SubscriptionTable {
  readonly #modes = new Map<number, TickMode>();
  readonly #limit: number;

  /** `limit` is Kite's per-connection cap unless a test wants a smaller one. */
  constructor(limit: number = MAX_TOKENS_PER_CONNECTION) {
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PACKETS_PER_FRAME) {
      throw new RangeError(`subscription limit must be 0..${MAX_PACKETS_PER_FRAME}, got ${limit}`);
    }
    this.#limit = limit;
  }

  /**
   * Apply a parsed client message. Subscribing sets the token to `quote` even if it was
   * subscribed in another mode, as pykiteconnect's mirror of the server's table does; a mode
   * message only affects tokens already subscribed ("You can't set mode without subscribing",
   * Zerodha on the Kite forum). A token named twice in one message counts once.
   */
  apply(message: ClientMessage): ApplyResult {
    const result: ApplyResult = { refresh: [], ignored: [], rejected: [], error: null };
    const tokens = [...new Set(message.tokens)];

    switch (message.action) {
      case 'subscribe':
        for (const token of tokens) {
          const current = this.#modes.get(token);
          if (current === undefined && this.#modes.size >= this.#limit) {
            result.rejected.push(token);
            continue;
          }
          this.#modes.set(token, DEFAULT_SUBSCRIBE_MODE);
          if (current !== DEFAULT_SUBSCRIBE_MODE) result.refresh.push(token);
        }
        break;
      case 'unsubscribe':
        for (const token of tokens) {
          if (!this.#modes.delete(token)) result.ignored.push(token);
        }
        break;
      case 'mode':
        for (const token of tokens) {
          const current = this.#modes.get(token);
          if (current === undefined) {
            result.ignored.push(token);
          } else if (current !== message.mode) {
            this.#modes.set(token, message.mode);
            result.refresh.push(token);
          }
        }
        break;
    }

    if (result.rejected.length > 0) {
      result.error = {
        code: 'TOO_MANY_TOKENS',
        message:
          `a connection can subscribe to at most ${this.#limit} instruments; ` +
          `${result.rejected.length} not subscribed: ${result.rejected.join(', ')}`,
      };
    }
    return result;
  }

  /** The token's mode, or undefined when it is not subscribed. */
  modeOf(token: number): TickMode | undefined {
    return this.#modes.get(token);
  }

  /** Number of subscribed tokens. */
  get size(): number {
    return this.#modes.size;
  }

  /** Subscribed tokens and their modes, in subscription order. */
  entries(): Array<[number, TickMode]> {
    return [...this.#modes];
  }

  /**
   * Packets for the subscribed instruments among `ticks`, each in its subscribed mode, in the
   * order tokens first appear; a token appearing twice is sent once, with its last tick.
   */
  packetsFor(ticks: Iterable<TickInput>): Buffer[] {
    const latest = new Map<number, TickInput>();
    for (const tick of ticks) {
      if (this.#modes.has(tick.instrument_token)) latest.set(tick.instrument_token, tick);
    }
    const packets: Buffer[] = [];
    for (const [token, tick] of latest) {
      const mode = this.#modes.get(token);
      if (mode !== undefined) packets.push(encodeTick(tick, mode));
    }
    return packets;
  }

  /**
   * One binary message with the packets for `ticks`, or null when none is subscribed. One frame
   * always suffices: at most one packet per subscribed token, and the cap is below the frame's.
   */
  frameFor(ticks: Iterable<TickInput>): Buffer | null {
    const packets = this.packetsFor(ticks);
    return packets.length === 0 ? null : encodeFrame(packets);
  }
}
