/**
 * The paper exchange's margin model: SPAN-like for derivatives, VaR-like for cash equity.
 * Pure functions over legs (signed quantities with prices); rates come from `rates.ts`.
 *
 * Derivatives, per underlying (exchange + instrument `name`), with S the underlying's price
 * and r its price scan range (rates.scanRange); quantities count units (quantity x multiplier):
 *
 *   scan     = the worst loss over seven scenarios, the underlying moving by
 *              k x r x S for k in {-1, -2/3, -1/3, 0, 1/3, 2/3, 1} (SPAN's price scan without
 *              its volatility and extreme scenarios). A future moves one for one with S
 *              (F' = F(1 + k r)); an option is valued at intrinsic(S') + its current time value
 *              (price - intrinsic(S), at least 0), so a short option's scan loss is
 *              r x S less how far out of the money it is ("span reduced by OTM-ness").
 *   credit   = the value of the net long options (price x quantity x multiplier): what a long
 *              option can lose is already paid, as SPAN's net option value credits it.
 *   calendar = rates.calendarSpread x the offset notional of long against short futures when
 *              they are in different expiries (the scan nets them to nothing).
 *   floor    = short option minimum: rates.shortOptionFloor x S x the short options' quantity
 *              not covered by a long option of the same expiry and right (a long option
 *              offsets a short of the same underlying and expiry).
 *   span     = max(scan + calendar - credit, floor, 0), and then, when every leg of the
 *              underlying shares one expiry and the payoff's loss is bounded (a spread, an
 *              iron condor), at most that maximum loss at expiry measured from current prices:
 *              a spread's max loss caps its margin.
 *   exposure = rates.exposure x notional of each contract's net quantity: a future on its
 *              price, a net short option on the underlying's price; hedges in other contracts
 *              do not reduce it (basket_margins.json: final exposure equals initial exposure).
 *   additional = rates.expiryDayShortIndexOption x S x quantity for short index options on
 *              their expiry day.
 *   option_premium = price x quantity x multiplier of options: what a long costs; in a
 *              portfolio the shorts' premium comes off (final option_premium -2152.5 in
 *              basket_margins.json = 521.25 paid - 2673.75 received).
 *
 * Cash equity (NSE/BSE EQ): var = rates.equity[product] x value, the signed values netted per
 * instrument and product: CNC needs the full value of a buy and nothing for a sell (it is
 * delivered from holdings); MIS 20% of the open value either way (5x leverage).
 */
import { type MarginRates, scanRangeOf, underlyingClass } from './rates.js';
import { type AccountInstrument, isCashEquity, isOption, type Product } from './types.js';

/** One position or order leg for the margin model. */
export interface MarginLeg {
  instrument: AccountInstrument;
  product: Product;
  /** Signed: positive long (bought), negative short (sold). In Kite's quantity units. */
  quantity: number;
  /** The contract's own price: stock price, future price or option premium. */
  price: number;
  /** The underlying's price (derivatives); ignored for cash equity. */
  underlying: number;
}

/** The margin components Kite reports (order margins and user margins). */
export interface MarginParts {
  span: number;
  exposure: number;
  option_premium: number;
  additional: number;
  var: number;
}

export const ZERO_PARTS: Readonly<MarginParts> = { span: 0, exposure: 0, option_premium: 0, additional: 0, var: 0 };

/** Fractions of the scan range the scenarios move the underlying by. */
export const SCAN_POINTS: readonly number[] = [-1, -2 / 3, -1 / 3, 0, 1 / 3, 2 / 3, 1];

export function addParts(a: MarginParts, b: MarginParts): MarginParts {
  return {
    span: a.span + b.span,
    exposure: a.exposure + b.exposure,
    option_premium: a.option_premium + b.option_premium,
    additional: a.additional + b.additional,
    var: a.var + b.var,
  };
}

export function subtractParts(a: MarginParts, b: MarginParts): MarginParts {
  return {
    span: a.span - b.span,
    exposure: a.exposure - b.exposure,
    option_premium: a.option_premium - b.option_premium,
    additional: a.additional - b.additional,
    var: a.var - b.var,
  };
}

export function partsTotal(p: MarginParts): number {
  return p.span + p.exposure + p.option_premium + p.additional + p.var;
}

