/**
 * Expiry dates of Indian exchange-traded derivatives.
 *
 * NSE and BSE (reference/india-markets.md section 4; contracts expiring from 2025-09-01):
 * - NIFTY weekly options expire every Tuesday; NSE monthly contracts (index and stock, futures
 *   and options) on the last Tuesday of the month. BANKNIFTY and the other NSE indices have
 *   monthly contracts only.
 * - SENSEX weekly options expire every Thursday; BSE monthly contracts on the last Thursday.
 * - An expiry that falls on a holiday moves to the previous trading day.
 * Earlier weekdays are kept as a dated table so that old symbols still resolve: NSE expired on
 * Thursdays until 2025-08-31; BSE on Fridays from 2023-05-15 and on Tuesdays during 2025
 * (press reports; these historical rows are best effort and not needed for live trading).
 *
 * MCX (researched for the contracts the paper exchange lists):
 * - CRUDEOIL, CRUDEOILM: the business day before NYMEX WTI's last trading day, counting only
 *   days when both MCX and CME are open. NYMEX WTI stops 3 CME business days before the 25th
 *   of the month (4 when the 25th is not a business day). This reproduces all twelve 2026
 *   expiries MCX published (Groww's table: Jan 16, Feb 19, ..., Dec 18).
 * - NATURALGAS, NATGASMINI: the day before NYMEX Henry Hub's last trading day (3 CME business
 *   days before the first day of the next month), both exchanges open (Jan 27, 2026 published).
 * - Options on those four: 2 MCX business days before the futures expiry (MCX contract
 *   specification for CRUDEOILM options; matches the published 2026 option dates).
 * - GOLD (Feb/Apr/Jun/Aug/Oct/Dec), GOLDM (every month), SILVER (Mar/May/Jul/Sep/Dec): the 5th
 *   of the contract month, or the MCX trading day before it.
 * - SILVERM, SILVERMIC (Feb/Apr/Jun/Aug/Nov): the last MCX trading day of the month.
 * Options on bullion expire in the previous month by their own calendar and are not modelled.
 *
 * Dates are `YYYY-MM-DD` in IST.
 */

import type { Exchange } from '../domain/instrument.js';
import { defaultCalendar, type TradingCalendar } from './calendar.js';
import {
  addDays,
  daysInMonth,
  FRIDAY,
  formatDate,
  lastWeekdayOfMonth,
  parseDate,
  THURSDAY,
  TUESDAY,
  weekday,
} from './ist.js';
import { cmeBusinessDaysBefore, isCmeBusinessDay } from './us-calendar.js';

export type ExpiryVenue = 'NSE' | 'BSE' | 'MCX';

/** Futures, or options (which on MCX expire before their futures). */
export type ContractKind = 'FUT' | 'OPT';

/** The exchange whose calendar moves a venue's expiries off holidays. */
const CALENDAR_EXCHANGE: Record<ExpiryVenue, Exchange> = { NSE: 'NFO', BSE: 'BFO', MCX: 'MCX' };

/** Index underlyings whose derivatives trade on BSE (BFO); every other non-MCX name is NSE's. */
export const BSE_UNDERLYINGS: ReadonlySet<string> = new Set(['SENSEX', 'BANKEX', 'SENSEX50']);

/** Underlyings with weekly options today (NSE discontinued the others' weeklies in Nov 2024). */
export const WEEKLY_UNDERLYINGS: ReadonlySet<string> = new Set(['NIFTY', 'SENSEX']);

/** The weekday expiries fall on, by the date a rule took effect (each row until the next). */
export const EXPIRY_WEEKDAY_RULES: Readonly<Record<'NSE' | 'BSE', readonly { from: string; weekday: number }[]>> = {
  NSE: [
    { from: '0000-01-01', weekday: THURSDAY },
    { from: '2025-09-01', weekday: TUESDAY },
  ],
  BSE: [
    { from: '0000-01-01', weekday: THURSDAY },
    { from: '2023-05-15', weekday: FRIDAY },
    { from: '2025-01-01', weekday: TUESDAY },
    { from: '2025-09-01', weekday: THURSDAY },
  ],
};

