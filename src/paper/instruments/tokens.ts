/**
 * Instrument tokens. Kite's instrument_token is the exchange's own token shifted left by eight
 * bits with the segment id in the low byte (`token & 0xff`), which the tick decoder reads to
 * scale prices and pick the packet shape. The fixture shows it: BANKNIFTY18JAN23500CE is
 * exchange token 47164 in NFO (2): 47164 * 256 + 2 = 12073986.
 *
 * Tokens the paper exchange has to invent (derivatives, whose real tokens change with every
 * contract) are derived from the trading symbol by hashing into a range no real exchange token
 * reaches: exchange tokens 2^22 .. 2^23 - 1. Real ones are far lower (NSE equities below
 * 100,000; BSE scrip codes near 500,000-1,000,000). The top stays below 2^23 so the
 * instrument_token fits in 31 bits: the official client reads the 4 token bytes with signed
 * 32-bit shifts, so a token of 2^31 or more would decode negative.
 */
import type { Exchange } from '../../domain/instrument.js';
import { fnv1a32 } from '../market/rng.js';
import { SEGMENT } from '../ticks/segment.js';

/** Segment id of an exchange's tradable instruments (indices use SEGMENT.INDICES instead). */
export const SEGMENT_ID: Readonly<Partial<Record<Exchange, number>>> = {
  NSE: SEGMENT.NSE,
  NFO: SEGMENT.NFO,
  CDS: SEGMENT.CDS,
  BSE: SEGMENT.BSE,
  BFO: SEGMENT.BFO,
  BCD: SEGMENT.BCD,
  MCX: SEGMENT.MCX,
};

/** The segment id Kite puts in the low byte for an instrument. */
export function segmentIdFor(exchange: Exchange, segment: string): number | null {
  if (segment === 'INDICES') return SEGMENT.INDICES;
  return SEGMENT_ID[exchange] ?? null;
}

/** instrument_token from an exchange token and a segment id. */
export function instrumentToken(exchangeToken: number, segmentId: number): number {
  return exchangeToken * 256 + segmentId;
}

/** First and last exchange token the paper exchange mints. */
export const MINTED_EXCHANGE_TOKEN_MIN = 2 ** 22;
export const MINTED_EXCHANGE_TOKEN_MAX = 2 ** 23 - 1;

/**
 * Exchange tokens for a set of keys (`EXCHANGE:TRADINGSYMBOL`): each key hashes to a slot in
 * the minted range; a collision takes the next free slot, keys visited in sorted order. The same
 * key therefore keeps its token from one day's master to the next unless a new neighbour
 * collides with it first (rare: a few thousand keys in four million slots).
 */
export function mintExchangeTokens(
  keys: Iterable<string>,
  taken: ReadonlySet<number> = new Set(),
): Map<string, number> {
  const size = MINTED_EXCHANGE_TOKEN_MAX - MINTED_EXCHANGE_TOKEN_MIN + 1;
  const used = new Set(taken);
  const out = new Map<string, number>();
  for (const key of [...new Set(keys)].sort()) {
    let slot = fnv1a32(key) % size;
    while (used.has(MINTED_EXCHANGE_TOKEN_MIN + slot)) slot = (slot + 1) % size;
    const token = MINTED_EXCHANGE_TOKEN_MIN + slot;
    used.add(token);
    out.set(key, token);
  }
  return out;
}
