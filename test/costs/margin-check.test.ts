import { describe, expect, it } from 'vitest';
import { checkMargin, checkMarginBySegment, fundSegmentOf } from '../../src/costs/margin-check.js';

const settings = { margin_buffer_pct: 10, max_margin_utilization_pct: 90 };
const codes = (w: { code: string }[]) => w.map((x) => x.code);

describe('checkMargin: one fund segment', () => {
  it('passes with room to spare: remaining, buffer and utilisation worked out', () => {
    // basket_margins.json's figures against margins.json's equity segment:
    // required 34786.725 (final), initial 96504.975, available (net) 99725.05, used (debits) 145706.55.
    const r = checkMargin({ required: 34786.725, initial: 96504.975, available: 99725.05, used: 145706.55, settings });
    // remaining = 99725.05 - 34786.725 = 64938.325
    expect(r.remaining).toBeCloseTo(64938.325, 9);
    // with buffer = 34786.725 * 1.1 = 38265.3975 <= 99725.05: can execute
    expect(r.required_with_buffer).toBeCloseTo(38265.3975, 9);
    expect(r.can_execute).toBe(true);
    // utilisation = (145706.55 + 34786.725) / (145706.55 + 99725.05) * 100
    //             = 180493.275 / 245431.6 * 100 = 73.541...%, under 90%
    expect(r.utilization_pct).toBeCloseTo(73.5413, 3);
    expect(r.warnings).toEqual([]);
    expect(r).toMatchObject({ required: 34786.725, initial: 96504.975, available: 99725.05 });
  });

  it('INSUFFICIENT_MARGIN when the requirement is above what is free, and cannot execute', () => {
    // required 120000 > available 100000: short by 20000.00
    const r = checkMargin({ required: 120_000, initial: 130_000, available: 100_000, settings });
    expect(r.can_execute).toBe(false);
    expect(r.remaining).toBe(-20_000);
    expect(codes(r.warnings)).toContain('INSUFFICIENT_MARGIN');
    expect(codes(r.warnings)).not.toContain('MARGIN_BUFFER_BREACHED');
    expect(r.warnings[0]!.message).toMatch(/120000\.00.*100000\.00.*20000\.00/);
  });

  it('MARGIN_BUFFER_BREACHED when the margin fits but not with the buffer', () => {
    // required 95000 <= available 100000, but 95000 * 1.1 = 104500 > 100000
    const r = checkMargin({
      required: 95_000,
      initial: 95_000,
      available: 100_000,
      settings: { margin_buffer_pct: 10, max_margin_utilization_pct: 100 },
    });
    expect(r.can_execute).toBe(false);
    expect(r.remaining).toBe(5_000);
    expect(r.required_with_buffer).toBeCloseTo(104_500, 9);
    expect(codes(r.warnings)).toEqual(['MARGIN_BUFFER_BREACHED']);
    expect(r.warnings[0]!.message).toMatch(/10% buffer is 104500\.00/);
  });

  it('the buffer edge: exactly equal to available passes', () => {
    // required 50000 * (1 + 25/100) = 62500 = available: allowed (only "exceeds" fails)
    const r = checkMargin({
      required: 50_000,
      initial: 50_000,
      available: 62_500,
      settings: { margin_buffer_pct: 25, max_margin_utilization_pct: 100 },
    });
    expect(r.can_execute).toBe(true);
    expect(r.warnings).toEqual([]);
    // one paisa less and it is breached
    const tight = checkMargin({
      required: 50_000,
      initial: 50_000,
      available: 62_499.99,
      settings: { margin_buffer_pct: 25, max_margin_utilization_pct: 100 },
    });
    expect(tight.can_execute).toBe(false);
    expect(codes(tight.warnings)).toEqual(['MARGIN_BUFFER_BREACHED']);
  });

  it('MARGIN_UTILIZATION_HIGH when margin in use after the trade passes the limit, though the trade fits', () => {
    // used 60000, available 40000 -> segment margin 100000; required 31000:
    // utilisation = (60000 + 31000) / 100000 * 100 = 91% > 90%; 31000 * 1.1 = 34100 <= 40000 fits
    const r = checkMargin({ required: 31_000, initial: 31_000, available: 40_000, used: 60_000, settings });
    expect(r.utilization_pct).toBeCloseTo(91, 9);
    expect(r.can_execute).toBe(true);
    expect(codes(r.warnings)).toEqual(['MARGIN_UTILIZATION_HIGH']);
    expect(r.warnings[0]!.message).toMatch(/91% .*limit of 90%/);
    // at exactly 90% (required 30000) there is no warning
    expect(
      checkMargin({ required: 30_000, initial: 30_000, available: 40_000, used: 60_000, settings }).warnings,
    ).toEqual([]);
  });

  it('a basket that frees margin (negative final, a hedge against positions) always executes', () => {
    // final -5000: the account gets margin back; even an account in deficit may reduce risk
    const r = checkMargin({ required: -5_000, initial: 20_000, available: -1_000, used: 50_000, settings });
    expect(r.can_execute).toBe(true);
    expect(r.remaining).toBe(4_000);
    expect(r.warnings).toEqual([]);
  });

  it('a segment with no margin at all has no utilisation figure and warns when margin is needed', () => {
    const r = checkMargin({ required: 100, initial: 100, available: 0, settings });
    expect(r.utilization_pct).toBeNull();
    expect(r.can_execute).toBe(false);
    expect(codes(r.warnings)).toEqual(['INSUFFICIENT_MARGIN', 'MARGIN_UTILIZATION_HIGH']);
  });

  it('a zero buffer checks the bare requirement', () => {
    const r = checkMargin({
      required: 100_000,
      initial: 100_000,
      available: 100_000,
      settings: { margin_buffer_pct: 0, max_margin_utilization_pct: 100 },
    });
    expect(r.can_execute).toBe(true);
    expect(r.remaining).toBe(0);
    expect(r.warnings).toEqual([]);
  });
});

