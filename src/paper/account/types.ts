/**
 * The small input interfaces through which the paper account sees the rest of the paper
 * exchange. The matching engine, market model and instrument master are wired in by the
 * server; nothing here imports them.
 */
import type { Exchange, InstrumentType } from '../../domain/instrument.js';

export type Product = 'CNC' | 'MIS' | 'NRML' | 'MTF';
export type Side = 'BUY' | 'SELL';

/** Kite's two fund segments (GET /user/margins/{segment}). */
export type Segment = 'equity' | 'commodity';
export const SEGMENTS: readonly Segment[] = ['equity', 'commodity'];

/** What the account needs to know about an instrument. */
export interface AccountInstrument {
  instrument_token: number;
  exchange: Exchange;
  tradingsymbol: string;
  /** The instrument master's `name`: the underlying for derivatives (NIFTY, RELIANCE, GOLD). */
  name: string;
  instrument_type: InstrumentType;
  /** `YYYY-MM-DD` IST, or null for instruments that do not expire. */
  expiry: string | null;
  strike: number;
  lot_size: number;
  /**
   * P&L multiplier, as Kite's positions show it: value = price x quantity x multiplier. 1 for
   * NSE, BSE, NFO and BFO (quantities are in units); units per lot for MCX and CDS, whose
   * quantities are in lots (LEADMINI 1000, GOLDGUINEA 1: positions.json).
   */
  multiplier: number;
  /** For holdings (holdings.json `isin`). */
  isin?: string;
}

/** Finds an instrument by exchange and tradingsymbol; undefined when unknown. */
export type InstrumentLookup = (exchange: string, tradingsymbol: string) => AccountInstrument | undefined;

/** Prices from the market model. Every answer may be undefined when the price is not known. */
export interface PriceLookup {
  /** Last traded price. */
  lastPrice(instrumentToken: number): number | undefined;
  /** The previous session's close (quote `ohlc.close`): holdings' day change, positions at roll. */
  closePrice?(instrumentToken: number): number | undefined;
  /**
   * The underlying's price for an F&O contract: the index or stock for NFO/BFO, the future for
   * MCX options. When absent, the margin model falls back as `underlyingOf` documents.
   */
  underlyingPrice?(instrument: AccountInstrument): number | undefined;
}

/** One fill, as the account books it. */
export interface TradeInput {
  instrument_token: number;
  exchange: Exchange;
  tradingsymbol: string;
  product: Product;
  transaction_type: Side;
  quantity: number;
  /** The fill price. */
  price: number;
  /** `YYYY-MM-DD HH:mm:ss` IST or a Date. */
  timestamp: string | Date;
  order_id: string;
}

/**
 * A fill in the shape of Kite's trade book (trades.json, the matching engine's KiteTrade):
 * turned into a TradeInput by `tradeFromKite`.
 */
export interface KiteTradeLike {
  order_id: string;
  exchange: Exchange;
  tradingsymbol: string;
  instrument_token: number;
  product: Product;
  average_price: number;
  quantity: number;
  transaction_type: Side;
  fill_timestamp: string;
}

export function tradeFromKite(t: KiteTradeLike): TradeInput {
  return {
    instrument_token: t.instrument_token,
    exchange: t.exchange,
    tradingsymbol: t.tradingsymbol,
    product: t.product,
    transaction_type: t.transaction_type,
    quantity: t.quantity,
    price: t.average_price,
    timestamp: t.fill_timestamp,
    order_id: t.order_id,
  };
}

/** An order as POST /margins/orders and /margins/basket take it (Kite docs, "Order structure"). */
export interface MarginOrderInput {
  exchange: string;
  tradingsymbol: string;
  transaction_type: Side;
  variety?: string;
  product: Product;
  order_type: string;
  quantity: number;
  price?: number;
  trigger_price?: number;
}

/**
 * An order as the matching engine holds it (the fields of KiteOrder the account reads):
 * for the margin check on placement and modification, and for blocking while it is open.
 */
export interface OrderLike extends MarginOrderInput {
  order_id?: string;
  status?: string;
  filled_quantity?: number;
  pending_quantity?: number;
}

/** A refusal as a value, answered as Kite does: HTTP `http_status`, `{ status: "error", ... }`. */
export interface AccountError {
  code: string;
  error_type: 'InputException' | 'MarginException' | 'HoldingException' | 'OrderException';
  message: string;
  http_status: number;
}

export type AccountResult<T> = { ok: true; value: T } | { ok: false; error: AccountError };

/** The fund segment an exchange's trades and margins belong to. */
export function segmentOf(exchange: string): Segment {
  return exchange === 'MCX' || exchange === 'NCO' ? 'commodity' : 'equity';
}

/** Kite's margin `type` for an exchange: "equity" or "commodity" (basket_margins.json). */
export const marginTypeOf = segmentOf;

export function isOption(instrumentType: InstrumentType): boolean {
  return instrumentType === 'CE' || instrumentType === 'PE';
}

/** Cash equity: EQ on NSE/BSE. Everything else is a derivative. */
export function isCashEquity(i: Pick<AccountInstrument, 'instrument_type' | 'exchange'>): boolean {
  return i.instrument_type === 'EQ' && (i.exchange === 'NSE' || i.exchange === 'BSE');
}