type McxFuturesRule = 'nymex-crude' | 'nymex-natgas' | 'fifth' | 'month-end';

interface McxContractRule {
  /** Months (1-12) in which a contract expires. */
  months: readonly number[];
  futures: McxFuturesRule;
  /** Options expire this many MCX trading days before the futures; absent: no options modelled. */
  optionsBusinessDaysBeforeFutures?: number;
}

const EVERY_MONTH = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

/** MCX contracts by symbol (see the module comment for sources). */
export const MCX_CONTRACT_RULES: Readonly<Record<string, McxContractRule>> = {
  CRUDEOIL: { months: EVERY_MONTH, futures: 'nymex-crude', optionsBusinessDaysBeforeFutures: 2 },
  CRUDEOILM: { months: EVERY_MONTH, futures: 'nymex-crude', optionsBusinessDaysBeforeFutures: 2 },
  NATURALGAS: { months: EVERY_MONTH, futures: 'nymex-natgas', optionsBusinessDaysBeforeFutures: 2 },
  NATGASMINI: { months: EVERY_MONTH, futures: 'nymex-natgas', optionsBusinessDaysBeforeFutures: 2 },
  GOLD: { months: [2, 4, 6, 8, 10, 12], futures: 'fifth' },
  GOLDM: { months: EVERY_MONTH, futures: 'fifth' },
  SILVER: { months: [3, 5, 7, 9, 12], futures: 'fifth' },
  SILVERM: { months: [2, 4, 6, 8, 11], futures: 'month-end' },
  SILVERMIC: { months: [2, 4, 6, 8, 11], futures: 'month-end' },
};

/** Where an underlying's derivatives trade: MCX commodities, BSE indices, else NSE. */
export function expiryVenue(underlying: string): ExpiryVenue {
  if (underlying in MCX_CONTRACT_RULES) return 'MCX';
  if (BSE_UNDERLYINGS.has(underlying)) return 'BSE';
  return 'NSE';
}

/** True when the underlying has weekly option expiries. */
export function hasWeeklies(underlying: string): boolean {
  return WEEKLY_UNDERLYINGS.has(underlying);
}

function expiryWeekday(venue: 'NSE' | 'BSE', date: string): number {
  const rules = EXPIRY_WEEKDAY_RULES[venue];
  let wd = rules[0]?.weekday ?? THURSDAY;
  for (const r of rules) if (date >= r.from) wd = r.weekday;
  return wd;
}

/** The day before NYMEX's last trading day on which both MCX and CME are open. */
function dayBeforeNymex(nymexLastTradingDay: string, calendar: TradingCalendar): string {
  let d = nymexLastTradingDay;
  for (let i = 0; i < 30; i++) {
    d = addDays(d, -1);
    if (isCmeBusinessDay(d) && calendar.isTradingDay(d, 'MCX')) return d;
  }
  throw new RangeError(`no common MCX/CME business day before ${nymexLastTradingDay}`);
}

function mcxFuturesExpiry(rule: McxFuturesRule, year: number, month: number, calendar: TradingCalendar): string {
  switch (rule) {
    case 'nymex-crude': {
      // The NYMEX WTI contract for delivery next month stops trading in this month.
      const d25 = formatDate(year, month, 25);
      const ltd = cmeBusinessDaysBefore(d25, isCmeBusinessDay(d25) ? 3 : 4);
      return dayBeforeNymex(ltd, calendar);
    }
    case 'nymex-natgas': {
      const nextFirst = addDays(formatDate(year, month, daysInMonth(year, month)), 1);
      return dayBeforeNymex(cmeBusinessDaysBefore(nextFirst, 3), calendar);
    }
    case 'fifth':
      return calendar.onOrBeforeTradingDay(formatDate(year, month, 5), 'MCX');
    case 'month-end':
      return calendar.onOrBeforeTradingDay(formatDate(year, month, daysInMonth(year, month)), 'MCX');
  }
}

