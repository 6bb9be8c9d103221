/**
 * Market hours per exchange, and Zerodha's MIS auto square-off times.
 *
 * All times are IST wall times. Sources: reference/india-markets.md section 4, NSE's circular on
 * the F&O pre-open session (from 2025-12-08, 09:00-09:15, current-month futures only), MCX
 * contract specifications (09:00 to 23:30 during US daylight saving time, else 23:55), Zerodha's
 * square-off times (equity 15:20, F&O 15:25, currency 16:45, MCX 25 minutes before close).
 *
 * Sessions are half-open intervals `[start, end)`: at 09:15:00 NSE is in its normal session,
 * at 15:30:00 it is not. Between two phases (15:30-15:40 on NSE) the phase is `closed`.
 */
import type { Exchange } from '../domain/instrument.js';
import type { SessionTimes, SpecialSession, SquareOffSegment } from './calendar/types.js';
import { defaultCalendar, type TradingCalendar } from './calendar.js';
import { addDays, istDate, istInstant, minutesOf } from './ist.js';
import { usDaylightTime } from './us-calendar.js';

export type { SessionTimes, SquareOffSegment } from './calendar/types.js';

export type SessionPhase = 'closed' | 'pre_open' | 'normal' | 'closing';

/** Ordinary weekday hours of the exchanges whose hours do not change through the year. */
export const REGULAR_HOURS: Readonly<Record<Exclude<Exchange, 'MCX' | 'NCO'>, SessionTimes>> = {
  NSE: { preOpen: ['09:00', '09:15'], normal: ['09:15', '15:30'], closing: ['15:40', '16:00'] },
  BSE: { preOpen: ['09:00', '09:15'], normal: ['09:15', '15:30'], closing: ['15:40', '16:00'] },
  // Pre-open applies to current-month index and stock futures only (NSE, from 2025-12-08);
  // options trade from 09:15. BSE's F&O segment has no pre-open in our sources.
  NFO: { preOpen: ['09:00', '09:15'], normal: ['09:15', '15:30'] },
  BFO: { normal: ['09:15', '15:30'] },
  CDS: { normal: ['09:00', '17:00'] },
  BCD: { normal: ['09:00', '17:00'] },
};

/** NSE F&O had no pre-open session before this date. */
export const NFO_PRE_OPEN_FROM = '2025-12-08';

/**
 * MCX non-agricultural commodities (and, by assumption, NSE's commodity segment NCO): one
 * continuous session split at 17:00 into "morning" and "evening" for holiday purposes.
 */
export const MCX_HOURS = {
  open: '09:00',
  eveningOpen: '17:00',
  /** Close while US daylight saving time is in force. */
  closeUsDaylight: '23:30',
  /** Close otherwise. */
  closeUsStandard: '23:55',
} as const;

/**
 * Zerodha's MIS auto square-off, as minutes before the normal session's end: equity 15:20
 * (close 15:30), F&O 15:25, currency 16:45 (close 17:00), MCX 25 minutes before close.
 * Expressing them relative to the close carries them over to special sessions whose hours
 * differ (a Muhurat session lists its own times instead).
 */
export const SQUARE_OFF_MINUTES_BEFORE_CLOSE: Readonly<Record<SquareOffSegment, number>> = {
  equity: 10,
  fno: 5,
  currency: 15,
  commodity: 25,
};

/** The square-off group an exchange's instruments fall in unless told otherwise. */
export function squareOffSegmentOf(exchange: Exchange): SquareOffSegment {
  switch (exchange) {
    case 'NSE':
    case 'BSE':
      return 'equity';
    case 'NFO':
    case 'BFO':
      return 'fno';
    case 'CDS':
    case 'BCD':
      return 'currency';
    case 'MCX':
    case 'NCO':
      return 'commodity';
  }
}

/** The MCX closing time on a date. */
export function mcxClose(date: string): string {
  return usDaylightTime(date) ? MCX_HOURS.closeUsDaylight : MCX_HOURS.closeUsStandard;
}

/** One phase of one day, as instants. */
export interface SessionInterval {
  phase: Exclude<SessionPhase, 'closed'>;
  start: Date;
  end: Date;
}

