/**
 * One tick packet body in Kite's binary WebSocket format (Kite Connect v3, "Quote packet
 * structure" and "Index packet structure"): big-endian int32 fields, prices as integers scaled
 * by the segment's divisor, times as unix seconds. The official decoder (kiteconnect's
 * `parseBinary`) tells packets apart by their length alone, so every mode has a fixed size.
 */
import type { Depth, DepthLevel, Ohlc, Quote } from '../../domain/quote.js';
import { isIndexToken, priceDivisor } from './segment.js';

/** Streaming modes a client can ask for, as Kite names them. */
export const TICK_MODES = ['ltp', 'quote', 'full'] as const;
export type TickMode = (typeof TICK_MODES)[number];

/** Body length in bytes for each mode (Kite v3 WebSocket docs, "Modes" and "Index packet structure"). */
export const PACKET_SIZE = {
  tradable: { ltp: 8, quote: 44, full: 184 },
  index: { ltp: 8, quote: 28, full: 32 },
} as const;

/** Depth levels a side in a full packet; fewer are padded with empty levels, more are cut. */
export const DEPTH_LEVELS = 5;

/**
 * Everything a packet can carry, named as in Kite's quote API (and the kiteconnect-mocks tick
 * JSON), with times as Dates. Index packets use only `instrument_token`, `last_price`, `ohlc`
 * and `exchange_timestamp`; the other fields are ignored for them.
 */
export interface TickInput {
  instrument_token: number;
  last_price: number;
  last_quantity: number;
  average_price: number;
  /** Volume traded today. */
  volume: number;
  /** Total quantity bid, all levels. */
  buy_quantity: number;
  /** Total quantity offered, all levels. */
  sell_quantity: number;
  /** `close` is the previous session's close: the decoders compute `change` from it. */
  ohlc: Ohlc;
  /** Null when the instrument has not traded; sent as 0, which the decoder reads as null. */
  last_trade_time: Date | null;
  oi: number;
  oi_day_high: number;
  oi_day_low: number;
  /** The exchange's timestamp of this quote; null is sent as 0. */
  exchange_timestamp: Date | null;
  /** Best first; only the best five levels a side go on the wire. */
  depth: Depth;
}

/**
 * A tick from a quote in Kite's GET /quote shape. The quote's own times are IST wall-clock
 * strings, so the caller passes the instants (usually from its clock) rather than have this
 * module guess at a parse.
 */
export function tickFromQuote(quote: Quote, exchangeTimestamp: Date | null, lastTradeTime: Date | null): TickInput {
  return {
    instrument_token: quote.instrument_token,
    last_price: quote.last_price,
    last_quantity: quote.last_quantity,
    average_price: quote.average_price,
    volume: quote.volume,
    buy_quantity: quote.buy_quantity,
    sell_quantity: quote.sell_quantity,
    ohlc: { ...quote.ohlc },
    last_trade_time: lastTradeTime,
    oi: quote.oi,
    oi_day_high: quote.oi_day_high,
    oi_day_low: quote.oi_day_low,
    exchange_timestamp: exchangeTimestamp,
    depth: {
      buy: quote.depth.buy.map((level) => ({ ...level })),
      sell: quote.depth.sell.map((level) => ({ ...level })),
    },
  };
}

/**
 * Encode one packet body (no frame header) for `mode`. Index tokens (segment byte 9) get the
 * index shapes (8/28/32 bytes), everything else the tradable shapes (8/44/184 bytes).
 *
 * Throws RangeError when a value cannot be represented on the wire (not an integer where one is
 * required, outside int32, orders beyond uint16): that is a bug in whatever built the tick.
 */
export function encodeTick(tick: TickInput, mode: TickMode): Buffer {
  return isIndexToken(tick.instrument_token) ? encodeIndex(tick, mode) : encodeTradable(tick, mode);
}

function encodeTradable(tick: TickInput, mode: TickMode): Buffer {
  const w = new PacketWriter(PACKET_SIZE.tradable[mode], tick.instrument_token);
  w.token();
  w.price(tick.last_price, 'last_price');
  if (mode === 'ltp') return w.done();

  w.int32(tick.last_quantity, 'last_quantity');
  w.price(tick.average_price, 'average_price');
  w.int32(tick.volume, 'volume');
  w.int32(tick.buy_quantity, 'buy_quantity');
  w.int32(tick.sell_quantity, 'sell_quantity');
  w.price(tick.ohlc.open, 'ohlc.open');
  w.price(tick.ohlc.high, 'ohlc.high');
  w.price(tick.ohlc.low, 'ohlc.low');
  w.price(tick.ohlc.close, 'ohlc.close');
  if (mode === 'quote') return w.done();

  w.seconds(tick.last_trade_time, 'last_trade_time');
  w.int32(tick.oi, 'oi');
  w.int32(tick.oi_day_high, 'oi_day_high');
  w.int32(tick.oi_day_low, 'oi_day_low');
  w.seconds(tick.exchange_timestamp, 'exchange_timestamp');
  writeDepthSide(w, tick.depth.buy, 'depth.buy');
  writeDepthSide(w, tick.depth.sell, 'depth.sell');
  return w.done();
}

