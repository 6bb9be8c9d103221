/**
 * The rest of Kite's endpoints that have samples: trigger ranges, auction holdings, holdings
 * authorisation; and the autoslice rules the order route uses for `autoslice=true`.
 */
import type { Instrument } from '../../../domain/instrument.js';
import { hash32 } from '../../market/rng.js';
import { inputError, type KiteErrorType } from '../kite-error.js';
import type { Route } from '../router.js';

/** One row of GET /portfolio/holdings/auctions (auctions_list.json). */
export interface AuctionInstrument {
  tradingsymbol: string;
  exchange: string;
  instrument_token: number;
  isin: string;
  product: string;
  price: number;
  quantity: number;
  t1_quantity: number;
  realised_quantity: number;
  authorised_quantity: number;
  authorised_date: string;
  opening_quantity: number;
  collateral_quantity: number;
  collateral_type: string;
  discrepancy: boolean;
  average_price: number;
  last_price: number;
  close_price: number;
  pnl: number;
  day_change: number;
  day_change_percentage: number;
  auction_number: string;
}

export interface MiscVenue {
  /** An instrument by `EXCHANGE:TRADINGSYMBOL`. */
  resolve(key: string): Instrument | undefined;
  /** An instrument's last traded price. */
  ltp(token: number): number | undefined;
  /** Holdings in an exchange auction; none unless the caller seeds some. */
  auctions?(): AuctionInstrument[];
  /** Called with each holdings authorisation request (for the account to record, if it wants). */
  holdingsAuthorised?(requestId: string, items: { isin: string; quantity: number }[]): void;
  /** The trigger range's width for an instrument, percent; TRIGGER_RANGE_PERCENT otherwise. */
  triggerRangePercent?(instrument: Instrument): number;
}

/**
 * Width of a trigger range, percent of the last price. Kite's sample (trigger_range.json)
 * shows ranges of 3.5% (RELIANCE: 870.57475 = 902.15 x 0.965) and 5.5% (INFY: 1075.599 =
 * 1138.2 x 0.945) below the last price; Kite set the width per instrument and the endpoint is
 * deprecated (cover orders are gone), so one width stands in for all.
 */
export const TRIGGER_RANGE_PERCENT = 3.5;

/** Largest number of instruments per trigger-range call (as the quote endpoints allow). */
const MAX_TRIGGER_RANGE_INSTRUMENTS = 500;

/** Characters of a holdings authorisation `request_id` (holdings_auth.json shows 32 alphanumerics). */
const REQUEST_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function miscRoutes(venue: MiscVenue): Route[] {
  let authorisations = 0;
  return [
    {
      method: 'GET',
      pattern: '/instruments/trigger_range/{transaction_type}',
      auth: true,
      limit: 'other',
      handle: ({ pathParams, params }) => {
        const side = pathParams.transaction_type!.toUpperCase();
        if (side !== 'BUY' && side !== 'SELL') throw inputError('Invalid `transaction_type`.');
        const keys = params.all('i');
        if (keys.length === 0) throw inputError('No instruments specified (`i`).');
        if (keys.length > MAX_TRIGGER_RANGE_INSTRUMENTS) {
          throw inputError(`Too many instruments: at most ${MAX_TRIGGER_RANGE_INSTRUMENTS} per request.`);
        }
        const data: Record<string, { instrument_token: number; lower: number; upper: number }> = {};
        for (const key of keys) {
          const instrument = venue.resolve(key);
          const ltp = instrument && venue.ltp(instrument.instrument_token);
          if (!instrument || ltp === undefined) continue;
          const percent = venue.triggerRangePercent?.(instrument) ?? TRIGGER_RANGE_PERCENT;
          data[key] = { instrument_token: 0, ...triggerRange(side, ltp, percent) };
        }
        return { data };
      },
    },
    {
      method: 'GET',
      pattern: '/portfolio/holdings/auctions',
      auth: true,
      limit: 'other',
      handle: () => ({ data: venue.auctions?.() ?? [] }),
    },
    {
      method: 'POST',
      pattern: '/portfolio/holdings/authorise',
      auth: true,
      limit: 'other',
      handle: ({ params }) => {
        const isins = params.all('isin');
        const quantities = params.all('quantity');
        if (isins.length !== quantities.length)
          throw inputError('Invalid `quantity`. Give one quantity for each `isin`.');
        const items = isins.map((isin, i) => {
          const quantity = Number(quantities[i]);
          if (!isin) throw inputError('Invalid `isin`.');
          if (!Number.isSafeInteger(quantity) || quantity <= 0) throw inputError('Invalid `quantity`.');
          return { isin, quantity };
        });
        const requestId = holdingsRequestId(authorisations++);
        venue.holdingsAuthorised?.(requestId, items);
        return { data: { request_id: requestId } };
      },
    },
  ];
}

/**
 * The range a cover order's stoploss trigger had to fall in: for a BUY, from `percent` below
 * the last price up to it; for a SELL, from the last price up to `percent` above. Unrounded,
 * as Kite's sample returns it.
 */
export function triggerRange(side: 'BUY' | 'SELL', ltp: number, percent: number): { lower: number; upper: number } {
  const width = percent / 100;
  return side === 'BUY' ? { lower: ltp * (1 - width), upper: ltp } : { lower: ltp, upper: ltp * (1 + width) };
}

