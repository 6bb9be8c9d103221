/**
 * The exchange segment Kite folds into the low byte of every instrument token, and what it
 * means for the tick stream: how prices are scaled and whether the packet has the index shape.
 *
 * Source: the official clients' segment maps (kiteconnect JS `dist/lib/ticker.js`, pykiteconnect
 * `ticker.py` EXCHANGE_MAP): NSE 1, NFO 2, CDS 3, BSE 4, BFO 5, BCD 6, MCX 7, MCXSX 8, INDICES 9.
 */
export const SEGMENT = {
  NSE: 1,
  NFO: 2,
  CDS: 3,
  BSE: 4,
  BFO: 5,
  BCD: 6,
  MCX: 7,
  MCXSX: 8,
  INDICES: 9,
} as const;

/**
 * Integer units per rupee on the wire. Kite's v3 WebSocket docs: "All prices are in paise. For
 * currencies, the int32 price values should be divided by 10000000 to obtain four decimal
 * places. For everything else ... divided by 100." Both official clients divide BSE currency
 * (BCD) by 10,000 rather than 10,000,000; we follow the clients because they are what decodes
 * our packets.
 */
export const PRICE_DIVISOR = {
  CDS: 10_000_000,
  BCD: 10_000,
  DEFAULT: 100,
} as const;

/** The segment code of a token: its low byte. */
export function segmentOf(instrumentToken: number): number {
  return instrumentToken & 0xff;
}

/** Index values (NIFTY 50, SENSEX, ...) stream in their own shorter packets and are not tradable. */
export function isIndexToken(instrumentToken: number): boolean {
  return segmentOf(instrumentToken) === SEGMENT.INDICES;
}

/** How many wire units make one rupee for this token's prices. */
export function priceDivisor(instrumentToken: number): number {
  switch (segmentOf(instrumentToken)) {
    case SEGMENT.CDS:
      return PRICE_DIVISOR.CDS;
    case SEGMENT.BCD:
      return PRICE_DIVISOR.BCD;
    default:
      return PRICE_DIVISOR.DEFAULT;
  }
}
