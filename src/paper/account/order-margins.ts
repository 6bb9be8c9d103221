/**
 * POST /margins/orders and POST /margins/basket: the margin model's numbers in Kite's shapes
 * (kite.trade/docs/connect/v3/margins; basket_margins.json).
 *
 * - Order margins: one entry per order, "considering the existing positions" (Kite docs): what
 *   the order adds to the margin of the open positions, component by component and never
 *   below zero (an order that closes a position shows 0, not a refund).
 * - Basket margins: `orders` are the legs each on their own; `initial` is their sum; `final`
 *   is the basket held together (hedge benefit, shorts' premium netted), on top of the open
 *   positions when `considerPositions` (the margin of positions plus basket less that of the
 *   positions alone), so it can show a negative option premium or a benefit.
 *
 * Charges belong to the project's charges engine (src/costs; the paper exchange passes it as
 * `chargesFor`, src/paper/charges.ts); without it every `charges` object is zeros with an
 * empty `transaction_tax_type`, as Kite's own basket `initial` and `final` show.
 */

import {
  addParts,
  type MarginLeg,
  type MarginParts,
  partsTotal,
  portfolioParts,
  standaloneParts,
  subtractParts,
  ZERO_PARTS,
} from './margin-model.js';
import { DEFAULT_MARGIN_RATES, type MarginRates } from './rates.js';
import {
  type AccountError,
  type AccountInstrument,
  type AccountResult,
  type InstrumentLookup,
  isCashEquity,
  isOption,
  type MarginOrderInput,
  marginTypeOf,
  type PriceLookup,
  type Product,
} from './types.js';

/** The `charges` object of an order margin is the charges engine's, in Kite's shape. */
export type { KiteCharges, KiteGst } from '../../costs/charges.js';

import type { KiteCharges } from '../../costs/charges.js';

/** One entry of POST /margins/orders' `data`, and of basket `orders`, `initial`, `final`. */
export interface KiteOrderMargin {
  type: string;
  tradingsymbol: string;
  exchange: string;
  span: number;
  exposure: number;
  option_premium: number;
  additional: number;
  bo: number;
  cash: number;
  var: number;
  pnl: { realised: number; unrealised: number };
  leverage: number;
  charges: KiteCharges;
  total: number;
}

/** `mode=compact` leaves out leverage and charges (the docs' compact sample). */
export type KiteCompactOrderMargin = Omit<KiteOrderMargin, 'leverage' | 'charges'>;

/** POST /margins/basket `data` (basket_margins.json). */
export interface KiteBasketMargins {
  initial: KiteOrderMargin;
  final: KiteOrderMargin;
  orders: KiteOrderMargin[];
  charges: KiteCharges;
}

/** The charges engine's answer for one order, priced at `price`. */
export type ChargesFn = (order: MarginOrderInput & { price: number }, instrument: AccountInstrument) => KiteCharges;

/** An open position as the calculators read it: Kite's net position rows fit. */
export interface OpenPosition {
  exchange: string;
  tradingsymbol: string;
  product: Product;
  /** Signed net quantity. */
  quantity: number;
}

/** What the calculators need from the rest of the exchange. */
export interface MarginMarket {
  instruments: InstrumentLookup;
  prices: PriceLookup;
  /** Today's IST date (`YYYY-MM-DD`), for expiry-day rules. */
  today: string;
  rates?: MarginRates;
  chargesFor?: ChargesFn;
}

export function zeroCharges(): KiteCharges {
  return {
    transaction_tax: 0,
    transaction_tax_type: '',
    exchange_turnover_charge: 0,
    sebi_turnover_charge: 0,
    brokerage: 0,
    stamp_duty: 0,
    gst: { igst: 0, cgst: 0, sgst: 0, total: 0 },
    total: 0,
  };
}

function sumCharges(list: readonly KiteCharges[]): KiteCharges {
  const s = zeroCharges();
  for (const c of list) {
    s.transaction_tax += c.transaction_tax;
    s.exchange_turnover_charge += c.exchange_turnover_charge;
    s.sebi_turnover_charge += c.sebi_turnover_charge;
    s.brokerage += c.brokerage;
    s.stamp_duty += c.stamp_duty;
    s.gst.igst += c.gst.igst;
    s.gst.cgst += c.gst.cgst;
    s.gst.sgst += c.gst.sgst;
    s.gst.total += c.gst.total;
    s.total += c.total;
  }
  return s;
}

