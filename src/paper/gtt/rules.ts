/**
 * The GTT rules as pure functions: reading a request, validating it against the market, when a
 * trigger fires, and how long it lives. No state and no clock: callers pass both.
 */
import { formatDate, istInstant, istParts, istTime } from '../../market/ist.js';
import { isObject, numeric, parseJson } from '../request-values.js';
import { gttError } from './messages.js';
import type { GttError, GttOrderSpec, GttRequest, GttSpec, GttType } from './types.js';

/**
 * Kite's GTT limits, as data.
 * - maxActive: support.zerodha.com ("One account can have a maximum of 250 active GTTs simultaneously").
 * - validityYears: support.zerodha.com ("The validity of a GTT for the equity segment is one year
 *   from the placement date"); F&O GTTs end with the contract (Zerodha, "GTT for F&O").
 * - distance: support.zerodha.com, "Why was my buy GTT order rejected in Kite?": above Rs 50 the
 *   trigger must be 0.25% away from the market price, below Rs 50 at least 9 paise.
 * - orderTypes: kite.trade/docs/connect/v3/gtt lists LIMIT as the order type.
 * - products: CNC for equity, NRML for F&O (Zerodha support on GTT for F&O: "NRML only").
 */
export const GTT_LIMITS = {
  maxActive: 250,
  validityYears: 1,
  distance: { pivotPrice: 50, percent: 0.25, absolute: 0.09 },
  orderTypes: ['LIMIT'] as readonly string[],
  products: ['CNC', 'NRML'] as readonly string[],
  /** Wall time (IST) on its expiry date after which a derivative's GTT is void: the F&O close. */
  contractCloseTime: '15:30',
};

export type GttLimits = typeof GTT_LIMITS;

const TYPES: readonly GttType[] = ['single', 'two-leg'];
const TRANSACTION_TYPES = ['BUY', 'SELL'];
/** Slack for comparing prices that went through binary floating point. */
const EPSILON = 1e-9;

/** Read a POST/PUT /gtt/triggers request (JSON text or already-decoded values) into a spec. */
export function parseGttRequest(req: GttRequest): { ok: true; spec: GttSpec } | { ok: false; error: GttError } {
  if (req.type === undefined || req.type === '') return fail(gttError('MISSING_FIELD', { field: 'type' }));
  if (!TYPES.includes(req.type as GttType)) return fail(gttError('INVALID_FIELD', { field: 'type' }));
  if (req.condition === undefined || req.condition === '')
    return fail(gttError('MISSING_FIELD', { field: 'condition' }));
  if (req.orders === undefined || req.orders === '') return fail(gttError('MISSING_FIELD', { field: 'orders' }));
  const condition = decode(req.condition);
  if (!isObject(condition)) return fail(gttError('INVALID_FIELD', { field: 'condition' }));
  const exchange = text(condition.exchange);
  const tradingsymbol = text(condition.tradingsymbol);
  const lastPrice = numeric(condition.last_price);
  const rawTriggers = condition.trigger_values;
  if (!exchange) return fail(gttError('MISSING_FIELD', { field: 'exchange' }));
  if (!tradingsymbol) return fail(gttError('MISSING_FIELD', { field: 'tradingsymbol' }));
  if (lastPrice === undefined || lastPrice <= 0) return fail(gttError('INVALID_FIELD', { field: 'last_price' }));
  if (!Array.isArray(rawTriggers)) return fail(gttError('INVALID_FIELD', { field: 'trigger_values' }));
  const triggerValues = rawTriggers.map(numeric);
  if (triggerValues.some((v) => v === undefined || v <= 0))
    return fail(gttError('INVALID_FIELD', { field: 'trigger_values' }));

  const rawOrders = decode(req.orders);
  if (!Array.isArray(rawOrders)) return fail(gttError('INVALID_FIELD', { field: 'orders' }));
  const orders: GttOrderSpec[] = [];
  for (const o of rawOrders) {
    if (!isObject(o)) return fail(gttError('INVALID_FIELD', { field: 'orders' }));
    const order = {
      exchange: text(o.exchange) ?? '',
      tradingsymbol: text(o.tradingsymbol) ?? '',
      transaction_type: (text(o.transaction_type) ?? '').toUpperCase(),
      quantity: numeric(o.quantity) ?? Number.NaN,
      order_type: (text(o.order_type) ?? '').toUpperCase(),
      product: (text(o.product) ?? '').toUpperCase(),
      price: numeric(o.price) ?? Number.NaN,
    };
    orders.push(order);
  }
  return {
    ok: true,
    spec: {
      type: req.type as GttType,
      condition: {
        exchange: exchange.toUpperCase(),
        tradingsymbol: tradingsymbol.toUpperCase(),
        trigger_values: triggerValues as number[],
        last_price: lastPrice,
      },
      orders,
    },
  };
}

