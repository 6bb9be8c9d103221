import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderJobs } from '../../commands/ui/jobs.js';
import type { DaemonContext } from '../../daemon/context.js';
import { dispatchLine } from '../../daemon/dispatch.js';
import { Logger } from '../../daemon/logger.js';
import { HANDLERS } from '../../daemon/methods/index.js';
import { type JobContext, type JobDefinition, Scheduler } from '../../daemon/scheduler.js';
import { ManualClock } from '../../src/market/clock.js';
import { istInstant } from '../../src/market/ist.js';
import { SomError } from '../../src/protocol/errors.js';

/** The IST wall time as an instant: ist('2026-11-25', '15:30') is 2026-11-25T10:00:00Z. */
const ist = (date: string, time: string): Date => istInstant(date, time);

/** A poll so slow it never fires during a test: the tests drive `tick()` themselves. */
const NO_POLL = 3_600_000;

const live: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((s) => s.stop()));
});

function setup(start: Date, options: { pollMs?: number; stopTimeoutMs?: number } = {}) {
  const clock = new ManualClock(start);
  const lines: Record<string, unknown>[] = [];
  const logger = new Logger('debug', 'json', (l) => lines.push(JSON.parse(l) as Record<string, unknown>));
  const scheduler = new Scheduler(clock, logger, { pollMs: NO_POLL, ...options });
  live.push(scheduler);
  return { clock, scheduler, lines };
}

/** A job that records every run and answers "ok N". */
function recorder(name: string, schedule: string, extra: Partial<JobDefinition> = {}) {
  const calls: JobContext[] = [];
  const def: JobDefinition = {
    name,
    schedule,
    description: `test job ${name}`,
    run: async (ctx) => {
      calls.push(ctx);
      return `ok ${calls.length}`;
    },
    ...extra,
  };
  return { def, calls };
}

/** A promise the test settles by hand, for a job that is "still running". */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const status = (s: Scheduler, name: string) => {
  const found = s.list().find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
};

