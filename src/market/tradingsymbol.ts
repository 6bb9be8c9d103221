/**
 * Kite's trading-symbol grammar for futures and options.
 *
 *   monthly future   UNDERLYING YY MMM FUT             NIFTY25DECFUT, CRUDEOIL26JANFUT
 *   monthly option   UNDERLYING YY MMM STRIKE CE|PE    NIFTY25DEC24500CE, NTPC23JUN182.5CE
 *   weekly option    UNDERLYING YY M DD STRIKE CE|PE   NIFTY2571524500CE (2025-07-15)
 *
 * YY is the year's last two digits, MMM the month's English abbreviation in capitals, M the
 * weekly month code (1-9 for January-September, O, N, D for October-December), DD the day with
 * a leading zero. STRIKE is written without trailing zeros and may have a fraction
 * (NTPC23JUN182.5CE, POWERGRID23SEP198.75CE, USDINR currency strikes). There are no weekly
 * futures. A weekly expiry that is also the month's monthly expiry uses the monthly form.
 *
 * How parsing stays unambiguous although underlyings contain digits, '&' and '-' (M&M,
 * BAJAJ-AUTO, NIFTYNXT50) or end in letters that look like a month (GOLDM, SILVERMIC):
 * the symbol is read from the right, where the layout is fixed.
 * 1. FUT: the five characters before `FUT` are YY and MMM; all that precedes is the underlying.
 * 2. CE/PE, monthly: the strike is the maximal run of digits (and a decimal point) before the
 *    suffix, so the three characters before it are letters; they must be a month, preceded by
 *    two digits. Only the monthly form has letters there, so this cannot match a weekly symbol.
 * 3. CE/PE, weekly with O/N/D: the last letter before the trailing digits is the month code,
 *    preceded by YY and followed by DD and the strike. A monthly symbol has MMM there and fails
 *    the "two digits before the letter" test; a digit-month weekly has no such letter.
 * 4. CE/PE, weekly with a digit month: here YY M DD and the strike form one run of digits, so
 *    where the underlying ends cannot be read from the characters alone if the underlying itself
 *    ends in digits. Rule: the underlying ends at the last non-digit character, except that an
 *    underlying known to end in digits (NIFTYNXT50, SENSEX50, or names the caller passes) takes
 *    its digits from the run. After that the run splits as YY(2) M(1) DD(2) STRIKE(rest).
 * The forms are tried in that order; the first that yields a valid date and strike wins.
 */
import type { TradingCalendar } from './calendar.js';
import { defaultCalendar } from './calendar.js';
import { type ContractKind, isWeekly, monthlyExpiry } from './expiry.js';
import { daysInMonth, formatDate, parseDate } from './ist.js';

export type OptionType = 'CE' | 'PE';
export type SymbolKind = 'FUT' | OptionType;
export type SymbolForm = 'weekly' | 'monthly';

/** A derivative trading symbol taken apart. */
export interface ParsedTradingSymbol {
  underlying: string;
  kind: SymbolKind;
  form: SymbolForm;
  /**
   * Weekly: the exact expiry date (`day` set). Monthly: year and month only (`day` null); the
   * day follows from the exchange's rules, see `resolveExpiry`.
   */
  expiry: { year: number; month: number; day: number | null };
  /** The strike price; 0 for futures, as Kite's instrument master writes it. */
  strike: number;
}

export type TradingSymbolErrorCode = 'TRADINGSYMBOL_NOT_DERIVATIVE' | 'TRADINGSYMBOL_INVALID';

export interface TradingSymbolError {
  code: TradingSymbolErrorCode;
  message: string;
}

export function isTradingSymbolError(x: unknown): x is TradingSymbolError {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x && !('underlying' in x);
}

export const MONTH_ABBREVIATIONS = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
] as const;

/** Weekly month codes, index 0 = January. */
export const WEEKLY_MONTH_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'O', 'N', 'D'] as const;

/** Underlyings whose names end in digits (see rule 4 in the module comment). */
export const DIGIT_ENDING_UNDERLYINGS: ReadonlySet<string> = new Set(['NIFTYNXT50', 'SENSEX50']);

const MONTHS_RE = MONTH_ABBREVIATIONS.join('|');
const LOOKS_LIKE_FUT_RE = /\d{2}[A-Z]{3}FUT$/;
const LOOKS_LIKE_OPTION_RE = /\d(?:CE|PE)$/;
const FUT_RE = new RegExp(`^(.+)(\\d{2})(${MONTHS_RE})FUT$`);
const MONTHLY_OPT_RE = new RegExp(`^(.+)(\\d{2})(${MONTHS_RE})(\\d+(?:\\.\\d+)?)$`);
const WEEKLY_LETTER_RE = /^(.+)(\d{2})([OND])(\d{2})(\d+(?:\.\d+)?)$/;
const TRAILING_RUN_RE = /^(.*[^\d.])([\d.]+)$/;
const WEEKLY_DIGIT_RUN_RE = /^(\d{2})([1-9])(\d{2})(\d+(?:\.\d+)?)$/;
const STRIKE_RE = /^(?:[1-9]\d*|0)(?:\.\d*[1-9])?$/;

