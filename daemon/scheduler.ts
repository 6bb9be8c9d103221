/**
 * The daemon's job scheduler: named housekeeping jobs on cron patterns read as Asia/Kolkata
 * wall time.
 *
 * Jobs fire on the injected clock, not on croner's own timers. In paper mode that clock is the
 * paper market's, which may run faster than real time or be jumped forward by a test, so croner
 * only answers "when is the next occurrence after this instant" (`nextRun`, on a paused Cron
 * that never schedules anything) and a cheap wall-clock poll fires every job whose occurrence
 * the clock has reached. A clock that jumps past several occurrences runs the job once; a job
 * still running when its next occurrence comes skips that occurrence. Both are counted and
 * logged, never silent.
 */
import { Cron } from 'croner';
import type { Exchange } from '../src/domain/instrument.js';
import { defaultCalendar, type TradingCalendar } from '../src/market/calendar.js';
import type { Clock } from '../src/market/clock.js';
import { istDate, istDayNumber, istDayStartMs } from '../src/market/ist.js';
import { SomError } from '../src/protocol/errors.js';
import type { JobRunResult, JobStatus, JobTrigger } from '../src/protocol/methods/admin.js';
import type { Logger } from './logger.js';

export type { JobRunResult, JobStatus, JobTrigger } from '../src/protocol/methods/admin.js';

/** Cron patterns are Indian wall time whatever the host's zone. */
const TIMEZONE = 'Asia/Kolkata';
/** "Trading day" means an NSE trading day (NFO and CDS follow the same list). */
const CALENDAR_EXCHANGE: Exchange = 'NSE';
/**
 * Wall-clock poll interval. A quarter second is fine-grained enough for a paper clock running
 * a few times faster than real time and costs nothing measurable (one Date per job per poll).
 */
const DEFAULT_POLL_MS = 250;
/**
 * How long `stop()` waits for running jobs. somd's whole shutdown has to stay under 5 s and
 * the socket drain takes up to 3 s of it.
 */
const DEFAULT_STOP_TIMEOUT_MS = 1_500;
/**
 * Occurrences examined when looking for the next one on a trading day. Each non-trading day
 * costs one step, so this covers years of closures; only a pattern that never lands on a
 * trading day (`0 10 * * 0`, Sundays) exhausts it, and then the job has no next run.
 */
const MAX_CANDIDATES = 1_000;
/** Missed occurrences counted one by one after a clock jump; beyond this the log says "at least". */
const MAX_COUNTED_MISSES = 1_000;
/** A job's result is a one-line summary; longer text is cut here so status stays readable. */
const MAX_RESULT_CHARS = 500;
const JOB_NAME = /^[a-z][a-z0-9_-]*$/;

/** What a job's run is told. */
export interface JobContext {
  /** The clock's time when the run started. */
  now: Date;
  trigger: JobTrigger;
}

/** A named job and when to run it. */
export interface JobDefinition {
  /** Lower case, digits, `-` and `_`: what `som admin run NAME` takes. */
  name: string;
  /** Cron pattern in Asia/Kolkata wall time: 5 fields, or 6 with seconds first. */
  schedule: string;
  description: string;
  /** Skip occurrences on days NSE does not trade (weekends, exchange holidays). */
  tradingDaysOnly?: boolean;
  /**
   * Also run once when the scheduler starts, whatever the day (the job itself decides whether
   * there is work, e.g. downloading the instrument master only when it is stale).
   */
  runAtStart?: boolean;
  /** Do the work and return a short summary for `som admin jobs`; throw on failure. */
  run(ctx: JobContext): Promise<string>;
}

export interface SchedulerOptions {
  /** Wall-clock milliseconds between checks of the clock (default 250). */
  pollMs?: number;
  /** How long `stop()` waits for running jobs (default 1500 ms). */
  stopTimeoutMs?: number;
  /** Trading calendar for `tradingDaysOnly` (default: the years shipped with som). */
  calendar?: TradingCalendar;
}

