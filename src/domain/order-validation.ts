import type { Instrument } from './instrument.js';
import type { PlaceOrderRequest } from './order.js';
import { isParseError } from './parse/error.js';
import { checkOnTickGrid } from './parse/price.js';

/** A reason an order cannot be sent, found before the broker is asked. */
export interface OrderProblem {
  code:
    | 'NOT_TRADABLE'
    | 'PRICE_REQUIRED'
    | 'PRICE_NOT_ALLOWED'
    | 'TRIGGER_REQUIRED'
    | 'TRIGGER_NOT_ALLOWED'
    | 'OFF_TICK'
    | 'LOT_MULTIPLE'
    | 'PRODUCT_SEGMENT'
    | 'TRIGGER_SIDE';
  message: string;
}

/**
 * The checks Kite's RMS makes on an order's shape, done before sending so that the user gets
 * one clear message naming every problem instead of a rejected order. Price bands and margin
 * are the broker's to judge.
 */
export function validateOrderShape(request: Omit<PlaceOrderRequest, 'tag'>, instrument: Instrument): OrderProblem[] {
  if (instrument.segment === 'INDICES') {
    return [
      {
        code: 'NOT_TRADABLE',
        message: `${instrument.exchange}:${instrument.tradingsymbol} is an index: trade its futures or options`,
      },
    ];
  }
  const problems: OrderProblem[] = [];
  const { order_type: type, price, trigger_price: trigger } = request;
  const needsPrice = type === 'LIMIT' || type === 'SL';
  const needsTrigger = type === 'SL' || type === 'SL-M';
  if (needsPrice && !(price !== undefined && price > 0)) {
    problems.push({ code: 'PRICE_REQUIRED', message: `a ${type} order needs a price (--price)` });
  }
  if (!needsPrice && price !== undefined && price !== 0) {
    problems.push({ code: 'PRICE_NOT_ALLOWED', message: `a ${type} order takes no price` });
  }
  if (needsTrigger && !(trigger !== undefined && trigger > 0)) {
    problems.push({ code: 'TRIGGER_REQUIRED', message: `a ${type} order needs a trigger price (--trigger)` });
  }
  if (!needsTrigger && trigger !== undefined && trigger !== 0) {
    problems.push({ code: 'TRIGGER_NOT_ALLOWED', message: `a ${type} order takes no trigger price` });
  }
  for (const [label, value] of [
    ['price', price],
    ['trigger price', trigger],
  ] as const) {
    const onGrid = value !== undefined && value > 0 ? checkOnTickGrid(value, instrument.tick_size, label) : value;
    if (isParseError(onGrid)) {
      problems.push({
        code: 'OFF_TICK',
        message: `${label} ${value} is not a multiple of ${instrument.exchange}:${instrument.tradingsymbol}'s tick size ${instrument.tick_size}${onGrid.hint ? ` (${onGrid.hint})` : ''}`,
      });
    }
  }
  if (instrument.lot_size > 0 && request.quantity % instrument.lot_size !== 0) {
    problems.push({
      code: 'LOT_MULTIPLE',
      message: `quantity ${request.quantity} is not a multiple of the lot size ${instrument.lot_size} of ${instrument.exchange}:${instrument.tradingsymbol}`,
    });
  }
  const derivative = instrument.instrument_type !== 'EQ';
  if (derivative && request.product === 'CNC') {
    problems.push({
      code: 'PRODUCT_SEGMENT',
      message: 'CNC is for equity delivery; use NRML (carry) or MIS (intraday) for derivatives',
    });
  }
  if (!derivative && request.product === 'NRML') {
    problems.push({
      code: 'PRODUCT_SEGMENT',
      message: 'NRML is for derivatives; use CNC (delivery) or MIS (intraday) for equity',
    });
  }
  if (type === 'SL' && price !== undefined && trigger !== undefined && price > 0 && trigger > 0) {
    // A buy stop triggers at or above the trigger and pays up to the price; a sell stop the reverse.
    const wrong = request.transaction_type === 'BUY' ? price < trigger : price > trigger;
    if (wrong) {
      problems.push({
        code: 'TRIGGER_SIDE',
        message: `for a ${request.transaction_type} SL order the trigger price must be ${request.transaction_type === 'BUY' ? 'at or below' : 'at or above'} the price`,
      });
    }
  }
  return problems;
}