/** The smallest distance Kite wants between a trigger and the market price. */
export function minimumTriggerDistance(ltp: number, limits: GttLimits = GTT_LIMITS): number {
  const d = limits.distance;
  return ltp >= d.pivotPrice ? (ltp * d.percent) / 100 : d.absolute;
}

/**
 * Check a spec against Kite's rules with the market's last price `ltp`. Returns the first
 * problem found, or null. The active-GTT cap is the book's business, not checked here.
 */
export function validateGtt(spec: GttSpec, ltp: number, limits: GttLimits = GTT_LIMITS): GttError | null {
  const expected = spec.type === 'single' ? 1 : 2;
  const triggers = spec.condition.trigger_values;
  if (triggers.length !== expected) return gttError('TRIGGER_COUNT', { type: spec.type, expected });
  if (spec.orders.length !== expected) return gttError('ORDER_COUNT', { type: spec.type, expected });
  for (const o of spec.orders) {
    const problem = validateOrder(o, spec, limits);
    if (problem) return problem;
  }
  if (spec.type === 'two-leg') {
    const [lower, upper] = triggers as [number, number];
    if (!(lower < ltp && ltp < upper)) return gttError('OCO_NOT_AROUND_LTP', { ltp });
  }
  const minimum = minimumTriggerDistance(ltp, limits);
  for (const t of triggers) {
    if (Math.abs(t - ltp) < minimum - EPSILON) {
      const d = limits.distance;
      return gttError('TRIGGER_TOO_CLOSE', { minimum: ltp >= d.pivotPrice ? `${d.percent}%` : `Rs ${d.absolute}` });
    }
  }
  return null;
}

function validateOrder(o: GttOrderSpec, spec: GttSpec, limits: GttLimits): GttError | null {
  if (!o.exchange) return gttError('MISSING_FIELD', { field: 'exchange' });
  if (!o.tradingsymbol) return gttError('MISSING_FIELD', { field: 'tradingsymbol' });
  if (
    o.exchange.toUpperCase() !== spec.condition.exchange ||
    o.tradingsymbol.toUpperCase() !== spec.condition.tradingsymbol
  ) {
    return gttError('INSTRUMENT_MISMATCH');
  }
  if (!TRANSACTION_TYPES.includes(o.transaction_type)) return gttError('INVALID_FIELD', { field: 'transaction_type' });
  if (!o.order_type) return gttError('MISSING_FIELD', { field: 'order_type' });
  if (!limits.orderTypes.includes(o.order_type))
    return gttError('ORDER_TYPE_NOT_ALLOWED', { order_type: o.order_type });
  if (!o.product) return gttError('MISSING_FIELD', { field: 'product' });
  if (!limits.products.includes(o.product)) return gttError('PRODUCT_NOT_ALLOWED', { product: o.product });
  if (!Number.isSafeInteger(o.quantity) || o.quantity <= 0) return gttError('INVALID_FIELD', { field: 'quantity' });
  if (!Number.isFinite(o.price) || o.price <= 0) return gttError('INVALID_FIELD', { field: 'price' });
  return null;
}

/**
 * Which order of a GTT fires at `ltp`, or null. A single trigger fires when the price reaches
 * its value from the side `referencePrice` (the `last_price` the client sent) was on: Kite's
 * forum, "In case of single leg GTTs, `last_price` determines the direction of the trigger".
 * A two-leg trigger fires its first order at or below the lower value, its second at or above
 * the upper one.
 */
export function firingLeg(
  type: GttType,
  triggerValues: readonly number[],
  referencePrice: number,
  ltp: number,
): number | null {
  if (type === 'single') {
    const t = triggerValues[0];
    if (t === undefined) return null;
    const fires = t <= referencePrice ? ltp <= t : ltp >= t;
    return fires ? 0 : null;
  }
  const [lower, upper] = triggerValues;
  if (lower === undefined || upper === undefined) return null;
  if (ltp <= lower) return 0;
  if (ltp >= upper) return 1;
  return null;
}

/**
 * When a GTT placed at `created` stops: one year later (same IST wall time), or at the close
 * of its contract's expiry day when that comes first.
 */
export function gttExpiry(created: Date, contractExpiry: string | null, limits: GttLimits = GTT_LIMITS): Date {
  const p = istParts(created);
  const yearLater = istInstant(formatDate(p.year + limits.validityYears, p.month, p.day), istTime(created));
  if (!contractExpiry) return yearLater;
  const contractEnd = istInstant(contractExpiry, limits.contractCloseTime);
  return contractEnd.getTime() < yearLater.getTime() ? contractEnd : yearLater;
}

function fail(error: GttError): { ok: false; error: GttError } {
  return { ok: false, error };
}

/** A field that may hold JSON text (form posts) or the value itself (JSON bodies). */
function decode(v: unknown): unknown {
  return typeof v === 'string' ? parseJson(v) : v;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
