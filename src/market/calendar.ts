/**
 * The trading calendar: which IST dates each exchange trades on.
 *
 * The data is one file a year under `./calendar/`. A day is a trading day for an exchange when
 * it is a weekday that is not one of the exchange's holidays, or when a special session that
 * counts as a trading day (a Sunday Budget session) lists the exchange. For MCX a day with only
 * its morning or only its evening session is still a trading day: MCX settles and expires
 * contracts on such days.
 *
 * Every answer carries how far to trust it. A year whose file is marked provisional (2027 until
 * the exchanges publish its list) and a year with no file at all (weekends are the only
 * closures then) both report `provisional: true`; `status` tells the two apart.
 *
 * Exchange groups: NSE, NFO and CDS follow NSE's list; BSE, BFO and BCD follow BSE's; MCX
 * follows its own. NCO (NSE's commodity segment) has no list in our sources and is assumed to
 * follow MCX's, since both keep commodity evening sessions on equity holidays.
 *
 * Dates are `YYYY-MM-DD` strings for the IST calendar day. A malformed date is a caller's bug
 * and throws RangeError (validate input with `isIsoDate` from ./ist.js).
 */
import type { Exchange } from '../domain/instrument.js';
import { CALENDAR_YEARS } from './calendar/index.js';
import type { Holiday, McxHoliday, SpecialSession, YearCalendar } from './calendar/types.js';
import { addDays, compareDates, isWeekend, parseDate } from './ist.js';

export type { Holiday, McxHoliday, SpecialSession, YearCalendar } from './calendar/types.js';

/** Which holiday list an exchange follows. */
export type CalendarGroup = 'NSE' | 'BSE' | 'MCX';

const GROUP_OF: Record<Exchange, CalendarGroup> = {
  NSE: 'NSE',
  NFO: 'NSE',
  CDS: 'NSE',
  BSE: 'BSE',
  BFO: 'BSE',
  BCD: 'BSE',
  MCX: 'MCX',
  NCO: 'MCX',
};

/** The holiday list an exchange follows. */
export function calendarGroup(exchange: Exchange): CalendarGroup {
  return GROUP_OF[exchange];
}

/**
 * How a date's year is known: `published` (the exchanges' own list), `provisional` (a file
 * exists but is our guess), `missing` (no file: weekends are the only closures assumed).
 */
export type CalendarStatus = 'published' | 'provisional' | 'missing';

/** A closure on a date: the whole day, or one of MCX's two sessions. */
export interface Closure {
  name: string;
  closed: 'all' | 'morning' | 'evening';
}

/** Everything the calendar knows about one date for one exchange. */
export interface DayInfo {
  date: string;
  exchange: Exchange;
  /** Trades on this date (see the module comment for what counts). */
  tradingDay: boolean;
  weekend: boolean;
  /** The holiday that closes the exchange (or, for MCX, one of its sessions) that day. */
  holiday: Closure | null;
  /** A special session for this exchange on this date. */
  special: SpecialSession | null;
  status: CalendarStatus;
  /** True unless the year's data is the exchanges' published list. */
  provisional: boolean;
}

interface YearIndex {
  data: YearCalendar;
  closures: Record<CalendarGroup, Map<string, Closure>>;
  specials: Map<string, SpecialSession>;
}

function indexYear(data: YearCalendar): YearIndex {
  const byDate = (list: readonly (Holiday | McxHoliday)[]): Map<string, Closure> =>
    new Map(list.map((h) => [h.date, { name: h.name, closed: 'closed' in h ? h.closed : 'all' }]));
  return {
    data,
    closures: { NSE: byDate(data.holidays.NSE), BSE: byDate(data.holidays.BSE), MCX: byDate(data.holidays.MCX) },
    specials: new Map(data.specialSessions.map((s) => [s.date, s])),
  };
}

/** Longest run of closed days we expect; a longer search means broken data. */
const MAX_CLOSED_RUN = 60;

/**
 * A trading calendar over a set of year files. Most callers use `defaultCalendar` (the years
 * shipped with som); tests and a user's corrections can build their own.
 */
export class TradingCalendar {
  readonly #years = new Map<number, YearIndex>();

  constructor(years: readonly YearCalendar[]) {
    for (const y of years) this.#years.set(y.year, indexYear(y));
  }

