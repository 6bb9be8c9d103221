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
 *   its order value (the premium, for options).
 */
import type { Instrument } from '../domain/instrument.js';
import { isIsoDate } from '../market/ist.js';
import { type ChargeLeg, type KiteCharges, legCharges, turnoverOf } from './charges.js';
import { type CostProduct, classifyLeg, type LegClass } from './classify.js';
import type { ChargeSchedule, ChargeSegment, UserChargeSchedule } from './schedule-schema.js';
import { isScheduleError, scheduleFor } from './schedules.js';
import type { CostError, CostWarning } from './types.js';

export type { KiteCharges } from './charges.js';
export type { ChargeSegment, UserChargeSchedule } from './schedule-schema.js';
export type { CostError, CostWarning } from './types.js';

/** Default for config `costs.charges_warning_pct`. */
export const DEFAULT_CHARGES_WARNING_PCT = 5;

export type Side = 'BUY' | 'SELL';

/** One leg as the caller writes it (the seed's API body). */
export interface CostLegInput {
  /** `EXCHANGE:TRADINGSYMBOL` (NFO:NIFTY25DEC24500CE, NSE:SBIN). */
  symbol: string;
  /** Kite's order quantity: units, or lots on MCX and CDS. A positive whole number. */
  quantity: number;
  /** Entry price (premium for options); required, above 0. */
  price?: number;
  side: Side;
  /** CNC (equity delivery), MIS (intraday), NRML (derivatives carried overnight). */
  product: string;
  /** Exit price for the exit estimate; the entry price when absent. */
  exit_price?: number;
}

export interface CostEstimateInput {
  /** Trade date (IST `YYYY-MM-DD`) that picks the schedule; `deps.today` when absent. */
  date?: string;
  legs: readonly CostLegInput[];
}

/** A master row; `multiplier` when the caller knows it (MCX/CDS lot sizes, see multipliers.ts). */
export type CostInstrument = Instrument & { multiplier?: number };

export interface CostEstimateDeps {
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

const SYMBOL_RE = /^([A-Z]+):(\S+)$/;

const opposite = (side: Side): Side => (side === 'BUY' ? 'SELL' : 'BUY');

const isPositive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** Display form for messages only (figures themselves stay unrounded). */
const rupees = (x: number) => x.toFixed(2);

function onTick(price: number, tick: number): boolean {
  const n = price / tick;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

interface CheckedLeg {
  index: number;
  symbol: string;
  exchange: string;
  tradingsymbol: string;
  side: Side;
  quantity: number;
  price: number;
  exitPrice: number;
  exitGiven: boolean;
  product: string;
}

function checkLeg(leg: CostLegInput, index: number): CheckedLeg | CostError {
  const raw = typeof leg.symbol === 'string' ? leg.symbol.trim().toUpperCase() : '';
  const name = `leg ${index + 1}${raw ? ` (${raw})` : ''}`;
  const bad = (message: string): CostError => ({ code: 'INVALID_INPUT', message: `${name}: ${message}`, leg: index });
  const m = SYMBOL_RE.exec(raw);
  if (!m)
    return bad(
      `symbol ${JSON.stringify(leg.symbol)} must be EXCHANGE:TRADINGSYMBOL, as NSE:SBIN or NFO:NIFTY25DEC24500CE`,
    );
  const side = typeof leg.side === 'string' ? leg.side.toUpperCase() : leg.side;
  if (side !== 'BUY' && side !== 'SELL') return bad(`side ${JSON.stringify(leg.side)} must be BUY or SELL`);
  if (typeof leg.quantity !== 'number' || !Number.isInteger(leg.quantity) || leg.quantity <= 0) {
    return bad(`quantity ${JSON.stringify(leg.quantity)} must be a positive whole number`);
  }
  if (leg.price === undefined || leg.price === null) return bad('price is missing');
  if (!isPositive(leg.price)) return bad(`price ${JSON.stringify(leg.price)} must be above 0`);
  if (leg.exit_price !== undefined && leg.exit_price !== null && !isPositive(leg.exit_price)) {
    return bad(`exit_price ${JSON.stringify(leg.exit_price)} must be above 0`);
  }
  const exitGiven = isPositive(leg.exit_price);
  return {
    index,
    symbol: raw,
    exchange: m[1]!,
    tradingsymbol: m[2]!,
    side,
    quantity: leg.quantity,
    price: leg.price,
    exitPrice: exitGiven ? (leg.exit_price as number) : leg.price,
    exitGiven,
    product: typeof leg.product === 'string' ? leg.product.toUpperCase() : String(leg.product),
  };
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
  const date = input.date ?? deps.today;
  if (typeof date !== 'string' || !isIsoDate(date)) {
    return { code: 'INVALID_INPUT', message: `date ${JSON.stringify(date)} must be a trade date written YYYY-MM-DD` };
  }
  const schedule = scheduleFor(date, deps.userSchedules ?? []);
  if (isScheduleError(schedule)) return { code: 'INVALID_INPUT', message: schedule.message };
  if (!Array.isArray(input.legs) || input.legs.length === 0)
    return { code: 'INVALID_INPUT', message: 'no legs to cost: give at least one instrument' };

  const pct = deps.chargesWarningPct ?? DEFAULT_CHARGES_WARNING_PCT;
  const legs: CostLegEstimate[] = [];
  const warnings: CostWarning[] = [];
  for (const [index, raw] of input.legs.entries()) {
    const leg = checkLeg(raw, index);
    if ('code' in leg) return leg;
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
    product: leg.product as CostProduct,
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
      if (!onTick(p, i.tick_size)) {
        out.push({
          code: 'OFF_TICK',
          leg: leg.index,
          message: `${leg.symbol}: ${what} ${p} is not on the tick size ${i.tick_size}`,
        });
      }
    }
  }
  return out;
}
