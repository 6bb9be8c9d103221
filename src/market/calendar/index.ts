/**
 * The calendar years shipped with som. Add a year by writing `YYYY.ts` beside this file (same
 * shape as `2026.ts`) and listing it here.
 */
import { CALENDAR_2026 } from './2026.js';
import { CALENDAR_2027 } from './2027.js';
import type { YearCalendar } from './types.js';

export type {
  Holiday,
  McxHoliday,
  SessionTimes,
  SpecialSession,
  SquareOffSegment,
  TimeRange,
  YearCalendar,
} from './types.js';

export const CALENDAR_YEARS: readonly YearCalendar[] = [CALENDAR_2026, CALENDAR_2027];