function intrinsic(i: AccountInstrument, s: number): number {
  return i.instrument_type === 'CE' ? Math.max(0, s - i.strike) : Math.max(0, i.strike - s);
}

/** P&L of one derivative leg when the underlying moves by fraction `move` of its price. */
function scenarioPnl(leg: MarginLeg, move: number): number {
  const q = leg.quantity * leg.instrument.multiplier;
  if (!isOption(leg.instrument.instrument_type)) return q * leg.price * move;
  const s0 = leg.underlying;
  const timeValue = Math.max(0, leg.price - intrinsic(leg.instrument, s0));
  const value = intrinsic(leg.instrument, s0 * (1 + move)) + timeValue;
  return q * (value - leg.price);
}

/** P&L of one derivative leg at expiry with the underlying at `s`, from current prices. */
function expiryPnl(leg: MarginLeg, s: number): number {
  const q = leg.quantity * leg.instrument.multiplier;
  const atExpiry = isOption(leg.instrument.instrument_type) ? intrinsic(leg.instrument, s) : s;
  return q * (atExpiry - leg.price);
}

/**
 * The largest loss at expiry of legs that all expire together, or Infinity when the loss is
 * unbounded (net short calls or futures as the underlying rises). The payoff is piecewise
 * linear with kinks at the strikes, so its minimum is at 0, a strike or the current price.
 */
function maxLossAtExpiry(legs: readonly MarginLeg[]): number {
  let slopeUp = 0;
  for (const l of legs) {
    const t = l.instrument.instrument_type;
    if (t === 'CE' || t === 'FUT') slopeUp += l.quantity * l.instrument.multiplier;
  }
  if (slopeUp < 0) return Infinity;
  const points = new Set<number>([0]);
  for (const l of legs) {
    points.add(isOption(l.instrument.instrument_type) ? l.instrument.strike : l.underlying);
  }
  let worst = 0;
  for (const s of points) {
    const pnl = legs.reduce((sum, l) => sum + expiryPnl(l, s), 0);
    worst = Math.max(worst, -pnl);
  }
  return worst;
}

/** One instrument's legs netted: what exposure, the long-option credit and ELM are charged on. */
interface NetLeg {
  instrument: AccountInstrument;
  /** Signed units: quantity x multiplier. */
  units: number;
  /** The legs' prices averaged by size (an order's price and a position's last price can differ). */
  price: number;
  underlying: number;
}

function netByInstrument(legs: readonly MarginLeg[]): NetLeg[] {
  const acc = new Map<
    number,
    { instrument: AccountInstrument; units: number; weight: number; weighted: number; underlying: number }
  >();
  for (const l of legs) {
    const units = l.quantity * l.instrument.multiplier;
    const a = acc.get(l.instrument.instrument_token);
    if (a) {
      a.units += units;
      a.weight += Math.abs(units);
      a.weighted += Math.abs(units) * l.price;
    } else {
      acc.set(l.instrument.instrument_token, {
        instrument: l.instrument,
        units,
        weight: Math.abs(units),
        weighted: Math.abs(units) * l.price,
        underlying: l.underlying,
      });
    }
  }
  return [...acc.values()]
    .filter((a) => a.units !== 0)
    .map((a) => ({
      instrument: a.instrument,
      units: a.units,
      price: a.weight === 0 ? 0 : a.weighted / a.weight,
      underlying: a.underlying,
    }));
}

