import type { Generated, Insertable, Selectable } from 'kysely';
import type { StrategySettings } from '../domain/strategy-settings.js';

/**
 * The database as kysely sees it. SQLite has no boolean: flags are stored 0/1 and converted
 * at the edge of the store (settings.ts); timestamps are ISO-8601 UTC strings.
 */
export interface Database {
  strategies: StrategiesTable;
  strategy_settings: StrategySettingsTable;
  audit_events: AuditEventsTable;
  audit_retention_unlock: AuditRetentionUnlockTable;
  instruments: InstrumentsTable;
  instrument_downloads: InstrumentDownloadsTable;
  order_intents: OrderIntentsTable;
  orders: OrdersTable;
  trades: TradesTable;
  positions: PositionsTable;
  user_alerts: AlertsTable;
  order_cost_breakdown: OrderCostBreakdownTable;
  oco_groups: OcoGroupsTable;
  housekeeping_events: HousekeepingEventsTable;
  strategy_positions: StrategyPositionsTable;
  position_allocations: PositionAllocationsTable;
  gtts: GttsTable;
  order_execution_analysis: OrderExecutionAnalysisTable;
  held_orders: HeldOrdersTable;
  held_order_responses: HeldOrderResponsesTable;
  brackets: BracketsTable;
  bracket_pairs: BracketPairsTable;
  reconcile_discrepancies: ReconcileDiscrepanciesTable;
  eod_reports: EodReportsTable;
  risk_states: RiskStatesTable;
  risk_breaches: RiskBreachesTable;
  square_off_runs: SquareOffRunsTable;
  square_off_exits: SquareOffExitsTable;
  armed_exits: ArmedExitsTable;
  mis_steps: MisStepsTable;
  pnl_snapshots: PnlSnapshotsTable;
}

export interface StrategiesTable {
  id: Generated<number>;
  name: string;
  profile: string;
  created_at: string;
  total_brokerage_paid: Generated<number>;
  total_taxes_paid: Generated<number>;
  total_margin_blocked: Generated<number>;
  risk_status: Generated<string>;
  last_housekeeping_run: string | null;
  /** P&L booked by housekeeping (expired positions at settlement). */
  realised_pnl: Generated<number>;
}

type Stored<T> = { [K in keyof T]: T[K] extends boolean ? number : T[K] };

export type StrategySettingsTable = { strategy_id: number; updated_at: string } & Stored<StrategySettings>;

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  type: string;
  strategy_id: number | null;
  order_id: string | null;
  payload: string;
  /** The hash chain (src/audit/chain.ts); null only on a row written around som. */
  prev_hash: string | null;
  hash: string | null;
}

/** While a retention prune runs: the last event id it may delete (one row, id 1). */
export interface AuditRetentionUnlockTable {
  id: number;
  through_id: number;
}

export type StrategyRow = Selectable<StrategiesTable>;
export type NewStrategyRow = Insertable<StrategiesTable>;
export type SettingsRow = Selectable<StrategySettingsTable>;

export interface InstrumentsTable {
  instrument_token: number;
  exchange_token: number;
  tradingsymbol: string;
  name: string;
  last_price: number;
  expiry: string | null;
  strike: number;
  tick_size: number;
  lot_size: number;
  instrument_type: string;
  segment: string;
  exchange: string;
}

export interface InstrumentDownloadsTable {
  id: Generated<number>;
  at: string;
  /** The IST trading day the master was downloaded for (YYYY-MM-DD). */
  trading_day: string;
  count: number;
  source: string;
}