interface Job {
  readonly def: JobDefinition;
  readonly cron: Cron;
  nextRunAt: Date | null;
  /** Clock time (ms) `nextRunAt` was computed from; a clock now earlier than this went back. */
  computedFrom: number;
  current: Promise<JobRunResult> | null;
  busySince: Date | null;
  lastRunAt: Date | null;
  lastTrigger: JobTrigger | null;
  durationMs: number | null;
  lastResult: string | null;
  runs: number;
  failures: number;
  skippedWhileBusy: number;
  coalesced: number;
}

/**
 * Runs named jobs on cron schedules against an injected clock. Add jobs, `start()`, and the
 * scheduler polls; `runNow` runs one on demand; `stop()` stops polling and waits (bounded) for
 * runs in progress. A job never runs twice at once, and a job that throws is recorded and
 * does not stop the others.
 */
export class Scheduler {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #pollMs: number;
  readonly #stopTimeoutMs: number;
  readonly #calendar: TradingCalendar;
  readonly #jobs = new Map<string, Job>();
  #state: 'idle' | 'running' | 'stopped' = 'idle';
  #timer: NodeJS.Timeout | null = null;
  readonly #runListeners: ((run: JobRunResult & { trigger: JobTrigger }) => void)[] = [];

  constructor(clock: Clock, logger: Logger, options: SchedulerOptions = {}) {
    this.#clock = clock;
    this.#logger = logger;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.#calendar = options.calendar ?? defaultCalendar;
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#state === 'running';
  }