const invalid = (symbol: string, why: string): TradingSymbolError => ({
  code: 'TRADINGSYMBOL_INVALID',
  message: `${JSON.stringify(symbol)} is not a valid Kite derivative symbol: ${why}`,
});

function monthOf(abbr: string): number {
  return MONTH_ABBREVIATIONS.indexOf(abbr as (typeof MONTH_ABBREVIATIONS)[number]) + 1;
}

function weeklyMonthOf(code: string): number {
  return WEEKLY_MONTH_CODES.indexOf(code as (typeof WEEKLY_MONTH_CODES)[number]) + 1;
}

function strikeOf(text: string): number | null {
  if (!STRIKE_RE.test(text)) return null;
  const n = Number(text);
  return n > 0 ? n : null;
}

function weekly(
  underlying: string,
  kind: OptionType,
  yy: string,
  month: number,
  dd: string,
  strikeText: string,
): ParsedTradingSymbol | string {
  const year = 2000 + Number(yy);
  const day = Number(dd);
  if (month < 1 || month > 12) return 'weekly month code must be 1-9, O, N or D';
  if (day < 1 || day > daysInMonth(year, month))
    return `day ${dd} does not exist in ${year}-${String(month).padStart(2, '0')}`;
  const strike = strikeOf(strikeText);
  if (strike === null) return `strike ${JSON.stringify(strikeText)} is not a positive number without leading zeros`;
  return { underlying, kind, form: 'weekly', expiry: { year, month, day }, strike };
}

export interface ParseOptions {
  /** Further underlyings whose names end in digits, beyond `DIGIT_ENDING_UNDERLYINGS`. */
  digitEndingUnderlyings?: Iterable<string>;
}

/**
 * Take a Kite futures or options trading symbol apart. Returns an error value for anything
 * else: `TRADINGSYMBOL_NOT_DERIVATIVE` for symbols without a FUT/CE/PE suffix (equities,
 * indices), `TRADINGSYMBOL_INVALID` naming the problem otherwise.
 */
export function parseTradingSymbol(
  symbol: string,
  options: ParseOptions = {},
): ParsedTradingSymbol | TradingSymbolError {
  const notDerivative: TradingSymbolError = {
    code: 'TRADINGSYMBOL_NOT_DERIVATIVE',
    message: `${JSON.stringify(symbol)} is not a derivative symbol: no YYMMMFUT, or digits then CE/PE, at its end`,
  };
  // Equities may end in the same letters (RELIANCE ends in CE): a derivative has its date or
  // strike digits right before the suffix.
  if (symbol.endsWith('FUT')) {
    if (!LOOKS_LIKE_FUT_RE.test(symbol)) return notDerivative;
    const m = FUT_RE.exec(symbol);
    if (!m) return invalid(symbol, 'a future must end in YY + MMM + FUT (NIFTY25DECFUT)');
    const [, underlying = '', yy = '', mmm = ''] = m;
    return {
      underlying,
      kind: 'FUT',
      form: 'monthly',
      expiry: { year: 2000 + Number(yy), month: monthOf(mmm), day: null },
      strike: 0,
    };
  }
  const kind: OptionType | null = symbol.endsWith('CE') ? 'CE' : symbol.endsWith('PE') ? 'PE' : null;
  if (!kind || !LOOKS_LIKE_OPTION_RE.test(symbol)) return notDerivative;
  const body = symbol.slice(0, -2);

  const monthly = MONTHLY_OPT_RE.exec(body);
  if (monthly) {
    const [, underlying = '', yy = '', mmm = '', strikeText = ''] = monthly;
    const strike = strikeOf(strikeText);
    if (strike === null)
      return invalid(symbol, `strike ${JSON.stringify(strikeText)} is not a positive number without leading zeros`);
    return {
      underlying,
      kind,
      form: 'monthly',
      expiry: { year: 2000 + Number(yy), month: monthOf(mmm), day: null },
      strike,
    };
  }

  const letter = WEEKLY_LETTER_RE.exec(body);
  if (letter) {
    const [, underlying = '', yy = '', code = '', dd = '', strikeText = ''] = letter;
    const r = weekly(underlying, kind, yy, weeklyMonthOf(code), dd, strikeText);
    return typeof r === 'string' ? invalid(symbol, r) : r;
  }

  const run = TRAILING_RUN_RE.exec(body);
  if (!run) return invalid(symbol, 'no underlying before the expiry and strike');
  const [, prefix = '', digits = ''] = run;
  const known = new Set(DIGIT_ENDING_UNDERLYINGS);
  for (const u of options.digitEndingUnderlyings ?? []) known.add(u);
  // Candidate split points: the default (underlying ends at the last non-digit), then any known
  // digit-ending underlying that the run can extend the prefix into, longest first.
  const splits = [0];
  for (let k = 1; k < digits.length; k++) if (known.has(prefix + digits.slice(0, k))) splits.unshift(k);
  let problem = 'expected YYMMM + strike (monthly) or YY + M + DD + strike (weekly) before CE/PE';
  for (const k of splits) {
    const m = WEEKLY_DIGIT_RUN_RE.exec(digits.slice(k));
    if (!m) continue;
    const [, yy = '', code = '', dd = '', strikeText = ''] = m;
    const r = weekly(prefix + digits.slice(0, k), kind, yy, weeklyMonthOf(code), dd, strikeText);
    if (typeof r !== 'string') return r;
    problem = r;
  }
  return invalid(symbol, problem);
}

