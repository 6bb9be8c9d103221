import { parseInstant } from '../src/domain/parse/instant.js';
import { parseQuantity } from '../src/domain/parse/quantity.js';
import { SomError } from '../src/protocol/errors.js';
import { LOGS_LIMIT_DEFAULT, LOGS_LIMIT_MAX } from '../src/protocol/limits.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO } from './context.js';
import { flag } from './flags.js';
import { summaryOf } from './manifest.js';

/**
 * How long `som admin run` waits for a job. Housekeeping jobs (end of day, reconciliation)
 * talk to the broker under its rate limits and can take minutes; the usual 60 s is too short.
 */
const RUN_TIMEOUT_MS = 15 * 60_000;

export interface LogsOptions {
  job?: string | undefined;
  since?: string | undefined;
  limit: number;
}

/** `som admin jobs|run|logs`: somd's scheduled jobs and their record. */
export function adminCommand(deps: CliDeps): Command {
  return new Command('admin')
    .description(summaryOf('admin'))
    .addCommand(
      new Command('jobs')
        .description('every scheduled job: its schedule (IST), last run, result and next run')
        .action(action(deps, (io) => runJobs(io))),
    )
    .addCommand(
      new Command('run')
        .argument('<job>', 'the job (som admin jobs)')
        .description('run one job now, outside its schedule, and wait for its result (exit 1 if it fails)')
        .action(action(deps, (io, job: string) => runJob(job, io))),
    )
    .addCommand(
      new Command('logs')
        .description('housekeeping events, newest first: job, strategy, order, action, reason, result')
        .option('--job <job>', 'only this job (orphan-sweep, event, expiry, aging, eod, oco, manual, ...)')
        .option(
          '--since <when>',
          'only events from this ISO instant (2026-11-25T09:00:00+05:30) or date (from its IST midnight)',
          flag('--since', parseInstant),
        )
        .option(
          '--limit <n>',
          `at most this many (1-${LOGS_LIMIT_MAX})`,
          flag('--limit', (v, f) => parseQuantity(v, f, { max: LOGS_LIMIT_MAX })),
          LOGS_LIMIT_DEFAULT,
        )
        .action(action(deps, (io, flags: LogsOptions) => runLogs(flags, io))),
    );
}

/** Ask somd for its jobs; print them (a table, or the document with --json). */
export async function runJobs(io: CommandIO): Promise<void> {
  const { jobs } = await (await io.client()).call('admin.jobs', {});
  await io.print({ jobs }, async () => (await import('./ui/jobs.js')).renderJobs(jobs));
}

/** Run one job now and wait for it; a failed run ends with exit 1 and its error. */
export async function runJob(job: string, io: CommandIO): Promise<void> {
  const outcome = await (await io.client()).call('admin.run', { job }, RUN_TIMEOUT_MS);
  if (!outcome.ok) {
    const { formatMs } = await import('./ui/jobs.js');
    throw new SomError(
      'FAILED',
      `job ${outcome.job} failed after ${formatMs(outcome.durationMs)}: ${outcome.result.replace(/^error: /, '')}`,
      { ...outcome },
    );
  }
  await io.print(outcome, async () => (await import('./ui/jobs.js')).renderJobRun(outcome));
}

/** Ask somd for housekeeping events, newest first. */
export async function runLogs(opts: LogsOptions, io: CommandIO): Promise<void> {
  const { events } = await (await io.client()).call('admin.logs', {
    limit: opts.limit,
    ...(opts.job ? { job: opts.job } : {}),
    ...(opts.since ? { since: opts.since } : {}),
  });
  await io.print({ events }, async () => (await import('./ui/jobs.js')).renderHousekeepingEvents(events));
}
