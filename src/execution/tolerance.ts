/** Closer than this (relative) counts as equal: a spread of exactly 0.2% stays 0.2% whatever the float. */
const EPSILON = 1e-9;

/** -1, 0 or 1 as `a` is below, at or above `b`, equal within a relative 1e-9. */
export function compare(a: number, b: number): number {
  if (Math.abs(a - b) <= EPSILON * Math.max(1, Math.abs(b))) return 0;
  return a < b ? -1 : 1;
}
