import { type BrokerPosition, brokerPositionSchema } from '../domain/order.js';
import { changedFields, discrepancy, type Findings, type HealProposal, pick, settle } from './findings.js';
import type { Discrepancy, SomPosition } from './types.js';

/**
 * som's net positions against the broker's, by exchange, tradingsymbol and product.
 * Positions are the account's: their discrepancies belong to no strategy.
 *
 * - MISSING: the broker lists a position som has no row for (even a flat one: it carries the
 *   day's realised P&L). Adopt it.
 * - PHANTOM: som holds a non-zero position the broker does not list. Close it (quantity 0),
 *   as a refresh does for a position the broker stops listing. A flat row som keeps from an
 *   earlier day is no discrepancy.
 * - Both: QTY_MISMATCH (quantity, overnight, bought or sold quantity), PRICE_DISCREPANCY
 *   (average price beyond the tolerance, while the position is open). Adopt the broker's.
 */

const TERMS = ['quantity', 'overnight_quantity', 'buy_quantity', 'sell_quantity'] as const;
const POSITION_FIELDS = [
  'exchange',
  'tradingsymbol',
  'product',
  ...TERMS,
  'average_price',
] as const satisfies readonly (keyof BrokerPosition)[];

const BROKER_POSITION_KEYS = Object.keys(brokerPositionSchema.shape) as (keyof BrokerPosition)[];

/** The broker's description within som's row (a stored row carries som's own columns too). */
const asBrokerPosition = (p: SomPosition): BrokerPosition =>
  Object.fromEntries(BROKER_POSITION_KEYS.map((k) => [k, p[k]])) as BrokerPosition;

/** A position's key: `EXCHANGE:TRADINGSYMBOL:PRODUCT`. */
export const positionKey = (p: Pick<BrokerPosition, 'exchange' | 'tradingsymbol' | 'product'>) =>
  `${p.exchange}:${p.tradingsymbol}:${p.product}`;

/** Compare the net positions (see the module comment). */
export function reconcilePositions(
  som: readonly SomPosition[],
  broker: readonly BrokerPosition[],
  priceTolerance: number,
): Findings {
  const out: Findings = { discrepancies: [], heals: [] };
  const mine = new Map(som.map((p) => [positionKey(p), p]));
  const theirs = new Map(broker.map((p) => [positionKey(p), p]));
  for (const [key, b] of theirs) {
    const s = mine.get(key);
    if (!s) {
      const d = discrepancy(
        'MISSING',
        'position',
        key,
        null,
        { som: null, broker: pick(b, POSITION_FIELDS) },
        `the broker has position ${key} (${b.quantity}); som does not`,
      );
      const heal: HealProposal = {
        action: 'adopt',
        record: 'position',
        key,
        strategy_id: null,
        before: null,
        after: pick(b, POSITION_FIELDS),
        row: b,
      };
      settle(out, [d], heal, () => true, '');
      continue;
    }
    const found: Discrepancy[] = [];
    if (TERMS.some((f) => s[f] !== b[f])) {
      found.push(
        discrepancy(
          'QTY_MISMATCH',
          'position',
          key,
          null,
          { som: pick(s, TERMS), broker: pick(b, TERMS) },
          `position ${key}: som holds ${s.quantity}, the broker ${b.quantity}`,
        ),
      );
    }
    if (b.quantity !== 0 && Math.abs(s.average_price - b.average_price) > priceTolerance) {
      found.push(
        discrepancy(
          'PRICE_DISCREPANCY',
          'position',
          key,
          null,
          { som: { average_price: s.average_price }, broker: { average_price: b.average_price } },
          `position ${key}: som's average price ${s.average_price}, the broker's ${b.average_price}`,
        ),
      );
    }
    if (found.length === 0) continue;
    const change = changedFields(pick(s, POSITION_FIELDS), pick(b, POSITION_FIELDS), POSITION_FIELDS);
    const heal: HealProposal = {
      action: 'update',
      record: 'position',
      key,
      strategy_id: null,
      before: change?.before ?? null,
      after: change?.after ?? null,
      row: b,
    };
    settle(out, found, heal, () => true, '');
  }
  for (const [key, s] of mine) {
    if (theirs.has(key) || s.quantity === 0) continue;
    const d = discrepancy(
      'PHANTOM',
      'position',
      key,
      null,
      { som: pick(s, POSITION_FIELDS), broker: null },
      `som holds position ${key} (${s.quantity}); the broker does not`,
    );
    const heal: HealProposal = {
      action: 'close',
      record: 'position',
      key,
      strategy_id: null,
      before: { quantity: s.quantity },
      after: { quantity: 0 },
      row: { ...asBrokerPosition(s), quantity: 0 },
    };
    settle(out, [d], heal, () => true, '');
  }
  return out;
}
