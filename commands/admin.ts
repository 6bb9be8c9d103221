import type { Command } from 'commander';
import { SomError } from '../src/protocol/errors.js';
import type { JobStatus } from '../src/protocol/methods/admin.js';
import { action } from './context.js';
import { formatIst } from './ui/format.js';
import { renderTable } from './ui/table.js';

/**
 * How long `som admin run` waits for a job. Housekeeping jobs (end of day, reconciliation)
 * talk to the broker under its rate limits and can take minutes; the usual 60 s is too short.
 */
const RUN_TIMEOUT_MS = 15 * 60_000;
/** Results are one-line summaries; the table cuts them here to stay within a terminal. */
const RESULT_COLUMN_CHARS = 60;

/** `som admin ...`: the daemon's housekeeping. Returns the group so later commands can join it. */
export function registerAdmin(program: Command): Command {
  const admin = program.command('admin').description("somd's housekeeping: scheduled jobs");

  admin
    .command('jobs')
    .description('every scheduled job: its schedule (IST), last run, result and next run')
    .action(
      action(async (ctx) => {
        const { jobs } = await (await ctx.client()).call('admin.jobs', {});
        ctx.print({ jobs }, () => renderJobs(jobs));
      }),
    );

  admin
    .command('run <job>')
    .description('run one job now, outside its schedule, and wait for its result (exit 1 if it fails)')
    .action(
      action(async (ctx, job: string) => {
        const outcome = await (await ctx.client()).call('admin.run', { job }, RUN_TIMEOUT_MS);
        if (!outcome.ok) {
          throw new SomError(
            'FAILED',
            `job ${outcome.job} failed after ${formatMs(outcome.durationMs)}: ${outcome.result.replace(/^error: /, '')}`,
            {
              ...outcome,
            },
          );
        }
        ctx.print(
          outcome,
          () =>
            `${outcome.job}: ${outcome.result}\nran at ${formatIst(outcome.at)}, took ${formatMs(outcome.durationMs)}`,
        );
      }),
    );

  return admin;
}

/** The `som admin jobs` table; times in IST whatever the terminal's zone. */
export function renderJobs(jobs: readonly JobStatus[]): string {
  if (jobs.length === 0) return 'no jobs are scheduled';
  return renderTable(
    ['job', 'schedule (IST)', 'last run', 'result', 'next run'],
    jobs.map((j) => [
      j.name,
      j.tradingDaysOnly ? `${j.schedule} (trading days)` : j.schedule,
      j.busy
        ? 'running now'
        : j.lastRunAt
          ? `${formatIst(j.lastRunAt)} (${j.lastTrigger ?? '?'}, ${formatMs(j.durationMs ?? 0)})`
          : '-',
      clipResult(j.lastResult ?? '-'),
      formatIst(j.nextRunAt),
    ]),
  );
}

function clipResult(text: string): string {
  return text.length > RESULT_COLUMN_CHARS ? `${text.slice(0, RESULT_COLUMN_CHARS - 3)}...` : text;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
