import type { JobStatus } from '../../src/protocol/methods/admin.js';
import type { ResultOf } from '../../src/protocol/methods.js';
import { formatIst } from './format.js';
import { num, renderTable } from './table.js';

/** Results are one-line summaries; the table cuts them here to stay within a terminal. */
const RESULT_COLUMN_CHARS = 60;

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

/** `som admin run`: the job's result and how long it took. */
export function renderJobRun(outcome: ResultOf<'admin.run'>): string {
  return `${outcome.job}: ${outcome.result}\nran at ${formatIst(outcome.at)}, took ${formatMs(outcome.durationMs)}`;
}

/** `som admin logs`: housekeeping events, newest first. */
export function renderHousekeepingEvents(events: ResultOf<'admin.logs'>['events']): string {
  if (events.length === 0) return 'no housekeeping events';
  return renderTable(
    ['at', 'job', 'strategy', 'order', 'action', 'reason', 'result', num('ms')],
    events.map((e) => [
      formatIst(e.at),
      e.job,
      e.strategy ?? '-',
      e.order_id ?? '-',
      e.action,
      e.reason ?? '-',
      e.result,
      e.duration_ms === null ? '-' : Math.round(e.duration_ms),
    ]),
  );
}

function clipResult(text: string): string {
  return text.length > RESULT_COLUMN_CHARS ? `${text.slice(0, RESULT_COLUMN_CHARS - 3)}...` : text;
}

/** 850 -> "850 ms", 1250 -> "1.3 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
