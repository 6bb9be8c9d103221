import { isTradingDay, nextTradingDay } from '../market/calendar.js';
import type { Clock } from '../market/clock.js';
import { istDate, istInstant, istMinuteOfDay } from '../market/ist.js';

/**
 * The paper market's time. It runs at a chosen speed from a chosen start, and can be jumped
 * (scenarios: pre-open, close, expiry day, next day). somd in paper mode takes its time from
 * here, so its schedules fire on the paper market's time.
 *
 * - `auto` (default): a new user should find the market open. If the wall clock is inside
 *   NSE's normal session on a trading day the paper clock is the wall clock; otherwise it
 *   starts at 09:15 IST of the next trading day and runs at real speed from there.
 * - `real`: the wall clock, markets closing as they really do.
 * - an ISO instant: starts there.
 */
export type PaperClockStart = 'auto' | 'real' | Date;

/** NSE's normal session, minutes after IST midnight (reference/india-markets.md §4). */
const NORMAL_OPEN_MINUTE = 9 * 60 + 15;
const NORMAL_CLOSE_MINUTE = 15 * 60 + 30;

export class PaperClock implements Clock {
  readonly #wall: () => number;
  #baseWall: number;
  #basePaper: number;
  #speed: number;

  constructor(start: PaperClockStart, options: { speed?: number; wall?: () => number } = {}) {
    this.#wall = options.wall ?? Date.now;
    this.#speed = options.speed ?? 1;
    this.#baseWall = this.#wall();
    this.#basePaper = resolveStart(start, new Date(this.#baseWall)).getTime();
  }

  now(): Date {
    return new Date(this.#basePaper + (this.#wall() - this.#baseWall) * this.#speed);
  }

  get speed(): number {
    return this.#speed;
  }

  /** Jump to an instant (forward or back); time then runs on from there. */
  jump(to: Date): void {
    this.#basePaper = to.getTime();
    this.#baseWall = this.#wall();
  }

  /** Move forward by a duration of market time. */
  advance(ms: number): void {
    this.jump(new Date(this.now().getTime() + ms));
  }

  /** Run faster (or slower) from now on: 60 makes a paper minute pass in a wall second. */
  setSpeed(speed: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
    this.jump(this.now());
    this.#speed = speed;
  }
}

/** Where an `auto`/`real`/instant clock starts, given the wall time. */
export function resolveStart(start: PaperClockStart, wall: Date): Date {
  if (start instanceof Date) return start;
  if (start === 'real') return wall;
  const today = istDate(wall);
  const minute = istMinuteOfDay(wall);
  if (isTradingDay(today, 'NSE')) {
    if (minute >= NORMAL_OPEN_MINUTE && minute < NORMAL_CLOSE_MINUTE) return wall;
    if (minute < NORMAL_OPEN_MINUTE) return istInstant(today, '09:15');
  }
  return istInstant(nextTradingDay(today, 'NSE'), '09:15');
}
