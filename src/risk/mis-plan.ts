/**
 * What the MIS timetable asks of som now: the steps due in each segment (warn, start, force;
 * mis-timetable.ts says when) that have not been taken today, and what each does.
 *
 * - warn: an alert listing the segment's MIS positions with their P&L, and which of them som
 *   will square off (a strategy may opt out with `mis_auto_square_off = false`; the broker then
 *   squares it off at its own time, for its fee).
 * - start: a square-off of each opted-in strategy's MIS positions in the segment, escalating
 *   at the force step.
 * - force: whatever is left, or opened since, exits with protected marketable orders now.
 *
 * A step is taken once a day, in order. somd starting late takes the steps it missed at once
 * (a warning, then the force step's square-off when it is already past force). Past the
 * broker's own square-off nothing is sent: the broker has done it. A segment whose exchange
 * does not trade that day (a holiday, a weekend) is closed and skipped.
 */
import { istTime } from '../market/ist.js';
import { type MisSegment, type MisStatus, type MisStepName, type MisTimetable, misStatus } from './mis-timetable.js';

/** The exchanges of each MIS segment (Zerodha's square-off groups). */
export const MIS_SEGMENT_EXCHANGES: Readonly<Record<MisSegment, readonly string[]>> = {
  equity: ['NSE', 'BSE'],
  fno: ['NFO', 'BFO'],
  currency: ['CDS', 'BCD'],
  commodity: ['MCX', 'NCO'],
};

/** The segment an exchange's MIS positions are squared off with, or null for an unknown exchange. */
export function misSegmentOf(exchange: string): MisSegment | null {
  for (const [segment, exchanges] of Object.entries(MIS_SEGMENT_EXCHANGES) as [MisSegment, readonly string[]][]) {
    if (exchanges.includes(exchange)) return segment;
  }
  return null;
}

/** An MIS position (a strategy's share) and its P&L today. */
export interface MisPosition {
  strategy_id: number;
  strategy: string;
  exchange: string;
  tradingsymbol: string;
  quantity: number;
  pnl: number;
}

export interface MisStepDue {
  segment: MisSegment;
  date: string;
  step: MisStepName;
  /** When the step was due. */
  at: Date;
}

export interface MisRunStart {
  strategy_id: number;
  segment: MisSegment;
  /** start: escalate at the force step; force: escalate now. */
  step: 'start' | 'force';
  escalate_at: Date;
}

export interface MisWarning {
  segment: MisSegment;
  title: string;
  message: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
}

export interface MisPlan {
  statuses: MisStatus[];
  /** Steps to record as taken, in order. */
  steps: MisStepDue[];
  warnings: MisWarning[];
  runs: MisRunStart[];
}

export interface MisPlanInput {
  now: Date;
  timetable: MisTimetable;
  /** Steps already taken, as `YYYY-MM-DD:segment:step`. */
  taken: ReadonlySet<string>;
  /** Open MIS positions (strategies' shares, non-zero). */
  positions: readonly MisPosition[];
  /** Strategies that opted out of som's MIS square-off. */
  opted_out: ReadonlySet<number>;
}

const ORDER: readonly MisStepName[] = ['warn', 'start', 'force'];

/** The key a step is recorded under. */
export function misStepKey(date: string, segment: MisSegment, step: MisStepName): string {
  return `${date}:${segment}:${step}`;
}

/** The steps due now and their actions (see the module comment). */
export function planMisSteps(input: MisPlanInput, calendar?: Parameters<typeof misStatus>[2]): MisPlan {
  const statuses = misStatus(input.now, input.timetable, calendar);
  const plan: MisPlan = { statuses, steps: [], warnings: [], runs: [] };
  for (const s of statuses) {
    if (!s.day || s.phase === 'closed' || s.phase === 'before' || s.phase === 'after') continue;
    const reached = ORDER.slice(0, ORDER.indexOf(s.phase) + 1);
    const positions = input.positions.filter((p) => misSegmentOf(p.exchange) === s.segment && p.quantity !== 0);
    for (const step of reached) {
      if (input.taken.has(misStepKey(s.date, s.segment, step))) continue;
      const at = s.day[step];
      plan.steps.push({ segment: s.segment, date: s.date, step, at });
      if (step === 'warn') {
        plan.warnings.push(warning(s, positions, input.opted_out));
        continue;
      }
      // The force step takes over a start that was never taken (somd started late).
      if (step === 'start' && reached.includes('force')) continue;
      for (const strategyId of new Set(positions.map((p) => p.strategy_id))) {
        if (input.opted_out.has(strategyId)) continue;
        plan.runs.push({
          strategy_id: strategyId,
          segment: s.segment,
          step,
          escalate_at: step === 'force' ? input.now : s.day.force,
        });
      }
    }
  }
  return plan;
}

function warning(s: MisStatus, positions: readonly MisPosition[], optedOut: ReadonlySet<number>): MisWarning {
  const day = s.day!;
  const hhmm = (d: Date) => istTime(d).slice(0, 5);
  const lines = positions.map(
    (p) =>
      `${p.strategy}: ${p.exchange}:${p.tradingsymbol} ${p.quantity > 0 ? '+' : ''}${p.quantity}, P&L ${p.pnl.toFixed(2)}` +
      (optedOut.has(p.strategy_id) ? ' (opted out: the broker squares it off)' : ''),
  );
  const total = positions.reduce((sum, p) => sum + p.pnl, 0);
  return {
    segment: s.segment,
    title: `MIS square-off: ${s.segment} at ${hhmm(day.start)} IST`,
    message:
      positions.length === 0
        ? `No open MIS position in ${s.segment}. som squares off at ${hhmm(day.start)}, forces at ${hhmm(day.force)}; the broker at ${hhmm(day.broker)}.`
        : `${positions.length} open MIS position${positions.length === 1 ? '' : 's'} in ${s.segment}, P&L ${total.toFixed(2)}: ${lines.join('; ')}. som squares off at ${hhmm(day.start)} IST and forces at ${hhmm(day.force)}, before the broker's ${hhmm(day.broker)} (its square-off costs a fee).`,
    dedupeKey: `mis-warn:${s.date}:${s.segment}`,
    payload: {
      segment: s.segment,
      date: s.date,
      start: day.start.toISOString(),
      force: day.force.toISOString(),
      broker: day.broker.toISOString(),
      positions: positions.map((p) => ({ ...p, opted_out: optedOut.has(p.strategy_id) })),
    },
  };
}
