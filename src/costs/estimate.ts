/**
 * Pre-trade costs of a set of legs: each leg's charges on entry, the charges of reversing it
 * at an exit price, its breakeven after both, and the totals, on the charge schedule in force
 * on the trade date. Pure: the instrument master and the user's schedules come in as data.
 *
 * Definitions (the `costs.calculate` result and `som costs --json`):
 * - order_value: price x quantity x multiplier (the turnover charges are levied on; lots x lot
 *   size on MCX and CDS). Always positive, whatever the side.
 * - charges / exit.charges: Kite's charges object for the entry order and for the exit order
 *   (the opposite side, same product, at `exit_price`, default the entry price).
 * - total_entry_cost, total_exit_cost: the sums of the legs' entry and exit charges `total`.
 *   They are charges only, not the order value: a strategy's legs mix premium paid and premium
 *   received, so an order value has no single sign to add to; it is reported on its own in
 *   `breakdown.order_value`, and what the trade needs in funds is the margin's business.
 * - breakdown: the entry orders' figures added up: gross order value, brokerage, stt (STT and
 *   CTT alike: Kite's transaction_tax), exchange_charges, gst (all of CGST, SGST, IGST),
 *   sebi_charges, stamp_duty; total_charges = total_entry_cost.
 * - round_trip_charges = total_entry_cost + total_exit_cost.
 * - breakeven: the exit price at which the leg's P&L after its own round-trip charges is zero:
 *   (exit - entry) x quantity x multiplier x (+1 buy, -1 sell) = entry charges + exit charges
 *   at that exit price. Exit charges depend on the exit price (STT, exchange and SEBI fees,
 *   capped brokerage, rounded stamp duty), so it is found by bisection on the exact charge
 *   functions down to adjacent floating-point numbers, not from a closed form. With rounded
 *   stamp duty the P&L can jump over zero; breakeven is then the first price at which it is no
 *   longer negative. null for a sell whose price cannot cover its charges even at an exit of 0.
 *   Not rounded to the tick.
 * - warnings: NOT_IN_MASTER, LOT_MULTIPLE and OFF_TICK (only when the master lists the
 *   instrument), CHARGES_HIGH when a leg's round-trip charges exceed `chargesWarningPct` % of
 *   its order value (the premium, for options), PRODUCT_DEFAULTED for a leg without a product.
 *
 * Legs are read by ./legs.ts: a bare symbol is placed on its exchange, a missing product gets
 * the usual one, and every error names the leg and the field.
 */
import type { Instrument } from '../domain/instrument.js';
import { parseCalendarDate } from '../domain/parse/date.js';
import { describeField, isParseError } from '../domain/parse/error.js';
import type { SymbolListing } from '../domain/parse/instrument-key.js';
import { checkOnTickGrid } from '../domain/parse/price.js';
import { type ChargeLeg, type KiteCharges, legCharges, turnoverOf } from './charges.js';
import { type CostProduct, classifyLeg, type LegClass } from './classify.js';
import { type LegInput, type ReadLeg, readLeg } from './legs.js';
import type { ChargeSchedule, ChargeSegment, UserChargeSchedule } from './schedule-schema.js';
import { isScheduleError, scheduleFor } from './schedules.js';
import type { CostError, CostWarning } from './types.js';

export type { KiteCharges } from './charges.js';
export type { ChargeSegment, UserChargeSchedule } from './schedule-schema.js';
export type { CostError, CostWarning } from './types.js';

/** Default for config `costs.charges_warning_pct`. */
export const DEFAULT_CHARGES_WARNING_PCT = 5;

export type Side = 'BUY' | 'SELL';

/** One leg as the caller writes it (`{"symbol", "quantity", "price", "side", "product"?, "exit_price"?}`). */
export type CostLegInput = LegInput;

export interface CostEstimateInput {
  /** Trade date (IST `YYYY-MM-DD`) that picks the schedule; `deps.today` when absent. */
  date?: string;
  legs: readonly CostLegInput[];
}

/** A master row; `multiplier` when the caller knows it (MCX/CDS lot sizes, see multipliers.ts). */
export type CostInstrument = Instrument & { multiplier?: number };

/** `exchangesListing`: where the master lists a bare symbol (absent: the symbol's grammar alone decides). */
export interface CostEstimateDeps extends Partial<SymbolListing> {
  /** Today in IST, `YYYY-MM-DD`. */
  today: string;
  /** The instrument master row, or null when it does not list the symbol. */
  instrument(exchange: string, tradingsymbol: string): CostInstrument | null;
  /** The user's schedules from config (`costs.schedules`). */
  userSchedules?: readonly UserChargeSchedule[];
  /** Config `costs.charges_warning_pct`; DEFAULT_CHARGES_WARNING_PCT when absent. */
  chargesWarningPct?: number;
}

