/**
 * Kite's timestamp strings, computed in Asia/Kolkata whatever the host's zone.
 * India has had no daylight saving since 1945, so a fixed +05:30 offset is exact.
 */
const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;

function istParts(d: Date): { y: number; mo: number; da: number; h: number; mi: number; s: number } {
  const t = new Date(d.getTime() + IST_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    da: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
  };
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:mm:ss` in IST, the format of `order_timestamp` and friends. */
export function kiteTimestamp(d: Date): string {
  const x = istParts(d);
  return `${x.y}-${p2(x.mo)}-${p2(x.da)} ${p2(x.h)}:${p2(x.mi)}:${p2(x.s)}`;
}

/** `HH:mm:ss` in IST: the trade book's `order_timestamp` carries only the time (trades.json). */
export function kiteTime(d: Date): string {
  const x = istParts(d);
  return `${p2(x.h)}:${p2(x.mi)}:${p2(x.s)}`;
}

/** The IST calendar date `YYYY-MM-DD`, comparable with an instrument's `expiry`. */
export function istDate(d: Date): string {
  const x = istParts(d);
  return `${x.y}-${p2(x.mo)}-${p2(x.da)}`;
}

/** `YYMMDD` of the IST date: the prefix of Kite order ids (order_info.json: 171229000724687). */
export function istYymmdd(d: Date): string {
  const x = istParts(d);
  return `${p2(x.y % 100)}${p2(x.mo)}${p2(x.da)}`;
}