/** The session times `exchange` keeps on `date`, or null when it does not trade at all. */
export function sessionTimes(
  date: string,
  exchange: Exchange,
  calendar: TradingCalendar = defaultCalendar,
): SessionTimes | null {
  const special = calendar.specialSession(date, exchange);
  if (special) return special.hours[exchange] ?? null;
  const info = calendar.dayInfo(date, exchange);
  if (!info.tradingDay) return null;
  if (exchange === 'MCX' || exchange === 'NCO') {
    const close = mcxClose(date);
    switch (info.holiday?.closed) {
      case 'morning':
        return { normal: [MCX_HOURS.eveningOpen, close] };
      case 'evening':
        return { normal: [MCX_HOURS.open, MCX_HOURS.eveningOpen] };
      default:
        return { normal: [MCX_HOURS.open, close] };
    }
  }
  const regular = REGULAR_HOURS[exchange];
  if (exchange === 'NFO' && date < NFO_PRE_OPEN_FROM) return { normal: regular.normal };
  return regular;
}

/** The phases of `exchange`'s day on `date`, in time order (empty when it does not trade). */
export function daySchedule(
  date: string,
  exchange: Exchange,
  calendar: TradingCalendar = defaultCalendar,
): SessionInterval[] {
  const t = sessionTimes(date, exchange, calendar);
  if (!t) return [];
  const out: SessionInterval[] = [];
  const add = (phase: SessionInterval['phase'], r: readonly [string, string] | undefined): void => {
    if (r) out.push({ phase, start: istInstant(date, r[0]), end: istInstant(date, r[1]) });
  };
  add('pre_open', t.preOpen);
  add('normal', t.normal);
  add('closing', t.closing);
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Where an exchange stands at an instant. */
export interface SessionState {
  phase: SessionPhase;
  /** The IST date of the instant. */
  date: string;
  /** Start of the next normal session strictly after the instant. */
  nextOpen: Date;
  /** End of the normal session in progress, or else of the next one. */
  nextClose: Date;
  /** The special session the instant falls on, if any. */
  special: SpecialSession | null;
  /** True when the answer rests on provisional or missing calendar data. */
  provisional: boolean;
}

/** How far ahead to look for the next session: longer than any run of closed days. */
const SEARCH_DAYS = 30;

/** The phase of `exchange` at `instant`, with the next open and close. */
export function sessionAt(
  instant: Date,
  exchange: Exchange,
  calendar: TradingCalendar = defaultCalendar,
): SessionState {
  const date = istDate(instant);
  const t = instant.getTime();
  let phase: SessionPhase = 'closed';
  for (const s of daySchedule(date, exchange, calendar)) {
    if (s.start.getTime() <= t && t < s.end.getTime()) phase = s.phase;
  }
  let nextOpen: Date | null = null;
  let nextClose: Date | null = null;
  let provisional = calendar.dayInfo(date, exchange).provisional;
  for (let i = 0; i < SEARCH_DAYS && (!nextOpen || !nextClose); i++) {
    const d = addDays(date, i);
    if (i > 0) provisional ||= calendar.dayInfo(d, exchange).provisional;
    for (const s of daySchedule(d, exchange, calendar)) {
      if (s.phase !== 'normal') continue;
      if (!nextOpen && s.start.getTime() > t) nextOpen = s.start;
      if (!nextClose && s.end.getTime() > t) nextClose = s.end;
    }
  }
  if (!nextOpen || !nextClose) {
    throw new RangeError(`no ${exchange} session within ${SEARCH_DAYS} days of ${date}: calendar data is broken`);
  }
  return { phase, date, nextOpen, nextClose, special: calendar.specialSession(date, exchange), provisional };
}

/**
 * Zerodha's MIS auto square-off instant on `date` for `exchange`'s instruments (or for the
 * `segment` given), or null when the exchange has no normal session that day.
 */
export function squareOffTime(
  date: string,
  exchange: Exchange,
  segment: SquareOffSegment = squareOffSegmentOf(exchange),
  calendar: TradingCalendar = defaultCalendar,
): Date | null {
  const t = sessionTimes(date, exchange, calendar);
  if (!t) return null;
  const listed = calendar.specialSession(date, exchange)?.squareOff?.[segment];
  if (listed) return istInstant(date, listed);
  const closeMinutes = minutesOf(t.normal[1]) - SQUARE_OFF_MINUTES_BEFORE_CLOSE[segment];
  return new Date(istInstant(date, '00:00').getTime() + closeMinutes * 60_000);
}
