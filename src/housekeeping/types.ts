/**
 * The data the housekeeping rules work on. The daemon gathers it (from the store and the
 * broker) and carries out the decisions the rules return; the rules themselves do no I/O.
 *
 * Field names follow Kite's where the value is Kite's (see src/domain/order.ts); the rest are
 * som's own columns (strategy, role, OCO group, parent position).
 */

/**
 * What an order is for:
 * - `entry` opens or adds to a position;
 * - `stop` (SL, SL-M) and `target` (a resting LIMIT) are protective exits on the other side of
 *   a position, or of the entry working to open one;
 * - `exit` closes a position now (a MARKET order, or a LIMIT at or through the market when it
 *   was placed): the user's own exit, which housekeeping never touches.
 */
export type OrderRole = 'entry' | 'stop' | 'target' | 'exit';

/** The roles that protect a position: the ones the orphan rules judge. */
export type ProtectiveRole = 'stop' | 'target';

/** A GTT (good-till-triggered) leg seen as a protective order: Kite fires an order when the trigger is touched. */
export interface HkGttLeg {
  /** Kite's trigger id. */
  id: number;
  /** `single`: one trigger; `two-leg`: Kite's OCO, a stop and a target in one GTT. */
  type: 'single' | 'two-leg';
  /** Which leg of a two-leg GTT (0: the lower trigger), 0 for a single. */
  leg: 0 | 1;
}

/** An order as the housekeeping rules see it. */
export interface HkOrder {
  order_id: string;
  strategy_id: number;
  source: 'som' | 'external';
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  transaction_type: 'BUY' | 'SELL';
  order_type: string;
  variety: string;
  status: string;
  quantity: number;
  filled_quantity: number;
  pending_quantity: number;
  price: number;
  trigger_price: number;
  average_price: number;
  /** ISO instant (UTC) of placement or last modification, as Kite moves it; null if unknown. */
  order_timestamp: string | null;
  /**
   * null: not judged yet. `judgeRoles` decides it from the current state and judges it again
   * on every change until it is protective (or an exit): a protective order stays protective
   * for its life, and is an orphan once nothing is left for it to protect.
   */
  role: OrderRole | null;
  /** Kite's tags on the order (`mktp` marks a MARKET order Kite placed as a protected LIMIT). */
  tags?: readonly string[];
  /** A GTT leg (its order_id is `gtt:ID:LEG`), or null for an order. */
  gtt?: HkGttLeg | null;
  oco_group_id: number | null;
  parent_position_id: number | null;
}

/** A strategy's share of the account's net position in one instrument and product (src/domain/position-shares.ts). */
export interface HkPosition {
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  /** Signed: positive long, negative short. */
  quantity: number;
  /** The account position row (positions.id) this lies in, if there is one. */
  position_id: number | null;
}

/**
 * The per-strategy settings the housekeeping rules read. A strategy's full settings object
 * (src/domain/strategy-settings.ts, once it carries the aging and overfill keys) fits this
 * shape as it is.
 */
export interface HkSettings {
  /** Cancel orphaned protective orders automatically (else report them). */
  auto_cleanup_enabled: boolean;
  /** Cancel stop-loss orders whose position has closed. */
  cleanup_sl_on_exit: boolean;
  /** Cancel target orders whose position has closed. */
  cleanup_target_on_exit: boolean;
  /** Strict mode off: detect and report orphans, never cancel or modify. */
  allow_orphaned_orders: boolean;
  /** Raise a user alert for each orphan detected. */
  notify_on_orphan_detection: boolean;
  /** Notify about an open order at least this many minutes old (<= 0: never). */
  order_age_notify_minutes: number;
  /** Cancel an open order at least this many minutes old, if `cancel_aged_orders` (<= 0: never). */
  order_age_cancel_minutes: number;
  cancel_aged_orders: boolean;
  /** Mark an order still open after this many hours as stale and archive it (<= 0: never). */
  order_age_archive_hours: number;
  /** Place an order that flattens the unwanted position when both legs of an OCO group fill. */
  flatten_on_overfill: boolean;
}

/** Why an order is orphaned (recorded with each detection). */
export type OrphanReason = 'POSITION_CLOSED' | 'EXCESS_QUANTITY' | 'INSTRUMENT_EXPIRED' | 'OCO_FILLED' | 'MANUAL';

/** Why som cancels an open order: an orphan's reason, or its age (order aging, where the strategy allows). */
export type CleanupReason = OrphanReason | 'AGED';

/**
 * What to do with an order. `reduce` carries the order's new TOTAL quantity, as Kite's modify
 * takes it (filled quantity plus what should still be pending); Kite refuses a quantity at or
 * below the filled quantity, so a reduce always leaves something pending.
 */
export type OrphanCorrection = { kind: 'cancel' } | { kind: 'reduce'; quantity: number };

/** The action after the strategy's settings: the correction, or only a report. */
export type OrphanAction = OrphanCorrection | { kind: 'report' };

/** One orphaned order and what to do about it. */
export interface OrphanDetection {
  order_id: string;
  strategy_id: number;
  reason: CleanupReason;
  /** The account position row the order belonged to (its recorded one, else its position's). */
  parent_position_id: number | null;
  /** What the settings allow: the correction, or `report` when they forbid acting. */
  action: OrphanAction;
  /** What the rule calls for whatever the settings say (for `som orphans cleanup --force` and `--dry-run`). */
  proposed: OrphanCorrection;
  /** Raise a user alert (the strategy's notify_on_orphan_detection). */
  notify: boolean;
  explanation: string;
  /** The `now` the detection was made at, ISO instant. */
  detected_at: string;
  /** The GTT leg, when the orphan is a GTT (cancelling it deletes the GTT; reducing modifies it). */
  gtt: HkGttLeg | null;
}
