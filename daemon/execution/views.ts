import type { ExecutionAnalysis } from '../../src/execution/analyze.js';
import type { LegPlacement } from '../../src/execution/placement.js';
import type { AnalysisView } from '../../src/protocol/methods/execution.js';

/** An analysis as the protocol shows it: the stored id, the instrument and whose lines judged it. */
export function analysisView(
  id: number,
  who: { symbol: string; strategy: string; product: string | null },
  a: ExecutionAnalysis,
): AnalysisView {
  return {
    analysis_id: id,
    symbol: who.symbol,
    strategy: who.strategy,
    side: a.side,
    quantity: a.quantity,
    product: who.product,
    instrument_class: a.instrument_class,
    quote: a.quote,
    depth: a.depth,
    spread: a.spread,
    impact: a.impact,
    liquidity: a.liquidity,
    decision: a.decision,
    hold: a.hold,
    limit_price: a.limit_price,
    limit: {
      price: a.limit.price,
      bound_by: a.limit.bound_by,
      reachable_quantity: a.limit.reachable_quantity,
      problem: a.limit.problem,
    },
    reasons: a.reasons,
  };
}

/** How a leg is (or would be) sent, as the protocol shows it. */
export function placementView(p: LegPlacement) {
  return {
    hold: p.hold,
    decision: p.decision,
    order_type: p.order?.order_type ?? null,
    price: p.order?.order_type === 'LIMIT' ? p.order.price : null,
    high_cost_notice: p.high_cost_notice,
    explanation: p.explanation,
  };
}