describe('checkMarginBySegment: equity and commodity funds apart', () => {
  it('each segment against its own funds: equity fits, commodity does not, so the basket cannot execute', () => {
    const r = checkMarginBySegment([
      // equity: 50000 * 1.1 = 55000 <= 200000
      { segment: 'equity', required: 50_000, initial: 60_000, available: 200_000, settings },
      // commodity: 80000 > 70000
      { segment: 'commodity', required: 80_000, initial: 80_000, available: 70_000, settings },
    ]);
    // sums: required 130000, initial 140000, available 270000, remaining 150000 + (-10000) = 140000
    expect(r).toMatchObject({
      required: 130_000,
      initial: 140_000,
      available: 270_000,
      remaining: 140_000,
      can_execute: false,
    });
    // with the funds pooled it would have passed (130000 * 1.1 = 143000 <= 270000): pooling would hide the shortfall
    expect(r.segments.map((s) => [s.segment, s.can_execute])).toEqual([
      ['equity', true],
      ['commodity', false],
    ]);
    expect(r.warnings.map((w) => w.message.split(':')[0])).toEqual(['commodity', 'commodity']);
    expect(codes(r.warnings)).toEqual(['INSUFFICIENT_MARGIN', 'MARGIN_UTILIZATION_HIGH']);
    // utilisation: equity 50000/200000 = 25%, commodity 80000/70000 = 114.28...%; the highest is shown
    expect(r.utilization_pct).toBeCloseTo(114.2857, 3);
  });

  it('one segment: the same figures and messages as checkMargin', () => {
    const input = { required: 95_000, initial: 95_000, available: 100_000, settings };
    const one = checkMarginBySegment([{ segment: 'equity', ...input }]);
    const { segments, ...top } = one;
    expect(top).toEqual(checkMargin(input));
    expect(segments).toHaveLength(1);
  });
});

describe('fundSegmentOf', () => {
  it('MCX and NCO draw on the commodity funds, every other exchange on equity', () => {
    expect(['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX', 'NCO', 'mcx'].map(fundSegmentOf)).toEqual([
      'equity',
      'equity',
      'equity',
      'equity',
      'equity',
      'equity',
      'commodity',
      'commodity',
      'commodity',
    ]);
  });
});
