import { describe, expect, it } from 'vitest';
import { type StrategyFill, strategyPositions } from '../../src/housekeeping/strategy-positions.js';

const DEFAULT = 1;
const fill = (
  strategy_id: number,
  transaction_type: 'BUY' | 'SELL',
  filled_quantity: number,
  tradingsymbol = 'INFY',
): StrategyFill => ({
  strategy_id,
  exchange: 'NSE',
  tradingsymbol,
  product: 'MIS',
  transaction_type,
  filled_quantity,
});
const net = (quantity: number, position_id: number | null = 70, tradingsymbol = 'INFY') => ({
  exchange: 'NSE',
  tradingsymbol,
  product: 'MIS',
  quantity,
  position_id,
});

describe('strategyPositions', () => {
  it("sums a strategy's fills, signed", () => {
    // strategy 2: +10 - 4 = 6; the account shows 6, so nothing is left for the default strategy.
    expect(strategyPositions([fill(2, 'BUY', 10), fill(2, 'SELL', 4)], [net(6)], DEFAULT)).toEqual([
      { strategy_id: 2, exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS', quantity: 6, position_id: 70 },
    ]);
  });

  it('gives the default strategy what no strategy explains (an overnight position)', () => {
    // account 25, strategy 2 explains 10: default holds 15.
    expect(strategyPositions([fill(2, 'BUY', 10)], [net(25)], DEFAULT)).toEqual([
      { strategy_id: 1, exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS', quantity: 15, position_id: 70 },
      { strategy_id: 2, exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS', quantity: 10, position_id: 70 },
    ]);
  });

  it('keeps a flat strategy position as a row of 0', () => {
    const rows = strategyPositions([fill(3, 'BUY', 10), fill(3, 'SELL', 10)], [net(0)], DEFAULT);
    expect(rows).toEqual([
      { strategy_id: 3, exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS', quantity: 0, position_id: 70 },
    ]);
  });

  it('makes the strategies add up to the account even when the difference is negative', () => {
    // strategy 2 bought 10; the account shows no INFY at all: default -10, so the sum is 0.
    const rows = strategyPositions([fill(2, 'BUY', 10)], [], DEFAULT);
    expect(rows.map((r) => [r.strategy_id, r.quantity, r.position_id])).toEqual([
      [1, -10, null],
      [2, 10, null],
    ]);
  });

  it('handles instruments only the account has, and skips orders with no fills', () => {
    const rows = strategyPositions([fill(2, 'BUY', 0, 'TCS')], [net(-5, 71, 'SBIN')], DEFAULT);
    expect(rows).toEqual([
      { strategy_id: 1, exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS', quantity: -5, position_id: 71 },
    ]);
  });

  it('keeps products apart', () => {
    const rows = strategyPositions(
      [fill(2, 'BUY', 10), { ...fill(2, 'BUY', 5), product: 'CNC' }],
      [net(10), { ...net(5, 72), product: 'CNC' }],
      DEFAULT,
    );
    expect(rows.map((r) => [r.product, r.quantity, r.position_id])).toEqual([
      ['CNC', 5, 72],
      ['MIS', 10, 70],
    ]);
  });
});