export interface CostLegExit {
  price: number;
  side: Side;
  order_value: number;
  charges: KiteCharges;
}

export interface CostLegEstimate {
  symbol: string;
  exchange: string;
  tradingsymbol: string;
  side: Side;
  quantity: number;
  price: number;
  product: CostProduct;
  segment: ChargeSegment;
  order_value: number;
  charges: KiteCharges;
  exit: CostLegExit;
  breakeven: number | null;
}

export interface CostBreakdown {
  order_value: number;
  brokerage: number;
  stt: number;
  exchange_charges: number;
  gst: number;
  sebi_charges: number;
  stamp_duty: number;
  total_charges: number;
}

export interface CostEstimate {
  /** The trade date whose schedule was used. */
  date: string;
  legs: CostLegEstimate[];
  total_entry_cost: number;
  total_exit_cost: number;
  breakdown: CostBreakdown;
  round_trip_charges: number;
  warnings: CostWarning[];
}

const opposite = (side: Side): Side => (side === 'BUY' ? 'SELL' : 'BUY');

/** Display form for messages only (figures themselves stay unrounded). */
const rupees = (x: number) => x.toFixed(2);

/** A leg ready to cost: its price is known (a costing needs one), its exit price defaulted. */
interface CheckedLeg extends ReadLeg {
  price: number;
  exitPrice: number;
  exitGiven: boolean;
}

/**
 * The exit price at which a leg's P&L after round-trip charges is zero (see the module
 * comment): bisection, since the exit charges depend on the exit price.
 */
export function breakevenPrice(
  entry: { side: Side; price: number; quantity: number; multiplier: number },
  entryCharges: number,
  exitCharges: (exitPrice: number) => number,
): number | null {
  const sign = entry.side === 'BUY' ? 1 : -1;
  const units = entry.quantity * entry.multiplier;
  const pnl = (x: number) => sign * (x - entry.price) * units - entryCharges - exitCharges(x);
  if (pnl(entry.price) >= 0) return entry.price;
  let lo: number;
  let hi: number;
  if (sign === 1) {
    // P&L rises with the exit price: from the entry price up until it is no longer negative.
    lo = entry.price;
    let step = Math.max((entryCharges + exitCharges(entry.price)) / units, Number.EPSILON);
    hi = entry.price + step;
    for (let i = 0; pnl(hi) < 0; i++) {
      if (i > 200) return null;
      lo = hi;
      step *= 2;
      hi = entry.price + step;
    }
    // Invariant: pnl(lo) < 0 <= pnl(hi).
    for (;;) {
      const mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) return hi;
      if (pnl(mid) >= 0) hi = mid;
      else lo = mid;
    }
  }
  // A sell: P&L falls as the exit price rises; it is best at an exit of 0.
  lo = 0;
  hi = entry.price;
  if (pnl(lo) < 0) return null;
  // Invariant: pnl(lo) >= 0 > pnl(hi).
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) return lo;
    if (pnl(mid) >= 0) lo = mid;
    else hi = mid;
  }
}

/**
 * Cost the legs on the schedule in force on the trade date. Returns an error value (exit 2 in
 * the CLI) for a bad date or a date before every schedule, and for the first leg that cannot
 * be costed: malformed symbol, side, quantity or prices, an unknown exchange or product, a
 * product that does not fit the instrument, an equity not in the master, an unparseable
 * derivative symbol.
 */