export interface OrderIntentsTable {
  tag: string;
  strategy_id: number;
  /** The PlaceOrderRequest as JSON. */
  request: string;
  state: 'pending' | 'placed' | 'failed' | 'unknown';
  order_id: string | null;
  error: string | null;
  attempts: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface OrdersTable {
  order_id: string;
  strategy_id: number;
  source: 'som' | 'external';
  tag: string | null;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  transaction_type: 'BUY' | 'SELL';
  order_type: string;
  product: string;
  variety: string;
  validity: string;
  quantity: number;
  price: number;
  trigger_price: number;
  average_price: number;
  filled_quantity: number;
  pending_quantity: number;
  cancelled_quantity: number;
  status: string;
  status_message: string | null;
  parent_order_id: string | null;
  exchange_order_id: string | null;
  placed_by: string | null;
  order_timestamp: string | null;
  exchange_timestamp: string | null;
  exchange_update_timestamp: string | null;
  /** The broker's last full description of the order (BrokerOrder JSON). */
  broker_json: string;
  pre_execution_analysis_id: number | null;
  cost_breakdown_id: number | null;
  is_orphaned: Generated<number>;
  orphaned_reason: string | null;
  parent_position_id: number | null;
  created_at: string;
  updated_at: string;
  /** entry, stop, target or exit, judged from the current state (role_reason says how); null until judged. */
  role: 'entry' | 'stop' | 'target' | 'exit' | null;
  role_reason: string | null;
  oco_group_id: number | null;
  orphan_detected_at: string | null;
  orphan_action: string | null;
  archived_at: string | null;
  /** How much of filled_quantity is already in the strategies' shares (strategy_positions). */
  allocated_quantity: Generated<number>;
  /** Failed attempts to cancel or reduce it as an orphan, the next attempt's time, the last error. */
  cleanup_attempts: Generated<number>;
  cleanup_next_at: string | null;
  cleanup_last_error: string | null;
}

export interface TradesTable {
  trade_id: string;
  order_id: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  transaction_type: 'BUY' | 'SELL';
  quantity: number;
  average_price: number;
  exchange_order_id: string | null;
  fill_timestamp: string | null;
  exchange_timestamp: string | null;
  recorded_at: string;
}

export interface PositionsTable {
  id: Generated<number>;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  quantity: number;
  overnight_quantity: number;
  multiplier: number;
  average_price: number;
  last_price: number;
  pnl: number;
  realised: number;
  unrealised: number;
  m2m: number;
  buy_quantity: number;
  sell_quantity: number;
  broker_json: string;
  updated_at: string;
  archived_at: Generated<string | null>;
  settlement_pnl: Generated<number | null>;
}

export interface AlertsTable {
  id: Generated<number>;
  at: string;
  type: string;
  priority: 'low' | 'normal' | 'high' | 'critical';
  strategy_id: number | null;
  order_id: string | null;
  title: string;
  message: string;
  payload: Generated<string>;
  dedupe_key: string | null;
  read_at: string | null;
  resolved_at: string | null;
}

export interface OrderCostBreakdownTable {
  id: Generated<number>;
  kind: 'estimate' | 'actual';
  strategy_id: number;
  tag: string | null;
  order_id: string | null;
  /** The IST trading date whose charge schedule was used (YYYY-MM-DD). */
  trade_date: string;
  exchange: string;
  tradingsymbol: string;
  side: 'BUY' | 'SELL';
  product: string;
  quantity: number;
  price: number;
  order_value: number;
  brokerage: number;
  transaction_tax: number;
  transaction_tax_type: string;
  exchange_turnover_charge: number;
  sebi_turnover_charge: number;
  stamp_duty: number;
  gst: number;
  total: number;
  margin_required: number | null;
  margin_available: number | null;
  created_at: string;
  updated_at: string;
}

export interface OcoGroupsTable {
  id: Generated<number>;
  strategy_id: number;
  created_at: string;
  created_by: 'som' | 'user';
  closed_at: string | null;
  closed_reason: string | null;
}

export interface HousekeepingEventsTable {
  id: Generated<number>;
  at: string;
  job: string;
  strategy_id: number | null;
  order_id: string | null;
  action: string;
  reason: string | null;
  result: string;
  duration_ms: number | null;
  detail: Generated<string>;
}

/** A strategy's share of the account's net position (src/domain/position-shares.ts). */
export interface StrategyPositionsTable {
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  /** Signed. */
  quantity: number;
  /** Grows each time a share grows away from zero: orders strategies last in, first out. */
  entry_seq: number;
  updated_at: string;
}

/** Every move of a share, with the fill (order and price) or the adoption that caused it. */
export interface PositionAllocationsTable {
  id: Generated<number>;
  at: string;
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number;
  /** The fill's price (the order's average over the newly filled quantity); null for an adoption. */
  price: number | null;
  order_id: string | null;
  reason: 'own' | 'adds' | 'hand-exit' | 'reversal' | 'adopted';
  explanation: string;
}

/** A GTT trigger as the broker last described it, with som's judgement of it. */
export interface GttsTable {
  gtt_id: number;
  strategy_id: number;
  type: 'single' | 'two-leg';
  status: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  transaction_type: 'BUY' | 'SELL';
  quantity: number;
  /** JSON array of trigger prices. */
  trigger_values: string;
  /** The last price when the GTT was created (Kite's condition.last_price). */
  last_price: number;
  broker_json: string;
  /** JSON array: the role of each leg (stop or target; entry for a GTT that opens a position). */
  roles: string;
  role_reason: string | null;
  is_orphaned: Generated<number>;
  orphaned_reason: string | null;
  orphan_detected_at: string | null;
  orphan_action: string | null;
  cleanup_attempts: Generated<number>;
  cleanup_next_at: string | null;
  cleanup_last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** One market analysis: the depth it used and what it judged (src/execution/analyze.ts). */
export interface OrderExecutionAnalysisTable {
  id: Generated<number>;
  at: string;
  /** What it was made for: a look (`analyze`, `spread`, `impact`), a trade (`preview`, `trade`, `recheck`) or a plain order (`place`). */
  purpose: 'analyze' | 'spread' | 'impact' | 'preview' | 'trade' | 'recheck' | 'place';
  strategy_id: number | null;
  /** The tag of the order it was made for, before the broker gave it an id. */
  tag: string | null;
  order_id: string | null;
  exchange: string;
  tradingsymbol: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  product: string | null;
  instrument_class: string | null;
  /** `ticks` or `quote`; null when no depth could be had. */
  depth_source: string | null;
  depth_at: string | null;
  /** The five levels a side used (JSON {buy, sell}). */
  depth: string | null;
  last_price: number | null;
  bid: number | null;
  ask: number | null;
  arrival_mid: number | null;
  spread_abs: number | null;
  spread_pct: number | null;
  spread_ticks: number | null;
  spread_category: string | null;
  impact_status: string | null;
  impact_vwap: number | null;
  impact_bps: number | null;
  impact_bps_vs_touch: number | null;
  levels_used: number | null;
  impact_filled_quantity: number | null;
  impact_unfilled_quantity: number | null;
  slippage: number | null;
  liquidity_score: number | null;
  liquidity_category: string | null;
  decision: 'EXECUTE_MARKET' | 'EXECUTE_LIMIT' | 'ALERT_USER_HIGH_COST' | 'REQUIRE_APPROVAL' | null;
  hold: number | null;
  limit_price: number | null;
  /** JSON array of {code, message}. */
  reasons: Generated<string>;
  /** JSON: the strategy's lines the analysis was judged by. */
  settings: Generated<string>;
  /** JSON: the whole analysis (limit price bounds, price bands, liquidity components). */
  analysis: string | null;
  /** Why no analysis could be made (a crossed or empty book, no depth in time). */
  error_code: string | null;
  error_message: string | null;
}

/** An order, or a whole basket, held for the user's answer. */
export interface HeldOrdersTable {
  id: Generated<number>;
  created_at: string;
  strategy_id: number;
  state: 'held' | 'cancelled' | 'expired' | 'sent' | 'failed';
  /** JSON: the trade as asked (legs, bracket). */
  trade: string;
  /** The most severe decision of the legs when last asked. */
  decision: string;
  /** JSON array: the analysis of each leg the user was last shown. */
  analysis_ids: string;
  /** The alert that asks now. */
  alert_id: number | null;
  /** When the user was last asked, and when that question lapses. */
  asked_at: string;
  expires_at: string;
  times_asked: Generated<number>;
  outcome: string | null;
  /** JSON array of the orders sent for it. */
  order_ids: Generated<string>;
  updated_at: string;
}

/** Every answer to a held order: which, when, and how long after the question. */
export interface HeldOrderResponsesTable {
  id: Generated<number>;
  held_order_id: number;
  alert_id: number | null;
  at: string;
  choice: 'cancel' | 'limit' | 'proceed';
  response_ms: number;
  outcome: string;
}

/** An entry som protects with an OCO stop and target as it fills. */
export interface BracketsTable {
  id: Generated<number>;
  created_at: string;
  strategy_id: number;
  entry_tag: string;
  exchange: string;
  tradingsymbol: string;
  product: string;
  /** The entry's side. */
  side: 'BUY' | 'SELL';
  quantity: number;
  stop: number;
  target: number;
  state: 'open' | 'done';
  closed_reason: string | null;
  updated_at: string;
}

/** One OCO pair placed for a bracket: the quantity it protects and its two orders' tags. */
export interface BracketPairsTable {
  id: Generated<number>;
  bracket_id: number;
  quantity: number;
  stop_tag: string;
  target_tag: string;
  oco_group_id: number | null;
  grows: Generated<number>;
  /** The user was told this pair could not protect its quantity. */
  alerted: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** A difference the last full reconciliation round found, and how long it has lasted. */
export interface ReconcileDiscrepanciesTable {
  /** The discrepancy's id: `KIND:record:key`. */
  id: string;
  first_seen: string;
  last_seen: string;
  /** Consecutive rounds that found it. */
  rounds: number;
  escalated_at: string | null;
}

/** A trading day's end-of-day report, as `som report eod --json` prints it. */
export interface EodReportsTable {
  trading_day: string;
  generated_at: string;
  /** The report as JSON. */
  report: string;
}

/** The trading state of a strategy (`strategy:<id>`) or of the account (`account`). */
export interface RiskStatesTable {
  scope: string;
  strategy_id: number | null;
  state: 'ACTIVE' | 'REDUCING' | 'HALTED';
  reason: string | null;
  trading_day: string;
  since: string;
  /** JSON array of the loss limits a forced resume acknowledged on `trading_day`. */
  acknowledged: Generated<string>;
  note: string | null;
  /** JSON array: the limits as last evaluated. */
  limits: Generated<string>;
  /** The largest margin the strategy blocked on `margin_basis_day`, rupees. */
  margin_basis: Generated<number>;
  margin_basis_day: string | null;
  updated_at: string;
}

/** A limit that reached its warning level or breached, and what som did. */
export interface RiskBreachesTable {
  id: Generated<number>;
  at: string;
  trading_day: string;
  /** null: the account. */
  strategy_id: number | null;
  limit_key: string;
  level: 'warn' | 'breach';
  limit_value: number;
  value: number;
  subject: string | null;
  action: string;
  square_off_run_id: number | null;
}

/** One square-off of a strategy's positions (all, or those in `products` and `exchanges`). */
export interface SquareOffRunsTable {
  id: Generated<number>;
  strategy_id: number;
  cause: 'loss_limit' | 'kill_switch' | 'mis_start' | 'mis_force';
  /** JSON array of products, or null for every product. */
  products: string | null;
  /** JSON array of exchanges, or null for every exchange. */
  exchanges: string | null;
  started_at: string;
  /** From here on unfilled exits are escalated. */
  escalate_at: string;
  status: 'running' | 'done';
  finished_at: string | null;
  note: string | null;
}

/** An exit order a square-off recorded before sending it, by its tag. */
export interface SquareOffExitsTable {
  tag: string;
  run_id: number;
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  transaction_type: 'BUY' | 'SELL';
  order_type: string;
  quantity: number;
  price: number | null;
  state: 'intent' | 'sent' | 'unknown' | 'failed';
  order_id: string | null;
  /** Modifications sent so far (Kite allows 25 an order). */
  modifications: Generated<number>;
  error: string | null;
  created_at: string;
  /** Placement or last modification: the re-price clock. */
  updated_at: string;
}

/**
 * The tag an open position's first exit will carry if its strategy's loss limit squares it off:
 * recorded while the position is open, so the breach sends that exit without a write before it.
 */
export interface ArmedExitsTable {
  tag: string;
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  armed_at: string;
}

/** An MIS timetable step taken on a day. */
export interface MisStepsTable {
  date: string;
  segment: 'equity' | 'fno' | 'currency' | 'commodity';
  step: 'warn' | 'start' | 'force';
  taken_at: string;
  summary: string;
}

/** P&L of a strategy (or the account: strategy_id null) at an instant, with its Greeks and their inputs. */
export interface PnlSnapshotsTable {
  id: Generated<number>;
  at: string;
  trading_day: string;
  strategy_id: number | null;
  trigger: 'interval' | 'fill' | 'manual';
  realised: number;
  unrealised: number;
  charges: number;
  net: number;
  margin_used: number | null;
  open_orders: number;
  /** JSON array of positions with their P&L. */
  positions: string;
  /** JSON: {positions (each with the inputs it was valued on), net, skipped}. */
  greeks: string;
  net_delta: number;
  net_gamma: number;
  net_theta: number;
  net_vega: number;
}
