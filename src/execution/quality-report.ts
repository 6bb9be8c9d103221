import type { TransactionType } from '../domain/values.js';
import { EXECUTION_DECISIONS, type ExecutionDecision } from './decision.js';
import type { LiquidityCategory } from './liquidity.js';
import { fillQuality } from './quality.js';

/**
 * Execution quality over a period: how the orders som sent filled against what their analysis
 * expected, and how the user answered held orders, against the success metrics smart execution
 * is held to.
 */

/** The targets (the specification's success metrics); a report says whether each is met. */
export const QUALITY_TARGETS = {
  /** Average slippage against the arrival mid, liquid instruments: under 0.2% (20 bps). */
  liquid_slippage_bps: 20,
  /** Share of filled orders at the predicted VWAP or better: 95%. */
  at_expected_or_better_pct: 95,
  /** Share of held orders the user answered before they expired: above 80%. */
  alert_response_pct: 80,
} as const;

/** Liquidity categories counted as liquid for the slippage target. */
export const LIQUID_CATEGORIES: readonly LiquidityCategory[] = ['HIGH'];

/** One analysis made for an order som was asked to send, with the order it became (if any). */
export interface QualityInput {
  analysis_id: number;
  /**
   * The first analysis of the order som was asked to send (false: the re-check made when the user
   * answered a held order, which the order was then sent on: its fill is judged against it, but
   * the order is not counted among the decisions twice).
   */
  first: boolean;
  at: string;
  strategy: string | null;
  exchange: string;
  tradingsymbol: string;
  side: TransactionType;
  quantity: number;
  /** Null: no analysis could be made (a crossed or empty book, no depth in time). */
  decision: ExecutionDecision | null;
  error_code: string | null;
  liquidity_category: LiquidityCategory | null;
  bid: number | null;
  ask: number | null;
  arrival_mid: number | null;
  predicted_vwap: number | null;
  order: {
    order_id: string;
    order_type: string;
    price: number;
    status: string;
    filled_quantity: number;
    average_price: number;
  } | null;
}

/** A held order as the report counts it. */
export interface HeldInput {
  state: 'held' | 'cancelled' | 'expired' | 'sent' | 'failed';
  /** Milliseconds from the question to the first answer; null when never answered. */
  first_response_ms: number | null;
}

export interface OrderQuality {
  analysis_id: number;
  order_id: string;
  at: string;
  strategy: string | null;
  symbol: string;
  side: TransactionType;
  order_type: string;
  decision: ExecutionDecision;
  liquidity: LiquidityCategory | null;
  filled_quantity: number;
  average_price: number;
  arrival_mid: number;
  predicted_vwap: number | null;
  vs_arrival_bps: number;
  vs_predicted_bps: number | null;
  at_expected_or_better: boolean | null;
  liquid: boolean;
}

export interface QualityReport {
  /** Orders som was asked to send in the period (first analyses of `som trade` and `som order place`). */
  analysed: number;
  decisions: Record<ExecutionDecision, number>;
  /** Analyses refused (unreadable book, no depth), by their code. */
  refused: Record<string, number>;
  /** Filled orders sent for immediate execution (MARKET, or a LIMIT at or through the touch when analysed). */
  filled: number;
  /** Orders that rested on the book or waited for a trigger: not counted in slippage. */
  resting: number;
  slippage: {
    liquid: { count: number; avg_bps: number | null; target_bps: number; met: boolean | null };
    all: { count: number; avg_bps: number | null };
  };
  at_expected_or_better: { count: number; of: number; pct: number | null; target_pct: number; met: boolean | null };
  alert_response: {
    held: number;
    answered: number;
    expired: number;
    open: number;
    pct: number | null;
    target_pct: number;
    met: boolean | null;
    median_response_ms: number | null;
  };
  /** Actual average fill against the predicted VWAP, bps (cost positive): mean and mean of the absolute. */
  prediction_error: { count: number; mean_bps: number | null; mean_abs_bps: number | null };
  orders: OrderQuality[];
}

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * A MARKET order, or a LIMIT at or through the touch when analysed (a BUY at or above the ask, a
 * SELL at or below the bid): an order meant to fill now, whose fill says something about the
 * prediction. A resting LIMIT or a stop fills later, at a price the book then offered.
 */
export function forImmediateExecution(
  input: Pick<QualityInput, 'side' | 'bid' | 'ask'>,
  order: { order_type: string; price: number },
): boolean {
  if (order.order_type === 'MARKET') return true;
  if (order.order_type !== 'LIMIT' || input.bid === null || input.ask === null) return false;
  return input.side === 'BUY' ? order.price >= input.ask : order.price <= input.bid;
}

