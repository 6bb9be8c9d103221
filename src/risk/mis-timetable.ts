/**
 * The MIS square-off timetable: for each segment, when to warn, start and force on a day, and
 * which of those steps is due now.
 *
 * Segments are Zerodha's square-off groups: equity (NSE, BSE), F&O (NFO, BFO), currency (CDS,
 * BCD) and commodity (MCX). Each step is minutes before the broker's own square-off that day
 * (src/market/sessions.ts: equity 15:20, F&O 15:25, currency 16:45, MCX 25 minutes before its
 * close; a special session's listed times) or a fixed IST time. A fixed time that is not before
 * the broker's square-off that day (a short special session) falls back to the default minutes
 * for its step; no step is earlier than the session's opening; and the steps are kept in order
 * (a start before its warning moves to the warning's time).
 *
 * A segment whose exchange has no session that day (weekend, holiday) is `closed`; MCX's
 * half-day closures move its square-off with the session's end. The segment table is
 * configuration (`[risk] mis_equity` ...), so a new closing session or a different broker time
 * needs no release.
 */
import { DEFAULT_MIS_MINUTES, type MisSegmentSteps, type MisStep, type RiskConfig } from '../config/risk.js';
import type { Exchange } from '../domain/instrument.js';
import type { SquareOffSegment } from '../market/calendar/types.js';
import { defaultCalendar, type TradingCalendar } from '../market/calendar.js';
import { istDate, istInstant } from '../market/ist.js';
import { sessionTimes, squareOffTime } from '../market/sessions.js';

export type MisSegment = SquareOffSegment;
export const MIS_SEGMENTS: readonly MisSegment[] = ['equity', 'fno', 'currency', 'commodity'];

/** The exchange whose session and square-off time stand for each segment (BSE's are NSE's). */
export const MIS_SEGMENT_EXCHANGE: Readonly<Record<MisSegment, Exchange>> = {
  equity: 'NSE',
  fno: 'NFO',
  currency: 'CDS',
  commodity: 'MCX',
};

export type MisTimetable = Readonly<Record<MisSegment, MisSegmentSteps>>;

export type MisStepName = 'warn' | 'start' | 'force';

/**
 * Where a segment stands: `closed` (no session today), `before` the warning, `warn`, `start`,
 * `force` (each from its time until the next), `after` the broker's own square-off.
 */
export type MisPhase = 'closed' | 'before' | MisStepName | 'after';

/** One segment's steps on one day, as instants. */
export interface MisDay {
  segment: MisSegment;
  date: string;
  warn: Date;
  start: Date;
  force: Date;
  /** The broker's own square-off. */
  broker: Date;
}

export interface MisStatus {
  segment: MisSegment;
  /** The IST date looked at. */
  date: string;
  phase: MisPhase;
  /** The day's steps; null when the segment is closed. */
  day: MisDay | null;
  /** The next step still to come today, or null. */
  next: { step: MisStepName; at: Date } | null;
}

/** The timetable in `[risk]`, by segment. */
export function misTimetable(
  config: Pick<RiskConfig, 'mis_equity' | 'mis_fno' | 'mis_currency' | 'mis_commodity'>,
): MisTimetable {
  return {
    equity: config.mis_equity,
    fno: config.mis_fno,
    currency: config.mis_currency,
    commodity: config.mis_commodity,
  };
}

/** A segment's steps on `date` (`YYYY-MM-DD`, IST), or null when it has no session that day. */
export function misDay(
  date: string,
  segment: MisSegment,
  steps: MisSegmentSteps,
  calendar: TradingCalendar = defaultCalendar,
): MisDay | null {
  const exchange = MIS_SEGMENT_EXCHANGE[segment];
  const session = sessionTimes(date, exchange, calendar);
  const broker = squareOffTime(date, exchange, segment, calendar);
  if (!session || !broker) return null;
  const open = istInstant(date, session.normal[0]).getTime();
  const at = (name: MisStepName, step: MisStep): number => {
    const minutesBefore = (m: number): number => broker.getTime() - m * 60_000;
    let t = typeof step === 'number' ? minutesBefore(step) : istInstant(date, step).getTime();
    if (t >= broker.getTime()) t = minutesBefore(DEFAULT_MIS_MINUTES[name]);
    return Math.max(t, open);
  };
  const warn = at('warn', steps.warn);
  const start = Math.max(warn, at('start', steps.start));
  const force = Math.max(start, at('force', steps.force));
  return { segment, date, warn: new Date(warn), start: new Date(start), force: new Date(force), broker };
}

/** Each segment's phase at `now`, in the order of MIS_SEGMENTS. */
export function misStatus(
  now: Date,
  timetable: MisTimetable,
  calendar: TradingCalendar = defaultCalendar,
): MisStatus[] {
  const date = istDate(now);
  const t = now.getTime();
  return MIS_SEGMENTS.map((segment): MisStatus => {
    const day = misDay(date, segment, timetable[segment], calendar);
    if (!day) return { segment, date, phase: 'closed', day: null, next: null };
    const steps: Array<[MisStepName, Date]> = [
      ['warn', day.warn],
      ['start', day.start],
      ['force', day.force],
    ];
    let phase: MisPhase = 'before';
    let next: MisStatus['next'] = null;
    for (const [step, at] of steps) {
      if (at.getTime() <= t) phase = step;
      else if (!next) next = { step, at };
    }
    if (t >= day.broker.getTime()) phase = 'after';
    return { segment, date, phase, day, next };
  });
}
