/**
 * A small world for the account tests: a handful of instruments, prices the test sets, a
 * manual clock at 09:30 IST on Monday 2026-03-02.
 */
import { ManualClock } from '../../../src/market/clock.js';
import {
  type AccountConfigInput,
  type AccountInstrument,
  type OrderLike,
  PaperAccount,
  type PriceLookup,
  type Product,
  type Side,
  type TradeInput,
} from '../../../src/paper/account/index.js';

export const DAY1 = '2026-03-02';
export const DAY2 = '2026-03-03';
export const DAY3 = '2026-03-04';
/** A Tuesday: the test NIFTY weekly options expire on it. */
export const WEEKLY = '2026-03-24';

function eq(tradingsymbol: string, token: number, isin: string): AccountInstrument {
  return {
    instrument_token: token,
    exchange: 'NSE',
    tradingsymbol,
    name: tradingsymbol,
    instrument_type: 'EQ',
    expiry: null,
    strike: 0,
    lot_size: 1,
    multiplier: 1,
    isin,
  };
}

function niftyOption(strike: number, type: 'CE' | 'PE', token: number): AccountInstrument {
  return {
    instrument_token: token,
    exchange: 'NFO',
    tradingsymbol: `NIFTY26324${strike}${type}`,
    name: 'NIFTY',
    instrument_type: type,
    expiry: WEEKLY,
    strike,
    lot_size: 50,
    multiplier: 1,
  };
}

export const RELIANCE = eq('RELIANCE', 738561, 'INE002A01018');
export const INFY = eq('INFY', 408065, 'INE009A01021');
export const NIFTY_FUT: AccountInstrument = {
  instrument_token: 9001,
  exchange: 'NFO',
  tradingsymbol: 'NIFTY26MARFUT',
  name: 'NIFTY',
  instrument_type: 'FUT',
  expiry: '2026-03-30',
  strike: 0,
  lot_size: 50,
  multiplier: 1,
};
export const CE20000 = niftyOption(20000, 'CE', 9101);
export const PE20000 = niftyOption(20000, 'PE', 9102);
export const CE20500 = niftyOption(20500, 'CE', 9103);
export const PE19500 = niftyOption(19500, 'PE', 9104);
export const CE21000 = niftyOption(21000, 'CE', 9105);
export const CE23000 = niftyOption(23000, 'CE', 9106);
export const LEADMINI: AccountInstrument = {
  instrument_token: 53496327,
  exchange: 'MCX',
  tradingsymbol: 'LEADMINI26MARFUT',
  name: 'LEADMINI',
  instrument_type: 'FUT',
  expiry: '2026-03-31',
  strike: 0,
  lot_size: 1,
  multiplier: 1000,
};

export const INSTRUMENTS: readonly AccountInstrument[] = [
  RELIANCE,
  INFY,
  NIFTY_FUT,
  CE20000,
  PE20000,
  CE20500,
  PE19500,
  CE21000,
  CE23000,
  LEADMINI,
];

/** Prices the test controls; the NIFTY spot is 20000 unless set otherwise. */
export class Prices implements PriceLookup {
  readonly last = new Map<number, number>();
  readonly close = new Map<number, number>();
  readonly underlying = new Map<string, number>([['NIFTY', 20000]]);
  lastPrice(token: number): number | undefined {
    return this.last.get(token);
  }
  closePrice(token: number): number | undefined {
    return this.close.get(token);
  }
  underlyingPrice(i: AccountInstrument): number | undefined {
    return this.underlying.get(i.name);
  }
  set(i: AccountInstrument, last: number, close?: number): void {
    this.last.set(i.instrument_token, last);
    if (close !== undefined) this.close.set(i.instrument_token, close);
  }
}

export function world(config: AccountConfigInput = {}) {
  const clock = new ManualClock('2026-03-02T04:00:00Z');
  const prices = new Prices();
  const lookup = (exchange: string, tradingsymbol: string) =>
    INSTRUMENTS.find((i) => i.exchange === exchange && i.tradingsymbol === tradingsymbol);
  const account = new PaperAccount({ clock, instruments: lookup, prices, config });
  return { clock, prices, account };
}

export function trade(
  i: AccountInstrument,
  side: Side,
  quantity: number,
  price: number,
  product: Product = 'NRML',
  order_id = 'T',
): TradeInput {
  return {
    instrument_token: i.instrument_token,
    exchange: i.exchange,
    tradingsymbol: i.tradingsymbol,
    product,
    transaction_type: side,
    quantity,
    price,
    timestamp: '2026-03-02 09:30:00',
    order_id,
  };
}

export function order(
  i: AccountInstrument,
  side: Side,
  quantity: number,
  price: number,
  product: Product = 'NRML',
  extra: Partial<OrderLike> = {},
): OrderLike {
  return {
    exchange: i.exchange,
    tradingsymbol: i.tradingsymbol,
    transaction_type: side,
    product,
    order_type: 'LIMIT',
    quantity,
    price,
    trigger_price: 0,
    ...extra,
  };
}
