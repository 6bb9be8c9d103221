/**
 * The end-of-day report: what a trading day did per strategy (fills, P&L, charges), what som
 * looked after (orphans, alerts, reconciliation), what is carried into the next day, and the
 * day's success metrics. Rupees are plain unrounded numbers, as Kite computes them; instants
 * are UTC ISO strings.
 */

/** The charges of fills, by kind, in the shape of Kite's charges API (gst is its total). */
export interface ChargesByKind {
  brokerage: number;
  /** STT or CTT. */
  transaction_tax: number;
  /** With NSE's IPFT levy, as on the contract note. */
  exchange_turnover_charge: number;
  sebi_turnover_charge: number;
  stamp_duty: number;
  gst: number;
  total: number;
}

/** One fill of a strategy: its share of an order's fill (a hand exit may be shared out). */
export interface EodFill {
  at: string;
  order_id: string | null;
  exchange: string;
  tradingsymbol: string;
  product: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  /** null: quantity the broker reported and no fill explained, adopted at the day's basis. */
  price: number | null;
}

/** A strategy's day in one instrument and product, as Kite reckons a day position. */
export interface EodInstrument {
  exchange: string;
  tradingsymbol: string;
  product: string;
  /** Carried in from the previous day (signed), valued at the previous close. */
  opening_quantity: number;
  /** The previous close: the day's basis for what was carried in. */
  basis_price: number;
  buy_quantity: number;
  buy_value: number;
  sell_quantity: number;
  sell_value: number;
  /** At the close (signed). */
  closing_quantity: number;
  last_price: number;
  multiplier: number;
  realised: number;
  unrealised: number;
}

export interface EodStrategy {
  strategy_id: number;
  strategy: string;
  trades: EodFill[];
  instruments: EodInstrument[];
  realised: number;
  unrealised: number;
  /** realised + unrealised. */
  gross: number;
  charges: ChargesByKind;
  /** gross - charges. */
  net: number;
}

export interface EodTotals {
  trades: number;
  realised: number;
  unrealised: number;
  gross: number;
  charges: ChargesByKind;
  net: number;
}

/** An order (or GTT leg) protecting a carried position. */
export interface EodProtection {
  kind: 'order' | 'gtt';
  order_id: string;
  role: string;
  order_type: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: number | null;
  trigger_price: number | null;
}

/** A strategy's open position at the close, carried into the next day, with what protects it. */
export interface EodCarried {
  strategy_id: number;
  strategy: string;
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number;
  protection: EodProtection[];
}

export interface EodOrphan {
  at: string;
  strategy: string | null;
  order_id: string;
  reason: string | null;
  action: string;
  result: string;
}

export interface EodAlert {
  at: string;
  type: string;
  priority: string;
  strategy: string | null;
  title: string;
}

export interface EodReconciliation {
  /** Rounds run that day (job `reconcile`). */
  rounds: number;
  found: number;
  healed: number;
  unhealed: number;
  /** Discrepancies found per kind over the day's rounds. */
  counts: Record<string, number>;
  /** What the last round of the day left unhealed (ids). */
  unhealed_at_close: string[];
}

export interface EodOrders {
  /** som's record of the day's orders (every source). */
  total: number;
  /** Found in the broker's order book as read at the end of day; null when it was not read. */
  matched: number | null;
  /** The day's orders som holds and the broker's book does not. */
  unmatched: string[];
  /** Completed orders archived by this run. */
  archived: number;
}

/** One of som's success metrics for the day: the figure, its target and whether the day met it. */
export interface EodMetric {
  value: number | null;
  target: number;
  met: boolean | null;
  detail: string;
}

export interface EodMetrics {
  /** % of som's orders of the day with a pre-trade cost breakdown. */
  cost_breakdown_coverage: EodMetric;
  /** % agreement of the pre-trade required margin with what the broker blocked after the fill. */
  margin_accuracy: EodMetric;
  /** Position-order discrepancies left at the end of day. */
  discrepancies_at_eod: EodMetric;
}

export interface M2mPoint {
  at: string;
  /** Net P&L (realised + unrealised - charges) at that moment. */
  pnl: number;
}

export interface M2mSeries {
  strategy_id: number;
  strategy: string;
  points: M2mPoint[];
}

export interface EodReport {
  trading_day: string;
  generated_at: string;
  /** Built on request before (or without) the day's end-of-day run: not stored, orders not archived. */
  preliminary: boolean;
  strategies: EodStrategy[];
  totals: EodTotals;
  orphans: EodOrphan[];
  alerts: EodAlert[];
  /** Alerts of the risk engine's breaches (type RISK_...), when any were raised. */
  risk_breaches: EodAlert[];
  reconciliation: EodReconciliation;
  orders: EodOrders;
  carried: EodCarried[];
  metrics: EodMetrics;
  /** The day's M2M: from P&L snapshots where som took them, else reckoned at each fill. */
  m2m: { source: 'snapshots' | 'fills'; series: M2mSeries[] };
}
