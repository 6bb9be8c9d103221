import type { z } from 'zod';
import {
  type BrokerOrder,
  type BrokerPosition,
  type BrokerTrade,
  brokerOrderSchema,
  brokerPositionSchema,
  brokerTradeSchema,
} from '../domain/order.js';
import { formatDate, istInstant } from '../market/ist.js';
import type { BrokerGtt, BrokerHolding } from './broker.js';
import { BrokerError } from './errors.js';

/**
 * Kite's order, trade and position rows as som's domain types, validated.
 *
 * Timestamps reach us in two forms:
 * - from kiteconnect's REST calls as JS Dates: the client turns Kite's IST wall time
 *   "2021-05-31 09:18:57" into `new Date("2021-05-31 09:18:57")`, which JavaScript reads in the
 *   HOST's zone. The Date's local getters still hold the wall-clock fields Kite wrote, so they
 *   are read back and reinterpreted as IST. (The one thing lost: a wall time inside the host's
 *   own daylight-saving gap, which the Date has already moved by an hour. Kite stamps are IST
 *   trading hours; a host zone whose gap falls in them would have to be set to UTC or IST.)
 * - from the WebSocket order update and postbacks as the strings themselves, IST.
 * Both become ISO-8601 UTC instants. A trade's bare `order_timestamp` ("09:16:39") carries no
 * date and is dropped.
 */

const p2 = (n: number): string => String(n).padStart(2, '0');

const KITE_WALL_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;
/** An instant already written with its zone (som's own form, e.g. a stored order fed back). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Kite's IST wall time `YYYY-MM-DD HH:mm:ss` of a timestamp as kiteconnect hands it over (a Date
 * parsed in the host's zone, or still the string). Null for absent ones.
 */
export function kiteWallTime(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw dataError('an invalid date in a timestamp field');
    // Local getters on purpose: they give back the fields kiteconnect parsed in the local zone.
    const date = formatDate(value.getFullYear(), value.getMonth() + 1, value.getDate());
    return `${date} ${p2(value.getHours())}:${p2(value.getMinutes())}:${p2(value.getSeconds())}`;
  }
  if (typeof value === 'string' && KITE_WALL_TIME.test(value)) return value;
  throw dataError(`a timestamp Kite does not write: ${JSON.stringify(value)}`);
}

/**
 * A Kite timestamp (Date from kiteconnect, IST string from the WebSocket, or an ISO instant) as
 * an ISO-8601 UTC instant; null when absent.
 */
export function kiteInstant(value: unknown): string | null {
  if (typeof value === 'string' && ISO_INSTANT.test(value)) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw dataError(`an invalid instant: ${JSON.stringify(value)}`);
    return new Date(ms).toISOString();
  }
  const wall = kiteWallTime(value);
  if (wall === null) return null;
  const m = KITE_WALL_TIME.exec(wall)!;
  return istInstant(m[1]!, m[2]!).toISOString();
}

/** Fields Kite leaves out of some payloads (order_info.json, the WebSocket update) and their meaning when absent. */
const ORDER_DEFAULTS = {
  exchange_order_id: null,
  parent_order_id: null,
  status_message: null,
  status_message_raw: null,
  exchange_timestamp: null,
  exchange_update_timestamp: null,
  disclosed_quantity: 0,
  cancelled_quantity: 0,
  market_protection: 0,
  tag: null,
  tags: [],
  guid: null,
  modified: false,
} as const satisfies Partial<Record<keyof BrokerOrder, unknown>>;

const ORDER_TIMESTAMPS = ['order_timestamp', 'exchange_timestamp', 'exchange_update_timestamp'] as const;
const TRADE_TIMESTAMPS = ['fill_timestamp', 'exchange_timestamp'] as const;

/** An order row from GET /orders, /orders/:id, the WebSocket order update or a postback. */
export function normalizeOrder(raw: unknown): BrokerOrder {
  const row = record(raw, 'order');
  const filled: Record<string, unknown> = { ...row };
  for (const [key, fallback] of Object.entries(ORDER_DEFAULTS)) {
    if (filled[key] === undefined || filled[key] === null) filled[key] = fallback;
  }
  for (const key of ORDER_TIMESTAMPS) filled[key] = kiteInstant(row[key]);
  return parse(brokerOrderSchema, filled, 'order');
}

