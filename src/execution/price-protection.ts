import { istDate } from '../market/ist.js';
import type { DepthSnapshot } from './depth.js';
import type { InstrumentClass } from './instrument-class.js';

/**
 * Price bands outside which a limit order is refused: by the exchange (rejected on arrival) or
 * by the broker's risk system. A BUY must not be priced above a band's top, a SELL below its
 * bottom (NSE's LPP checks exactly that: "buy order price > high LPP limit, sell order price <
 * low LPP limit").
 */
export interface PriceBandRule {
  id: string;
  classes: readonly InstrumentClass[];
  /** The price the band is measured from: the exchange's reference price, or the last price. */
  basis: 'reference' | 'last_price';
  /** The rule applies to basis prices above `min` (or at it, when inclusive) and up to `max`. */
  min: number;
  min_inclusive: boolean;
  max: number;
  /** Half-width of the band: rupees either side, or % of the basis either side. */
  width: { rupees: number } | { pct: number };
  enforced_by: 'exchange' | 'broker';
  /** First IST date the rule applies, YYYY-MM-DD. */
  effective_from: string;
  source: string;
}

const OPTIONS: readonly InstrumentClass[] = ['index_options', 'stock_options'];
const LPP_SOURCE =
  'NSE circular NSE/FAOP/54242 of 2022-10-28, limit price protection in F&O from 2022-10-31 (NSE LPP FAQs); ' +
  'reference price: the average traded price of the last 30 seconds';

/**
 * The bands som knows (reference: india-markets.md section 5). Add a row when a rule changes,
 * with its date; rows are never edited in place.
 */
export const PRICE_BAND_RULES: readonly PriceBandRule[] = [
  {
    id: 'NSE_LPP_OPTIONS_UP_TO_50',
    classes: OPTIONS,
    basis: 'reference',
    min: 0,
    min_inclusive: false,
    max: 50,
    width: { rupees: 20 },
    enforced_by: 'exchange',
    effective_from: '2022-10-31',
    source: LPP_SOURCE,
  },
  {
    id: 'NSE_LPP_OPTIONS_ABOVE_50',
    classes: OPTIONS,
    basis: 'reference',
    min: 50,
    min_inclusive: false,
    max: Infinity,
    width: { pct: 40 },
    enforced_by: 'exchange',
    effective_from: '2022-10-31',
    source: LPP_SOURCE,
  },
  {
    // Brokers' pages give a finer table (index futures 2% above 10,000 and 200 rupees up to it;
    // stock futures 3% above 50 and 1.50 rupees up to it); not confirmed from NSE, so the
    // reference's single figure stands until it is.
    id: 'NSE_LPP_FUTURES',
    classes: ['futures'],
    basis: 'reference',
    min: 0,
    min_inclusive: false,
    max: Infinity,
    width: { pct: 3 },
    enforced_by: 'exchange',
    effective_from: '2022-10-31',
    source: LPP_SOURCE,
  },
  {
    // Zerodha quotes 50-150% depending on the contract; the narrowest is kept. Where it applies
    // (a premium of 100 or more) NSE's 40% band is narrower still, so it binds only if LPP changes.
    id: 'ZERODHA_OPTION_LIMIT_BAND',
    classes: OPTIONS,
    basis: 'last_price',
    min: 100,
    min_inclusive: true,
    max: Infinity,
    width: { pct: 50 },
    enforced_by: 'broker',
    effective_from: '2022-10-31',
    source: 'Zerodha support: option limit orders more than 50-150% from the last price are refused (not under 100)',
  },
];

/** The bounds that apply to one book's limit orders (null: no bound known). */
export interface PriceProtection {
  /** The highest price a BUY may carry, and the rule that sets it. */
  buy_max: number | null;
  buy_max_rule: string | null;
  /** The lowest price a SELL may carry, and the rule that sets it. */
  sell_min: number | null;
  sell_min_rule: string | null;
  /** The day's circuit limits: no order at all outside them. */
  lower_circuit: number | null;
  upper_circuit: number | null;
  /** The reference price the exchange's bands were measured from. */
  reference: number;
}

function applies(rule: PriceBandRule, basis: number): boolean {
  const aboveMin = rule.min_inclusive ? basis >= rule.min : basis > rule.min;
  return aboveMin && basis <= rule.max;
}

function halfWidth(rule: PriceBandRule, basis: number): number {
  return 'rupees' in rule.width ? rule.width.rupees : (basis * rule.width.pct) / 100;
}

/**
 * The bands in force for a snapshot on its own IST date. The reference is the snapshot's
 * `reference_price`, else its last price, else (nothing traded yet) the mid; the broker's band
 * is measured from the last price when there is one. The circuit limits, when the snapshot has
 * them, bound both sides.
 */
export function priceProtection(
  snapshot: DepthSnapshot,
  mid: number,
  rules: readonly PriceBandRule[] = PRICE_BAND_RULES,
): PriceProtection {
  const lastPrice = snapshot.last_price > 0 ? snapshot.last_price : null;
  const reference = snapshot.reference_price ?? lastPrice ?? mid;
  const date = istDate(snapshot.at);
  const out: PriceProtection = {
    buy_max: null,
    buy_max_rule: null,
    sell_min: null,
    sell_min_rule: null,
    lower_circuit: snapshot.lower_circuit_limit ?? null,
    upper_circuit: snapshot.upper_circuit_limit ?? null,
    reference,
  };
  for (const rule of rules) {
    if (rule.effective_from > date || !rule.classes.includes(snapshot.instrument_class)) continue;
    const basis = rule.basis === 'last_price' ? (lastPrice ?? reference) : reference;
    if (!applies(rule, basis)) continue;
    const width = halfWidth(rule, basis);
    if (out.buy_max === null || basis + width < out.buy_max) {
      out.buy_max = basis + width;
      out.buy_max_rule = rule.id;
    }
    if (out.sell_min === null || basis - width > out.sell_min) {
      out.sell_min = basis - width;
      out.sell_min_rule = rule.id;
    }
  }
  return out;
}
