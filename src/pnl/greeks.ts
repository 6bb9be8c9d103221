/**
 * Greeks per position and net, as `som greeks` and the P&L snapshots report them.
 *
 * Each option is valued with Black-76 (black76.ts) on its underlying (underlying.ts): the
 * future of its expiry, or spot with carry. Its volatility is implied from its own price
 * (implied-vol.ts) unless the caller gives one. Time runs to the expiry day's close
 * (time-to-expiry.ts), in years of 365 days, and the rate is `[pnl] rate`. Every position
 * keeps the inputs it was valued with.
 *
 * Net Greeks are the positions' Greeks weighted by quantity x multiplier (a short of 65 NIFTY
 * calls with delta 0.5 is -32.5). A future counts with delta 1 per unit (against its own
 * price) and no other Greek. A position that cannot be valued (no underlying price, a price
 * outside the no-arbitrage bounds) is listed under `skipped` with the reason and left out of
 * the net.
 */
import type { Exchange } from '../domain/instrument.js';
import { black76, isPnlError, type OptionType, type PnlError } from './black76.js';
import { impliedVolatility } from './implied-vol.js';
import { expiryInstant, yearsToExpiry } from './time-to-expiry.js';
import { type UnderlyingPrices, underlyingForward } from './underlying.js';

/** An option or future position to value. */
export interface GreeksPosition {
  exchange: Exchange;
  tradingsymbol: string;
  /** Signed quantity (Kite's units). */
  quantity: number;
  multiplier: number;
  /** CE, PE, or FUT for a future. */
  instrument_type: OptionType | 'FUT';
  /** 0 for a future. */
  strike: number;
  /** `YYYY-MM-DD`. */
  expiry: string;
  /** The option's (or future's) price to use: its last price, or the mid. */
  price: number;
  underlying: UnderlyingPrices;
  /** A volatility to use instead of the one implied by `price` (0.15 = 15%). */
  iv?: number | null;
}

/** One position valued, per unit of the instrument (the `som greeks --json` row). */
export interface PositionGreeks {
  symbol: string;
  quantity: number;
  /** null for a future. */
  option_type: OptionType | null;
  strike: number;
  /** The option's price used. */
  price: number;
  /** The future's price the option was valued on. */
  underlying_price: number;
  underlying_source: 'future' | 'spot_carry';
  /** Annual volatility, a fraction; null for a future or at expiry. */
  iv: number | null;
  t_years: number;
  rate: number;
  delta: number;
  gamma: number;
  /** Rupees per unit per calendar day. */
  theta: number;
  /** Rupees per unit per volatility point. */
  vega: number;
}

export interface NetGreeks {
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
}

export interface GreeksReport {
  positions: PositionGreeks[];
  /** Weighted by quantity x multiplier. */
  net: NetGreeks;
  skipped: Array<{ symbol: string; error: PnlError }>;
}

/** One position's Greeks at `now` with `rate`, or why it cannot be valued. */
export function positionGreeks(p: GreeksPosition, now: Date, rate: number): PositionGreeks | PnlError {
  const t = yearsToExpiry(now, expiryInstant(p.expiry, p.exchange));
  const symbol = `${p.exchange}:${p.tradingsymbol}`;
  if (p.instrument_type === 'FUT') {
    return {
      symbol,
      quantity: p.quantity,
      option_type: null,
      strike: 0,
      price: p.price,
      underlying_price: p.price,
      underlying_source: 'future',
      iv: null,
      t_years: t,
      rate,
      delta: 1,
      gamma: 0,
      theta: 0,
      vega: 0,
    };
  }
  const forward = underlyingForward(p.underlying, t, rate);
  if (!forward) return { code: 'PNL_INVALID_INPUT', message: `${symbol}: no price for its underlying` };
  let iv: number | null = null;
  if (t > 0) {
    if (p.iv !== undefined && p.iv !== null) {
      iv = p.iv;
    } else {
      const solved = impliedVolatility({
        option_type: p.instrument_type,
        price: p.price,
        forward: forward.price,
        strike: p.strike,
        t_years: t,
        rate,
      });
      if (isPnlError(solved)) return { code: solved.code, message: `${symbol}: ${solved.message}` };
      iv = solved.iv;
    }
  }
  const g = black76({
    option_type: p.instrument_type,
    forward: forward.price,
    strike: p.strike,
    t_years: t,
    rate,
    iv: iv ?? 0,
  });
  if (isPnlError(g)) return { code: g.code, message: `${symbol}: ${g.message}` };
  return {
    symbol,
    quantity: p.quantity,
    option_type: p.instrument_type,
    strike: p.strike,
    price: p.price,
    underlying_price: forward.price,
    underlying_source: forward.source,
    iv,
    t_years: t,
    rate,
    delta: g.delta,
    gamma: g.gamma,
    theta: g.theta,
    vega: g.vega,
  };
}

/** Every position's Greeks and the net, weighted by quantity x multiplier. */
export function greeksReport(positions: readonly GreeksPosition[], now: Date, rate: number): GreeksReport {
  const out: GreeksReport = { positions: [], net: { delta: 0, gamma: 0, theta: 0, vega: 0 }, skipped: [] };
  for (const p of positions) {
    const g = positionGreeks(p, now, rate);
    if (isPnlError(g)) {
      out.skipped.push({ symbol: `${p.exchange}:${p.tradingsymbol}`, error: g });
      continue;
    }
    out.positions.push(g);
    const w = p.quantity * p.multiplier;
    out.net.delta += w * g.delta;
    out.net.gamma += w * g.gamma;
    out.net.theta += w * g.theta;
    out.net.vega += w * g.vega;
  }
  return out;
}