/**
 * The underlying's price for a derivative: the price source's answer; else, for a future, its
 * own price; else, for an option, its strike (an at-the-money guess that at least keeps the
 * exposure and the short option minimum of the right size).
 */
export function underlyingOf(i: AccountInstrument, prices: PriceLookup, ownPrice: number): number {
  const u = prices.underlyingPrice?.(i);
  if (u !== undefined && u > 0) return u;
  if (!isOption(i.instrument_type)) return ownPrice;
  return i.strike;
}

/**
 * The price an order is margined at: its limit price (LIMIT, SL), else its trigger (SL-M),
 * else the last price (MARKET). 0 when none is known.
 */
export function orderPrice(o: MarginOrderInput, i: AccountInstrument, prices: PriceLookup): number {
  if ((o.order_type === 'LIMIT' || o.order_type === 'SL') && (o.price ?? 0) > 0) return o.price ?? 0;
  if (o.order_type === 'SL-M' && (o.trigger_price ?? 0) > 0) return o.trigger_price ?? 0;
  if ((o.price ?? 0) > 0) return o.price ?? 0;
  return prices.lastPrice(i.instrument_token) ?? 0;
}

function unknownInstrument(exchange: string, tradingsymbol: string): AccountError {
  return {
    code: 'INSTRUMENT_NOT_FOUND',
    error_type: 'InputException',
    // Composed: Kite's text for an unknown symbol in margin requests was not found.
    message: `Invalid instrument: ${exchange}:${tradingsymbol}`,
    http_status: 400,
  };
}

interface PricedOrder {
  order: MarginOrderInput;
  instrument: AccountInstrument;
  price: number;
  leg: MarginLeg;
}

function priceOrder(o: MarginOrderInput, market: MarginMarket): AccountResult<PricedOrder> {
  const instrument = market.instruments(o.exchange, o.tradingsymbol);
  if (!instrument) return { ok: false, error: unknownInstrument(o.exchange, o.tradingsymbol) };
  const price = orderPrice(o, instrument, market.prices);
  const signed = o.transaction_type === 'BUY' ? o.quantity : -o.quantity;
  return {
    ok: true,
    value: {
      order: o,
      instrument,
      price,
      leg: {
        instrument,
        product: o.product,
        quantity: signed,
        price,
        underlying: underlyingOf(instrument, market.prices, price),
      },
    },
  };
}

/** Margin legs for open positions, valued at last prices. Unknown instruments are skipped. */
export function positionLegs(
  positions: readonly OpenPosition[],
  market: Pick<MarginMarket, 'instruments' | 'prices'>,
): MarginLeg[] {
  const legs: MarginLeg[] = [];
  for (const p of positions) {
    if (p.quantity === 0) continue;
    const instrument = market.instruments(p.exchange, p.tradingsymbol);
    if (!instrument) continue;
    const price = market.prices.lastPrice(instrument.instrument_token) ?? 0;
    legs.push({
      instrument,
      product: p.product,
      quantity: p.quantity,
      price,
      underlying: underlyingOf(instrument, market.prices, price),
    });
  }
  return legs;
}

function leverageOf(i: AccountInstrument, product: Product, rates: MarginRates): number {
  if (!isCashEquity(i)) return 1;
  const r = rates.equity[product];
  return r > 0 ? 1 / r : 1;
}

function entry(
  head: { type: string; tradingsymbol: string; exchange: string },
  parts: MarginParts,
  leverage: number,
  charges: KiteCharges,
): KiteOrderMargin {
  return {
    type: head.type,
    tradingsymbol: head.tradingsymbol,
    exchange: head.exchange,
    span: parts.span,
    exposure: parts.exposure,
    option_premium: parts.option_premium,
    additional: parts.additional,
    bo: 0,
    cash: 0,
    var: parts.var,
    // The margin APIs' pnl is for orders that close positions; the paper model leaves it 0.
    pnl: { realised: 0, unrealised: 0 },
    leverage,
    charges,
    total: partsTotal(parts),
  };
}

function chargesOf(p: PricedOrder, market: MarginMarket): KiteCharges {
  return market.chargesFor ? market.chargesFor({ ...p.order, price: p.price }, p.instrument) : zeroCharges();
}