/**
 * The report over `inputs` (one per order som was asked to send) and `held` (the period's held
 * orders).
 *
 * - slippage: each filled immediate order's average fill against the arrival mid, bps, cost
 *   positive (a BUY above the mid, a SELL below it); averaged over the liquid ones
 *   ({@link LIQUID_CATEGORIES} at analysis) against {@link QUALITY_TARGETS}.liquid_slippage_bps,
 *   and over all;
 * - at the expected price or better: the fill at or better than the predicted VWAP;
 * - alert response: held orders answered (any choice) before they expired, over those answered
 *   or expired (still open ones are not yet counted);
 * - prediction error: the fill against the predicted VWAP, bps.
 * A target with nothing to judge it on is `met: null`.
 */
export function qualityReport(inputs: readonly QualityInput[], held: readonly HeldInput[]): QualityReport {
  const decisions = Object.fromEntries(EXECUTION_DECISIONS.map((d) => [d, 0])) as Record<ExecutionDecision, number>;
  const refused: Record<string, number> = {};
  const orders: OrderQuality[] = [];
  let resting = 0;
  for (const input of inputs) {
    if (!input.first) {
      // Counted with its first analysis.
    } else if (input.decision === null) {
      const code = input.error_code ?? 'UNKNOWN';
      refused[code] = (refused[code] ?? 0) + 1;
    } else {
      decisions[input.decision]++;
    }
    const order = input.order;
    if (!order || order.filled_quantity <= 0 || input.decision === null || input.arrival_mid === null) continue;
    if (!forImmediateExecution(input, order)) {
      resting++;
      continue;
    }
    const q = fillQuality({
      side: input.side,
      average_price: order.average_price,
      filled_quantity: order.filled_quantity,
      multiplier: 1,
      arrival_mid: input.arrival_mid,
      predicted_vwap: input.predicted_vwap,
    });
    const liquid = input.liquidity_category !== null && LIQUID_CATEGORIES.includes(input.liquidity_category);
    orders.push({
      analysis_id: input.analysis_id,
      order_id: order.order_id,
      at: input.at,
      strategy: input.strategy,
      symbol: `${input.exchange}:${input.tradingsymbol}`,
      side: input.side,
      order_type: order.order_type,
      decision: input.decision,
      liquidity: input.liquidity_category,
      filled_quantity: order.filled_quantity,
      average_price: order.average_price,
      arrival_mid: input.arrival_mid,
      predicted_vwap: input.predicted_vwap,
      vs_arrival_bps: q.vs_arrival_bps,
      vs_predicted_bps: q.vs_predicted_bps,
      at_expected_or_better: q.at_expected_or_better,
      liquid,
    });
  }
  const liquidBps = orders.filter((o) => o.liquid).map((o) => o.vs_arrival_bps);
  const liquidAvg = mean(liquidBps);
  const predicted = orders.filter((o) => o.vs_predicted_bps !== null);
  const better = predicted.filter((o) => o.at_expected_or_better === true).length;
  const betterPct = predicted.length === 0 ? null : (better / predicted.length) * 100;
  const errors = predicted.map((o) => o.vs_predicted_bps!);

  const answered = held.filter((h) => h.first_response_ms !== null);
  const expired = held.filter((h) => h.state === 'expired' && h.first_response_ms === null).length;
  const judged = answered.length + expired;
  const responsePct = judged === 0 ? null : (answered.length / judged) * 100;
  return {
    analysed: inputs.filter((i) => i.first).length,
    decisions,
    refused,
    filled: orders.length,
    resting,
    slippage: {
      liquid: {
        count: liquidBps.length,
        avg_bps: liquidAvg,
        target_bps: QUALITY_TARGETS.liquid_slippage_bps,
        met: liquidAvg === null ? null : liquidAvg < QUALITY_TARGETS.liquid_slippage_bps,
      },
      all: { count: orders.length, avg_bps: mean(orders.map((o) => o.vs_arrival_bps)) },
    },
    at_expected_or_better: {
      count: better,
      of: predicted.length,
      pct: betterPct,
      target_pct: QUALITY_TARGETS.at_expected_or_better_pct,
      met: betterPct === null ? null : betterPct >= QUALITY_TARGETS.at_expected_or_better_pct,
    },
    alert_response: {
      held: held.length,
      answered: answered.length,
      expired,
      open: held.filter((h) => h.state === 'held' && h.first_response_ms === null).length,
      pct: responsePct,
      target_pct: QUALITY_TARGETS.alert_response_pct,
      met: responsePct === null ? null : responsePct > QUALITY_TARGETS.alert_response_pct,
      median_response_ms: median(answered.map((h) => h.first_response_ms!)),
    },
    prediction_error: {
      count: errors.length,
      mean_bps: mean(errors),
      mean_abs_bps: mean(errors.map(Math.abs)),
    },
    orders,
  };
}
