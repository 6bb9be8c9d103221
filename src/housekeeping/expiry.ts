import { isTradingSymbolError, type OptionType, parseTradingSymbol, resolveExpiry } from '../market/tradingsymbol.js';
import { byStrategyThenOrder, isOpen } from './order-facts.js';
import type { HkOrder, HkPosition } from './types.js';

/**
 * The expired-instrument job's rules (run at 09:00 IST on trading days and on
 * demand): cancel what is still open on expired instruments, archive expired positions with
 * their realised P&L at settlement.
 *
 * An instrument has expired when its expiry date is before `today` (the caller's IST date):
 * a contract trades on its expiry day until the close, so on that day nothing happens, and on
 * any later day (a holiday and a weekend included) it is expired. Expiry dates come from the
 * instrument master; Kite drops expired contracts from the master, so for an instrument the
 * lookup no longer knows, the date is read from the trading symbol on NFO, BFO and MCX, where
 * src/market/expiry.ts models the exchanges' rules (currency and NCO contracts are not, and
 * stay unknown: no decision).
 */

/** What the job needs to know of an instrument. */
export interface ExpiryInstrument {
  /** YYYY-MM-DD, or null for an instrument that never expires. */
  expiry: string | null;
}

/** Where an expiry date came from. */
export type ExpirySource = 'instrument' | 'symbol' | 'unknown';

/** A strategy's position with what its settlement P&L needs. */
export interface ExpiryPosition extends HkPosition {
  /** The strategy's average price of the open quantity. */
  average_price: number;
  /**
   * Kite's position multiplier: rupees per unit of price per unit of quantity (1 on NFO and
   * BFO; the contract's size where the quantity is in lots, as on MCX and currency).
   */
  multiplier?: number;
}

/** Cancel an open order on an expired instrument. Entries too: no order on a dead contract is useful. */
export interface ExpiryCancel {
  kind: 'cancel';
  order_id: string;
  strategy_id: number;
  reason: 'INSTRUMENT_EXPIRED';
  exchange: string;
  tradingsymbol: string;
  expiry: string;
  explanation: string;
}

/**
 * Archive a strategy's position in an expired instrument. `realised_pnl` = quantity x
 * (settlement price - average price) x multiplier, unrounded; 0 for a flat position; null when
 * the position is open and the caller had no settlement price for the instrument.
 */
export interface PositionArchive {
  kind: 'archive_position';
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  position_id: number | null;
  quantity: number;
  average_price: number;
  expiry: string;
  expiry_source: Exclude<ExpirySource, 'unknown'>;
  settlement_price: number | null;
  realised_pnl: number | null;
  explanation: string;
}

export type ExpiryDecision = ExpiryCancel | PositionArchive;

/** Look an instrument up: its expiry, or null when the master does not know it. */
export type InstrumentLookup = (exchange: string, tradingsymbol: string) => ExpiryInstrument | null;

/** Exchanges whose expiry rules src/market/expiry.ts models, so a symbol gives its expiry date. */
const SYMBOL_EXPIRY_EXCHANGES: ReadonlySet<string> = new Set(['NFO', 'BFO', 'MCX']);

/** The expiry of an instrument: from the master, else from its symbol where the rules are modelled. */
export function instrumentExpiry(
  exchange: string,
  tradingsymbol: string,
  instruments: InstrumentLookup,
): { expiry: string | null; source: ExpirySource } {
  const known = instruments(exchange, tradingsymbol);
  if (known) return { expiry: known.expiry, source: 'instrument' };
  if (!SYMBOL_EXPIRY_EXCHANGES.has(exchange)) return { expiry: null, source: 'unknown' };
  const parsed = parseTradingSymbol(tradingsymbol);
  if (isTradingSymbolError(parsed)) return { expiry: null, source: 'unknown' };
  const expiry = resolveExpiry(parsed);
  return expiry === null ? { expiry: null, source: 'unknown' } : { expiry, source: 'symbol' };
}

/**
 * An `isExpired(exchange, tradingsymbol)` for `detectOrphans`, as of `today`, remembering
 * each instrument's answer.
 */
export function expiredOn(
  today: string,
  instruments: InstrumentLookup,
): (exchange: string, tradingsymbol: string) => boolean {
  const cache = new Map<string, boolean>();
  return (exchange, tradingsymbol) => {
    const k = `${exchange}:${tradingsymbol}`;
    let v = cache.get(k);
    if (v === undefined) {
      const { expiry } = instrumentExpiry(exchange, tradingsymbol, instruments);
      v = expiry !== null && expiry < today;
      cache.set(k, v);
    }
    return v;
  };
}

