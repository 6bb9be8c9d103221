import type { BrokerOrder, BrokerPosition, BrokerTrade } from '../domain/order.js';

/**
 * The data reconciliation works on and the decisions it returns. som's side is its store's
 * rows; the broker's side is what its REST API returns now (GET /orders, /trades,
 * /portfolio/positions), with Kite's field names on both.
 */

/** An order as som stores it: the broker's last description and the strategy it belongs to. */
export type SomOrder = BrokerOrder & { strategy_id: number };
/** A fill as som stores it. */
export type SomTrade = BrokerTrade;
/** A net position as som stores it. */
export type SomPosition = BrokerPosition;

export interface Books {
  orders: readonly BrokerOrder[];
  trades: readonly BrokerTrade[];
  positions: readonly BrokerPosition[];
}

export interface SomBooks {
  orders: readonly SomOrder[];
  trades: readonly SomTrade[];
  positions: readonly SomPosition[];
}

export const DISCREPANCY_KINDS = [
  'QTY_MISMATCH',
  'MISSING',
  'PHANTOM',
  'PRICE_DISCREPANCY',
  'STATUS_MISMATCH',
] as const;
/**
 * - QTY_MISMATCH: both have it, a quantity differs;
 * - MISSING: the broker has it, som does not;
 * - PHANTOM: som has it, the broker does not;
 * - PRICE_DISCREPANCY: an average price differs by more than the tolerance (an order's is
 *   checked against the broker's trade book);
 * - STATUS_MISMATCH: both have the order, its status differs.
 */
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/**
 * order, trade, position: the broker's records and som's copies; shares: the strategies'
 * shares of a position (src/domain/position-shares.ts) against the broker's quantity.
 */
export type RecordKind = 'order' | 'trade' | 'position' | 'shares';

/** The fields of one side that a discrepancy is about (null: that side has no such record). */
export type Fields = Record<string, string | number | null>;

export interface Discrepancy {
  /** `KIND:record:key`: the same difference has the same id in every round. */
  id: string;
  kind: DiscrepancyKind;
  record: RecordKind;
  /** order_id; `EXCHANGE:trade_id`; `EXCHANGE:TRADINGSYMBOL:PRODUCT` (positions and shares). */
  key: string;
  /** The strategy it belongs to (som's row, else the broker order's tag); null: the account's. */
  strategy_id: number | null;
  som: Fields | null;
  broker: Fields | null;
  message: string;
  /** The heal that resolves it (its id in `heals`), or null. */
  heal: string | null;
  /** Why it is not healed automatically (null when `heal` is set). */
  unhealed: string | null;
}

/**
 * One change som makes to its own books to agree with the broker's. Never an order: a heal
 * only rewrites som's records.
 * - adopt: store the broker's record som lacks;
 * - update: replace som's record with the broker's;
 * - close: som's order or position the broker does not have is recorded as ended (an order:
 *   terminal, nothing pending; a position: quantity 0);
 * - remove: som's fill the broker's trade book does not have is deleted.
 */
export type HealAction = 'adopt' | 'update' | 'close' | 'remove';

interface HealBase {
  /** `record:key`. */
  id: string;
  record: RecordKind;
  key: string;
  strategy_id: number | null;
  /** The fields that change, before and after (before null when adopting, after null when removing). */
  before: Fields | null;
  after: Fields | null;
  /** The discrepancies it resolves. */
  resolves: string[];
}

export type Heal =
  | (HealBase & { record: 'order'; action: 'adopt' | 'update' | 'close'; row: BrokerOrder })
  | (HealBase & { record: 'trade'; action: 'adopt' | 'update'; row: BrokerTrade })
  | (HealBase & { record: 'trade'; action: 'remove'; row: null })
  | (HealBase & { record: 'position'; action: 'adopt' | 'update' | 'close'; row: BrokerPosition });

export interface Reconciliation {
  discrepancies: Discrepancy[];
  heals: Heal[];
  /** Discrepancies per kind (every kind present, 0 when none). */
  counts: Record<DiscrepancyKind, number>;
}