/**
 * The expiry of `underlying`'s contract for a month (month 1-12), or null when there is none:
 * an MCX commodity with no contract that month, or MCX options we do not model.
 * NSE/BSE futures and options share the date; on MCX `kind: 'OPT'` gives the options' expiry.
 */
export function monthlyExpiry(
  underlying: string,
  year: number,
  month: number,
  kind: ContractKind = 'FUT',
  calendar: TradingCalendar = defaultCalendar,
): string | null {
  const venue = expiryVenue(underlying);
  if (venue === 'MCX') {
    const rule = MCX_CONTRACT_RULES[underlying];
    if (!rule?.months.includes(month)) return null;
    const fut = mcxFuturesExpiry(rule.futures, year, month, calendar);
    if (kind === 'FUT') return fut;
    if (rule.optionsBusinessDaysBeforeFutures === undefined) return null;
    let d = fut;
    for (let i = 0; i < rule.optionsBusinessDaysBeforeFutures; i++) d = calendar.previousTradingDay(d, 'MCX');
    return d;
  }
  const lastDay = formatDate(year, month, daysInMonth(year, month));
  const nominal = lastWeekdayOfMonth(year, month, expiryWeekday(venue, lastDay));
  return calendar.onOrBeforeTradingDay(nominal, CALENDAR_EXCHANGE[venue]);
}

/** A monthly contract: its month and its expiry date. */
export interface MonthlyContract {
  year: number;
  month: number;
  expiry: string;
}

/**
 * The next `count` monthly contracts of `underlying` still trading on `from` (a contract
 * expiring on `from` trades that day), in expiry order.
 */
export function monthlyExpiries(
  underlying: string,
  from: string,
  count: number,
  kind: ContractKind = 'FUT',
  calendar: TradingCalendar = defaultCalendar,
): MonthlyContract[] {
  const out: MonthlyContract[] = [];
  let { year, month } = parseDate(from);
  for (let i = 0; i < 60 && out.length < count; i++) {
    const expiry = monthlyExpiry(underlying, year, month, kind, calendar);
    if (expiry !== null && expiry >= from) out.push({ year, month, expiry });
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return out;
}

/**
 * The next `count` weekly-cycle expiry dates of `underlying` on or after `from`, including the
 * one that is also the month's last (the monthly contract). Empty for underlyings without
 * weekly options.
 */
export function weeklyExpiries(
  underlying: string,
  from: string,
  count: number,
  calendar: TradingCalendar = defaultCalendar,
): string[] {
  const venue = expiryVenue(underlying);
  if (!hasWeeklies(underlying) || venue === 'MCX') return [];
  const out: string[] = [];
  // A nominal expiry only ever moves earlier, so nominal dates before `from` cannot qualify.
  for (let d = from, i = 0; out.length < count && i < count * 7 + 60; d = addDays(d, 1), i++) {
    if (weekday(d) !== expiryWeekday(venue, d)) continue;
    const e = calendar.onOrBeforeTradingDay(d, CALENDAR_EXCHANGE[venue]);
    if (e >= from && out[out.length - 1] !== e) out.push(e);
  }
  return out;
}

/**
 * True when `expiryDate` is one of `underlying`'s weekly expiries and not the month's monthly
 * expiry (whose contracts use the monthly trading-symbol form).
 */
export function isWeekly(expiryDate: string, underlying: string, calendar: TradingCalendar = defaultCalendar): boolean {
  if (!hasWeeklies(underlying)) return false;
  if (weeklyExpiries(underlying, expiryDate, 1, calendar)[0] !== expiryDate) return false;
  const { year, month } = parseDate(expiryDate);
  return monthlyExpiry(underlying, year, month, 'OPT', calendar) !== expiryDate;
}
