import { istDate } from '../../src/market/ist.js';
import { lastDownload, replaceInstruments } from '../../src/store/instruments.js';
import type { JobDefinition } from '../scheduler.js';
import type { JobDeps } from './deps.js';

/**
 * Download the instrument master unless the stored one is already today's (IST) or `force`.
 * somd calls it whenever a broker session becomes ready, so a daemon started mid-morning, or
 * logged in late, is never a day behind: lot sizes, tick sizes and expiries change, and
 * yesterday's contracts expire.
 */
export async function refreshInstruments(deps: JobDeps, now: Date, force: boolean): Promise<string> {
  const today = istDate(now);
  const last = await lastDownload(deps.store.db);
  if (!force && last && last.tradingDay >= today) return `up to date (${last.count} instruments from ${last.at})`;
  if (!deps.link.sessionReady()) throw new Error('no broker session: log in first (`som login`)');
  const started = performance.now();
  const rows = await deps.link.broker.instruments();
  const { download, skipped } = await replaceInstruments(deps.store.db, rows, {
    at: now,
    tradingDay: today,
    source: deps.mode,
  });
  const ms = Math.round(performance.now() - started);
  await deps.audit({
    type: 'INSTRUMENTS_DOWNLOADED',
    payload: { count: download.count, skipped, trading_day: today, source: deps.mode, ms },
  });
  return `stored ${download.count} instruments${skipped ? ` (${skipped} rows refused: duplicates or bad values)` : ''} in ${ms} ms`;
}

/** The daily download; `som admin run instruments` forces a fresh one. */
export function instrumentsJob(deps: JobDeps, schedule: string): JobDefinition {
  return {
    name: 'instruments',
    schedule,
    description: 'download the instrument master into the store',
    run: ({ trigger, now }) => refreshInstruments(deps, now, trigger === 'manual'),
  };
}
