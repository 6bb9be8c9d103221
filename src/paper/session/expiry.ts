/**
 * When Kite's tokens stop working. All times are Asia/Kolkata, computed by fixed-offset
 * arithmetic so the host's zone never matters.
 */
import { addDays, istDate, istInstant } from '../../market/ist.js';

/**
 * The lifetimes, with their sources. Kept as data so a correction is one edit.
 */
export const TOKEN_LIFETIMES = {
  /**
   * A request_token must be exchanged within about five minutes and only once:
   * "Request token will expire within 5 minutes of its generation" (kite.trade/forum
   * discussion/comment/3502); "valid only for a couple of minutes and can be used only once"
   * (comment/40130).
   */
  requestTokenMs: 5 * 60_000,
  /**
   * Access tokens expire at 06:00 IST the next morning (a regulatory requirement; Kite docs
   * "User" page, kiteconnect client docs; reference/india-markets.md section 3).
   */
  accessTokenFlushTime: '06:00',
} as const;

/**
 * The instant an access token issued at `issuedAt` stops working: the first 06:00 IST strictly
 * after issue. Issued at 16:15 on the 1st it lasts until 06:00 on the 2nd; issued at 05:59 on
 * the 2nd it lasts only until 06:00 on the 2nd; issued at exactly 06:00 it lasts a full day.
 */
export function accessTokenExpiry(issuedAt: Date, flushTime: string = TOKEN_LIFETIMES.accessTokenFlushTime): Date {
  const today = istDate(issuedAt);
  const sameDay = istInstant(today, flushTime);
  return sameDay.getTime() > issuedAt.getTime() ? sameDay : istInstant(addDays(today, 1), flushTime);
}

/** The instant a request token issued at `issuedAt` stops working. */
export function requestTokenExpiry(issuedAt: Date, lifetimeMs: number = TOKEN_LIFETIMES.requestTokenMs): Date {
  return new Date(issuedAt.getTime() + lifetimeMs);
}
