/**
 * The account's positions marked to the live feed between two position refreshes.
 *
 * Kite computes a net position's P&L as (sell value - buy value) + quantity x last price x
 * multiplier, and its day M2M the same way from the day's values; only the last term moves
 * with the price. So a position last reported at price L, marked to a newer price P, moves by
 * quantity x multiplier x (P - L), and so do its unrealised P&L and its M2M; its realised P&L
 * does not. Rupees are unrounded, as Kite computes them; round only to show.
 */
import { istDate } from '../market/ist.js';

/** A net position as the broker last reported it, with Kite's field names. */
export interface ReportedPosition {
  id: number;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  /** Signed: positive long, negative short. */
  quantity: number;
  multiplier: number;
  /** The price the broker's figures below were computed at. */
  last_price: number;
  pnl: number;
  m2m: number;
  unrealised: number;
  /** When som last stored the broker's report of it (ISO). */
  updated_at: string;
}

/** One position's figures at a newer price. */
export interface MarkedPosition {
  id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number;
  last_price: number;
  pnl: number;
  m2m: number;
  unrealised: number;
}

/** The positions marked, and the account's totals. */
export interface AccountMarks {
  positions: MarkedPosition[];
  pnl: number;
  m2m: number;
}

/** A position at `lastPrice` (its reported price when the feed has none). */
export function markPosition(p: ReportedPosition, lastPrice: number | undefined): MarkedPosition {
  const price = lastPrice ?? p.last_price;
  const move = p.quantity * p.multiplier * (price - p.last_price);
  return {
    id: p.id,
    exchange: p.exchange,
    tradingsymbol: p.tradingsymbol,
    product: p.product,
    quantity: p.quantity,
    last_price: price,
    pnl: p.pnl + move,
    m2m: p.m2m + move,
    unrealised: p.unrealised + move,
  };
}

/** Every position marked to the feed's last price for its instrument, and the sums. */
export function markAccount(
  positions: readonly ReportedPosition[],
  lastPrice: (instrumentToken: number) => number | undefined,
): AccountMarks {
  const marked = positions.map((p) => markPosition(p, lastPrice(p.instrument_token)));
  return {
    positions: marked,
    pnl: marked.reduce((sum, p) => sum + p.pnl, 0),
    m2m: marked.reduce((sum, p) => sum + p.m2m, 0),
  };
}

/**
 * The positions that make today's P&L: every open one, and those closed today (their realised
 * P&L is the day's). A row closed on an earlier day keeps its last figures in the store but is
 * not today's: it was last reported before today began (IST).
 */
export function dayPositions<P extends { quantity: number; updated_at: string }>(
  positions: readonly P[],
  now: Date,
): P[] {
  const today = istDate(now);
  return positions.filter((p) => p.quantity !== 0 || istDate(new Date(p.updated_at)) === today);
}
