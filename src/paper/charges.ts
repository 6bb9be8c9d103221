/**
 * The paper exchange's charges: the project's charges engine (src/costs) on the paper clock's
 * IST date, for the `charges` of POST /margins/orders and /margins/basket legs and for
 * POST /charges/orders (Kite's virtual contract note).
 */

import { type KiteCharges, legCharges } from '../costs/charges.js';
import { type ClassifiableInstrument, classifyLeg } from '../costs/classify.js';
import type { UserChargeSchedule } from '../costs/schedule-schema.js';
import { isScheduleError, scheduleFor } from '../costs/schedules.js';
import type { CostError } from '../costs/types.js';
import type { ChargesFn } from './account/order-margins.js';
import { zeroCharges } from './account/order-margins.js';

export interface PaperChargesDeps {
  /** The paper clock's IST date, `YYYY-MM-DD`. */
  today(): string;
  /** The paper instrument master; undefined for symbols it does not list. */
  instrument(exchange: string, tradingsymbol: string): ClassifiableInstrument | undefined;
  /** Schedules from config, beyond the built-in ones. */
  schedules?: readonly UserChargeSchedule[];
}

/** An executed order as far as its charges go (Kite's contract-note request fields). */
export interface ChargedOrder {
  exchange: string;
  tradingsymbol: string;
  transaction_type: 'BUY' | 'SELL';
  product: string;
  quantity: number;
  /** The execution price. */
  price: number;
}

/**
 * One order's charges on today's schedule, or why it cannot be costed. `instrument` may be
 * given when the caller already holds the row; otherwise it is looked up.
 */
export function orderCharges(
  order: ChargedOrder,
  deps: PaperChargesDeps,
  instrument?: ClassifiableInstrument,
): KiteCharges | CostError {
  const schedule = scheduleFor(deps.today(), deps.schedules ?? []);
  if (isScheduleError(schedule)) return { code: 'INVALID_INPUT', message: schedule.message };
  const row = instrument ?? deps.instrument(order.exchange, order.tradingsymbol) ?? null;
  const cls = classifyLeg(order.exchange, order.tradingsymbol, order.product, row);
  if ('code' in cls) return cls;
  return legCharges(
    { side: order.transaction_type, quantity: order.quantity, price: order.price, multiplier: cls.multiplier },
    cls,
    schedule,
  );
}

/**
 * The margin calculators' `chargesFor` hook. An order the engine cannot cost (an MTF order,
 * a date before every schedule) shows zero charges, as Kite's basket totals do, rather than
 * failing the margin request.
 */
export function marginChargesFor(deps: PaperChargesDeps): ChargesFn {
  return (order, instrument) => {
    const r = orderCharges(
      {
        exchange: order.exchange,
        tradingsymbol: order.tradingsymbol,
        transaction_type: order.transaction_type,
        product: order.product,
        quantity: order.quantity,
        price: order.price,
      },
      deps,
      instrument,
    );
    return 'code' in r ? zeroCharges() : r;
  };
}
