import { describe, expect, it } from 'vitest';
import { riskConfigSchema } from '../../src/config/risk.js';
import { istInstant } from '../../src/market/ist.js';
import { type MisPosition, misSegmentOf, misStepKey, planMisSteps } from '../../src/risk/mis-plan.js';
import { misTimetable } from '../../src/risk/mis-timetable.js';

const TIMETABLE = misTimetable(riskConfigSchema.parse({}));
const MONDAY = '2026-11-23';
const pos = (p: Partial<MisPosition>): MisPosition => ({
  strategy_id: 2,
  strategy: 'intraday',
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  quantity: 20,
  pnl: -150.5,
  ...p,
});
const plan = (time: string, taken: string[] = [], positions = [pos({})], date = MONDAY, optedOut: number[] = []) =>
  planMisSteps({
    now: istInstant(date, time),
    timetable: TIMETABLE,
    taken: new Set(taken),
    positions,
    opted_out: new Set(optedOut),
  });

describe('the MIS steps due', () => {
  it('before 15:05 nothing; at 15:05 the equity warning with the positions and their P&L', () => {
    expect(plan('15:04').steps).toEqual([]);
    const p = plan(
      '15:05',
      [],
      [pos({}), pos({ strategy_id: 5, strategy: 'optout', tradingsymbol: 'INFY', quantity: 10, pnl: 20 })],
      MONDAY,
      [5],
    );
    expect(p.steps.map((s) => `${s.segment} ${s.step}`)).toEqual(['equity warn']);
    expect(p.runs).toEqual([]);
    expect(p.warnings[0]!.message).toMatch(/NSE:SBIN \+20, P&L -150\.50/);
    expect(p.warnings[0]!.message).toMatch(/NSE:INFY \+10, P&L 20\.00 \(opted out/);
    expect(p.warnings[0]!.title).toBe('MIS square-off: equity at 15:10 IST');
  });

  it('at 15:10 the start: a square-off per opted-in strategy, escalating at 15:15; taken once', () => {
    const p = plan('15:10', [misStepKey(MONDAY, 'equity', 'warn')]);
    // F&O warns at 15:10 too (5 minutes later than equity, as its broker time is).
    expect(p.steps.map((s) => `${s.segment} ${s.step}`)).toEqual(['equity start', 'fno warn']);
    expect(p.runs).toEqual([
      { strategy_id: 2, segment: 'equity', step: 'start', escalate_at: istInstant(MONDAY, '15:15') },
    ]);
    const taken = [
      misStepKey(MONDAY, 'equity', 'warn'),
      misStepKey(MONDAY, 'equity', 'start'),
      misStepKey(MONDAY, 'fno', 'warn'),
    ];
    expect(plan('15:11', taken).steps).toEqual([]);
  });

  it('somd started late, at 15:16: the warning and the force at once (escalated now), the start skipped', () => {
    const p = plan('15:16');
    expect(p.steps.filter((s) => s.segment === 'equity').map((s) => s.step)).toEqual(['warn', 'start', 'force']);
    expect(p.runs.map((r) => [r.step, r.escalate_at.toISOString()])).toEqual([
      ['force', istInstant(MONDAY, '15:16').toISOString()],
    ]);
  });

  it("past the broker's 15:20 nothing is sent: the broker has squared off", () => {
    expect(plan('15:21').steps.filter((s) => s.segment === 'equity')).toEqual([]);
  });

  it('each segment on its own: F&O positions at F&O times; a holiday is skipped', () => {
    const fno = pos({ exchange: 'NFO', tradingsymbol: 'NIFTY26DECFUT', quantity: 65 });
    expect(
      plan('15:15', [misStepKey(MONDAY, 'equity', 'warn'), misStepKey(MONDAY, 'equity', 'start')], [fno]).runs,
    ).toEqual([{ strategy_id: 2, segment: 'fno', step: 'start', escalate_at: istInstant(MONDAY, '15:20') }]);
    // 2026-11-24, Guru Nanak Jayanti: NSE shut; MCX trades its evening only.
    const holiday = plan('15:16', [], [pos({})], '2026-11-24');
    expect(holiday.steps).toEqual([]);
    expect(holiday.statuses.find((s) => s.segment === 'equity')?.phase).toBe('closed');
    expect(misSegmentOf('BFO')).toBe('fno');
    expect(misSegmentOf('MCX')).toBe('commodity');
  });
});
