/**
 * Time to expiry for the Greeks: from now to the close of trading on the expiry day, IST, in
 * years of 365 calendar days (ACT/365: weekends and holidays count, as the calendar runs).
 *
 * The close on the expiry day: NSE and BSE derivatives 15:30 (the normal session's end);
 * currency derivatives 12:30 (their contracts stop trading at noon-thirty on expiry day, per
 * the NSE and BSE currency contract specifications); MCX the day's close (23:30 in US daylight
 * time, else 23:55). The times are data below, not logic.
 */
import type { Exchange } from '../domain/instrument.js';
import { istInstant } from '../market/ist.js';
import { mcxClose } from '../market/sessions.js';
import { DAYS_PER_YEAR } from './black76.js';

const MS_PER_YEAR = DAYS_PER_YEAR * 86_400_000;

/** When trading stops on the expiry day, IST, by exchange; `mcx` is MCX's close that day. */
export const EXPIRY_CLOSE: Readonly<Record<Exchange, string | 'mcx'>> = {
  NFO: '15:30',
  BFO: '15:30',
  NSE: '15:30',
  BSE: '15:30',
  CDS: '12:30',
  BCD: '12:30',
  MCX: 'mcx',
  NCO: 'mcx',
};

/** The instant a contract expiring on `expiry` (`YYYY-MM-DD`) on `exchange` stops trading. */
export function expiryInstant(expiry: string, exchange: Exchange): Date {
  const close = EXPIRY_CLOSE[exchange];
  return istInstant(expiry, close === 'mcx' ? mcxClose(expiry) : close);
}

/** Years (of 365 days) from `now` to `expiresAt`; 0 once it has passed. */
export function yearsToExpiry(now: Date, expiresAt: Date): number {
  return Math.max(0, expiresAt.getTime() - now.getTime()) / MS_PER_YEAR;
}
