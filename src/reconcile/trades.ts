import type { BrokerTrade } from '../domain/order.js';
import { changedFields, discrepancy, type Findings, type HealProposal, pick, settle } from './findings.js';
import type { Discrepancy, SomTrade } from './types.js';

/**
 * som's fills against the broker's trade book, by exchange and trade_id (a trade id is
 * unique within its exchange).
 *
 * - MISSING: adopt the broker's fill (a fill som missed, typically while its WebSocket was
 *   down: Kite does not replay order updates).
 * - PHANTOM: som's fill is not in the trade book. When the broker has the order, som removes
 *   the fill; when the broker has not even the order, nothing is changed (the order is a
 *   phantom with fills, left for a person).
 * - Both: QTY_MISMATCH (quantity), PRICE_DISCREPANCY (price beyond the tolerance): adopt the
 *   broker's fill.
 */

const TRADE_FIELDS = [
  'order_id',
  'exchange',
  'tradingsymbol',
  'transaction_type',
  'product',
  'quantity',
  'average_price',
] as const satisfies readonly (keyof BrokerTrade)[];

/** A trade's key: `EXCHANGE:trade_id`. */
export const tradeKey = (t: Pick<BrokerTrade, 'exchange' | 'trade_id'>) => `${t.exchange}:${t.trade_id}`;

export interface TradeBooks {
  /** som's fills in scope (the day's). */
  som: readonly SomTrade[];
  broker: readonly BrokerTrade[];
  /** The strategy an order belongs to (som's record, else its tag), or null. */
  strategyOf: (orderId: string) => number | null;
  /** Whether the broker's order book has the order. */
  brokerHasOrder: (orderId: string) => boolean;
  priceTolerance: number;
}

/** Compare the trade books (see the module comment). */
export function reconcileTrades(books: TradeBooks): Findings {
  const out: Findings = { discrepancies: [], heals: [] };
  const som = new Map(books.som.map((t) => [tradeKey(t), t]));
  const broker = new Map(books.broker.map((t) => [tradeKey(t), t]));
  for (const [key, b] of broker) {
    const s = som.get(key);
    const strategy = books.strategyOf(b.order_id);
    if (!s) {
      const d = discrepancy(
        'MISSING',
        'trade',
        key,
        strategy,
        { som: null, broker: pick(b, TRADE_FIELDS) },
        `the broker has fill ${key} of order ${b.order_id} (${b.quantity} at ${b.average_price}); som does not`,
      );
      const heal: HealProposal = {
        action: 'adopt',
        record: 'trade',
        key,
        strategy_id: strategy,
        before: null,
        after: pick(b, TRADE_FIELDS),
        row: b,
      };
      settle(out, [d], heal, () => true, '');
      continue;
    }
    const found: Discrepancy[] = [];
    if (s.quantity !== b.quantity) {
      found.push(
        discrepancy(
          'QTY_MISMATCH',
          'trade',
          key,
          strategy,
          { som: { quantity: s.quantity }, broker: { quantity: b.quantity } },
          `fill ${key}: som has ${s.quantity}, the broker ${b.quantity}`,
        ),
      );
    }
    if (Math.abs(s.average_price - b.average_price) > books.priceTolerance) {
      found.push(
        discrepancy(
          'PRICE_DISCREPANCY',
          'trade',
          key,
          strategy,
          { som: { average_price: s.average_price }, broker: { average_price: b.average_price } },
          `fill ${key}: som has price ${s.average_price}, the broker ${b.average_price}`,
        ),
      );
    }
    if (found.length === 0) continue;
    const change = changedFields(pick(s, TRADE_FIELDS), pick(b, TRADE_FIELDS), TRADE_FIELDS);
    const heal: HealProposal = {
      action: 'update',
      record: 'trade',
      key,
      strategy_id: strategy,
      before: change?.before ?? null,
      after: change?.after ?? null,
      row: b,
    };
    settle(out, found, heal, () => true, '');
  }
  for (const [key, s] of som) {
    if (broker.has(key)) continue;
    const strategy = books.strategyOf(s.order_id);
    const d = discrepancy(
      'PHANTOM',
      'trade',
      key,
      strategy,
      { som: pick(s, TRADE_FIELDS), broker: null },
      `som has fill ${key} of order ${s.order_id}; the broker's trade book does not`,
    );
    if (!books.brokerHasOrder(s.order_id)) {
      settle(out, [d], null, () => false, `the broker has no order ${s.order_id} either: left for a person`);
      continue;
    }
    const heal: HealProposal = {
      action: 'remove',
      record: 'trade',
      key,
      strategy_id: strategy,
      before: pick(s, TRADE_FIELDS),
      after: null,
      row: null,
    };
    settle(out, [d], heal, () => true, '');
  }
  return out;
}