/** Span, exposure and the expiry-day additional margin of one underlying's legs. */
function underlyingRisk(
  legs: readonly MarginLeg[],
  rates: MarginRates,
  today: string,
): { span: number; exposure: number; additional: number } {
  const first = legs[0];
  if (!first) return { span: 0, exposure: 0, additional: 0 };
  const cls = underlyingClass(first.instrument, rates);
  const range = scanRangeOf(first.instrument, rates);
  const exposureRate = rates.exposure[cls];
  const s = first.underlying;

  // Scenario P&L is additive over legs, so legs need no netting here.
  let scan = 0;
  for (const k of SCAN_POINTS) {
    const pnl = legs.reduce((sum, l) => sum + scenarioPnl(l, k * range), 0);
    scan = Math.max(scan, -pnl);
  }

  let credit = 0;
  let exposure = 0;
  let additional = 0;
  const uncovered = new Map<string, number>();
  let longFut = 0;
  let shortFut = 0;
  const futExpiries = new Set<string | null>();
  for (const n of netByInstrument(legs)) {
    const i = n.instrument;
    if (isOption(i.instrument_type)) {
      if (n.units > 0) credit += n.units * n.price;
      else exposure += exposureRate * n.underlying * -n.units;
      const key = `${i.expiry}:${i.instrument_type}`;
      uncovered.set(key, (uncovered.get(key) ?? 0) - n.units);
      if (n.units < 0 && cls === 'index' && i.expiry === today) {
        additional += rates.expiryDayShortIndexOption * n.underlying * -n.units;
      }
    } else {
      exposure += exposureRate * n.price * Math.abs(n.units);
      futExpiries.add(i.expiry);
      if (n.units > 0) longFut += n.units * n.price;
      else shortFut += -n.units * n.price;
    }
  }
  const calendar = futExpiries.size > 1 ? rates.calendarSpread * Math.min(longFut, shortFut) : 0;
  let shortUnits = 0;
  for (const net of uncovered.values()) shortUnits += Math.max(0, net);
  const floor = rates.shortOptionFloor[cls] * s * shortUnits;

  let span = Math.max(scan + calendar - credit, floor, 0);
  const expiries = new Set(legs.map((l) => l.instrument.expiry));
  if (expiries.size === 1) span = Math.min(span, maxLossAtExpiry(legs));
  return { span, exposure, additional };
}

/**
 * Margin of cash-equity legs netted per instrument and product, on the signed value
 * (quantity x price of each leg), so an order adds its own price's worth to a position held
 * at the last price.
 */
function equityParts(legs: readonly MarginLeg[], rates: MarginRates): MarginParts {
  const net = new Map<string, { product: Product; quantity: number; value: number }>();
  for (const l of legs) {
    const key = `${l.instrument.exchange}:${l.instrument.tradingsymbol}:${l.product}`;
    const value = l.quantity * l.price * l.instrument.multiplier;
    const e = net.get(key);
    if (e) {
      e.quantity += l.quantity;
      e.value += value;
    } else {
      net.set(key, { product: l.product, quantity: l.quantity, value });
    }
  }
  let v = 0;
  for (const { product, quantity, value } of net.values()) {
    if (quantity === 0 || (product === 'CNC' && quantity < 0)) continue;
    v += rates.equity[product] * Math.abs(value);
  }
  return { ...ZERO_PARTS, var: v };
}

/**
 * The margin of a set of legs held together: hedges within one underlying are recognised,
 * shorts' premium is netted against longs'. Used for basket `final`, for the margin that open
 * positions use, and (as a difference) for what one more order adds.
 */
export function portfolioParts(legs: readonly MarginLeg[], rates: MarginRates, today: string): MarginParts {
  const equity: MarginLeg[] = [];
  const groups = new Map<string, MarginLeg[]>();
  const parts: MarginParts = { ...ZERO_PARTS };
  for (const l of legs) {
    if (l.quantity === 0) continue;
    if (isCashEquity(l.instrument)) {
      equity.push(l);
      continue;
    }
    if (isOption(l.instrument.instrument_type)) parts.option_premium += l.quantity * l.instrument.multiplier * l.price;
    const key = `${l.instrument.exchange}:${l.instrument.name}`;
    const g = groups.get(key);
    if (g) g.push(l);
    else groups.set(key, [l]);
  }
  for (const g of groups.values()) {
    const risk = underlyingRisk(g, rates, today);
    parts.span += risk.span;
    parts.exposure += risk.exposure;
    parts.additional += risk.additional;
  }
  return addParts(parts, equityParts(equity, rates));
}

/**
 * The margin of one leg on its own, as an order's entry in Kite's order margins shows it:
 * a bought option costs its premium, a sold option pays nothing in (Kite shows 0 premium on the
 * short leg of basket_margins.json).
 */
export function standaloneParts(leg: MarginLeg, rates: MarginRates, today: string): MarginParts {
  const p = portfolioParts([leg], rates, today);
  return { ...p, option_premium: Math.max(0, p.option_premium) };
}
