/**
 * The risk book's positions from the store's shares: each share's day position (realised
 * today, the average of what is open; src/pnl/day-position.ts), valued at the live feed's last
 * price where there is one, else the broker's last price.
 */
import { dayPosition, type ShareMove } from '../pnl/day-position.js';
import type { BookPosition } from './book.js';

/** A strategy's share with what its day P&L needs (src/store/risk-book.ts loads it). */
export interface ShareFacts {
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number;
  moves: readonly ShareMove[];
  instrument_token: number | null;
  multiplier: number;
  close_price: number;
  average_price: number;
  last_price: number;
}

/** One book position per share with a known instrument token; `lastPrice` is the feed's. */
export function bookPositions(
  shares: readonly ShareFacts[],
  lastPrice: (token: number) => number | undefined,
): BookPosition[] {
  const out: BookPosition[] = [];
  for (const s of shares) {
    if (s.instrument_token === null) continue;
    const last = lastPrice(s.instrument_token) ?? s.last_price;
    const opening = s.close_price > 0 ? s.close_price : s.average_price > 0 ? s.average_price : last;
    const day = dayPosition({
      quantity: s.quantity,
      moves: s.moves,
      opening_price: opening,
      fallback_price: s.average_price > 0 ? s.average_price : last,
      multiplier: s.multiplier,
    });
    out.push({
      strategy_id: s.strategy_id,
      instrument_token: s.instrument_token,
      exchange: s.exchange,
      tradingsymbol: s.tradingsymbol,
      product: s.product,
      quantity: day.quantity,
      average_price: day.average_price,
      multiplier: s.multiplier,
      last_price: last > 0 ? last : day.average_price,
      realised: day.realised,
    });
  }
  return out;
}