/**
 * The value at which an option settles on expiry: its intrinsic value against the underlying's
 * closing price (NSE/BSE index options settle in cash on the index's close on expiry day).
 * CE: max(0, close - strike); PE: max(0, strike - close). Futures settle at the underlying's
 * close itself. Stock derivatives on NSE settle by delivery; their P&L at the settlement price
 * is the same, and the delivery that follows is a new equity position, not this rule's.
 */
export function optionSettlementValue(type: OptionType, strike: number, underlyingClose: number): number {
  return type === 'CE' ? Math.max(0, underlyingClose - strike) : Math.max(0, strike - underlyingClose);
}

/**
 * The expiry job's decisions for `today` (YYYY-MM-DD, IST): cancels for open orders on expired
 * instruments (any role), then archives for the strategies' positions in them (flat ones too:
 * the row is closed either way). `settlementPrice` gives the settlement price per instrument
 * (for options, `optionSettlementValue` of the underlying's close). Each list is sorted: cancels
 * by strategy and order id, archives by strategy, exchange, symbol, product.
 */
export function expiryDecisions(input: {
  orders: readonly HkOrder[];
  positions: readonly ExpiryPosition[];
  instruments: InstrumentLookup;
  today: string;
  settlementPrice?: (exchange: string, tradingsymbol: string) => number | null;
}): ExpiryDecision[] {
  const { today } = input;
  const expiries = new Map<string, { expiry: string | null; source: ExpirySource }>();
  const expiryOf = (exchange: string, tradingsymbol: string) => {
    const k = `${exchange}:${tradingsymbol}`;
    let e = expiries.get(k);
    if (!e) {
      e = instrumentExpiry(exchange, tradingsymbol, input.instruments);
      expiries.set(k, e);
    }
    return e;
  };

  const cancels: ExpiryCancel[] = [];
  for (const o of input.orders) {
    if (!isOpen(o)) continue;
    const { expiry } = expiryOf(o.exchange, o.tradingsymbol);
    if (expiry === null || expiry >= today) continue;
    cancels.push({
      kind: 'cancel',
      order_id: o.order_id,
      strategy_id: o.strategy_id,
      reason: 'INSTRUMENT_EXPIRED',
      exchange: o.exchange,
      tradingsymbol: o.tradingsymbol,
      expiry,
      explanation: `INSTRUMENT_EXPIRED: ${o.exchange}:${o.tradingsymbol} expired on ${expiry} (today ${today}); cancel ${o.order_type} ${o.transaction_type} ${o.pending_quantity} pending`,
    });
  }

  const archives: PositionArchive[] = [];
  for (const p of input.positions) {
    const { expiry, source } = expiryOf(p.exchange, p.tradingsymbol);
    if (expiry === null || source === 'unknown' || expiry >= today) continue;
    const settle = input.settlementPrice?.(p.exchange, p.tradingsymbol) ?? null;
    const multiplier = p.multiplier ?? 1;
    const realised =
      p.quantity === 0 ? 0 : settle === null ? null : p.quantity * (settle - p.average_price) * multiplier;
    const name = `${p.exchange}:${p.tradingsymbol} ${p.product}`;
    archives.push({
      kind: 'archive_position',
      strategy_id: p.strategy_id,
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      product: p.product,
      position_id: p.position_id,
      quantity: p.quantity,
      average_price: p.average_price,
      expiry,
      expiry_source: source,
      settlement_price: settle,
      realised_pnl: realised,
      explanation:
        p.quantity === 0
          ? `${name} expired on ${expiry}: flat, archive`
          : realised === null
            ? `${name} expired on ${expiry} with ${p.quantity} open: archive once a settlement price is known`
            : `${name} expired on ${expiry}: ${p.quantity} x (${settle} - ${p.average_price})${multiplier === 1 ? '' : ` x ${multiplier}`} = ${realised} realised at settlement`,
    });
  }

  cancels.sort(byStrategyThenOrder);
  archives.sort(
    (a, b) =>
      a.strategy_id - b.strategy_id ||
      cmp(a.exchange, b.exchange) ||
      cmp(a.tradingsymbol, b.tradingsymbol) ||
      cmp(a.product, b.product),
  );
  return [...cancels, ...archives];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
