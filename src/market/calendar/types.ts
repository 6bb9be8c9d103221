/**
 * Shapes of the trading-calendar data files (one file a year: `2026.ts`, `2027.ts`, ...).
 *
 * A year file lists only what differs from an ordinary weekday: exchange holidays, MCX's
 * half-day closures and special sessions (a Sunday Budget session, Muhurat trading). Regular
 * session hours live in `../sessions.ts`; they apply on every weekday that is not a holiday.
 */
import type { Exchange } from '../../domain/instrument.js';

/** `[start, end)` as IST wall times `HH:MM`. */
export type TimeRange = readonly [start: string, end: string];

/** The phases of one exchange's trading day. Missing phases do not happen that day. */
export interface SessionTimes {
  /** Call-auction pre-open (orders collected, matched at its end). */
  preOpen?: TimeRange;
  /** Continuous trading. */
  normal: TimeRange;
  /** Post-close session at the closing price (cash market only). */
  closing?: TimeRange;
}

/** A day an exchange group is closed. */
export interface Holiday {
  date: string;
  name: string;
}

/**
 * MCX trades in a morning session (09:00-17:00) and an evening session (17:00-close). On most
 * NSE holidays MCX closes only the morning session; on a few days only the evening one.
 */
export interface McxHoliday extends Holiday {
  closed: 'all' | 'morning' | 'evening';
}

/** Zerodha's MIS auto square-off groups (see `../sessions.ts`). */
export type SquareOffSegment = 'equity' | 'fno' | 'currency' | 'commodity';

/**
 * A one-off session. For each exchange it lists, it replaces that day's whole schedule (so a
 * Sunday can trade); exchanges it does not list keep their ordinary rules for the day.
 */
export interface SpecialSession {
  date: string;
  name: string;
  /**
   * Whether the day counts as a trading day (for next/previous trading day and for moving an
   * expiry off a holiday). True for a full Budget-day session, false for the symbolic hour of
   * Muhurat trading.
   */
  tradingDay: boolean;
  /** False when the times are our assumption because no circular was found. */
  timesConfirmed: boolean;
  /** Hours of each exchange that trades in this session. */
  hours: Partial<Record<Exchange, SessionTimes>>;
  /** Zerodha's MIS square-off time for the session (IST `HH:MM`), when it differs from the usual rule. */
  squareOff?: Partial<Record<SquareOffSegment, string>>;
  source: string;
}

/** One calendar year of exchange data. */
export interface YearCalendar {
  year: number;
  /**
   * True when the exchanges have not published the year's list and the file is our best guess
   * (weekends and fixed-date national holidays only).
   */
  provisional: boolean;
  /** Where the data comes from, for a human checking it. */
  sources: readonly string[];
  holidays: {
    /** NSE: cash (NSE), F&O (NFO), currency (CDS). */
    NSE: readonly Holiday[];
    /** BSE: cash (BSE), F&O (BFO), currency (BCD). */
    BSE: readonly Holiday[];
    /** MCX (and, by assumption, NSE's commodity segment NCO). */
    MCX: readonly McxHoliday[];
  };
  specialSessions: readonly SpecialSession[];
}
