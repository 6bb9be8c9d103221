import { IST_OFFSET_MINUTES, istParts } from '../market/ist.js';

/** Kite access tokens die at 06:00 IST the day after login (or at logout), whatever the hour of login. */
export const TOKEN_EXPIRY_IST = { hour: 6, minute: 0 } as const;

/**
 * When a token issued at `loginTime` expires: the first 06:00 IST strictly after it. A login at
 * 05:30 IST expires the same morning at 06:00; a login at 09:00 IST the next morning.
 */
export function kiteTokenExpiry(loginTime: Date): Date {
  const p = istParts(loginTime);
  const sameDay =
    Date.UTC(p.year, p.month - 1, p.day, TOKEN_EXPIRY_IST.hour, TOKEN_EXPIRY_IST.minute) - IST_OFFSET_MINUTES * 60_000;
  return new Date(sameDay > loginTime.getTime() ? sameDay : sameDay + 86_400_000);
}