function encodeIndex(tick: TickInput, mode: TickMode): Buffer {
  const w = new PacketWriter(PACKET_SIZE.index[mode], tick.instrument_token);
  w.token();
  w.price(tick.last_price, 'last_price');
  if (mode === 'ltp') return w.done();

  // Index packets order the day's prices high, low, open, close (unlike tradables' O, H, L, C).
  w.price(tick.ohlc.high, 'ohlc.high');
  w.price(tick.ohlc.low, 'ohlc.low');
  w.price(tick.ohlc.open, 'ohlc.open');
  w.price(tick.ohlc.close, 'ohlc.close');
  // "Price change" (docs give no scale; we send last - close in price units). The clients
  // recompute change from last and close whenever close is non-zero and ignore this field; with
  // no close the JS client shows the raw field, so 0 there agrees with the Python client's 0.
  const change = tick.ohlc.close === 0 ? 0 : tick.last_price - tick.ohlc.close;
  w.price(change, 'change');
  if (mode === 'quote') return w.done();

  w.seconds(tick.exchange_timestamp, 'exchange_timestamp');
  return w.done();
}

const EMPTY_LEVEL: DepthLevel = { price: 0, quantity: 0, orders: 0 };

/** Each depth entry is 12 bytes: quantity int32, price int32, orders int16, 2 bytes padding. */
function writeDepthSide(w: PacketWriter, levels: readonly DepthLevel[], side: string): void {
  for (let i = 0; i < DEPTH_LEVELS; i++) {
    const level = levels[i] ?? EMPTY_LEVEL;
    w.int32(level.quantity, `${side}[${i}].quantity`);
    w.price(level.price, `${side}[${i}].price`);
    w.uint16(level.orders, `${side}[${i}].orders`);
    w.skip(2);
  }
}

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

/** Writes fields in order and checks each fits, naming the field when it does not. */
class PacketWriter {
  readonly #buf: Buffer;
  readonly #token: number;
  readonly #divisor: number;
  #offset = 0;

  constructor(size: number, token: number) {
    this.#buf = Buffer.alloc(size);
    this.#token = token;
    this.#divisor = priceDivisor(token);
  }

  token(): void {
    const t = this.#token;
    if (!Number.isInteger(t) || t < 0 || t > 0xffff_ffff) {
      throw new RangeError(`instrument_token ${t} is not a uint32`);
    }
    this.#buf.writeUInt32BE(t, this.#offset);
    this.#offset += 4;
  }

  int32(value: number, field: string): void {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
      throw new RangeError(`${field} = ${value} for token ${this.#token} does not fit an int32 field`);
    }
    this.#buf.writeInt32BE(value, this.#offset);
    this.#offset += 4;
  }

  /**
   * Prices are binary floats that stand for exact paise (or 1e-7 rupee for CDS): 2513.45 * 100
   * is 251344.99999999997, so truncating would lose a paisa. Rounding recovers the integer the
   * float stands for; an off-grid price goes to the nearest wire unit.
   */
  price(value: number, field: string): void {
    if (!Number.isFinite(value)) {
      throw new RangeError(`${field} = ${value} for token ${this.#token} is not a finite price`);
    }
    this.int32(Math.round(value * this.#divisor), field);
  }

  /** Unix seconds; sub-second parts are dropped as Kite's second-resolution stamps do. */
  seconds(date: Date | null, field: string): void {
    if (date === null) {
      this.int32(0, field);
      return;
    }
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new RangeError(`${field} for token ${this.#token} is an invalid Date`);
    this.int32(Math.floor(ms / 1000), field);
  }

  uint16(value: number, field: string): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new RangeError(`${field} = ${value} for token ${this.#token} does not fit a uint16 field`);
    }
    this.#buf.writeUInt16BE(value, this.#offset);
    this.#offset += 2;
  }

  skip(bytes: number): void {
    this.#offset += bytes; // Buffer.alloc zero-filled them
  }

  done(): Buffer {
    if (this.#offset !== this.#buf.length) {
      throw new Error(`packet layout bug: wrote ${this.#offset} of ${this.#buf.length} bytes`);
    }
    return this.#buf;
  }
}
