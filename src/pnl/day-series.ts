/**
 * The day's M2M as a series for a chart: one point a minute, today's (IST) only. A sample in
 * the minute of the last point replaces it (the minute's latest value stands); a sample on a
 * new day starts the series afresh.
 */
import { istDate } from '../market/ist.js';

export interface SeriesPoint {
  /** ISO instant of the sample. */
  at: string;
  value: number;
}

const MINUTE_MS = 60_000;

/** The series with a sample added (a new array; `points` is not changed). */
export function addSample(points: readonly SeriesPoint[], at: Date, value: number): SeriesPoint[] {
  const today = istDate(at);
  const kept = points.filter((p) => istDate(new Date(p.at)) === today);
  const last = kept.at(-1);
  const point = { at: at.toISOString(), value };
  if (last && Math.floor(new Date(last.at).getTime() / MINUTE_MS) === Math.floor(at.getTime() / MINUTE_MS)) {
    return [...kept.slice(0, -1), point];
  }
  return [...kept, point];
}
