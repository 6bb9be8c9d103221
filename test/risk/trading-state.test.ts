import { describe, expect, it } from 'vitest';
import { istInstant } from '../../src/market/ist.js';
import { limitStatus } from '../../src/risk/limits.js';
import {
  initialRiskState,
  type RiskState,
  type TransitionOk,
  tradingDayOf,
  transition,
} from '../../src/risk/trading-state.js';
import type { LimitStatus } from '../../src/risk/types.js';

const DAY = '2026-11-25';
const NEXT = '2026-11-26';
const now = istInstant(DAY, '11:00');
const ok = (t: ReturnType<typeof transition>): TransitionOk => {
  if (!t.ok) throw new Error(t.message);
  return t;
};
const active = initialRiskState(DAY, istInstant(DAY, '09:00'));
const loss = (value: number): LimitStatus => limitStatus('max_loss_per_strategy_abs', 50_000, value, 80);
const size = (value: number): LimitStatus => limitStatus('max_position_size_per_instrument', 1000, value, 80);
const rate = (value: number): LimitStatus => limitStatus('max_orders_per_minute', 10, value, 80);
const evaluate = (state: RiskState, limits: LimitStatus[], day = DAY) =>
  ok(transition(state, { kind: 'evaluate', limits }, day, now));

describe('trading state transitions', () => {
  it('ACTIVE stays ACTIVE below the limits, warnings included', () => {
    const t = evaluate(active, [loss(45_000), size(900), rate(9)]);
    expect(t).toMatchObject({ changed: false, next: { state: 'ACTIVE' } });
  });

  it('a loss limit breach HALTS, naming the limit', () => {
    const t = evaluate(active, [loss(50_001), size(10)]);
    expect(t.changed).toBe(true);
    expect(t.next).toMatchObject({ state: 'HALTED', reason: 'max_loss_per_strategy_abs', trading_day: DAY });
    expect(t.breaches.map((b) => b.key)).toEqual(['max_loss_per_strategy_abs']);
  });

  it('the account daily loss HALTS the account the same way', () => {
    const t = evaluate(active, [limitStatus('max_daily_loss', 100_000, 100_001, 80)]);
    expect(t.next).toMatchObject({ state: 'HALTED', reason: 'max_daily_loss' });
  });

  it('a loss-limit halt stays for the day even when the loss recovers, and ends the next trading day', () => {
    const halted = evaluate(active, [loss(60_000)]).next;
    expect(evaluate(halted, [loss(1_000)])).toMatchObject({ changed: false, next: { state: 'HALTED' } });
    const nextDay = evaluate(halted, [loss(0)], NEXT);
    expect(nextDay).toMatchObject({ changed: true, next: { state: 'ACTIVE', reason: null, trading_day: NEXT } });
  });

  it('resume after a loss-limit halt is refused the same day without force', () => {
    const halted = evaluate(active, [loss(60_000)]).next;
    const t = transition(halted, { kind: 'resume', force: false, limits: [loss(60_000)] }, DAY, now);
    expect(t).toMatchObject({ ok: false, code: 'RISK_HALT_LOCKED' });
  });

  it('a forced resume acknowledges the breached loss limits for the rest of the day', () => {
    const halted = evaluate(active, [loss(60_000)]).next;
    const resumed = ok(transition(halted, { kind: 'resume', force: true, limits: [loss(60_000)] }, DAY, now));
    expect(resumed.next).toMatchObject({ state: 'ACTIVE', acknowledged: ['max_loss_per_strategy_abs'] });
    // Still in breach, but acknowledged: no new halt today.
    expect(evaluate(resumed.next, [loss(70_000)]).next.state).toBe('ACTIVE');
    // Next trading day the acknowledgement lapses and the limit halts again.
    const tomorrow = evaluate(resumed.next, [loss(50_500)], NEXT);
    expect(tomorrow.next).toMatchObject({ state: 'HALTED', acknowledged: [] });
  });

  it('an exposure breach (position size, margin) moves ACTIVE to REDUCING, and back once cleared', () => {
    const reducing = evaluate(active, [loss(0), size(1_200)]);
    expect(reducing.next).toMatchObject({ state: 'REDUCING', reason: 'max_position_size_per_instrument' });
    expect(evaluate(reducing.next, [size(1_100)]).changed).toBe(false);
    const cleared = evaluate(reducing.next, [size(1_000)]);
    expect(cleared).toMatchObject({ changed: true, next: { state: 'ACTIVE', reason: null } });
    const margin = limitStatus('max_margin_utilization_pct', 90, 95, 80);
    expect(evaluate(active, [margin]).next).toMatchObject({ state: 'REDUCING', reason: 'max_margin_utilization_pct' });
  });

  it('a loss breach while REDUCING HALTS', () => {
    const reducing = evaluate(active, [size(1_200)]).next;
    expect(evaluate(reducing, [size(1_200), loss(51_000)]).next).toMatchObject({
      state: 'HALTED',
      reason: 'max_loss_per_strategy_abs',
    });
  });

  it('a rate limit never changes the state', () => {
    expect(evaluate(active, [rate(11)])).toMatchObject({ changed: false, next: { state: 'ACTIVE' } });
  });

  it('a manual halt lasts across days until resumed, and outranks a loss halt', () => {
    const manual = ok(transition(active, { kind: 'halt', note: 'news' }, DAY, now)).next;
    expect(manual).toMatchObject({ state: 'HALTED', reason: 'manual', note: 'news' });
    expect(evaluate(manual, [loss(0)], NEXT).next).toMatchObject({ state: 'HALTED', reason: 'manual' });
    const lossHalt = evaluate(active, [loss(60_000)]).next;
    const both = ok(transition(lossHalt, { kind: 'halt' }, DAY, now)).next;
    expect(evaluate(both, [loss(0)], NEXT).next.state).toBe('HALTED');
    const resumed = ok(transition(manual, { kind: 'resume', force: false, limits: [] }, NEXT, now));
    expect(resumed).toMatchObject({ changed: true, next: { state: 'ACTIVE', reason: null } });
  });

  it('resume from REDUCING is accepted; the next evaluation reduces again if still breached', () => {
    const reducing = evaluate(active, [size(1_200)]).next;
    const resumed = ok(transition(reducing, { kind: 'resume', force: false, limits: [size(1_200)] }, DAY, now));
    expect(resumed.next.state).toBe('ACTIVE');
    expect(evaluate(resumed.next, [size(1_200)]).next.state).toBe('REDUCING');
  });

  it('a breach caused by an external fill: the fill moves the loss, the evaluation halts', () => {
    // A hand exit on Kite web books a realised loss of 52,000: P&L -52,000 at the next evaluation.
    const before = evaluate(active, [loss(20_000)]);
    expect(before.next.state).toBe('ACTIVE');
    expect(evaluate(before.next, [loss(52_000)]).next.state).toBe('HALTED');
  });
});

describe('tradingDayOf', () => {
  it('is the IST date on a trading day, else the trading day before', () => {
    // 2026-11-25 20:00 UTC is 2026-11-26 01:30 IST: a Thursday, a trading day.
    expect(tradingDayOf(new Date('2026-11-25T20:00:00Z'))).toBe('2026-11-26');
    // Saturday 2026-11-28 belongs to Friday 2026-11-27; Guru Nanak Jayanti (Tue 2026-11-24) to Monday.
    expect(tradingDayOf(istInstant('2026-11-28', '10:00'))).toBe('2026-11-27');
    expect(tradingDayOf(istInstant('2026-11-24', '10:00'))).toBe('2026-11-23');
  });
});