export function estimateCosts(input: CostEstimateInput, deps: CostEstimateDeps): CostEstimate | CostError {
  const date = parseCalendarDate(input.date ?? deps.today);
  if (isParseError(date)) return { code: 'INVALID_INPUT', message: describeField(date) };
  const schedule = scheduleFor(date, deps.userSchedules ?? []);
  if (isScheduleError(schedule)) return { code: 'INVALID_INPUT', message: schedule.message };
  if (!Array.isArray(input.legs) || input.legs.length === 0)
    return { code: 'INVALID_INPUT', message: 'no legs to cost: give at least one instrument' };

  const pct = deps.chargesWarningPct ?? DEFAULT_CHARGES_WARNING_PCT;
  const legs: CostLegEstimate[] = [];
  const warnings: CostWarning[] = [];
  const { exchangesListing } = deps;
  const listing = exchangesListing ? { exchangesListing: exchangesListing.bind(deps) } : undefined;
  for (const [index, raw] of input.legs.entries()) {
    const read = readLeg(raw, index, { listing, priceRequired: true });
    if ('code' in read) return read;
    warnings.push(...read.warnings);
    const { price, exitPrice } = read.leg;
    const leg: CheckedLeg = { ...read.leg, exitPrice: exitPrice ?? price, exitGiven: exitPrice !== null };
    const instrument = deps.instrument(leg.exchange, leg.tradingsymbol);
    const cls = classifyLeg(leg.exchange, leg.tradingsymbol, leg.product, instrument);
    if ('code' in cls) return { ...cls, message: `leg ${index + 1}: ${cls.message}`, leg: index };
    for (const w of cls.warnings) warnings.push({ ...w, leg: index });
    if (instrument) warnings.push(...instrumentWarnings(leg, instrument));
    const estimate = costLeg(leg, cls, schedule);
    legs.push(estimate);
    const roundTrip = estimate.charges.total + estimate.exit.charges.total;
    if (roundTrip > (estimate.order_value * pct) / 100) {
      warnings.push({
        code: 'CHARGES_HIGH',
        leg: index,
        message: `${leg.symbol}: round-trip charges ${rupees(roundTrip)} are ${((roundTrip / estimate.order_value) * 100).toFixed(2)}% of the order value ${rupees(estimate.order_value)}, above ${pct}%`,
      });
    }
  }

  const sum = (f: (l: CostLegEstimate) => number) => legs.reduce((s, l) => s + f(l), 0);
  const total_entry_cost = sum((l) => l.charges.total);
  const total_exit_cost = sum((l) => l.exit.charges.total);
  return {
    date,
    legs,
    total_entry_cost,
    total_exit_cost,
    breakdown: {
      order_value: sum((l) => l.order_value),
      brokerage: sum((l) => l.charges.brokerage),
      stt: sum((l) => l.charges.transaction_tax),
      exchange_charges: sum((l) => l.charges.exchange_turnover_charge),
      gst: sum((l) => l.charges.gst.total),
      sebi_charges: sum((l) => l.charges.sebi_turnover_charge),
      stamp_duty: sum((l) => l.charges.stamp_duty),
      total_charges: total_entry_cost,
    },
    round_trip_charges: total_entry_cost + total_exit_cost,
    warnings,
  };
}

function costLeg(leg: CheckedLeg, cls: LegClass, schedule: ChargeSchedule): CostLegEstimate {
  const entry: ChargeLeg = { side: leg.side, quantity: leg.quantity, price: leg.price, multiplier: cls.multiplier };
  const exitAt = (price: number): ChargeLeg => ({ ...entry, side: opposite(leg.side), price });
  const charges = legCharges(entry, cls, schedule);
  const exit = exitAt(leg.exitPrice);
  const exitCharges = legCharges(exit, cls, schedule);
  return {
    symbol: `${cls.exchange}:${cls.tradingsymbol}`,
    exchange: cls.exchange,
    tradingsymbol: cls.tradingsymbol,
    side: leg.side,
    quantity: leg.quantity,
    price: leg.price,
    product: leg.product satisfies CostProduct,
    segment: cls.segment,
    order_value: turnoverOf(entry),
    charges,
    exit: { price: exit.price, side: exit.side, order_value: turnoverOf(exit), charges: exitCharges },
    breakeven: breakevenPrice(
      { side: leg.side, price: leg.price, quantity: leg.quantity, multiplier: cls.multiplier },
      charges.total,
      (x) => legCharges(exitAt(x), cls, schedule).total,
    ),
  };
}

function instrumentWarnings(leg: CheckedLeg, i: CostInstrument): CostWarning[] {
  const out: CostWarning[] = [];
  if (i.lot_size > 0 && leg.quantity % i.lot_size !== 0) {
    out.push({
      code: 'LOT_MULTIPLE',
      leg: leg.index,
      message: `${leg.symbol}: quantity ${leg.quantity} is not a multiple of the lot size ${i.lot_size}`,
    });
  }
  if (i.tick_size > 0) {
    const prices: [string, number][] = [['price', leg.price]];
    if (leg.exitGiven) prices.push(['exit_price', leg.exitPrice]);
    for (const [what, p] of prices) {
      const onGrid = checkOnTickGrid(p, i.tick_size, what);
      if (isParseError(onGrid))
        out.push({ code: 'OFF_TICK', leg: leg.index, message: `${leg.symbol}: ${describeField(onGrid)}` });
    }
  }
  return out;
}
