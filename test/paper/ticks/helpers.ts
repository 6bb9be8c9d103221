/** Fixture loading and the official decoder, shared by the tick protocol tests. */
import { readFileSync } from 'node:fs';
import { KiteTicker } from 'kiteconnect';
import type { DepthLevel, Ohlc } from '../../../src/domain/quote.js';
import type { TickInput } from '../../../src/paper/ticks/packet.js';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/kite/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** A `.packet` fixture: base64 of one packet body, no frame header. */
export function fixturePacket(name: string): Buffer {
  return Buffer.from(fixtureText(name).trim(), 'base64');
}

/** The decoded-tick JSON of kiteconnect-mocks (ticker_ltp/quote/full.json). */
export interface FixtureTick {
  mode: string;
  tradable: boolean;
  instrument_token: number;
  last_price: number;
  last_quantity?: number;
  average_price?: number;
  volume?: number;
  buy_quantity?: number;
  sell_quantity?: number;
  ohlc?: Ohlc;
  last_trade_time?: string;
  oi?: number;
  oi_day_high?: number;
  oi_day_low?: number;
  timestamp?: string;
  change?: number;
  depth?: { buy: DepthLevel[]; sell: DepthLevel[] };
}

/** The fixture as encoder input; fields a mode does not carry become zero/null/empty. */
export function tickFromFixture(f: FixtureTick): TickInput {
  return {
    instrument_token: f.instrument_token,
    last_price: f.last_price,
    last_quantity: f.last_quantity ?? 0,
    average_price: f.average_price ?? 0,
    volume: f.volume ?? 0,
    buy_quantity: f.buy_quantity ?? 0,
    sell_quantity: f.sell_quantity ?? 0,
    ohlc: f.ohlc ?? { open: 0, high: 0, low: 0, close: 0 },
    // The fixture's times carry +05:30, so parsing them does not depend on the host zone.
    last_trade_time: f.last_trade_time === undefined ? null : new Date(f.last_trade_time),
    oi: f.oi ?? 0,
    oi_day_high: f.oi_day_high ?? 0,
    oi_day_low: f.oi_day_low ?? 0,
    exchange_timestamp: f.timestamp === undefined ? null : new Date(f.timestamp),
    depth: f.depth ?? { buy: [], sell: [] },
  };
}

/**
 * kiteconnect's own parser. It is a method on KiteTicker (not in the package's type
 * declarations); constructing a ticker opens no connection. It expects an ArrayBuffer, which is
 * what its WebSocket hands it (binaryType 'arraybuffer').
 */
const officialTicker = new KiteTicker({ api_key: 'paper', access_token: 'paper', reconnect: false }) as unknown as {
  parseBinary(message: ArrayBuffer): Array<Record<string, unknown>>;
};

export function officialDecode(message: Buffer): Array<Record<string, unknown>> {
  const copy = message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength);
  return officialTicker.parseBinary(copy as ArrayBuffer);
}
