import type { TransactionType } from '../domain/order.js';

/**
 * Slippage of a price against a benchmark, basis points, signed so that a cost is positive for
 * both sides: a BUY above the benchmark costs, a SELL below it costs.
 * (price - benchmark) / benchmark x 10,000, x -1 for a SELL.
 */
export function slippageBps(side: TransactionType, price: number, benchmark: number): number {
  const sign = side === 'BUY' ? 1 : -1;
  return ((sign * (price - benchmark)) / benchmark) * 10_000 + 0;
}

export interface FillQuality {
  /** The fill against the mid when the order was analysed (arrival), bps; cost positive. */
  vs_arrival_bps: number;
  /** The fill against the VWAP the analysis predicted, bps; cost positive; null without a prediction. */
  vs_predicted_bps: number | null;
  /** Rupees the fill cost against the arrival mid: (average - mid) x quantity x multiplier, x -1 for a SELL. */
  slippage: number;
  /** Filled at the predicted VWAP or better; null without a prediction. */
  at_expected_or_better: boolean | null;
}

/**
 * How an executed order did against what was expected of it. `average_price` and
 * `filled_quantity` are the broker's; `arrival_mid` and `predicted_vwap` the analysis's.
 */
export function fillQuality(input: {
  side: TransactionType;
  average_price: number;
  filled_quantity: number;
  multiplier: number;
  arrival_mid: number;
  predicted_vwap: number | null;
}): FillQuality {
  const sign = input.side === 'BUY' ? 1 : -1;
  const vsPredicted =
    input.predicted_vwap === null ? null : slippageBps(input.side, input.average_price, input.predicted_vwap);
  return {
    vs_arrival_bps: slippageBps(input.side, input.average_price, input.arrival_mid),
    vs_predicted_bps: vsPredicted,
    slippage: sign * (input.average_price - input.arrival_mid) * input.filled_quantity * input.multiplier + 0,
    // Exactly the prediction counts as met, whatever the last bit of the division.
    at_expected_or_better: vsPredicted === null ? null : vsPredicted <= 1e-9,
  };
}