describe('scheduler: when jobs fire', () => {
  it.each(['America/New_York', 'Asia/Kolkata', 'UTC', 'Pacific/Kiritimati'])(
    'fires a 15:30 IST job at 10:00 UTC with the host in %s',
    async (zone) => {
      const saved = process.env.TZ;
      process.env.TZ = zone;
      try {
        // Wednesday 2026-11-25, 10:00 IST.
        const { clock, scheduler } = setup(ist('2026-11-25', '10:00'));
        const { def, calls } = recorder('eod', '30 15 * * *');
        scheduler.add(def);
        scheduler.start();
        // 15:30 IST = 15:30 - 05:30 = 10:00 UTC.
        expect(status(scheduler, 'eod').nextRunAt).toBe('2026-11-25T10:00:00.000Z');

        clock.set(ist('2026-11-25', '15:29:59'));
        await scheduler.tick();
        expect(calls).toHaveLength(0);

        clock.set(ist('2026-11-25', '15:30'));
        await scheduler.tick();
        expect(calls).toEqual([{ now: new Date('2026-11-25T10:00:00Z'), trigger: 'schedule' }]);
        const s = status(scheduler, 'eod');
        expect(s.lastRunAt).toBe('2026-11-25T10:00:00.000Z');
        expect(s.lastResult).toBe('ok 1');
        expect(s.lastTrigger).toBe('schedule');
        expect(s.durationMs).toBeGreaterThanOrEqual(0);
        expect(s.nextRunAt).toBe('2026-11-26T10:00:00.000Z');

        // A second poll at the same instant does not run it again.
        await scheduler.tick();
        expect(calls).toHaveLength(1);
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    },
  );

  it('reads a 6-field pattern as seconds first', async () => {
    const { clock, scheduler } = setup(ist('2026-11-25', '10:00'));
    const { def, calls } = recorder('health', '*/15 * * * * *');
    scheduler.add(def);
    scheduler.start();
    expect(status(scheduler, 'health').nextRunAt).toBe(ist('2026-11-25', '10:00:15').toISOString());
    clock.advance(15_000);
    await scheduler.tick();
    expect(calls).toHaveLength(1);
    expect(status(scheduler, 'health').nextRunAt).toBe(ist('2026-11-25', '10:00:30').toISOString());
  });

  it('counts occurrences from start(), not from when the job was added', async () => {
    const { clock, scheduler } = setup(ist('2026-11-25', '09:00'));
    const { def, calls } = recorder('open', '15 9 * * *');
    scheduler.add(def);
    // Not running yet: the 09:15 occurrence passes unseen.
    clock.set(ist('2026-11-25', '10:00'));
    await scheduler.tick();
    scheduler.start();
    await scheduler.tick();
    expect(calls).toHaveLength(0);
    expect(status(scheduler, 'open').nextRunAt).toBe(ist('2026-11-26', '09:15').toISOString());
  });

  it('polls on its own with a short poll interval', async () => {
    const { clock, scheduler } = setup(ist('2026-11-25', '10:00'), { pollMs: 5 });
    const { def, calls } = recorder('eod', '30 15 * * *');
    scheduler.add(def);
    scheduler.start();
    clock.set(ist('2026-11-25', '15:30'));
    await vi.waitFor(() => expect(calls).toHaveLength(1), { timeout: 500, interval: 5 });
    expect(scheduler.running).toBe(true);
  });

  it('runs runAtStart jobs once at start with trigger "start"', async () => {
    const { scheduler } = setup(ist('2026-11-25', '10:00'));
    const { def, calls } = recorder('instruments', '0 8 * * *', { runAtStart: true });
    const other = recorder('eod', '30 15 * * *');
    scheduler.add(def);
    scheduler.add(other.def);
    scheduler.start();
    await scheduler.idle();
    expect(calls).toEqual([{ now: ist('2026-11-25', '10:00'), trigger: 'start' }]);
    expect(other.calls).toHaveLength(0);
    expect(status(scheduler, 'instruments')).toMatchObject({ lastTrigger: 'start', lastResult: 'ok 1', runs: 1 });
  });

  it('recomputes the next run when the clock goes back (a paper market reset)', async () => {
    const { clock, scheduler, lines } = setup(ist('2026-11-25', '16:00'));
    const { def, calls } = recorder('eod', '30 15 * * *');
    scheduler.add(def);
    scheduler.start();
    expect(status(scheduler, 'eod').nextRunAt).toBe(ist('2026-11-26', '15:30').toISOString());
    clock.set(ist('2026-11-25', '10:00'));
    await scheduler.tick();
    expect(status(scheduler, 'eod').nextRunAt).toBe(ist('2026-11-25', '15:30').toISOString());
    expect(lines.some((l) => l.event === 'job.rescheduled')).toBe(true);
    clock.set(ist('2026-11-25', '15:30'));
    await scheduler.tick();
    expect(calls).toHaveLength(1);
  });
});

describe('scheduler: trading days only', () => {
  it('skips the NSE holiday 2026-11-24 and the weekend', async () => {
    // Monday 2026-11-23, 10:00 IST.
    const { clock, scheduler } = setup(ist('2026-11-23', '10:00'));
    const trading = recorder('eod', '0 16 * * *', { tradingDaysOnly: true });
    const everyDay = recorder('snapshot', '0 16 * * *');
    scheduler.add(trading.def);
    scheduler.add(everyDay.def);
    scheduler.start();

    clock.set(ist('2026-11-23', '16:00'));
    await scheduler.tick();
    expect(trading.calls).toHaveLength(1);
    // Tuesday 2026-11-24 is Guru Nanak Jayanti: the trading-days job waits for Wednesday.
    expect(status(scheduler, 'eod').nextRunAt).toBe(ist('2026-11-25', '16:00').toISOString());
    expect(status(scheduler, 'snapshot').nextRunAt).toBe(ist('2026-11-24', '16:00').toISOString());

    clock.set(ist('2026-11-24', '16:00'));
    await scheduler.tick();
    expect(trading.calls).toHaveLength(1);
    expect(everyDay.calls).toHaveLength(2);

    clock.set(ist('2026-11-25', '16:00'));
    await scheduler.tick();
    expect(trading.calls.map((c) => c.now)).toEqual([ist('2026-11-23', '16:00'), ist('2026-11-25', '16:00')]);

    // Friday 2026-11-27 -> Monday 2026-11-30 (Saturday 28 and Sunday 29 skipped).
    clock.set(ist('2026-11-26', '16:00'));
    await scheduler.tick();
    clock.set(ist('2026-11-27', '16:00'));
    await scheduler.tick();
    expect(status(scheduler, 'eod').nextRunAt).toBe(ist('2026-11-30', '16:00').toISOString());
    clock.set(ist('2026-11-28', '16:00'));
    await scheduler.tick();
    clock.set(ist('2026-11-29', '16:00'));
    await scheduler.tick();
    expect(trading.calls).toHaveLength(4);
    expect(everyDay.calls).toHaveLength(7);
    expect(status(scheduler, 'eod').coalesced).toBe(0);
  });

  it('does not count skipped holidays as coalesced occurrences after a jump', async () => {
    const { clock, scheduler } = setup(ist('2026-11-23', '17:00'));
    const { def, calls } = recorder('eod', '0 16 * * *', { tradingDaysOnly: true });
    scheduler.add(def);
    scheduler.start();
    // Monday 17:00 -> Thursday 16:30: trading-day occurrences passed are Wed 25 and Thu 26
    // (Tue 24 is a holiday), so one run with one occurrence coalesced.
    clock.set(ist('2026-11-26', '16:30'));
    await scheduler.tick();
    expect(calls).toHaveLength(1);
    expect(status(scheduler, 'eod').coalesced).toBe(1);
  });
});

describe('scheduler: clock jumps, overlap and failures', () => {
  it('runs once after the clock jumps past several occurrences, and logs the coalescing', async () => {
    const { clock, scheduler, lines } = setup(ist('2026-11-25', '10:00'));
    const { def, calls } = recorder('reconcile', '*/5 * * * *');
    scheduler.add(def);
    scheduler.start();
    // 10:00 -> 10:31 passes 10:05, 10:10, 10:15, 10:20, 10:25, 10:30: six occurrences, one run.
    clock.set(ist('2026-11-25', '10:31'));
    await scheduler.tick();
    expect(calls).toEqual([{ now: ist('2026-11-25', '10:31'), trigger: 'schedule' }]);
    expect(status(scheduler, 'reconcile')).toMatchObject({
      runs: 1,
      coalesced: 5,
      nextRunAt: ist('2026-11-25', '10:35').toISOString(),
    });
    const log = lines.find((l) => l.event === 'job.coalesced');
    expect(log).toMatchObject({
      level: 'warn',
      job: 'reconcile',
      occurrences: 6,
      firstDue: ist('2026-11-25', '10:05').toISOString(),
    });
  });

  it('never runs a job twice at once: a slow job skips the next occurrence, recorded', async () => {
    const { clock, scheduler, lines } = setup(ist('2026-11-25', '10:00:30'));
    const gate = deferred<string>();
    let calls = 0;
    scheduler.add({
      name: 'slow',
      schedule: '* * * * *',
      description: 'waits for the test',
      run: async () => {
        calls++;
        return calls === 1 ? gate.promise : 'quick';
      },
    });
    scheduler.start();

    clock.set(ist('2026-11-25', '10:01'));
    const first = scheduler.tick();
    await Promise.resolve();
    expect(status(scheduler, 'slow').busy).toBe(true);

    clock.set(ist('2026-11-25', '10:02'));
    await scheduler.tick();
    expect(calls).toBe(1);
    expect(status(scheduler, 'slow')).toMatchObject({
      skippedWhileBusy: 1,
      nextRunAt: ist('2026-11-25', '10:03').toISOString(),
    });
    expect(lines.some((l) => l.event === 'job.skipped' && l.job === 'slow')).toBe(true);
    await expect(scheduler.runNow('slow')).rejects.toMatchObject({ code: 'FAILED' });
    expect(calls).toBe(1);

    gate.resolve('slow done');
    await first;
    expect(status(scheduler, 'slow')).toMatchObject({
      busy: false,
      runs: 1,
      lastResult: 'slow done',
      lastRunAt: ist('2026-11-25', '10:01').toISOString(),
    });

    clock.set(ist('2026-11-25', '10:03'));
    await scheduler.tick();
    expect(calls).toBe(2);
    expect(status(scheduler, 'slow').lastResult).toBe('quick');
  });

  it("records a job's error and keeps scheduling it and the other jobs", async () => {
    const { clock, scheduler, lines } = setup(ist('2026-11-25', '10:00'));
    let attempt = 0;
    scheduler.add({
      name: 'flaky',
      schedule: '*/5 * * * *',
      description: 'fails the first time',
      run: async () => {
        attempt++;
        if (attempt === 1) throw new Error('broker unreachable');
        return 'recovered';
      },
    });
    scheduler.add({
      name: 'sync-thrower',
      schedule: '*/5 * * * *',
      description: 'throws before returning a promise',
      run: () => {
        throw new Error('bad state');
      },
    });
    const steady = recorder('steady', '*/5 * * * *');
    scheduler.add(steady.def);
    scheduler.start();

    clock.set(ist('2026-11-25', '10:05'));
    await scheduler.tick();
    expect(status(scheduler, 'flaky')).toMatchObject({
      lastResult: 'error: broker unreachable',
      failures: 1,
      runs: 1,
      busy: false,
    });
    expect(status(scheduler, 'sync-thrower')).toMatchObject({
      lastResult: 'error: bad state',
      failures: 1,
      busy: false,
    });
    expect(steady.calls).toHaveLength(1);
    expect(
      lines
        .filter((l) => l.event === 'job.failed')
        .map((l) => l.job)
        .sort(),
    ).toEqual(['flaky', 'sync-thrower']);
    expect(scheduler.running).toBe(true);

    clock.set(ist('2026-11-25', '10:10'));
    await scheduler.tick();
    expect(status(scheduler, 'flaky')).toMatchObject({ lastResult: 'recovered', failures: 1, runs: 2 });
    expect(status(scheduler, 'sync-thrower')).toMatchObject({ failures: 2, runs: 2 });
    expect(steady.calls).toHaveLength(2);
  });
});

describe('scheduler: runNow, add and stop', () => {
  it('runNow runs the job at once, returns its result and leaves the schedule alone', async () => {
    const { scheduler } = setup(ist('2026-11-25', '10:00'));
    const { def, calls } = recorder('eod', '30 15 * * 1-5');
    scheduler.add(def);
    scheduler.start();
    const outcome = await scheduler.runNow('eod');
    expect(outcome).toMatchObject({ job: 'eod', ok: true, result: 'ok 1', at: '2026-11-25T04:30:00.000Z' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(calls).toEqual([{ now: ist('2026-11-25', '10:00'), trigger: 'manual' }]);
    expect(status(scheduler, 'eod')).toMatchObject({
      lastTrigger: 'manual',
      nextRunAt: ist('2026-11-25', '15:30').toISOString(),
    });
  });

  it('runNow of a failing job returns ok: false with the error', async () => {
    const { scheduler } = setup(ist('2026-11-25', '10:00'));
    scheduler.add({
      name: 'bad',
      schedule: '0 0 * * *',
      description: 'fails',
      run: () => Promise.reject(new Error('nope')),
    });
    await expect(scheduler.runNow('bad')).resolves.toMatchObject({ job: 'bad', ok: false, result: 'error: nope' });
  });

  it('runNow of an unknown job is NOT_FOUND and lists the jobs', async () => {
    const { scheduler } = setup(ist('2026-11-25', '10:00'));
    scheduler.add(recorder('eod', '30 15 * * *').def);
    scheduler.add(recorder('squareoff', '20 15 * * *').def);
    const err = await scheduler.runNow('eodd').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SomError);
    expect(err).toMatchObject({
      code: 'NOT_FOUND',
      message: 'no job named eodd; jobs: eod, squareoff',
      data: { jobs: ['eod', 'squareoff'] },
    });
  });

  it('refuses a bad pattern, a bad name and a duplicate name', () => {
    const { scheduler } = setup(ist('2026-11-25', '10:00'));
    expect(() => scheduler.add(recorder('x', '61 * * * *').def)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => scheduler.add(recorder('x', '1 2 3 4 5 6 7').def)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => scheduler.add(recorder('End Of Day', '0 16 * * *').def)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    scheduler.add(recorder('eod', '0 16 * * *').def);
    expect(() => scheduler.add(recorder('eod', '0 17 * * *').def)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
  });

  it('stop() waits for a running job to finish', async () => {
    const { scheduler } = setup(ist('2026-11-25', '10:00'));
    scheduler.add({
      name: 'short',
      schedule: '0 0 * * *',
      description: 'takes 20 ms',
      run: () => new Promise((resolve) => setTimeout(() => resolve('finished'), 20)),
    });
    scheduler.start();
    void scheduler.runNow('short');
    await scheduler.stop();
    expect(scheduler.running).toBe(false);
    expect(status(scheduler, 'short')).toMatchObject({ busy: false, lastResult: 'finished' });
    await expect(scheduler.runNow('short')).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
  });

  it('stop() gives up on a job that never finishes after the stop timeout', async () => {
    const { clock, scheduler, lines } = setup(ist('2026-11-25', '10:00'), { stopTimeoutMs: 30 });
    scheduler.add({
      name: 'stuck',
      schedule: '* * * * *',
      description: 'never ends',
      run: () => new Promise<string>(() => undefined),
    });
    scheduler.start();
    clock.set(ist('2026-11-25', '10:01'));
    void scheduler.tick();
    // resolves although the job never will
    await scheduler.stop();
    expect(lines.find((l) => l.event === 'scheduler.stop_timeout')).toMatchObject({ stillRunning: ['stuck'] });
    // Stopped: the clock moving on fires nothing.
    clock.set(ist('2026-11-25', '10:05'));
    await scheduler.tick();
    expect(status(scheduler, 'stuck').runs).toBe(0);
  });
});

describe('admin.jobs and admin.run over the protocol', () => {
  async function call(scheduler: Scheduler, method: string, params: unknown) {
    const logger = new Logger('error', 'json', () => undefined);
    const ctx = { scheduler, logger } as unknown as DaemonContext;
    const line = await dispatchLine(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), HANDLERS, ctx);
    return JSON.parse(line!) as {
      result?: Record<string, unknown>;
      error?: { code: number; message: string; data: { code: string } };
    };
  }

  it('answers with results that match the schemas, and NOT_FOUND for an unknown job', async () => {
    const { scheduler } = setup(ist('2026-11-25', '10:00'));
    scheduler.add(recorder('eod', '30 15 * * *', { tradingDaysOnly: true }).def);
    scheduler.start();

    const ran = await call(scheduler, 'admin.run', { job: 'eod' });
    expect(ran.result).toMatchObject({ job: 'eod', ok: true, result: 'ok 1', at: '2026-11-25T04:30:00.000Z' });

    const listed = await call(scheduler, 'admin.jobs', {});
    expect(listed.result?.jobs).toEqual([
      expect.objectContaining({
        name: 'eod',
        schedule: '30 15 * * *',
        tradingDaysOnly: true,
        lastResult: 'ok 1',
        nextRunAt: '2026-11-25T10:00:00.000Z',
      }),
    ]);

    const missing = await call(scheduler, 'admin.run', { job: 'nope' });
    expect(missing.error).toMatchObject({
      code: 1001,
      message: 'no job named nope; jobs: eod',
      data: { code: 'NOT_FOUND' },
    });
  });

  it('som admin jobs shows times in IST whatever the host zone', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const { scheduler } = setup(ist('2026-11-25', '10:00'));
      scheduler.add(recorder('eod', '30 15 * * *', { tradingDaysOnly: true }).def);
      await scheduler.runNow('eod');
      const text = renderJobs(scheduler.list());
      expect(text).toContain('30 15 * * * (trading days)');
      expect(text).toContain('2026-11-25 10:00:00 IST');
      expect(text).toContain('2026-11-25 15:30:00 IST');
      expect(text).toContain('ok 1');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('scheduler: the jobs a day still owes (end of day runs them first)', () => {
  it("runs each job whose occurrence earlier that IST day has not run since, once, in order; not tomorrow's, not the excluded", async () => {
    // Started at 10:00 on Wednesday 25 Nov 2026: the 09:00 job never ran today.
    const { clock, scheduler } = setup(ist('2026-11-25', '10:00'));
    const morning = recorder('expiry', '0 9 * * *', { tradingDaysOnly: true });
    const hourly = recorder('reconcile', '15 10-15 * * *');
    const evening = recorder('audit-prune', '0 18 * * *');
    const eod = recorder('eod', '35 15 * * *');
    const ranAt11 = recorder('aging', '0 11 * * *');
    for (const j of [morning, hourly, evening, eod, ranAt11]) scheduler.add(j.def);
    scheduler.start();
    clock.set(ist('2026-11-25', '11:05'));
    await scheduler.tick();
    // The 11:00 job ran on schedule; 10:15 and 11:15 of the hourly one are coalesced too.
    expect(ranAt11.calls).toHaveLength(1);
    const ranBefore = hourly.calls.length;

    clock.set(ist('2026-11-25', '15:35'));
    const owed = await scheduler.runOwed(clock.now(), ['eod']);
    // 09:00 (never ran) and the hourly 15:15 (last ran at 11:05): owed. 11:00 ran; 18:00 is to come.
    expect(owed.map((r) => r.job)).toEqual(['expiry', 'reconcile']);
    expect(owed.every((r) => r.ok)).toBe(true);
    expect(morning.calls.map((c) => c.trigger)).toEqual(['schedule']);
    expect(hourly.calls).toHaveLength(ranBefore + 1);
    expect([evening.calls, eod.calls, ranAt11.calls.slice(1)]).toEqual([[], [], []]);
    // Asked again at once: nothing more is owed.
    expect(await scheduler.runOwed(clock.now(), ['eod'])).toEqual([]);
  });

  it('a trading-days job owes nothing on a holiday', async () => {
    // Sunday 29 Nov 2026.
    const { clock, scheduler } = setup(ist('2026-11-29', '08:00'));
    const morning = recorder('expiry', '0 9 * * *', { tradingDaysOnly: true });
    scheduler.add(morning.def);
    scheduler.start();
    clock.set(ist('2026-11-29', '16:00'));
    expect(await scheduler.runOwed(clock.now(), [])).toEqual([]);
  });
});
