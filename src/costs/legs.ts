/**
 * A basket leg as a person writes it (`{"symbol", "quantity", "price", "side", "product"?,
 * "exit_price"?}`), read into a leg the engine can cost or margin. Every field goes through the
 * domain parser the command line and the socket use for it, and an error names the leg as a
 * person counts (from 1) and the field: `leg 2 (NFO:NIFTY25DEC24500CE): quantity 1.5 must be a
 * whole number greater than 0`.
 *
 * Two things the writer may leave out are filled in, each with a warning naming the leg:
 * - the exchange of a bare symbol, when the instrument master or the symbol's grammar places it
 *   on one exchange only (src/domain/parse/instrument-key.ts);
 * - the product: NRML for a derivative, CNC for an equity (PRODUCT_DEFAULTED).
 */
import { describeField, isParseError, legLabel, type ParseError } from '../domain/parse/error.js';
import { parseInstrumentKey, type SymbolListing } from '../domain/parse/instrument-key.js';
import { parsePrice } from '../domain/parse/price.js';
import { parseQuantity } from '../domain/parse/quantity.js';
import {
  defaultProduct,
  type Exchange,
  parseProduct,
  parseTransactionType,
  TRADING_PRODUCTS,
  type TradingProduct,
  type TransactionType,
} from '../domain/values.js';
import type { CostError, CostWarning } from './types.js';

/** One leg as the caller writes it. Fields are as received: the reader judges them. */
export interface LegInput {
  /** `EXCHANGE:TRADINGSYMBOL` (NFO:NIFTY25DEC24500CE), or a bare symbol on one exchange only. */
  symbol: string;
  /** Kite's order quantity: units, or lots on MCX and CDS. A positive whole number. */
  quantity: number;
  /** Entry price (premium for options), above 0. */
  price?: number | undefined;
  side: string;
  /** CNC (equity delivery), MIS (intraday), NRML (derivatives carried); default by instrument. */
  product?: string | undefined;
  /** Exit price for the exit estimate; the entry price when absent. */
  exit_price?: number | undefined;
}

/** A leg read and checked, its instrument keyed as Kite keys it. */
export interface ReadLeg {
  /** 0-based position in the basket. */
  index: number;
  /** `EXCHANGE:TRADINGSYMBOL`. */
  symbol: string;
  exchange: Exchange;
  tradingsymbol: string;
  side: TransactionType;
  quantity: number;
  /** Null when the leg gives none (only where the caller allows that). */
  price: number | null;
  /** Null when the leg gives none. */
  exitPrice: number | null;
  product: TradingProduct;
}

/**
 * Read one leg. `listing` says which exchanges the instrument master lists a bare symbol on;
 * `priceRequired` is false where a leg without a price means "at the last price" (margins).
 */
export function readLeg(
  leg: LegInput,
  index: number,
  options: { listing?: SymbolListing | undefined; priceRequired: true },
): { leg: ReadLeg & { price: number }; warnings: CostWarning[] } | CostError;
export function readLeg(
  leg: LegInput,
  index: number,
  options: { listing?: SymbolListing | undefined; priceRequired: boolean },
): { leg: ReadLeg; warnings: CostWarning[] } | CostError;
export function readLeg(
  leg: LegInput,
  index: number,
  options: { listing?: SymbolListing | undefined; priceRequired: boolean },
): { leg: ReadLeg; warnings: CostWarning[] } | CostError {
  const written = typeof leg.symbol === 'string' ? leg.symbol : undefined;
  const name = legLabel(index, written);
  const bad = (error: ParseError, label = name): CostError => ({
    code: 'INVALID_INPUT',
    message: `${label}: ${describeField(error)}`,
    leg: index,
  });

  const key = parseInstrumentKey(leg.symbol, {
    field: 'symbol',
    ...(options.listing ? { listing: options.listing } : {}),
  });
  if (isParseError(key)) return bad(key);
  const symbol = `${key.exchange}:${key.tradingsymbol}`;
  const label = legLabel(index, symbol);
  const side = parseTransactionType(leg.side, 'side');
  if (isParseError(side)) return bad(side, label);
  const quantity = parseQuantity(leg.quantity, 'quantity');
  if (isParseError(quantity)) return bad(quantity, label);
  const noPrice = leg.price === undefined || leg.price === null;
  const price = noPrice && !options.priceRequired ? null : parsePrice(leg.price, 'price');
  if (isParseError(price)) return bad(price, label);
  const exitPrice =
    leg.exit_price === undefined || leg.exit_price === null ? null : parsePrice(leg.exit_price, 'exit_price');
  if (isParseError(exitPrice)) return bad(exitPrice, label);

  const warnings: CostWarning[] = [];
  let product: TradingProduct;
  if (leg.product === undefined || leg.product === null) {
    product = defaultProduct(key.exchange);
    warnings.push({
      code: 'PRODUCT_DEFAULTED',
      leg: index,
      message: `${label}: no product given, so ${product} is assumed (${product === 'CNC' ? 'delivery, as for an equity' : 'carried overnight, as for a future or an option'}); give "product" to choose CNC, MIS or NRML`,
    });
  } else {
    const given = parseProduct(leg.product, 'product', TRADING_PRODUCTS);
    if (isParseError(given)) return bad(given, label);
    product = given;
  }
  return {
    leg: {
      index,
      symbol,
      exchange: key.exchange,
      tradingsymbol: key.tradingsymbol,
      side,
      quantity,
      price,
      exitPrice,
      product,
    },
    warnings,
  };
}
