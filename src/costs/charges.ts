/**
 * The charges on one executed order, in the shape of Kite's charges objects (the `charges` of
 * POST /margins/orders and /margins/basket legs, and of POST /charges/orders, the virtual
 * contract note), computed as Kite computes them: binary floating point, unrounded (except
 * stamp duty, which the schedule says how to round).
 *
 *   turnover                 = price x quantity x multiplier
 *   transaction_tax          = turnover x STT/CTT rate for the segment and side
 *   exchange_turnover_charge = turnover x exchange rate (+ turnover x IPFT rate, when included)
 *   sebi_turnover_charge     = turnover x SEBI rate
 *   brokerage                = flat amount, or min(turnover x rate, cap)
 *   stamp_duty               = turnover x stamp rate, buy side only, rounded per the schedule
 *   gst                      = GST rate x (brokerage + exchange charge + SEBI fee), all as IGST
 *   total                    = transaction_tax + exchange + SEBI + brokerage + stamp + GST
 *
 * The order of the float operations is Kite's: with it the legs of basket_margins.json come
 * out bit for bit (test/costs/charges.test.ts).
 */
import type { LegClass } from './classify.js';
import type { ChargeSchedule, StampDutyRounding } from './schedule-schema.js';

export interface KiteGst {
  igst: number;
  cgst: number;
  sgst: number;
  total: number;
}

/** Kite's charges object (basket_margins.json `orders[].charges`). */
export interface KiteCharges {
  transaction_tax: number;
  transaction_tax_type: 'stt' | 'ctt' | '';
  exchange_turnover_charge: number;
  sebi_turnover_charge: number;
  brokerage: number;
  stamp_duty: number;
  gst: KiteGst;
  total: number;
}

/** One executed order, as far as its charges go. */
export interface ChargeLeg {
  side: 'BUY' | 'SELL';
  quantity: number;
  /** The execution price (premium for options). */
  price: number;
  /** Price units per quantity unit: lot size on MCX and CDS, 1 elsewhere (default 1). */
  multiplier?: number;
}

/** The value an order's charges are levied on: price x quantity x multiplier. */
export function turnoverOf(leg: ChargeLeg): number {
  return leg.price * leg.quantity * (leg.multiplier ?? 1);
}

function roundStamp(x: number, rounding: StampDutyRounding): number {
  if (rounding === 'rupee') return Math.round(x);
  if (rounding === 'paise') return Math.round(x * 100) / 100;
  return x;
}

/** The charges of one executed order under `schedule`. */
export function legCharges(
  leg: ChargeLeg,
  segment: Pick<LegClass, 'segment' | 'exchange_segment'>,
  schedule: ChargeSchedule,
): KiteCharges {
  const turnover = turnoverOf(leg);
  const buy = leg.side === 'BUY';

  const tax = schedule.transaction_tax[segment.segment];
  const transaction_tax = turnover * (buy ? tax.buy : tax.sell);

  const ex = schedule.exchange.rates[segment.exchange_segment];
  const exchangeOwn = turnover * ex.rate;
  const exchange_turnover_charge = schedule.exchange.ipft_included ? exchangeOwn + turnover * ex.ipft : exchangeOwn;

  const sebi_turnover_charge = turnover * schedule.sebi_rate;

  const rule = schedule.brokerage[segment.segment];
  const brokerage = rule.kind === 'flat' ? rule.amount : Math.min(turnover * rule.rate, rule.cap);

  const stamp_duty = buy
    ? roundStamp(turnover * schedule.stamp_duty.rates[segment.segment], schedule.stamp_duty.rounding)
    : 0;

  const gstOnExchange = schedule.gst.base_includes_ipft ? exchange_turnover_charge : exchangeOwn;
  const igst = schedule.gst.rate * (brokerage + gstOnExchange + sebi_turnover_charge);

  return {
    transaction_tax,
    transaction_tax_type: tax.type,
    exchange_turnover_charge,
    sebi_turnover_charge,
    brokerage,
    stamp_duty,
    gst: { igst, cgst: 0, sgst: 0, total: igst },
    total: transaction_tax + exchange_turnover_charge + sebi_turnover_charge + brokerage + stamp_duty + igst,
  };
}