/** Write a strike as Kite does: no trailing zeros (24500, 182.5, 198.75). */
export function formatStrike(strike: number): string {
  return String(strike);
}

/**
 * Build a trading symbol from its parts; the inverse of `parseTradingSymbol`. Returns an error
 * value for parts that cannot form a symbol (a weekly future, a weekly without a day, a strike
 * that is not positive, a year outside 2000-2099).
 */
export function formatTradingSymbol(parts: ParsedTradingSymbol): string | TradingSymbolError {
  const { underlying, kind, form, expiry, strike } = parts;
  const what = `${underlying} ${kind} ${form}`;
  const bad = (why: string): TradingSymbolError => ({
    code: 'TRADINGSYMBOL_INVALID',
    message: `cannot write a symbol for ${what}: ${why}`,
  });
  if (underlying.length === 0) return bad('empty underlying');
  if (!Number.isInteger(expiry.year) || expiry.year < 2000 || expiry.year > 2099)
    return bad(`year ${expiry.year} is outside 2000-2099`);
  if (!Number.isInteger(expiry.month) || expiry.month < 1 || expiry.month > 12)
    return bad(`month ${expiry.month} is not 1-12`);
  const yy = String(expiry.year % 100).padStart(2, '0');
  if (kind === 'FUT') {
    if (form !== 'monthly') return bad('futures only have the monthly form');
    return `${underlying}${yy}${MONTH_ABBREVIATIONS[expiry.month - 1]}FUT`;
  }
  if (!(strike > 0) || !Number.isFinite(strike)) return bad(`strike ${strike} is not a positive number`);
  if (form === 'monthly')
    return `${underlying}${yy}${MONTH_ABBREVIATIONS[expiry.month - 1]}${formatStrike(strike)}${kind}`;
  const day = expiry.day;
  if (day === null || !Number.isInteger(day) || day < 1 || day > daysInMonth(expiry.year, expiry.month)) {
    return bad(`day ${String(day)} is not a day of ${expiry.year}-${expiry.month}`);
  }
  return `${underlying}${yy}${WEEKLY_MONTH_CODES[expiry.month - 1]}${String(day).padStart(2, '0')}${formatStrike(strike)}${kind}`;
}

/**
 * The expiry date of a parsed symbol: the written date for weekly options, the exchange's rule
 * for the month otherwise (null when the underlying has no such contract, e.g. GOLD in March).
 */
export function resolveExpiry(parsed: ParsedTradingSymbol, calendar: TradingCalendar = defaultCalendar): string | null {
  const { year, month, day } = parsed.expiry;
  if (parsed.form === 'weekly' && day !== null) return formatDate(year, month, day);
  const kind: ContractKind = parsed.kind === 'FUT' ? 'FUT' : 'OPT';
  return monthlyExpiry(parsed.underlying, year, month, kind, calendar);
}

/**
 * The trading symbol of a contract given its actual expiry date: the weekly form for a weekly
 * expiry that is not the month's monthly one, the monthly form (month of the expiry date)
 * otherwise.
 */
export function derivativeSymbol(
  underlying: string,
  kind: SymbolKind,
  expiryDate: string,
  strike: number,
  calendar: TradingCalendar = defaultCalendar,
): string | TradingSymbolError {
  const { year, month, day } = parseDate(expiryDate);
  const weeklyForm = kind !== 'FUT' && isWeekly(expiryDate, underlying, calendar);
  return formatTradingSymbol({
    underlying,
    kind,
    form: weeklyForm ? 'weekly' : 'monthly',
    expiry: { year, month, day: weeklyForm ? day : null },
    strike: kind === 'FUT' ? 0 : strike,
  });
}
