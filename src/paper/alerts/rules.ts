/**
 * The alert rules as pure functions: reading a create/modify request, comparing a value with
 * the condition, and writing the condition the way Kite's history shows it.
 */
import { isObject, numeric, parseJson } from '../request-values.js';
import { alertError } from './messages.js';
import type { AlertError, AlertOperator, AlertRequest, AlertRhsType, AlertType, BasketItemParams } from './types.js';

/**
 * The alerts API's limits and vocabularies, as data.
 * - maxAlerts: support.zerodha.com ("A maximum of 200 alerts, including disabled ones, can be created").
 * - operators: gokiteconnect's AlertOperator constants.
 * - attributes: only `LastTradedPrice` appears in Kite's docs and samples; Kite's other data
 *   points (OHLC, volume, OI...) have no published API names, so the paper exchange refuses them.
 * - basket order vocabularies: Kite's order API.
 */
export const ALERT_LIMITS = {
  maxAlerts: 200,
  operators: ['<=', '>=', '<', '>', '=='] as readonly AlertOperator[],
  attributes: ['LastTradedPrice'] as readonly string[],
  orderTypes: ['MARKET', 'LIMIT', 'SL', 'SL-M'] as readonly string[],
  products: ['CNC', 'MIS', 'NRML', 'MTF'] as readonly string[],
  varieties: ['regular', 'amo', 'iceberg'] as readonly string[],
};

export type AlertLimits = typeof ALERT_LIMITS;

/** An instrument side of a condition. */
export interface AlertOperand {
  exchange: string;
  tradingsymbol: string;
  attribute: string;
}

export interface BasketItemSpec {
  exchange: string;
  tradingsymbol: string;
  weight: number;
  params: BasketItemParams;
}

/** A parsed create/modify request. */
export interface AlertSpec {
  name: string;
  type: AlertType;
  lhs: AlertOperand;
  operator: AlertOperator;
  rhs: { type: 'constant'; constant: number } | ({ type: 'instrument' } & AlertOperand);
  /** The ATO basket's orders (empty for simple alerts). */
  basket: BasketItemSpec[];
}

const TYPES: readonly AlertType[] = ['simple', 'ato'];
const RHS_TYPES: readonly AlertRhsType[] = ['constant', 'instrument'];
/** Slack for `==` on prices that went through binary floating point. */
const EPSILON = 1e-9;

type Parsed<T> = { ok: true; value: T } | { ok: false; error: AlertError };

