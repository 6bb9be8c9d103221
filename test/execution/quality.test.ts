import { describe, expect, it } from 'vitest';
import { fillQuality, slippageBps } from '../../src/execution/quality.js';

describe('execution quality', () => {
  it('a BUY filled above the arrival mid and the predicted VWAP costs, in bps and rupees', () => {
    // Arrival mid 100.00, predicted 100.10, filled 750 at 100.12.
    const q = fillQuality({
      side: 'BUY',
      average_price: 100.12,
      filled_quantity: 750,
      multiplier: 1,
      arrival_mid: 100,
      predicted_vwap: 100.1,
    });
    // (100.12 - 100) / 100 x 10,000 = 12 bps; (100.12 - 100.10) / 100.10 x 10,000 = 1.998 bps.
    expect(q.vs_arrival_bps).toBeCloseTo(12, 9);
    expect(q.vs_predicted_bps).toBeCloseTo(1.998, 3);
    // 0.12 x 750 = 90 rupees.
    expect(q.slippage).toBeCloseTo(90, 9);
    expect(q.at_expected_or_better).toBe(false);
  });

  it('a SELL filled above its predicted VWAP did better than expected: a negative cost', () => {
    // Arrival mid 100.00, predicted 99.90, filled 2 lots of crude (x100) at 99.95.
    const q = fillQuality({
      side: 'SELL',
      average_price: 99.95,
      filled_quantity: 2,
      multiplier: 100,
      arrival_mid: 100,
      predicted_vwap: 99.9,
    });
    // Against the mid: (100 - 99.95) / 100 x 10,000 = 5 bps of cost. Against the prediction:
    // (99.90 - 99.95) / 99.90 x 10,000 = -5.005 bps: better.
    expect(q.vs_arrival_bps).toBeCloseTo(5, 9);
    expect(q.vs_predicted_bps).toBeCloseTo(-5.005, 3);
    // 0.05 x 2 x 100 = 10 rupees.
    expect(q.slippage).toBeCloseTo(10, 9);
    expect(q.at_expected_or_better).toBe(true);
  });

  it('a fill exactly at the prediction counts as met, and no prediction gives no verdict', () => {
    expect(slippageBps('BUY', 100.1, 100.1)).toBe(0);
    expect(slippageBps('SELL', 100.1, 100.1)).toBe(0);
    const q = fillQuality({
      side: 'BUY',
      average_price: 0.1 + 0.2,
      filled_quantity: 1,
      multiplier: 1,
      arrival_mid: 0.3,
      predicted_vwap: 0.3,
    });
    expect(q.at_expected_or_better).toBe(true);
    const none = fillQuality({
      side: 'BUY',
      average_price: 100,
      filled_quantity: 1,
      multiplier: 1,
      arrival_mid: 100,
      predicted_vwap: null,
    });
    expect(none).toMatchObject({ vs_predicted_bps: null, at_expected_or_better: null });
  });
});