/** `mode=compact`: the same entries without leverage and charges. */
export function compactMargins(list: readonly KiteOrderMargin[]): KiteCompactOrderMargin[] {
  return list.map(({ leverage: _l, charges: _c, ...rest }) => rest);
}

/**
 * What one order adds to the margin of `positions`, component by component (may be negative
 * where the order reduces a position).
 */
export function incrementalParts(
  order: MarginOrderInput,
  positions: readonly OpenPosition[],
  market: MarginMarket,
): AccountResult<MarginParts> {
  const rates = market.rates ?? DEFAULT_MARGIN_RATES;
  const priced = priceOrder(order, market);
  if (!priced.ok) return priced;
  const base = positionLegs(positions, market);
  const before = portfolioParts(base, rates, market.today);
  const after = portfolioParts([...base, priced.value.leg], rates, market.today);
  return { ok: true, value: subtractParts(after, before) };
}

/**
 * The funds one order needs on top of the open positions: the net of what it adds and frees,
 * never below 0. This is the figure a margin check compares with the available balance.
 */
export function orderRequirement(
  order: MarginOrderInput,
  positions: readonly OpenPosition[],
  market: MarginMarket,
): AccountResult<number> {
  const inc = incrementalParts(order, positions, market);
  if (!inc.ok) return inc;
  return { ok: true, value: Math.max(0, partsTotal(inc.value)) };
}

/** POST /margins/orders `data`: one entry per order, each against the open positions. */
export function orderMargins(
  orders: readonly MarginOrderInput[],
  positions: readonly OpenPosition[],
  market: MarginMarket,
): AccountResult<KiteOrderMargin[]> {
  const rates = market.rates ?? DEFAULT_MARGIN_RATES;
  const out: KiteOrderMargin[] = [];
  for (const o of orders) {
    const priced = priceOrder(o, market);
    if (!priced.ok) return priced;
    const inc = incrementalParts(o, positions, market);
    if (!inc.ok) return inc;
    const p = inc.value;
    const floored: MarginParts = {
      span: Math.max(0, p.span),
      exposure: Math.max(0, p.exposure),
      option_premium: Math.max(0, p.option_premium),
      additional: Math.max(0, p.additional),
      var: Math.max(0, p.var),
    };
    const i = priced.value.instrument;
    out.push(
      entry(
        { type: marginTypeOf(i.exchange), tradingsymbol: i.tradingsymbol, exchange: i.exchange },
        floored,
        leverageOf(i, o.product, rates),
        chargesOf(priced.value, market),
      ),
    );
  }
  return { ok: true, value: out };
}

/** POST /margins/basket `data`. */
export function basketMargins(
  orders: readonly MarginOrderInput[],
  positions: readonly OpenPosition[],
  considerPositions: boolean,
  market: MarginMarket,
): AccountResult<KiteBasketMargins> {
  const rates = market.rates ?? DEFAULT_MARGIN_RATES;
  const priced: PricedOrder[] = [];
  for (const o of orders) {
    const p = priceOrder(o, market);
    if (!p.ok) return p;
    priced.push(p.value);
  }

  const legsEntries: KiteOrderMargin[] = [];
  let initial: MarginParts = { ...ZERO_PARTS };
  for (const p of priced) {
    const parts = standaloneParts(p.leg, rates, market.today);
    initial = addParts(initial, parts);
    legsEntries.push(
      entry(
        {
          type: marginTypeOf(p.instrument.exchange),
          tradingsymbol: p.instrument.tradingsymbol,
          exchange: p.instrument.exchange,
        },
        parts,
        leverageOf(p.instrument, p.order.product, rates),
        chargesOf(p, market),
      ),
    );
  }

  const basketLegs = priced.map((p) => p.leg);
  let final: MarginParts;
  if (considerPositions) {
    const base = positionLegs(positions, market);
    final = subtractParts(
      portfolioParts([...base, ...basketLegs], rates, market.today),
      portfolioParts(base, rates, market.today),
    );
  } else {
    final = portfolioParts(basketLegs, rates, market.today);
  }

  const blank = { type: '', tradingsymbol: '', exchange: '' };
  return {
    ok: true,
    value: {
      initial: entry(blank, initial, 0, zeroCharges()),
      final: entry(blank, final, 0, zeroCharges()),
      orders: legsEntries,
      charges: sumCharges(legsEntries.map((e) => e.charges)),
    },
  };
}