/** Read POST/PUT /alerts fields into a spec, or the first problem. */
export function parseAlertRequest(req: AlertRequest, limits: AlertLimits = ALERT_LIMITS): Parsed<AlertSpec> {
  const field = (name: keyof AlertRequest): string | undefined => {
    const v = req[name];
    if (typeof v === 'number') return String(v);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  for (const name of [
    'name',
    'type',
    'lhs_exchange',
    'lhs_tradingsymbol',
    'lhs_attribute',
    'operator',
    'rhs_type',
  ] as const) {
    if (field(name) === undefined) return fail(alertError('MISSING_FIELD', { field: name }));
  }
  const type = field('type') as AlertType;
  if (!TYPES.includes(type)) return fail(alertError('INVALID_FIELD', { field: 'type' }));
  const operator = field('operator') as AlertOperator;
  if (!limits.operators.includes(operator)) return fail(alertError('INVALID_FIELD', { field: 'operator' }));
  const lhsAttribute = field('lhs_attribute')!;
  if (!limits.attributes.includes(lhsAttribute)) return fail(alertError('INVALID_FIELD', { field: 'lhs_attribute' }));
  const rhsType = field('rhs_type') as AlertRhsType;
  if (!RHS_TYPES.includes(rhsType)) return fail(alertError('INVALID_FIELD', { field: 'rhs_type' }));

  let rhs: AlertSpec['rhs'];
  if (rhsType === 'constant') {
    const text = field('rhs_constant');
    if (text === undefined) return fail(alertError('MISSING_FIELD', { field: 'rhs_constant' }));
    const constant = Number(text);
    if (!Number.isFinite(constant)) return fail(alertError('INVALID_FIELD', { field: 'rhs_constant' }));
    rhs = { type: 'constant', constant };
  } else {
    for (const name of ['rhs_exchange', 'rhs_tradingsymbol', 'rhs_attribute'] as const) {
      if (field(name) === undefined) return fail(alertError('MISSING_FIELD', { field: name }));
    }
    const attribute = field('rhs_attribute')!;
    if (!limits.attributes.includes(attribute)) return fail(alertError('INVALID_FIELD', { field: 'rhs_attribute' }));
    rhs = {
      type: 'instrument',
      exchange: field('rhs_exchange')!.toUpperCase(),
      tradingsymbol: field('rhs_tradingsymbol')!,
      attribute,
    };
  }

  let basket: BasketItemSpec[] = [];
  if (type === 'ato') {
    const parsed = parseBasket(req.basket, limits);
    if (!parsed.ok) return parsed;
    basket = parsed.value;
  }
  return {
    ok: true,
    value: {
      name: field('name')!,
      type,
      lhs: {
        exchange: field('lhs_exchange')!.toUpperCase(),
        tradingsymbol: field('lhs_tradingsymbol')!,
        attribute: lhsAttribute,
      },
      operator,
      rhs,
      basket,
    },
  };
}

/**
 * The basket of an ATO alert: `{"name":..,"type":"alert","tags":[],"items":[{"type":"insert",
 * "tradingsymbol":..,"exchange":..,"weight":..,"params":{...order...}}]}` (Kite's alerts docs).
 */
export function parseBasket(raw: unknown, limits: AlertLimits = ALERT_LIMITS): Parsed<BasketItemSpec[]> {
  const basket = typeof raw === 'string' ? parseJson(raw) : raw;
  if (raw === undefined || raw === '') return fail(alertError('BASKET_REQUIRED'));
  if (!isObject(basket) || !Array.isArray(basket.items)) return fail(alertError('INVALID_FIELD', { field: 'basket' }));
  if (basket.items.length === 0) return fail(alertError('BASKET_REQUIRED'));
  const items: BasketItemSpec[] = [];
  for (const item of basket.items) {
    if (!isObject(item) || !isObject(item.params)) return fail(alertError('INVALID_FIELD', { field: 'basket' }));
    const p = item.params;
    const exchange = str(item.exchange).toUpperCase();
    const tradingsymbol = str(item.tradingsymbol);
    if (!exchange) return fail(alertError('MISSING_FIELD', { field: 'exchange' }));
    if (!tradingsymbol) return fail(alertError('MISSING_FIELD', { field: 'tradingsymbol' }));
    const params: BasketItemParams = {
      validity: str(p.validity).toUpperCase() || 'DAY',
      validity_ttl: numeric(p.validity_ttl) ?? 0,
      variety: str(p.variety) || 'regular',
      product: str(p.product).toUpperCase(),
      order_type: str(p.order_type).toUpperCase(),
      transaction_type: str(p.transaction_type).toUpperCase(),
      quantity: numeric(p.quantity) ?? Number.NaN,
      disclosed_quantity: numeric(p.disclosed_quantity) ?? 0,
      price: numeric(p.price) ?? 0,
      trigger_price: numeric(p.trigger_price) ?? 0,
      squareoff: numeric(p.squareoff) ?? 0,
      stoploss: numeric(p.stoploss) ?? 0,
      trailing_stoploss: numeric(p.trailing_stoploss) ?? 0,
      gtt: {
        target: isObject(p.gtt) ? (numeric(p.gtt.target) ?? 0) : 0,
        stoploss: isObject(p.gtt) ? (numeric(p.gtt.stoploss) ?? 0) : 0,
      },
      tags: Array.isArray(p.tags) ? p.tags.filter((t): t is string => typeof t === 'string') : [],
    };
    if (params.transaction_type !== 'BUY' && params.transaction_type !== 'SELL') {
      return fail(alertError('INVALID_FIELD', { field: 'transaction_type' }));
    }
    if (!limits.orderTypes.includes(params.order_type))
      return fail(alertError('INVALID_FIELD', { field: 'order_type' }));
    if (!limits.products.includes(params.product)) return fail(alertError('INVALID_FIELD', { field: 'product' }));
    if (!limits.varieties.includes(params.variety)) return fail(alertError('INVALID_FIELD', { field: 'variety' }));
    if (!Number.isSafeInteger(params.quantity) || params.quantity <= 0)
      return fail(alertError('INVALID_FIELD', { field: 'quantity' }));
    if ((params.order_type === 'LIMIT' || params.order_type === 'SL') && !(params.price > 0)) {
      return fail(alertError('INVALID_FIELD', { field: 'price' }));
    }
    if ((params.order_type === 'SL' || params.order_type === 'SL-M') && !(params.trigger_price > 0)) {
      return fail(alertError('INVALID_FIELD', { field: 'trigger_price' }));
    }
    items.push({ exchange, tradingsymbol, weight: numeric(item.weight) ?? 0, params });
  }
  return { ok: true, value: items };
}

/** Whether `lhs operator rhs` holds. */
export function holds(lhs: number, operator: AlertOperator, rhs: number): boolean {
  switch (operator) {
    case '<=':
      return lhs <= rhs + EPSILON;
    case '>=':
      return lhs >= rhs - EPSILON;
    case '<':
      return lhs < rhs - EPSILON;
    case '>':
      return lhs > rhs + EPSILON;
    case '==':
      return Math.abs(lhs - rhs) <= EPSILON;
  }
}

/** The condition as Kite's history writes it: `LastTradedPrice("INDICES:NIFTY 50") >= 27000`. */
export function conditionText(spec: Pick<AlertSpec, 'lhs' | 'operator' | 'rhs'>): string {
  const side = (o: AlertOperand) => `${o.attribute}("${o.exchange}:${o.tradingsymbol}")`;
  const right = spec.rhs.type === 'constant' ? String(spec.rhs.constant) : side(spec.rhs);
  return `${side(spec.lhs)} ${spec.operator} ${right}`;
}

function fail(error: AlertError): { ok: false; error: AlertError } {
  return { ok: false, error };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
