/**
 * Asia/Kolkata time by fixed-offset arithmetic (India has had no DST since 1945), so the
 * market model reads the same on a host in any time zone.
 */

export const IST_OFFSET_MS = 5.5 * 3_600_000;
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 in IST: equal for two instants on the same Indian calendar day. */
export function istDayIndex(ms: number): number {
  return Math.floor((ms + IST_OFFSET_MS) / DAY_MS);
}

/** `YYYY-MM-DD HH:mm:ss` in IST, the format of Kite's quote timestamps. */
export function formatIstTimestamp(ms: number): string {
  const iso = new Date(Math.floor(ms / 1000) * 1000 + IST_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/**
 * The instant of `date` (`YYYY-MM-DD`) at `time` (`HH:mm`) IST, in epoch ms, or undefined
 * when either is malformed.
 */
export function istInstantMs(date: string, time: string): number | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return undefined;
  const utc = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  return Number.isFinite(utc) ? utc - IST_OFFSET_MS : undefined;
}
