/**
 * Order counts for the rate limits: a sliding 60-second window (stricter than a clock minute,
 * never looser) and the IST day.
 */
import { istDayNumber, istDayStartMs } from '../market/ist.js';

/** The rate limits' minute. */
export const RATE_WINDOW_MS = 60_000;

/** How many of the orders sent at `sentMs` (epoch milliseconds, any order) fall in the last minute and today. */
export function countOrders(sentMs: readonly number[], nowMs: number): { last_minute: number; today: number } {
  const minuteStart = nowMs - RATE_WINDOW_MS;
  const dayStart = istDayStartMs(istDayNumber(nowMs));
  let lastMinute = 0;
  let today = 0;
  for (const t of sentMs) {
    if (t > nowMs) continue;
    if (t > minuteStart) lastMinute++;
    if (t >= dayStart) today++;
  }
  return { last_minute: lastMinute, today };
}