  /**
   * Register a job. A bad name or cron pattern is a programming error and throws SomError
   * INVALID_INPUT; a second job with the same name throws ALREADY_EXISTS.
   */
  add(def: JobDefinition): void {
    if (!JOB_NAME.test(def.name)) {
      throw new SomError(
        'INVALID_INPUT',
        `job name ${JSON.stringify(def.name)}: use lower case letters, digits, - and _`,
      );
    }
    if (this.#jobs.has(def.name)) throw new SomError('ALREADY_EXISTS', `a job named ${def.name} is already scheduled`);
    let cron: Cron;
    try {
      // Paused: croner never sets a timer of its own; we only ask it for occurrences.
      cron = new Cron(def.schedule, { timezone: TIMEZONE, paused: true, mode: '5-or-6-parts' });
    } catch (err) {
      throw new SomError(
        'INVALID_INPUT',
        `job ${def.name}: bad schedule ${JSON.stringify(def.schedule)}: ${messageOf(err)}`,
      );
    }
    const job: Job = {
      def,
      cron,
      nextRunAt: null,
      computedFrom: 0,
      current: null,
      busySince: null,
      lastRunAt: null,
      lastTrigger: null,
      durationMs: null,
      lastResult: null,
      runs: 0,
      failures: 0,
      skippedWhileBusy: 0,
      coalesced: 0,
    };
    this.#schedule(job, this.#clock.now());
    this.#jobs.set(def.name, job);
  }

  /**
   * Begin polling the clock, and start the `runAtStart` jobs. Next runs are computed afresh
   * from the clock's time now: occurrences before `start()` were not missed, the scheduler
   * was simply not running.
   */
  start(): void {
    if (this.#state === 'running') return;
    this.#state = 'running';
    const now = this.#clock.now();
    for (const job of this.#jobs.values()) this.#schedule(job, now);
    this.#timer = setInterval(() => void this.tick(), this.#pollMs);
    // The daemon's socket keeps the process alive; the scheduler alone must not.
    this.#timer.unref();
    this.#logger.info('scheduler.started', { jobs: this.#jobs.size, now: now.toISOString() });
    for (const job of this.#jobs.values()) {
      if (job.def.runAtStart && !job.current) void this.#run(job, 'start');
    }
  }

  /** Stop polling and wait up to the stop timeout for runs in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    const busy = [...this.#jobs.values()].filter((j) => j.current);
    if (busy.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<true>((resolve) => {
        timer = setTimeout(() => resolve(true), this.#stopTimeoutMs);
        timer.unref();
      });
      const outcome = await Promise.race([this.idle().then(() => false), timedOut]);
      clearTimeout(timer);
      if (outcome) {
        this.#logger.warn('scheduler.stop_timeout', {
          waitedMs: this.#stopTimeoutMs,
          stillRunning: busy.filter((j) => j.current).map((j) => j.def.name),
        });
      }
    }
    this.#logger.info('scheduler.stopped', {});
  }

  /** Resolves when no job is running (runs that start meanwhile are waited for too). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.#jobs.values()].flatMap((j) => (j.current ? [j.current] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Tell `listener` of every run as it ends (events pushed to subscribers). */
  onRunDone(listener: (run: JobRunResult & { trigger: JobTrigger }) => void): void {
    this.#runListeners.push(listener);
  }

  /** Every job, in the order added. */
  list(): JobStatus[] {
    return [...this.#jobs.values()].map((j) => ({
      name: j.def.name,
      schedule: j.def.schedule,
      description: j.def.description,
      tradingDaysOnly: j.def.tradingDaysOnly ?? false,
      runAtStart: j.def.runAtStart ?? false,
      busy: j.current !== null,
      lastRunAt: j.lastRunAt?.toISOString() ?? null,
      lastTrigger: j.lastTrigger,
      durationMs: j.durationMs,
      lastResult: j.lastResult,
      nextRunAt: j.nextRunAt?.toISOString() ?? null,
      runs: j.runs,
      failures: j.failures,
      skippedWhileBusy: j.skippedWhileBusy,
      coalesced: j.coalesced,
    }));
  }

  /**
   * Run a job now (`som admin run`), outside its schedule, and return its outcome; a job that
   * throws comes back with `ok: false`. Unknown name: SomError NOT_FOUND listing the jobs.
   * A job already running: SomError FAILED (jobs never overlap). After `stop()`: SHUTTING_DOWN.
   */
  async runNow(name: string): Promise<JobRunResult> {
    const job = this.#jobs.get(name);
    if (!job) {
      const names = [...this.#jobs.keys()];
      throw new SomError(
        'NOT_FOUND',
        names.length > 0
          ? `no job named ${name}; jobs: ${names.join(', ')}`
          : `no job named ${name}; no jobs are scheduled`,
        { jobs: names },
      );
    }
    if (this.#state === 'stopped')
      throw new SomError('SHUTTING_DOWN', `the scheduler has stopped; job ${name} was not run`);
    if (job.current) {
      throw new SomError(
        'FAILED',
        `job ${name} is already running (since ${job.busySince?.toISOString()}); try again when it finishes`,
        {
          job: name,
          runningSince: job.busySince?.toISOString() ?? null,
        },
      );
    }
    return this.#run(job, 'manual');
  }

  /**
   * The jobs the clock's IST day still owes at `now`, run one after the other as scheduled
   * runs (end of day runs them before it starts): every job but `except` with an occurrence
   * earlier that day (on a trading day, if it asks for one) that has not run since. A job
   * running now is waited for instead. Returns each run's outcome.
   */
  async runOwed(now: Date, except: readonly string[]): Promise<JobRunResult[]> {
    const dayStart = istDayStartMs(istDayNumber(now.getTime()));
    const out: JobRunResult[] = [];
    for (const job of this.#jobs.values()) {
      if (except.includes(job.def.name) || this.#state === 'stopped') continue;
      if (job.def.tradingDaysOnly && !this.#calendar.isTradingDay(istDate(now), CALENDAR_EXCHANGE)) continue;
      const [last] = job.cron.previousRuns(1, now);
      if (!last || last.getTime() < dayStart) continue;
      if (job.current) {
        await job.current;
        continue;
      }
      if (job.lastRunAt !== null && job.lastRunAt.getTime() >= last.getTime()) continue;
      this.#logger.info('job.owed', { job: job.def.name, due: last.toISOString() });
      out.push(await this.#run(job, 'schedule'));
    }
    return out;
  }

  /**
   * One check of the clock: start every job whose next occurrence has come. The poll calls
   * this; tests call it directly after moving a ManualClock. Resolves when the runs it started
   * have finished. Does nothing unless the scheduler is running.
   */
  tick(): Promise<void> {
    if (this.#state !== 'running') return Promise.resolve();
    const now = this.#clock.now();
    const t = now.getTime();
    const started: Promise<JobRunResult>[] = [];
    for (const job of this.#jobs.values()) {
      if (t < job.computedFrom) {
        // The clock went back (a paper market reset): occurrences are counted from its new time.
        this.#schedule(job, now);
        this.#logger.info('job.rescheduled', {
          job: job.def.name,
          reason: 'clock went back',
          nextRunAt: job.nextRunAt?.toISOString() ?? null,
        });
        continue;
      }
      const due = job.nextRunAt;
      if (due === null || due.getTime() > t) continue;
      const missed = this.#countOccurrences(job, due, now);
      this.#schedule(job, now);
      if (job.current) {
        job.skippedWhileBusy += 1 + missed;
        this.#logger.warn('job.skipped', {
          job: job.def.name,
          due: due.toISOString(),
          occurrences: 1 + missed,
          reason: `still running since ${job.busySince?.toISOString()}`,
        });
        continue;
      }
      if (missed > 0) {
        job.coalesced += missed;
        this.#logger.warn('job.coalesced', {
          job: job.def.name,
          firstDue: due.toISOString(),
          now: now.toISOString(),
          occurrences: 1 + missed,
          note: `${missed >= MAX_COUNTED_MISSES ? 'at least ' : ''}${1 + missed} occurrences passed; running once`,
        });
      }
      started.push(this.#run(job, 'schedule'));
    }
    return Promise.all(started).then(() => undefined);
  }

  /** Start one run; the promise never rejects (a throw becomes `ok: false`). */
  #run(job: Job, trigger: JobTrigger): Promise<JobRunResult> {
    const at = this.#clock.now();
    const wallStart = performance.now();
    const name = job.def.name;
    job.busySince = at;
    this.#logger.debug('job.started', { job: name, trigger, at: at.toISOString() });
    // Started in a microtask so that a job that throws synchronously is caught like any other,
    // and `current` is set before anything can finish.
    const run = Promise.resolve()
      .then(() => job.def.run({ now: at, trigger }))
      .then(
        (result) => ({ ok: true, result: clip(String(result)) }),
        (err: unknown) => ({ ok: false, result: clip(`error: ${messageOf(err)}`) }),
      )
      .then(({ ok, result }): JobRunResult => {
        const durationMs = performance.now() - wallStart;
        job.current = null;
        job.busySince = null;
        job.lastRunAt = at;
        job.lastTrigger = trigger;
        job.durationMs = durationMs;
        job.lastResult = result;
        job.runs++;
        const fields = { job: name, trigger, ms: Math.round(durationMs), result };
        if (ok) {
          this.#logger.info('job.done', fields);
        } else {
          job.failures++;
          this.#logger.error('job.failed', fields);
        }
        const outcome = { job: name, ok, result, durationMs, at: at.toISOString() };
        for (const listener of this.#runListeners) listener({ ...outcome, trigger });
        return outcome;
      });
    job.current = run;
    return run;
  }

  #schedule(job: Job, from: Date): void {
    job.nextRunAt = this.#nextOccurrence(job, from);
    job.computedFrom = from.getTime();
  }

  /** The job's first occurrence strictly after `from` (on a trading day if it asks), or null. */
  #nextOccurrence(job: Job, from: Date): Date | null {
    let cursor = from;
    for (let i = 0; i < MAX_CANDIDATES; i++) {
      const next = job.cron.nextRun(cursor);
      if (!next) return null;
      if (!job.def.tradingDaysOnly || this.#calendar.isTradingDay(istDate(next), CALENDAR_EXCHANGE)) return next;
      // Skip the rest of that closed IST day: croner searches strictly after the last second of it.
      cursor = new Date(istDayStartMs(istDayNumber(next.getTime()) + 1) - 1);
    }
    this.#logger.warn('job.no_next_run', { job: job.def.name, schedule: job.def.schedule, from: from.toISOString() });
    return null;
  }

  /** How many occurrences fall in (`after`, `until`], counting at most MAX_COUNTED_MISSES. */
  #countOccurrences(job: Job, after: Date, until: Date): number {
    let n = 0;
    let cursor = after;
    while (n < MAX_COUNTED_MISSES) {
      const next = this.#nextOccurrence(job, cursor);
      if (!next || next.getTime() > until.getTime()) break;
      n++;
      cursor = next;
    }
    return n;
  }
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function clip(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ').trim();
  return oneLine.length > MAX_RESULT_CHARS ? `${oneLine.slice(0, MAX_RESULT_CHARS - 3)}...` : oneLine;
}
