import { describe, expect, it } from 'vitest';
import type { TransactionType } from '../../src/domain/order.js';
import { analyzeExecution, DEFAULT_EXECUTION_RULES, type ExecutionAnalysis } from '../../src/execution/analyze.js';
import type { ExecutionSettings } from '../../src/execution/decision.js';
import type { DepthSnapshot } from '../../src/execution/depth.js';
import { isExecutionError } from '../../src/execution/errors.js';
import { priceProtection } from '../../src/execution/price-protection.js';
import { AGGRESSIVE, CONSERVATIVE, DEFAULT, ladder, snap } from './books.js';

function analyze(
  s: DepthSnapshot,
  side: TransactionType,
  quantity: number,
  settings: ExecutionSettings = DEFAULT,
  bufferTicks = 0,
): ExecutionAnalysis {
  const rules = { ...DEFAULT_EXECUTION_RULES, limit_buffer_ticks: bufferTicks };
  const a = analyzeExecution({ snapshot: s, side, quantity, settings, rules });
  if (isExecutionError(a)) throw new Error(a.message);
  return a;
}

const wide = (bps: number): ExecutionSettings => ({ ...AGGRESSIVE, max_market_impact_bps: bps });

/** An index option around 100: bids 99.95, 99.90, 99.85; asks 100.05, 100.10, 100.15; 100 on each. */
const OPTION = snap(ladder(99.95, -1, 100).slice(0, 3), ladder(100.05, 1, 100).slice(0, 3), { last_price: 100 });

