import { parseOrderTag } from '../broker/order-tag.js';
import { type BrokerOrder, type BrokerTrade, brokerOrderSchema } from '../domain/order.js';
import { isTerminalStatus, reconcileOrder } from '../domain/order-state.js';
import { changedFields, discrepancy, type Findings, type HealProposal, pick, settle } from './findings.js';
import type { Discrepancy, SomOrder } from './types.js';

/**
 * som's orders against the broker's order book, by order_id.
 *
 * - MISSING (the broker's, not som's): adopt the broker's order, for the strategy its tag
 *   names (null: not som's tag; the daemon files it as it files any order placed elsewhere).
 * - PHANTOM (som's, not the broker's): with no fills, closed: terminal, nothing pending,
 *   status_message {@link CLOSED_BY_RECONCILIATION} (REJECTED when it is the day's order:
 *   the broker never had it; CANCELLED when it is an earlier day's order still open in som:
 *   it lapsed). An order so closed is not reported again. With fills, nothing is changed:
 *   som's fills and the broker's word disagree, and a person decides.
 * - Both: STATUS_MISMATCH (UPDATE, a WebSocket fill notice, counts as OPEN), QTY_MISMATCH
 *   (quantity, filled, pending or cancelled), PRICE_DISCREPANCY (som's average price against
 *   the broker's trade book: the quantity-weighted average of the order's fills when the trade
 *   book holds all of them, else the broker order's average_price). som adopts the broker's
 *   order, unless som's copy is the newer one (src/domain/order-state.ts says so from the
 *   timestamps and fills: a WebSocket update ahead of the REST book), which the next round
 *   checks again; a price difference heals only when the broker's order agrees with its own
 *   trade book.
 */

/** The status_message of an order that reconciliation closed because the broker does not have it. */
export const CLOSED_BY_RECONCILIATION = "not in the broker's order book: closed by reconciliation";

const ORDER_FIELDS = [
  'exchange',
  'tradingsymbol',
  'transaction_type',
  'status',
  'quantity',
  'filled_quantity',
  'pending_quantity',
  'cancelled_quantity',
  'average_price',
] as const satisfies readonly (keyof BrokerOrder)[];
const QTY_FIELDS = ['quantity', 'filled_quantity', 'pending_quantity', 'cancelled_quantity'] as const;

/** A status for comparison: Kite's REST book shows OPEN where the WebSocket said UPDATE. */
const comparable = (status: string) => (status === 'UPDATE' ? 'OPEN' : status);

/** The quantity-weighted average price of an order's fills, if the trade book holds all of them. */
export function tradeBookAverage(order: BrokerOrder, trades: readonly BrokerTrade[]): number | null {
  let quantity = 0;
  let value = 0;
  for (const t of trades) {
    if (t.order_id !== order.order_id) continue;
    quantity += t.quantity;
    value += t.quantity * t.average_price;
  }
  return quantity > 0 && quantity === order.filled_quantity ? value / quantity : null;
}

export interface OrderBooks {
  /** som's orders in scope (the day's, and any still open). */
  som: readonly SomOrder[];
  broker: readonly BrokerOrder[];
  brokerTrades: readonly BrokerTrade[];
  /** True for an order placed before the day the broker's book describes. */
  earlierDay: (order: BrokerOrder) => boolean;
  priceTolerance: number;
}

const BROKER_ORDER_KEYS = Object.keys(brokerOrderSchema.shape) as (keyof BrokerOrder)[];

/** The broker's description within som's row (a stored row carries som's own columns too). */
function asBrokerOrder(o: SomOrder): BrokerOrder {
  return Object.fromEntries(BROKER_ORDER_KEYS.map((k) => [k, o[k]])) as BrokerOrder;
}

function missing(out: Findings, b: BrokerOrder): void {
  const strategy = parseOrderTag(b.tag)?.strategyId ?? null;
  const d = discrepancy(
    'MISSING',
    'order',
    b.order_id,
    strategy,
    { som: null, broker: pick(b, ORDER_FIELDS) },
    `the broker has order ${b.order_id} (${b.status}); som does not`,
  );
  const heal: HealProposal = {
    action: 'adopt',
    record: 'order',
    key: b.order_id,
    strategy_id: strategy,
    before: null,
    after: pick(b, ORDER_FIELDS),
    row: b,
  };
  settle(out, [d], heal, () => true, '');
}

