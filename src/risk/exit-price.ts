/**
 * Prices for exit orders: marketable with protection, on the instrument's tick grid.
 *
 * A marketable exit crosses the spread and goes `protection_pct` % further: a SELL at the best
 * bid less the protection, rounded down to a tick; a BUY at the best ask plus it, rounded up.
 * Being a LIMIT order it fills at the best prices the book offers and never beyond its price,
 * which is what Kite's market protection does for a MARKET order. With no bid (or ask) the
 * last price is the reference. The price stays within the circuit limits when they are known,
 * and is at least one tick.
 *
 * Arithmetic is on whole ticks, so prices carry no floating-point noise (39 x 0.05 is 1.95,
 * not 1.9500000000000002).
 */
import type { Side } from './types.js';

export interface ExitQuote {
  /** Best bid, or null when the bid side is empty. */
  bid: number | null;
  /** Best ask, or null when the ask side is empty. */
  ask: number | null;
  last: number;
  /** The exchange's circuit limits, when known. */
  lower_circuit?: number | null;
  upper_circuit?: number | null;
}

/** Decimal places of a tick size (0.05 -> 2, 0.0025 -> 4, 1 -> 0). */
export function tickDecimals(tick: number): number {
  const text = String(tick);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** `ticks` whole ticks as a price, without float noise. */
export function ticksToPrice(ticks: number, tick: number): number {
  return Number((ticks * tick).toFixed(tickDecimals(tick)));
}

/** Whole ticks in `price`, rounded down (`up`: rounded up); prices already on the grid stay put. */
export function priceToTicks(price: number, tick: number, up: boolean): number {
  const exact = price / tick;
  const near = Math.round(exact);
  if (Math.abs(exact - near) < 1e-7) return near;
  return up ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * The price of a marketable exit on `side` with `protectionPct` % protection, or null when
 * there is no reference price at all (no bid or ask on its side and no last price).
 */
export function marketablePrice(side: Side, quote: ExitQuote, protectionPct: number, tick: number): number | null {
  const reference = side === 'SELL' ? (quote.bid ?? quote.last) : (quote.ask ?? quote.last);
  if (!(reference > 0) || !(tick > 0)) return null;
  let ticks: number;
  if (side === 'SELL') {
    ticks = Math.max(1, priceToTicks(reference * (1 - protectionPct / 100), tick, false));
    if (quote.lower_circuit && quote.lower_circuit > 0) {
      ticks = Math.max(ticks, priceToTicks(quote.lower_circuit, tick, true));
    }
  } else {
    ticks = priceToTicks(reference * (1 + protectionPct / 100), tick, true);
    if (quote.upper_circuit && quote.upper_circuit > 0) {
      ticks = Math.min(ticks, priceToTicks(quote.upper_circuit, tick, false));
    }
  }
  return ticksToPrice(ticks, tick);
}

/** True when `a` is at least as aggressive an exit price as `b` on `side` (lower for a SELL). */
export function atLeastAsAggressive(side: Side, a: number, b: number): boolean {
  return side === 'SELL' ? a <= b : a >= b;
}