  /** The years this calendar has files for, ascending. */
  years(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  /** How the data for `year` is known. */
  yearStatus(year: number): { status: CalendarStatus; provisional: boolean } {
    const y = this.#years.get(year);
    if (!y) return { status: 'missing', provisional: true };
    return y.data.provisional
      ? { status: 'provisional', provisional: true }
      : { status: 'published', provisional: false };
  }

  /** The special session on `date` that lists `exchange`, if any. */
  specialSession(date: string, exchange: Exchange): SpecialSession | null {
    const s = this.#year(date)?.specials.get(date);
    return s?.hours[exchange] ? s : null;
  }

  /** All special sessions of a year, in date order. */
  specialSessions(year: number): SpecialSession[] {
    const y = this.#years.get(year);
    return y ? [...y.data.specialSessions].sort((a, b) => compareDates(a.date, b.date)) : [];
  }

  /** The holidays of `exchange`'s group in `year` (for MCX, including half-day closures). */
  holidays(year: number, exchange: Exchange): Array<Holiday & Partial<Pick<McxHoliday, 'closed'>>> {
    const y = this.#years.get(year);
    if (!y) return [];
    return [...y.data.holidays[calendarGroup(exchange)]];
  }

  /** Everything known about `date` (`YYYY-MM-DD`, IST) for `exchange`. */
  dayInfo(date: string, exchange: Exchange): DayInfo {
    const { year } = parseDate(date);
    const { status, provisional } = this.yearStatus(year);
    const weekend = isWeekend(date);
    const holiday = this.#year(date)?.closures[calendarGroup(exchange)].get(date) ?? null;
    const special = this.specialSession(date, exchange);
    let tradingDay: boolean;
    if (special) tradingDay = special.tradingDay;
    else if (weekend) tradingDay = false;
    else tradingDay = holiday === null || holiday.closed !== 'all';
    return { date, exchange, tradingDay, weekend, holiday, special, status, provisional };
  }

  /** True when `exchange` trades on `date`. */
  isTradingDay(date: string, exchange: Exchange): boolean {
    return this.dayInfo(date, exchange).tradingDay;
  }

  /** The first trading day strictly after `date`. */
  nextTradingDay(date: string, exchange: Exchange): string {
    return this.#step(date, exchange, 1);
  }

  /** The last trading day strictly before `date`. */
  previousTradingDay(date: string, exchange: Exchange): string {
    return this.#step(date, exchange, -1);
  }

  /** `date` itself when it is a trading day, else the trading day before it. */
  onOrBeforeTradingDay(date: string, exchange: Exchange): string {
    return this.isTradingDay(date, exchange) ? date : this.previousTradingDay(date, exchange);
  }

  /** The trading days from `from` to `to`, both included, in order (empty if `to` < `from`). */
  tradingDaysBetween(from: string, to: string, exchange: Exchange): string[] {
    const out: string[] = [];
    for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) {
      if (this.isTradingDay(d, exchange)) out.push(d);
    }
    return out;
  }

  #year(date: string): YearIndex | undefined {
    return this.#years.get(parseDate(date).year);
  }

  #step(date: string, exchange: Exchange, dir: 1 | -1): string {
    let d = date;
    for (let i = 0; i < MAX_CLOSED_RUN; i++) {
      d = addDays(d, dir);
      if (this.isTradingDay(d, exchange)) return d;
    }
    throw new RangeError(
      `no ${exchange} trading day within ${MAX_CLOSED_RUN} days of ${date}: calendar data is broken`,
    );
  }
}

/** The calendar built from the year files shipped with som. */
export const defaultCalendar = new TradingCalendar(CALENDAR_YEARS);

/** True when `exchange` trades on `date` (`YYYY-MM-DD`, IST). */
export function isTradingDay(date: string, exchange: Exchange, calendar: TradingCalendar = defaultCalendar): boolean {
  return calendar.isTradingDay(date, exchange);
}

/** The first trading day strictly after `date`. */
export function nextTradingDay(date: string, exchange: Exchange, calendar: TradingCalendar = defaultCalendar): string {
  return calendar.nextTradingDay(date, exchange);
}

/** The last trading day strictly before `date`. */
export function previousTradingDay(
  date: string,
  exchange: Exchange,
  calendar: TradingCalendar = defaultCalendar,
): string {
  return calendar.previousTradingDay(date, exchange);
}

/** The trading days from `from` to `to`, both included. The count is its `length`. */
export function tradingDaysBetween(
  from: string,
  to: string,
  exchange: Exchange,
  calendar: TradingCalendar = defaultCalendar,
): string[] {
  return calendar.tradingDaysBetween(from, to, exchange);
}

/** The special session (Budget day, Muhurat) on `date` for `exchange`, if any. */
export function specialSession(
  date: string,
  exchange: Exchange,
  calendar: TradingCalendar = defaultCalendar,
): SpecialSession | null {
  return calendar.specialSession(date, exchange);
}

/** Everything known about `date` for `exchange`, including whether the data is provisional. */
export function dayInfo(date: string, exchange: Exchange, calendar: TradingCalendar = defaultCalendar): DayInfo {
  return calendar.dayInfo(date, exchange);
}