/** A 32-character request id, a pure function of the counter. */
export function holdingsRequestId(n: number): string {
  let out = '';
  for (let i = 0; i < 32; i++) out += REQUEST_ID_ALPHABET[hash32(n, i, 0x5eed) % REQUEST_ID_ALPHABET.length];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Autoslice (POST /orders/{variety} with autoslice=true)

/**
 * Kite's autoslice rules, as data.
 * - maxSlices: at most 10 slices per order (reference/india-markets.md §3; Zerodha's
 *   "Order placement simplified" post).
 * - minSlices: a Kite user got "Quantity should be greater than or equal to 3510 for order
 *   slicing." for a NIFTY order below the freeze limit (kite.trade forum, "Wrong
 *   Documentation for autoslice order"). 3510 is twice NIFTY's largest order (1755 = 27 lots
 *   of 65 under the 1800 freeze), so an order must fill at least two whole slices. Inferred
 *   from that one message: correct it when Kite says otherwise.
 */
export const AUTOSLICE_RULES = { maxSlices: 10, minSlices: 2 };

export interface SliceError {
  code: 'QUANTITY_NOT_LOT_MULTIPLE' | 'BELOW_SLICING_MINIMUM' | 'ABOVE_SLICING_MAXIMUM' | 'NO_FREEZE_LIMIT';
  message: string;
  error_type: KiteErrorType;
  http_status: number;
}

/**
 * Split an order of `quantity` into exchange-sized slices: as many of the largest allowed
 * order (the biggest whole number of lots within `freezeQuantity`, the most one order may
 * carry) as fit, then the remainder. Kite's minimum and maximum slice counts apply.
 */
export function sliceOrder(
  quantity: number,
  freezeQuantity: number,
  lotSize: number,
  rules = AUTOSLICE_RULES,
): { ok: true; slices: number[] } | { ok: false; error: SliceError } {
  const lot = lotSize > 0 ? lotSize : 1;
  const largest = Math.floor(freezeQuantity / lot) * lot;
  if (!(largest > 0)) return sliceError('NO_FREEZE_LIMIT', 'This instrument has no freeze limit to slice orders by.');
  if (!Number.isSafeInteger(quantity) || quantity <= 0 || quantity % lot !== 0) {
    // The order API's wording (matching/rejections.ts QUANTITY_NOT_LOT_MULTIPLE, unconfirmed).
    return sliceError('QUANTITY_NOT_LOT_MULTIPLE', `Quantity must be in multiples of lot size ${lot}.`);
  }
  const minimum = rules.minSlices * largest;
  if (quantity < minimum) {
    return sliceError(
      'BELOW_SLICING_MINIMUM',
      `Quantity should be greater than or equal to ${minimum} for order slicing.`,
    );
  }
  const maximum = rules.maxSlices * largest;
  if (quantity > maximum) {
    // Composed: no Kite text for this case was found.
    return sliceError(
      'ABOVE_SLICING_MAXIMUM',
      `Quantity should be less than or equal to ${maximum} (${maximum / lot} lots) for order slicing: at most ${rules.maxSlices} slices.`,
    );
  }
  const slices: number[] = [];
  let left = quantity;
  while (left > 0) {
    const q = Math.min(largest, left);
    slices.push(q);
    left -= q;
  }
  return { ok: true, slices };
}

function sliceError(code: SliceError['code'], message: string): { ok: false; error: SliceError } {
  return { ok: false, error: { code, message, error_type: 'InputException', http_status: 400 } };
}

/** What became of one slice: the order placed, or Kite's error for it. */
export type SliceOutcome =
  | { order_id: string }
  | { error: { error_type: string; message: string; http_status?: number } };

/** A child of autoslice_response.json: `{ order_id }` or `{ error: { code, error_type, message, data } }`. */
export type AutosliceChild =
  | { order_id: string }
  | { error: { code: number; error_type: string; message: string; data: null } };

/**
 * The `data` of an autoslice placement (autoslice_response.json): the parent order_id and one
 * child per slice, in slice order. kiteconnect's docs call the children "per-slice results"
 * and tell callers to iterate them for the order ids, and Kite's sample parent id is none of
 * its children's, so the parent is a grouping id the caller allocates (Kite's forum: slices
 * carry the tags `autoslice` and `autoslice:<parent order_id>`). When no slice was placed the
 * caller answers with the first slice's error instead (returned here as `error`).
 */
export function autosliceResponse(
  parentOrderId: string,
  outcomes: readonly SliceOutcome[],
):
  | { ok: true; data: { order_id: string; children: AutosliceChild[] } }
  | { ok: false; error: { error_type: string; message: string; http_status: number } } {
  const first = outcomes[0];
  if (!first) throw new RangeError('autosliceResponse needs at least one slice outcome');
  if (outcomes.every((o) => 'error' in o) && 'error' in first) {
    return { ok: false, error: { ...first.error, http_status: first.error.http_status ?? 400 } };
  }
  return {
    ok: true,
    data: {
      order_id: parentOrderId,
      children: outcomes.map((o) =>
        'order_id' in o
          ? { order_id: o.order_id }
          : {
              error: {
                code: o.error.http_status ?? 400,
                error_type: o.error.error_type,
                message: o.error.message,
                data: null,
              },
            },
      ),
    },
  };
}

/** The tags Kite gives each slice (its forum): `autoslice` and `autoslice:<parent order_id>`. */
export function autosliceTags(parentOrderId: string): string[] {
  return ['autoslice', `autoslice:${parentOrderId}`];
}
