import { type KiteCharges, legCharges } from './charges.js';
import { type ClassifiableInstrument, classifyLeg } from './classify.js';
import type { UserChargeSchedule } from './schedule-schema.js';
import { isScheduleError, scheduleFor } from './schedules.js';

/** One order as far as its charges go: what is (or was) traded, at what price, on which day. */
export interface ChargedOrder {
  exchange: string;
  tradingsymbol: string;
  product: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number;
  /** The IST trading date (`YYYY-MM-DD`) whose charge schedule applies. */
  tradeDate: string;
}

export interface OrderCharges {
  charges: KiteCharges;
  /** price x quantity x contract multiplier: the turnover the charges are levied on. */
  orderValue: number;
}

/**
 * The charges of one order on the schedule in force on its trade date, or null when it cannot
 * be costed (no schedule for the date, an exchange or product the engine does not cost, an
 * instrument it cannot classify). `instrument` is the master's row, or null when not listed.
 */
export function orderCharges(
  order: ChargedOrder,
  instrument: ClassifiableInstrument | null,
  schedules: readonly UserChargeSchedule[],
): OrderCharges | null {
  const schedule = scheduleFor(order.tradeDate, schedules);
  if (isScheduleError(schedule)) return null;
  const leg = classifyLeg(order.exchange, order.tradingsymbol, order.product, instrument);
  if ('code' in leg) return null;
  const chargeLeg = { side: order.side, quantity: order.quantity, price: order.price, multiplier: leg.multiplier };
  return {
    charges: legCharges(chargeLeg, leg, schedule),
    orderValue: order.quantity * order.price * leg.multiplier,
  };
}

/** How a strategy's running totals move. "Taxes" is every charge but brokerage. */
export interface ChargesDelta {
  brokerage: number;
  taxes: number;
}

/**
 * An order's actual charges are recomputed on its whole filled quantity each time it fills
 * more; its strategy's totals move by the difference from what was booked before (`previous`,
 * null for the first fill), so they always hold each order's latest charges once:
 *
 *   brokerage = next.brokerage - previous.brokerage
 *   taxes     = (next.total - next.brokerage) - (previous.total - previous.brokerage)
 */
export function chargesDelta(
  previous: Pick<KiteCharges, 'brokerage' | 'total'> | null,
  next: Pick<KiteCharges, 'brokerage' | 'total'>,
): ChargesDelta {
  return {
    brokerage: next.brokerage - (previous?.brokerage ?? 0),
    taxes: next.total - next.brokerage - ((previous?.total ?? 0) - (previous?.brokerage ?? 0)),
  };
}