function phantom(out: Findings, s: SomOrder, earlierDay: boolean): void {
  const d = discrepancy(
    'PHANTOM',
    'order',
    s.order_id,
    s.strategy_id,
    { som: pick(s, ORDER_FIELDS), broker: null },
    `som has order ${s.order_id} (${s.status}); the broker does not`,
  );
  if (s.filled_quantity > 0) {
    settle(out, [d], null, () => false, 'som records fills of an order the broker does not have: left for a person');
    return;
  }
  const status = isTerminalStatus(s.status) ? s.status : earlierDay ? 'CANCELLED' : 'REJECTED';
  const row: BrokerOrder = {
    ...asBrokerOrder(s),
    status,
    pending_quantity: 0,
    cancelled_quantity: status === 'CANCELLED' ? s.cancelled_quantity + s.pending_quantity : s.cancelled_quantity,
    status_message: CLOSED_BY_RECONCILIATION,
  };
  const closing = [...ORDER_FIELDS, 'status_message'] as const;
  const change = changedFields(pick(s, closing), pick(row, closing), closing);
  const heal: HealProposal = {
    action: 'close',
    record: 'order',
    key: s.order_id,
    strategy_id: s.strategy_id,
    before: change?.before ?? null,
    after: change?.after ?? null,
    row,
  };
  settle(out, [d], heal, () => true, '');
}

function compare(out: Findings, s: SomOrder, b: BrokerOrder, books: OrderBooks): void {
  const found: Discrepancy[] = [];
  const side = (names: readonly (keyof BrokerOrder & string)[]) => ({ som: pick(s, names), broker: pick(b, names) });
  if (comparable(s.status) !== comparable(b.status)) {
    found.push(
      discrepancy(
        'STATUS_MISMATCH',
        'order',
        b.order_id,
        s.strategy_id,
        side(['status']),
        `order ${b.order_id} is ${s.status} in som, ${b.status} at the broker`,
      ),
    );
  }
  if (QTY_FIELDS.some((f) => s[f] !== b[f])) {
    found.push(
      discrepancy(
        'QTY_MISMATCH',
        'order',
        b.order_id,
        s.strategy_id,
        side(QTY_FIELDS),
        `order ${b.order_id}: som has ${s.filled_quantity} of ${s.quantity} filled, the broker ${b.filled_quantity} of ${b.quantity}`,
      ),
    );
  }
  const bookAverage = tradeBookAverage(b, books.brokerTrades);
  const reference = bookAverage ?? b.average_price;
  const priceOff =
    s.filled_quantity > 0 && b.filled_quantity > 0 && Math.abs(s.average_price - reference) > books.priceTolerance;
  if (priceOff) {
    found.push(
      discrepancy(
        'PRICE_DISCREPANCY',
        'order',
        b.order_id,
        s.strategy_id,
        {
          som: { average_price: s.average_price },
          broker: { average_price: b.average_price, trade_book_average: bookAverage },
        },
        `order ${b.order_id}: som's average price ${s.average_price}, the broker's trade book ${reference}`,
      ),
    );
  }
  if (found.length === 0) return;

  const verdict = reconcileOrder(asBrokerOrder(s), b);
  if (verdict.kind === 'stale') {
    settle(
      out,
      found,
      null,
      () => false,
      `som's copy is newer than the broker's book (${verdict.reason}): checked again next round`,
    );
    return;
  }
  const brokerAgreesWithBook = Math.abs(b.average_price - reference) <= books.priceTolerance;
  const change = changedFields(pick(s, ORDER_FIELDS), pick(b, ORDER_FIELDS), ORDER_FIELDS);
  const heal: HealProposal = {
    action: 'update',
    record: 'order',
    key: b.order_id,
    strategy_id: s.strategy_id,
    before: change?.before ?? null,
    after: change?.after ?? null,
    row: b,
  };
  settle(
    out,
    found,
    heal,
    (d) => d.kind !== 'PRICE_DISCREPANCY' || brokerAgreesWithBook,
    `the broker's order shows average price ${b.average_price}, its trade book ${reference}: left for a person`,
  );
}

/** Compare the order books (see the module comment). */
export function reconcileOrders(books: OrderBooks): Findings {
  const out: Findings = { discrepancies: [], heals: [] };
  const som = new Map(books.som.map((o) => [o.order_id, o]));
  const broker = new Map(books.broker.map((o) => [o.order_id, o]));
  for (const b of broker.values()) {
    const s = som.get(b.order_id);
    if (s) compare(out, s, b, books);
    else missing(out, b);
  }
  for (const s of som.values()) {
    if (broker.has(s.order_id) || s.status_message === CLOSED_BY_RECONCILIATION) continue;
    phantom(out, s, books.earlierDay(s));
  }
  return out;
}
