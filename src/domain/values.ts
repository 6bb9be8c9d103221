import { invalid, isBlank, missing, type ParseError } from './parse/error.js';

/**
 * The strings Kite uses for an order's and an instrument's kinds, as types: one list each, in
 * Kite's own spelling, from which the TypeScript types, the socket's schemas and the CLI's
 * choices are all derived. A string from outside (a flag, a JSON body, a broker row) becomes one
 * of these only through its parser below, so no layer needs a cast.
 */

/** Kite's exchanges: cash (NSE, BSE), derivatives (NFO, BFO), commodities (MCX, NCO), currency (CDS, BCD). */
export const EXCHANGES = ['NSE', 'BSE', 'NFO', 'BFO', 'MCX', 'CDS', 'BCD', 'NCO'] as const;
export type Exchange = (typeof EXCHANGES)[number];

/** CNC delivery, MIS intraday, NRML derivatives carried, MTF margin trading; CO and BO are Kite's old cover and bracket products. */
export const PRODUCTS = ['CNC', 'MIS', 'NRML', 'MTF', 'CO', 'BO'] as const;
export type Product = (typeof PRODUCTS)[number];

/** The products a costing or a protective order takes (MTF has its own interest, not modelled). */
export const TRADING_PRODUCTS = ['CNC', 'MIS', 'NRML'] as const satisfies readonly Product[];
export type TradingProduct = (typeof TRADING_PRODUCTS)[number];

export const ORDER_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** Kite's varieties are lower case (POST /orders/regular). */
export const VARIETIES = ['regular', 'amo', 'co', 'iceberg', 'auction'] as const;
export type Variety = (typeof VARIETIES)[number];

/** The varieties som places: a regular order, or an after-market order. */
export const PLACEABLE_VARIETIES = ['regular', 'amo'] as const satisfies readonly Variety[];

export const VALIDITIES = ['DAY', 'IOC', 'TTL'] as const;
export type Validity = (typeof VALIDITIES)[number];

export const TRANSACTION_TYPES = ['BUY', 'SELL'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** "CNC, MIS or NRML": a list of choices as a person writes it (`and` for a list of facts). */
export function choiceList(values: readonly string[], conjunction: 'or' | 'and' = 'or'): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} ${conjunction} ${values.at(-1)}`;
}

/** True when `x` is one of `values` exactly as written. */
export function isOneOf<const T extends string>(values: readonly T[], x: unknown): x is T {
  return typeof x === 'string' && (values as readonly string[]).includes(x);
}

/**
 * A parser for one of `values`, read case-insensitively (and trimmed): `nse` is NSE, `Regular` is
 * regular. `field` names the input in the error (`--product`, `product`, `exchange`); `allowed`
 * narrows the choice where a use takes fewer (a costing takes CNC, MIS or NRML).
 */
export function oneOf<const T extends string>(values: readonly T[], noun: string) {
  const lower = values.every((v) => v === v.toLowerCase());
  function parse(value: unknown, field?: string): T | ParseError;
  function parse<A extends T>(value: unknown, field: string, allowed: readonly A[]): A | ParseError;
  function parse(value: unknown, field = noun, allowed: readonly string[] = values): string | ParseError {
    const expected = choiceList(allowed);
    if (isBlank(value)) return missing(field, expected);
    if (typeof value !== 'string') return invalid(field, expected, value);
    const text = value.trim();
    const folded = lower ? text.toLowerCase() : text.toUpperCase();
    return allowed.includes(folded) ? folded : invalid(field, expected, value);
  }
  return parse;
}

/** An exchange (`nse` reads as NSE). `allowed` narrows the choice (a search takes any; costs fewer). */
export const parseExchange = oneOf(EXCHANGES, 'exchange');
/** A product (`mis` reads as MIS). */
export const parseProduct = oneOf(PRODUCTS, 'product');
/** An order type (`sl-m` reads as SL-M). */
export const parseOrderType = oneOf(ORDER_TYPES, 'order type');
/** A variety (`AMO` reads as amo). */
export const parseVariety = oneOf(VARIETIES, 'variety');
/** A validity (`ioc` reads as IOC). */
export const parseValidity = oneOf(VALIDITIES, 'validity');
/** BUY or SELL (`buy` reads as BUY). */
export const parseTransactionType = oneOf(TRANSACTION_TYPES, 'side');

/** Guards for values already in Kite's spelling (a broker's row, a stored column): no folding of case. */
export const isExchange = (x: unknown): x is Exchange => isOneOf(EXCHANGES, x);
export const isProduct = (x: unknown): x is Product => isOneOf(PRODUCTS, x);
export const isOrderType = (x: unknown): x is OrderType => isOneOf(ORDER_TYPES, x);
export const isVariety = (x: unknown): x is Variety => isOneOf(VARIETIES, x);
export const isValidity = (x: unknown): x is Validity => isOneOf(VALIDITIES, x);
export const isTransactionType = (x: unknown): x is TransactionType => isOneOf(TRANSACTION_TYPES, x);

/** The cash markets, where equities trade; every other exchange lists derivatives only. */
export const CASH_EXCHANGES = ['NSE', 'BSE'] as const satisfies readonly Exchange[];

/** True for NSE and BSE (equities and indices); false for the derivatives exchanges. */
export function isCashExchange(exchange: Exchange): boolean {
  return isOneOf(CASH_EXCHANGES, exchange);
}

/**
 * The product a leg takes when none is given, as Kite's order window preselects it: CNC
 * (delivery) for an equity, NRML (carried overnight) for a future or an option.
 */
export function defaultProduct(exchange: Exchange): TradingProduct {
  return isCashExchange(exchange) ? 'CNC' : 'NRML';
}
