import type { Exchange } from '../../domain/instrument.js';

/**
 * The paper exchange's order rules as data: each value names where it comes from so that a
 * user can correct it without touching the matching code.
 */
export interface MatchingRules {
  /**
   * MARKET and SL-M orders must carry market_protection (-1 or 1..100); 0 or none is refused.
   * Kite from 2026-04-01 (Kite forum, "Preparing to comply with SEBI's retail algo rules",
   * kite.trade/forum/discussion/comment/52316). Set false to model Kite before that date.
   */
  requireMarketProtection: boolean;
  /**
   * Modifications allowed per order; the next one is refused.
   * Zerodha support / Kite API limits ("modifications per order: 25").
   */
  maxModifications: number;
  /** Longest `tag` accepted; longer tags are refused, not truncated (kite.trade/forum comment 52970). */
  maxTagLength: number;
  /**
   * Smallest disclosed quantity for equity orders as a fraction of the quantity (NSE/BSE rule:
   * at least 10%); derivatives take no disclosed quantity. Unconfirmed for Kite's own check.
   */
  minDisclosedFraction: number;
  /** Exchanges where IOC is refused for API orders: "MCX does not support IOC orders in the algo segment" (forum 52316, from 2026-04-01). */
  iocBlockedExchanges: readonly Exchange[];
  /**
   * What happens to the part of a MARKET (or triggered SL-M) order that the book could not fill:
   * - 'rest': it stays OPEN as a limit order at the protection price. Kite converts a protected
   *   market order into a LIMIT at the protection price (forum comment 52940; orders.json shows
   *   such an order as LIMIT with tags mktp, mktp:2.00), and a user reports the unfilled order
   *   "remained open" when the price ran past it (forum comment 52479).
   * - 'cancel': the remainder is cancelled, as an exchange does with an unprotected market order.
   * An order without any protection price (protection off) is always cancelled.
   */
  marketRemainder: 'rest' | 'cancel';
}

export const DEFAULT_RULES: Readonly<MatchingRules> = {
  requireMarketProtection: true,
  maxModifications: 25,
  maxTagLength: 20,
  minDisclosedFraction: 0.1,
  iocBlockedExchanges: ['MCX'],
  marketRemainder: 'rest',
};

/** Exchanges whose instruments are cash equities (CNC, MTF allowed; disclosed quantity allowed). */
export const EQUITY_EXCHANGES: readonly Exchange[] = ['NSE', 'BSE'];

/**
 * Products each exchange takes on Kite: CNC and MTF are delivery products for cash equities,
 * NRML is the carry-forward product for derivatives, MIS is intraday everywhere (Kite docs,
 * "Product types"). Unconfirmed as a Kite-side rejection for every pair.
 */
export const PRODUCTS_BY_EXCHANGE: Readonly<Record<Exchange, readonly string[]>> = {
  NSE: ['CNC', 'MIS', 'MTF'],
  BSE: ['CNC', 'MIS', 'MTF'],
  NFO: ['NRML', 'MIS'],
  BFO: ['NRML', 'MIS'],
  MCX: ['NRML', 'MIS'],
  CDS: ['NRML', 'MIS'],
  BCD: ['NRML', 'MIS'],
  NCO: ['NRML', 'MIS'],
};
