/**
 * The seed's success metrics for a trading day, as data: the end-of-day report judges the
 * day against them.
 */
export const SUCCESS_TARGETS = {
  /** Every order som places carries a pre-trade cost breakdown: 100% of them. */
  cost_breakdown_coverage_pct: 100,
  /** The pre-trade required margin agrees with what the broker blocked after the fill: above 99.5%. */
  margin_accuracy_pct: 99.5,
  /** Position-order discrepancies left at the end of day: none. */
  discrepancies_at_eod: 0,
} as const;
