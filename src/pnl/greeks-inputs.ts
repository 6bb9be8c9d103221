/**
 * Which prices an option position's Greeks need, and the Greeks' inputs once they are known.
 *
 * The underlying of an option is (underlying.ts) the future of its expiry where one trades, else
 * spot carried to its expiry at the rate the nearest future implies. Concretely:
 * - NFO, BFO and CDS options: the future of the same name and expiry; else the index or stock
 *   (`SPOT_SYMBOLS`, or the stock of that name on NSE) with the nearest future's implied carry;
 * - MCX options (options on futures): the nearest future expiring on or after the option.
 * Futures are valued on their own price (delta 1). Equities and indices have no Greeks here.
 */
import type { Exchange } from '../domain/instrument.js';
import type { OptionType } from './black76.js';
import type { GreeksPosition } from './greeks.js';
import { expiryInstant, yearsToExpiry } from './time-to-expiry.js';
import { impliedCarryRate } from './underlying.js';

/**
 * Index underlyings by the name Kite gives their derivatives, and the `EXCHANGE:SYMBOL` their
 * spot is quoted under in the instrument master. Stock derivatives use `NSE:<name>`.
 */
export const SPOT_SYMBOLS: Readonly<Record<string, string>> = {
  NIFTY: 'NSE:NIFTY 50',
  BANKNIFTY: 'NSE:NIFTY BANK',
  FINNIFTY: 'NSE:NIFTY FIN SERVICE',
  MIDCPNIFTY: 'NSE:NIFTY MID SELECT',
  NIFTYNXT50: 'NSE:NIFTY NEXT 50',
  SENSEX: 'BSE:SENSEX',
  BANKEX: 'BSE:BANKEX',
  SENSEX50: 'BSE:SENSEX50',
};

/** A derivative as the instrument master describes it. */
export interface DerivativeInstrument {
  exchange: Exchange;
  tradingsymbol: string;
  /** The underlying's name (NIFTY, CRUDEOIL, SBIN). */
  name: string;
  instrument_type: string;
  strike: number;
  /** `YYYY-MM-DD`, or null. */
  expiry: string | null;
}

/** A position to value: its signed quantity, multiplier and price, and what it is. */
export interface GreeksHolding {
  exchange: Exchange;
  tradingsymbol: string;
  quantity: number;
  multiplier: number;
  /** The option's (or future's) own price: its last price. */
  price: number;
  instrument: DerivativeInstrument;
}

/** The futures of the same underlying (any expiry), to find the option's own and the nearest. */
export type FuturesOf = (exchange: Exchange, name: string) => readonly DerivativeInstrument[];

export interface UnderlyingKeys {
  future: string | null;
  spot: string | null;
  /** The nearest future that has not expired, for the carry rate. */
  near: DerivativeInstrument | null;
}

const keyOf = (i: Pick<DerivativeInstrument, 'exchange' | 'tradingsymbol'>) => `${i.exchange}:${i.tradingsymbol}`;

/** True for an option (CE or PE) or a future: what has Greeks here. */
export function hasGreeks(i: Pick<DerivativeInstrument, 'instrument_type' | 'expiry'>): boolean {
  return i.expiry !== null && (i.instrument_type === 'CE' || i.instrument_type === 'PE' || i.instrument_type === 'FUT');
}

/** The instruments whose prices an option's Greeks are computed from (see the module comment). */
export function underlyingKeys(i: DerivativeInstrument, futuresOf: FuturesOf, today: string): UnderlyingKeys {
  const futures = [...futuresOf(i.exchange, i.name)]
    .filter((f) => f.expiry !== null && f.expiry >= today)
    .sort((a, b) => (a.expiry! < b.expiry! ? -1 : a.expiry! > b.expiry! ? 1 : 0));
  const near = futures[0] ?? null;
  if (i.exchange === 'MCX' || i.exchange === 'NCO') {
    const own = futures.find((f) => i.expiry !== null && f.expiry! >= i.expiry) ?? null;
    return { future: own ? keyOf(own) : null, spot: null, near: null };
  }
  const own = futures.find((f) => f.expiry === i.expiry) ?? null;
  const spot = SPOT_SYMBOLS[i.name] ?? (i.exchange === 'CDS' || i.exchange === 'BCD' ? null : `NSE:${i.name}`);
  return { future: own ? keyOf(own) : null, spot, near };
}

/** Every price the holdings' Greeks need, as `EXCHANGE:SYMBOL` keys (their own prices included). */
export function pricesNeeded(holdings: readonly GreeksHolding[], futuresOf: FuturesOf, today: string): string[] {
  const keys = new Set<string>();
  for (const h of holdings) {
    if (!hasGreeks(h.instrument)) continue;
    keys.add(keyOf(h));
    if (h.instrument.instrument_type === 'FUT') continue;
    const u = underlyingKeys(h.instrument, futuresOf, today);
    if (u.future) keys.add(u.future);
    else {
      if (u.spot) keys.add(u.spot);
      if (u.near) keys.add(keyOf(u.near));
    }
  }
  return [...keys];
}

/**
 * The Greeks' inputs for each holding with Greeks, prices looked up by key (`price` returns
 * null when unknown; a holding's own price is used when the lookup has none).
 */
export function greeksPositions(
  holdings: readonly GreeksHolding[],
  futuresOf: FuturesOf,
  price: (key: string) => number | null,
  now: Date,
  today: string,
): GreeksPosition[] {
  const out: GreeksPosition[] = [];
  for (const h of holdings) {
    const i = h.instrument;
    if (!hasGreeks(i)) continue;
    const own = price(keyOf(h)) ?? h.price;
    if (i.instrument_type === 'FUT') {
      out.push({
        exchange: h.exchange,
        tradingsymbol: h.tradingsymbol,
        quantity: h.quantity,
        multiplier: h.multiplier,
        instrument_type: 'FUT',
        strike: 0,
        expiry: i.expiry!,
        price: own,
        underlying: { future: own, spot: null, implied_carry: null },
      });
      continue;
    }
    const u = underlyingKeys(i, futuresOf, today);
    const spot = u.spot ? price(u.spot) : null;
    let carry: number | null = null;
    if (!u.future && u.near && spot !== null) {
      const nearPrice = price(keyOf(u.near));
      const tNear = yearsToExpiry(now, expiryInstant(u.near.expiry!, u.near.exchange));
      carry = nearPrice === null ? null : impliedCarryRate(spot, nearPrice, tNear);
    }
    out.push({
      exchange: h.exchange,
      tradingsymbol: h.tradingsymbol,
      quantity: h.quantity,
      multiplier: h.multiplier,
      instrument_type: i.instrument_type as OptionType,
      strike: i.strike,
      expiry: i.expiry!,
      price: own,
      underlying: { future: u.future ? price(u.future) : null, spot, implied_carry: carry },
    });
  }
  return out;
}