/** A trade row from GET /trades or /orders/:id/trades. */
export function normalizeTrade(raw: unknown): BrokerTrade {
  const row = record(raw, 'trade');
  const filled: Record<string, unknown> = { ...row, exchange_order_id: row.exchange_order_id ?? null };
  for (const key of TRADE_TIMESTAMPS) filled[key] = kiteInstant(row[key]);
  delete filled.order_timestamp; // a bare "09:16:39": no date to place it on
  return parse(brokerTradeSchema, filled, 'trade');
}

/** A net or day position row from GET /portfolio/positions. */
export function normalizePosition(raw: unknown): BrokerPosition {
  return parse(brokerPositionSchema, record(raw, 'position'), 'position');
}

/** A holding row from GET /portfolio/holdings (only the fields som reads; missing quantities are 0). */
export function normalizeHolding(raw: unknown): BrokerHolding {
  const row = record(raw, 'holding');
  const text = (key: string): string => {
    const v = row[key];
    if (typeof v !== 'string' || v === '') throw dataError(`a holding without ${key}`);
    return v;
  };
  return {
    exchange: text('exchange'),
    tradingsymbol: text('tradingsymbol'),
    instrument_token: numberOr(row.instrument_token, 0),
    quantity: numberOr(row.quantity, 0),
    t1_quantity: numberOr(row.t1_quantity, 0),
    used_quantity: numberOr(row.used_quantity, 0),
    average_price: numberOr(row.average_price, 0),
    last_price: numberOr(row.last_price, 0),
  };
}

/** A GTT trigger from GET /gtt/triggers (gtt_get_orders.json). */
export function normalizeGtt(raw: unknown): BrokerGtt {
  const row = record(raw, 'GTT trigger');
  const condition = record(row.condition, 'GTT condition');
  const type = row.type === 'two-leg' ? 'two-leg' : row.type === 'single' ? 'single' : null;
  if (type === null) throw dataError(`a GTT of a type Kite does not document: ${JSON.stringify(row.type)}`);
  const id = numberOr(row.id, Number.NaN);
  if (!Number.isInteger(id)) throw dataError('a GTT trigger without an id');
  const triggers = Array.isArray(condition.trigger_values)
    ? condition.trigger_values.map((v) => numberOr(v, Number.NaN))
    : [];
  if (triggers.length === 0 || triggers.some(Number.isNaN)) throw dataError(`GTT ${id} has no trigger values`);
  const orders = (Array.isArray(row.orders) ? row.orders : []).map((o) => {
    const order = record(o, 'GTT order');
    const side = order.transaction_type;
    if (side !== 'BUY' && side !== 'SELL') throw dataError(`GTT ${id} has an order without BUY or SELL`);
    return {
      exchange: String(order.exchange ?? condition.exchange ?? ''),
      tradingsymbol: String(order.tradingsymbol ?? condition.tradingsymbol ?? ''),
      transaction_type: side as 'BUY' | 'SELL',
      quantity: numberOr(order.quantity, 0),
      order_type: String(order.order_type ?? ''),
      product: String(order.product ?? ''),
      price: numberOr(order.price, 0),
    };
  });
  if (orders.length === 0) throw dataError(`GTT ${id} has no orders`);
  return {
    id,
    type,
    status: String(row.status ?? ''),
    exchange: String(condition.exchange ?? ''),
    tradingsymbol: String(condition.tradingsymbol ?? ''),
    instrument_token: numberOr(condition.instrument_token, 0),
    trigger_values: triggers,
    last_price: numberOr(condition.last_price, 0),
    orders,
    created_at: kiteInstant(row.created_at),
    updated_at: kiteInstant(row.updated_at),
    expires_at: kiteInstant(row.expires_at),
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function record(raw: unknown, what: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw dataError(
      `expected an ${what} object from the broker, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
    );
  }
  return raw as Record<string, unknown>;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const id = value as { order_id?: unknown; trade_id?: unknown; tradingsymbol?: unknown };
  const which = id.trade_id ?? id.order_id ?? id.tradingsymbol;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw dataError(`unexpected ${what}${which === undefined ? '' : ` ${String(which)}`} from the broker: ${issues}`);
}

function dataError(message: string): BrokerError {
  return new BrokerError('data', message);
}
