/**
 * Every percentage the paper margin model uses, in one table.
 *
 * Kite's real F&O margins come from NSE Clearing's and MCX's daily SPAN risk-parameter files,
 * which the paper exchange cannot have; these rates stand in for them. They are of the right
 * size for 2024-2026 (reference/india-markets.md section 2; Zerodha's margin calculator
 * pages) but are NOT exchange figures: a user who wants other numbers passes their own table
 * (`PaperAccount` option `rates`, or the `rates` argument of the calculators).
 *
 * All rates are fractions of notional value (0.10 = 10%).
 */
import type { AccountInstrument, Product } from './types.js';

/** Risk classes of an underlying: each has its own price scan range and exposure rate. */
export type UnderlyingClass = 'index' | 'stock' | 'currency' | 'commodity';

export interface MarginRates {
  /** Underlyings (instrument master `name`) that are indices; every other NFO/BFO name is a stock. */
  indices: readonly string[];
  /**
   * Price scan range: the largest one-day move SPAN's scenarios cover, as a fraction of the
   * underlying's price. The SPAN-like scan loss of a lone future is exactly this x notional.
   */
  scanRange: {
    index: number;
    stock: number;
    currency: number;
    /** Per MCX commodity, matched on the longest prefix of the instrument `name`. */
    commodity: Readonly<Record<string, number>>;
    commodityDefault: number;
  };
  /** Exposure margin (ELM) on futures and short options, on notional. */
  exposure: Readonly<Record<UnderlyingClass, number>>;
  /**
   * Short option minimum: the least SPAN a short option carries, on the underlying's notional.
   * Index 3% and stock 7.5% per reference/india-markets.md section 2.
   */
  shortOptionFloor: Readonly<Record<UnderlyingClass, number>>;
  /**
   * Extra ELM on short index options on their expiry day (NSE, since 2024-11-20; 2% per
   * reference/india-markets.md section 2). Shown as `additional`.
   */
  expiryDayShortIndexOption: number;
  /**
   * Calendar spread charge: long and short futures of one underlying in different expiries
   * offset each other in the scan, so SPAN adds this charge on the offset notional.
   */
  calendarSpread: number;
  /**
   * Cash equity margin by product (`var` in Kite's order margins): CNC needs the full value
   * (docs sample: INFY CNC var = price), MIS 20% (5x leverage), MTF an assumed 50%.
   */
  equity: Readonly<Record<Product, number>>;
}

export const DEFAULT_MARGIN_RATES: Readonly<MarginRates> = {
  indices: ['NIFTY', 'BANKNIFTY', 'FINNIFTY', 'MIDCPNIFTY', 'NIFTYNXT50', 'SENSEX', 'BANKEX', 'SENSEX50'],
  scanRange: {
    // Index futures SPAN on Zerodha's calculator runs about 9-12% of notional.
    index: 0.1,
    // Stock futures SPAN runs about 15-20% (more for volatile names).
    stock: 0.175,
    currency: 0.02,
    // MCX: bullion and base metals single digits, energy far higher (2024-2025 levels).
    commodity: {
      GOLD: 0.06,
      SILVER: 0.075,
      CRUDEOIL: 0.3,
      NATURALGAS: 0.4,
      NATGASMINI: 0.4,
      COPPER: 0.08,
      ZINC: 0.1,
      LEAD: 0.08,
      ALUMINIUM: 0.09,
      NICKEL: 0.1,
    },
    commodityDefault: 0.1,
  },
  exposure: { index: 0.02, stock: 0.035, currency: 0.01, commodity: 0.02 },
  shortOptionFloor: { index: 0.03, stock: 0.075, currency: 0.015, commodity: 0.03 },
  expiryDayShortIndexOption: 0.02,
  calendarSpread: 0.01,
  equity: { CNC: 1, MIS: 0.2, MTF: 0.5, NRML: 1 },
};

/** The risk class of an instrument's underlying. */
export function underlyingClass(i: Pick<AccountInstrument, 'exchange' | 'name'>, rates: MarginRates): UnderlyingClass {
  switch (i.exchange) {
    case 'MCX':
    case 'NCO':
      return 'commodity';
    case 'CDS':
    case 'BCD':
      return 'currency';
    default:
      return rates.indices.includes(i.name) ? 'index' : 'stock';
  }
}

/** The price scan range for an instrument's underlying. */
export function scanRangeOf(i: Pick<AccountInstrument, 'exchange' | 'name'>, rates: MarginRates): number {
  const cls = underlyingClass(i, rates);
  if (cls !== 'commodity') return rates.scanRange[cls];
  let best: string | undefined;
  for (const key of Object.keys(rates.scanRange.commodity)) {
    if (i.name.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined
    ? rates.scanRange.commodityDefault
    : (rates.scanRange.commodity[best] ?? rates.scanRange.commodityDefault);
}