describe('the limit price', () => {
  it('BUY: the last ask level the quantity needs, on the grid', () => {
    // 250 takes 100 @ 100.05, 100 @ 100.10 and 50 @ 100.15: the limit is 100.15 and reaches all 250.
    const a = analyze(OPTION, 'BUY', 250);
    expect(a.limit).toMatchObject({ price: 100.15, bound_by: 'depth', reachable_quantity: 250 });
    expect(String(a.limit_price)).toBe('100.15');
  });

  it('SELL: the last bid level the quantity needs', () => {
    // 150 takes 100 @ 99.95 and 50 @ 99.90. The impact limit (50 bps) would allow down to
    // 99.95 x 0.995 = 99.45025, rounded up to the grid 99.50: the depth is the binding bound.
    const a = analyze(OPTION, 'SELL', 150);
    expect(a.limit).toMatchObject({ price: 99.9, bound_by: 'depth', reachable_quantity: 150 });
  });

  it('adds the configured buffer ticks beyond the last level, away from the touch', () => {
    // 100.15 + 2 ticks = 100.25 for the BUY; 99.90 - 2 ticks = 99.80 for the SELL.
    expect(analyze(OPTION, 'BUY', 250, DEFAULT, 2).limit_price).toBe(100.25);
    expect(analyze(OPTION, 'SELL', 150, DEFAULT, 2).limit_price).toBe(99.8);
  });

  it('never goes past the strategy impact limit: BUY rounded down, SELL rounded up', () => {
    // Asks 100.05 x 100 and 100.50 x 100; BUY 200 needs 100.50, 45 bps past the touch.
    // Conservative, 30 bps: 100.05 x 1.003 = 100.35015, down to the grid: 100.35. It reaches only the first 100.
    const buy = snap(ladder(99.95, -1, 500), [
      [100.05, 100],
      [100.5, 100],
    ]);
    const a = analyze(buy, 'BUY', 200, CONSERVATIVE);
    expect(a.limit).toMatchObject({ price: 100.35, bound_by: 'impact_limit', reachable_quantity: 100 });
    expect(a.decision).toBe('ALERT_USER_HIGH_COST');
    expect(a.reasons.map((r) => r.code)).toContain('LIMIT_PARTIAL');
    // Default, 50 bps: 100.05 x 1.005 = 100.55025, down to 100.55: the depth (100.50) binds.
    expect(analyze(buy, 'BUY', 200, DEFAULT).limit).toMatchObject({ price: 100.5, bound_by: 'depth' });

    // Bids 99.95 x 100 and 99.50 x 100; SELL 200 needs 99.50. Conservative: 99.95 x 0.997 = 99.65015,
    // up to the grid: 99.70.
    const sell = snap(
      [
        [99.95, 100],
        [99.5, 100],
      ],
      ladder(100.05, 1, 500),
    );
    expect(analyze(sell, 'SELL', 200, CONSERVATIVE).limit).toMatchObject({
      price: 99.7,
      bound_by: 'impact_limit',
      reachable_quantity: 100,
    });
  });

  it("stays inside NSE's option LPP above a premium of 50: reference +/- 40%", () => {
    // The market ran from 60 (the last trade, the reference) to 80: LPP allows a BUY up to 60 x 1.4 = 84.
    // BUY 200 needs the 84.50 level; a 1,000 bps impact limit would allow 88; LPP binds at 84.00.
    const s = snap(
      ladder(79.95, -1, 500),
      [
        [80, 100],
        [84.5, 100],
      ],
      { last_price: 60 },
    );
    const a = analyze(s, 'BUY', 200, wide(1000));
    expect(a.protection).toMatchObject({ buy_max: 84, buy_max_rule: 'NSE_LPP_OPTIONS_ABOVE_50', reference: 60 });
    expect(a.limit).toMatchObject({ price: 84, bound_by: 'price_protection', reachable_quantity: 100 });
    expect(a.decision).toBe('ALERT_USER_HIGH_COST');
  });

  it('stays inside LPP up to a premium of 50: reference +/- 20 rupees (SELL)', () => {
    // Reference 30: a SELL may go down to 30 - 20 = 10. SELL 200 needs the 9.00 bid; a 5,000 bps limit
    // would allow 12 x 0.5 = 6. LPP binds at 10.00.
    const s = snap(
      [
        [12, 100],
        [9, 100],
      ],
      ladder(12.05, 1, 500),
      { last_price: 30 },
    );
    const a = analyze(s, 'SELL', 200, wide(5000));
    expect(a.protection).toMatchObject({ sell_min: 10, sell_min_rule: 'NSE_LPP_OPTIONS_UP_TO_50' });
    expect(a.limit).toMatchObject({ price: 10, bound_by: 'price_protection', reachable_quantity: 100 });
  });

  it('a reference price given with the depth replaces the last price', () => {
    const s = snap(ladder(79.95, -1, 500), ladder(80, 1, 500), { last_price: 80, reference_price: 70 });
    // 70 x 1.4 = 98.
    expect(priceProtection(s, 79.975).buy_max).toBeCloseTo(98, 9);
  });

  it('stays inside the futures band: reference +/- 3%, on the future own grid', () => {
    // A NIFTY future at 25,000 (tick 0.10): a BUY may go up to 25,750.
    const s = snap(
      [[24999.9, 650]],
      [
        [25000, 65],
        [25800, 650],
      ],
      { instrument_class: 'futures', tick_size: 0.1, last_price: 25000 },
    );
    const a = analyze(s, 'BUY', 130, wide(1000));
    expect(a.limit).toMatchObject({ price: 25750, bound_by: 'price_protection', reachable_quantity: 65 });
  });

  it("a limit the exchange's band keeps below the best ask reaches nothing: ALERT, never a silent resting order", () => {
    // Reference 50 (a premium of at most 50): a BUY may go up to 70; the asks start at 75.
    const s = snap(ladder(74.95, -1, 500), ladder(75, 1, 500), { last_price: 50 });
    const a = analyze(s, 'BUY', 100, wide(1000));
    expect(a.limit).toMatchObject({ price: 70, bound_by: 'price_protection', reachable_quantity: 0 });
    expect(a.reasons[0]!.code).toBe('LIMIT_NOT_MARKETABLE');
    expect(a.decision).toBe('ALERT_USER_HIGH_COST');
  });

  it('stays inside the circuit limits, and refuses a price when the book lies outside them', () => {
    // A share with an upper circuit of 100.40: a BUY of 300 would need 100.50.
    const share = { instrument_class: 'equity' as const, upper_circuit_limit: 100.4, lower_circuit_limit: 90 };
    const s = snap(
      ladder(99.95, -1, 500),
      [
        [100.05, 100],
        [100.3, 100],
        [100.5, 100],
      ],
      share,
    );
    expect(analyze(s, 'BUY', 300, wide(1000)).limit).toMatchObject({ price: 100.4, bound_by: 'circuit_limit' });
    // A lower circuit above the asks (a circuit from another day): no BUY price is valid.
    const odd = snap(ladder(99.95, -1, 500), ladder(100.05, 1, 500), { ...share, lower_circuit_limit: 101 });
    const a = analyze(odd, 'BUY', 100);
    expect(a.limit_price).toBeNull();
    expect(a.decision).toBe('REQUIRE_APPROVAL');
    expect(a.reasons[0]!.code).toBe('LIMIT_NO_PRICE');
  });

  it('keeps a currency future on its 0.0025 grid', () => {
    // USDINR: 83.1200 / 83.1225 / 83.1250; BUY 3 lots needs the 83.1250 level.
    const s = snap(
      [[83.1175, 50]],
      [
        [83.12, 1],
        [83.1225, 1],
        [83.125, 5],
      ],
      { instrument_class: 'futures', tick_size: 0.0025, multiplier: 1000 },
    );
    const a = analyze(s, 'BUY', 3);
    expect(String(a.limit_price)).toBe('83.125');
    // Slippage: mid 83.11875; 83.12 + 83.1225 + 83.125 = 249.3675; 249.3675 - 3 x 83.11875 = 0.01125, x 1,000 = 11.25.
    expect(a.impact.slippage).toBeCloseTo(11.25, 9);
  });
});
