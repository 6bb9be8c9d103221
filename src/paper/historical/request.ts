/**
 * The historical candles request: intervals, Kite's per-interval date-range limits, and the
 * parsing of `from`/`to` (IST wall times) and the `continuous`/`oi` flags.
 */
import { diffDays, isIsoDate, istDate, istInstant } from '../../market/ist.js';
import { type HistoricalError, historicalError } from './messages.js';

/**
 * Kite's intervals (kite.trade/docs/connect/v3/historical) with the longest span one request
 * may cover, in days. The limits are not in Kite's docs; they are the values public code
 * quotes from Kite's errors: minute 60, 3/5/10minute 100 (5minute "probed against the real
 * API"), 15/30minute 200, 60minute 400, day 2000 ("2,001 days is rejected outright").
 */
export const INTERVALS = {
  minute: { minutes: 1, maxDays: 60 },
  '3minute': { minutes: 3, maxDays: 100 },
  '5minute': { minutes: 5, maxDays: 100 },
  '10minute': { minutes: 10, maxDays: 100 },
  '15minute': { minutes: 15, maxDays: 200 },
  '30minute': { minutes: 30, maxDays: 200 },
  '60minute': { minutes: 60, maxDays: 400 },
  day: { minutes: null, maxDays: 2000 },
} as const;

export type Interval = keyof typeof INTERVALS;

export interface HistoricalQuery {
  interval: Interval;
  from: Date;
  to: Date;
  continuous: boolean;
  oi: boolean;
}

export interface HistoricalRequest {
  interval: string;
  from: string | undefined;
  to: string | undefined;
  continuous?: string | undefined;
  oi?: string | undefined;
}

const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/;

export function isInterval(s: string): s is Interval {
  return Object.hasOwn(INTERVALS, s);
}

/**
 * Read a request. A bare date in `from` means its 00:00:00, in `to` its 23:59:59, so that
 * `to=2024-01-05` includes that day's candles. The span is counted in IST calendar days,
 * both ends included, and refused above the interval's limit.
 */
export function parseHistoricalRequest(
  req: HistoricalRequest,
): { ok: true; query: HistoricalQuery } | { ok: false; error: HistoricalError } {
  if (!isInterval(req.interval)) return { ok: false, error: historicalError('INVALID_INTERVAL') };
  if (!req.from) return { ok: false, error: historicalError('MISSING_FIELD', { field: 'from' }) };
  if (!req.to) return { ok: false, error: historicalError('MISSING_FIELD', { field: 'to' }) };
  const from = parseIstDateTime(req.from, '00:00:00');
  if (!from) return { ok: false, error: historicalError('INVALID_DATE', { field: 'from' }) };
  const to = parseIstDateTime(req.to, '23:59:59');
  if (!to) return { ok: false, error: historicalError('INVALID_DATE', { field: 'to' }) };
  if (from.getTime() > to.getTime()) return { ok: false, error: historicalError('FROM_AFTER_TO') };
  const { maxDays } = INTERVALS[req.interval];
  if (diffDays(istDate(from), istDate(to)) + 1 > maxDays)
    return { ok: false, error: historicalError('RANGE_TOO_LONG', { days: maxDays }) };
  return { ok: true, query: { interval: req.interval, from, to, continuous: flag(req.continuous), oi: flag(req.oi) } };
}

/** `yyyy-mm-dd hh:mm:ss` (or `yyyy-mm-dd`, taking `bareTime`) read as Asia/Kolkata wall time. */
export function parseIstDateTime(text: string, bareTime: string): Date | null {
  const m = DATE_TIME_RE.exec(text.trim());
  if (!m || !isIsoDate(m[1]!)) return null;
  const time = m[2] ?? bareTime;
  const [h, mi, s] = time.split(':').map(Number) as [number, number, number | undefined];
  if (h > 23 || mi > 59 || (s ?? 0) > 59) return null;
  return istInstant(m[1]!, time);
}

/** kiteconnect sends 0 or 1; some clients send true/false. */
function flag(v: string | undefined): boolean {
  return v === '1' || v === 'true';
}
