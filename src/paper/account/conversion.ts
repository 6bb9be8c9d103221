/**
 * Product conversion (PUT /portfolio/positions; convert_position.json answers `data: true`):
 * the rules a request must pass before the account moves the quantity and checks funds.
 *
 * - Cash equity converts between MIS and CNC; derivatives between MIS and NRML (Kite's
 *   products: CNC is for equity delivery, NRML for F&O carry-forward, MIS for intraday).
 * - `transaction_type` names the side of the position: BUY converts a long, SELL a short.
 * - `position_type` `day` converts from today's net quantity on that side, `overnight` from
 *   the quantity carried in from earlier days.
 * - A short cannot become CNC beyond what holdings can deliver.
 * The messages are composed in Kite's style; Kite's own texts for these refusals were not found.
 */
import type { PositionLedger } from './positions.js';
import {
  type AccountError,
  type AccountInstrument,
  type AccountResult,
  isCashEquity,
  type Product,
  type Side,
} from './types.js';

/** PUT /portfolio/positions form (kiteconnect `convertPosition`). */
export interface ConvertPositionParams {
  exchange: string;
  tradingsymbol: string;
  transaction_type: string;
  position_type: string;
  quantity: number;
  old_product: string;
  new_product: string;
}

export interface Conversion {
  side: Side;
  positionType: 'day' | 'overnight';
  quantity: number;
  from: PositionLedger;
  toProduct: Product;
}

const PRODUCTS: readonly string[] = ['CNC', 'MIS', 'NRML', 'MTF'];
const EQUITY_PAIR: readonly Product[] = ['MIS', 'CNC'];
const DERIVATIVE_PAIR: readonly Product[] = ['MIS', 'NRML'];

function input(code: string, message: string): AccountResult<never> {
  const error: AccountError = { code, error_type: 'InputException', message, http_status: 400 };
  return { ok: false, error };
}

/** How much of a position's side a conversion may move. */
export function convertibleQuantity(l: PositionLedger, side: Side, positionType: 'day' | 'overnight'): number {
  if (positionType === 'overnight')
    return side === 'BUY' ? Math.max(0, l.overnight_quantity) : Math.max(0, -l.overnight_quantity);
  const dayNet = l.day_buy_quantity - l.day_sell_quantity;
  return side === 'BUY' ? Math.max(0, dayNet) : Math.max(0, -dayNet);
}

/**
 * Checks a conversion request against the position (`ledger` under the old product), the
 * instrument and, for a short going to CNC, how much holdings can still deliver.
 */
export function checkConversion(
  p: ConvertPositionParams,
  ledger: PositionLedger | undefined,
  instrument: AccountInstrument | undefined,
  deliverableFromHoldings: number,
): AccountResult<Conversion> {
  if (!PRODUCTS.includes(p.old_product)) return input('INVALID_PRODUCT', 'Invalid `old_product`.');
  if (!PRODUCTS.includes(p.new_product)) return input('INVALID_PRODUCT', 'Invalid `new_product`.');
  if (p.transaction_type !== 'BUY' && p.transaction_type !== 'SELL')
    return input('INVALID_TRANSACTION_TYPE', 'Invalid `transaction_type`.');
  if (p.position_type !== 'day' && p.position_type !== 'overnight')
    return input('INVALID_POSITION_TYPE', 'Invalid `position_type`.');
  if (!Number.isInteger(p.quantity) || p.quantity <= 0) return input('INVALID_QUANTITY', 'Invalid `quantity`.');
  if (p.old_product === p.new_product) return input('SAME_PRODUCT', 'The position is already in that product.');
  if (!instrument) return input('INSTRUMENT_NOT_FOUND', `Invalid instrument: ${p.exchange}:${p.tradingsymbol}`);

  const pair = isCashEquity(instrument) ? EQUITY_PAIR : DERIVATIVE_PAIR;
  const oldProduct = p.old_product as Product;
  const newProduct = p.new_product as Product;
  if (!pair.includes(oldProduct) || !pair.includes(newProduct)) {
    return input(
      'CONVERSION_NOT_ALLOWED',
      `Conversion from ${oldProduct} to ${newProduct} is not allowed for ${p.exchange}:${p.tradingsymbol}.`,
    );
  }
  if (!ledger)
    return input('POSITION_NOT_FOUND', `No ${oldProduct} position in ${p.exchange}:${p.tradingsymbol} to convert.`);

  const side = p.transaction_type;
  const positionType = p.position_type;
  const open = convertibleQuantity(ledger, side, positionType);
  if (p.quantity > open) {
    return input(
      'QUANTITY_EXCEEDS_POSITION',
      `Quantity to convert (${p.quantity}) is more than the open ${positionType} ${side === 'BUY' ? 'long' : 'short'} position (${open}).`,
    );
  }
  if (newProduct === 'CNC' && side === 'SELL' && p.quantity > deliverableFromHoldings) {
    const error: AccountError = {
      code: 'INSUFFICIENT_HOLDINGS',
      error_type: 'HoldingException',
      message: `Insufficient holdings to convert a short of ${p.quantity} to CNC (${deliverableFromHoldings} available).`,
      http_status: 400,
    };
    return { ok: false, error };
  }
  return { ok: true, value: { side, positionType, quantity: p.quantity, from: ledger, toProduct: newProduct } };
}
