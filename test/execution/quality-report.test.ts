import { describe, expect, it } from 'vitest';
import { forImmediateExecution, type QualityInput, qualityReport } from '../../src/execution/quality-report.js';

/** An analysis at bid 99.90 / ask 100.10 (mid 100.00) predicting a VWAP of 100.10, and its order. */
function input(
  over: Omit<Partial<QualityInput>, 'order'> & { order?: Partial<NonNullable<QualityInput['order']>> | null },
): QualityInput {
  const { order, ...rest } = over;
  return {
    analysis_id: 1,
    first: true,
    at: '2026-11-25T04:30:00.000Z',
    strategy: 'default',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    side: 'BUY',
    quantity: 10,
    decision: 'EXECUTE_MARKET',
    error_code: null,
    liquidity_category: 'HIGH',
    bid: 99.9,
    ask: 100.1,
    arrival_mid: 100,
    predicted_vwap: 100.1,
    ...rest,
    order:
      order === null
        ? null
        : {
            order_id: 'O1',
            order_type: 'MARKET',
            price: 0,
            status: 'COMPLETE',
            filled_quantity: 10,
            average_price: 100.1,
            ...order,
          },
  };
}

describe('execution quality over a period', () => {
  it('slippage against the arrival mid, the liquid average against 0.2%, and fills at the expected price', () => {
    const r = qualityReport(
      [
        // BUY at 100.10 against mid 100: +10 bps; exactly the prediction.
        input({ analysis_id: 1 }),
        // BUY at 100.30: +30 bps; 20 bps past the predicted 100.10 (19.98 bps of 100.10).
        input({ analysis_id: 2, order: { order_id: 'O2', average_price: 100.3 } }),
        // SELL at 99.95 against mid 100: +5 bps (a cost), predicted 99.90: better than expected.
        input({ analysis_id: 3, side: 'SELL', predicted_vwap: 99.9, order: { order_id: 'O3', average_price: 99.95 } }),
        // MEDIUM liquidity: counted in "all", not in "liquid". BUY at 100.50: +50 bps.
        input({
          analysis_id: 4,
          liquidity_category: 'MEDIUM',
          predicted_vwap: 100.5,
          order: { order_id: 'O4', average_price: 100.5 },
        }),
      ],
      [],
    );
    // Liquid: (10 + 30 + 5) / 3 = 15 bps < 20: met.
    expect(r.slippage.liquid.count).toBe(3);
    expect(r.slippage.liquid.avg_bps).toBeCloseTo(15, 9);
    expect(r.slippage.liquid.met).toBe(true);
    // All: (10 + 30 + 5 + 50) / 4 = 23.75.
    expect(r.slippage.all.avg_bps).toBeCloseTo(23.75, 9);
    // At the prediction or better: 1, 3 and 4 of 4 = 75% < 95%: not met.
    expect(r.at_expected_or_better).toMatchObject({ count: 3, of: 4, pct: 75, met: false });
    // Errors: 0, 19.98, -5.005 (99.95 against 99.90 for a SELL), 0: mean 3.744.
    expect(r.prediction_error.mean_bps).toBeCloseTo((0 + (0.2 / 100.1) * 1e4 - (0.05 / 99.9) * 1e4 + 0) / 4, 9);
    expect(r.decisions).toEqual({ EXECUTE_MARKET: 4, EXECUTE_LIMIT: 0, ALERT_USER_HIGH_COST: 0, REQUIRE_APPROVAL: 0 });
  });

  it('a resting LIMIT and a stop are counted apart; an unfilled or unsent order is not judged', () => {
    const r = qualityReport(
      [
        // BUY LIMIT 99.95 below the ask 100.10: it rested, then filled at 99.95.
        input({
          analysis_id: 1,
          decision: 'EXECUTE_LIMIT',
          order: { order_type: 'LIMIT', price: 99.95, average_price: 99.95 },
        }),
        input({ analysis_id: 2, order: { order_id: 'O2', order_type: 'SL-M', average_price: 98 } }),
        input({ analysis_id: 3, order: { order_id: 'O3', status: 'OPEN', filled_quantity: 0, average_price: 0 } }),
        // Held and cancelled: counted among the decisions only.
        input({ analysis_id: 4, decision: 'REQUIRE_APPROVAL', order: null }),
        // A crossed book: refused, by its code.
        input({ analysis_id: 5, decision: null, error_code: 'BOOK_CROSSED', order: null }),
      ],
      [],
    );
    expect(r).toMatchObject({ analysed: 5, filled: 0, resting: 2, refused: { BOOK_CROSSED: 1 } });
    expect(r.decisions).toMatchObject({ EXECUTE_MARKET: 2, EXECUTE_LIMIT: 1, REQUIRE_APPROVAL: 1 });
    expect(r.slippage.liquid).toMatchObject({ count: 0, avg_bps: null, met: null });
  });

  it('an order sent after a hold is judged on the re-check it was sent on, and counted once', () => {
    const r = qualityReport(
      [
        // Held: REQUIRE_APPROVAL, no order.
        input({ analysis_id: 1, decision: 'REQUIRE_APPROVAL', order: null }),
        // "Use LIMIT": re-checked, sent as a LIMIT at the ask 100.10, filled there: +10 bps.
        input({
          analysis_id: 2,
          first: false,
          decision: 'REQUIRE_APPROVAL',
          order: { order_type: 'LIMIT', price: 100.1 },
        }),
      ],
      [],
    );
    expect(r).toMatchObject({ analysed: 1, filled: 1, decisions: { REQUIRE_APPROVAL: 1 } });
    expect(r.slippage.all.avg_bps).toBeCloseTo(10, 9);
  });

  it('a marketable LIMIT counts as immediate: a BUY at or above the ask, a SELL at or below the bid', () => {
    const at = { side: 'BUY' as const, bid: 99.9, ask: 100.1 };
    expect(forImmediateExecution(at, { order_type: 'LIMIT', price: 100.1 })).toBe(true);
    expect(forImmediateExecution(at, { order_type: 'LIMIT', price: 100.05 })).toBe(false);
    expect(forImmediateExecution({ ...at, side: 'SELL' }, { order_type: 'LIMIT', price: 99.9 })).toBe(true);
    expect(forImmediateExecution(at, { order_type: 'SL', price: 101 })).toBe(false);
  });

  it('alert response: held orders answered before they lapsed, over those answered or lapsed', () => {
    const r = qualityReport(
      [],
      [
        { state: 'sent', first_response_ms: 20_000 },
        { state: 'cancelled', first_response_ms: 5_000 },
        { state: 'held', first_response_ms: 8_000 }, // answered, asked again, still open
        { state: 'expired', first_response_ms: null },
        { state: 'held', first_response_ms: null }, // still waiting: not counted yet
      ],
    );
    // 3 answered of 4 judged: 75% <= 80%: not met; median of 5, 8, 20 s = 8 s.
    expect(r.alert_response).toMatchObject({
      held: 5,
      answered: 3,
      expired: 1,
      open: 1,
      pct: 75,
      met: false,
      median_response_ms: 8000,
    });
  });
});
