import type { Config } from '../../src/config/schema.js';
import { roundSummary } from '../../src/store/reconcile.js';
import type { Reconciler } from '../account/reconciler.js';
import type { AuditRetention } from '../books/audit-retention.js';
import type { EndOfDay } from '../books/end-of-day.js';
import type { JobDefinition } from '../scheduler.js';

/**
 * The books' jobs: the hourly reconciliation in market hours, the end of day after the
 * equity and F&O close (both on trading days), and the audit trail's retention.
 */
export function booksJobs(
  services: { reconciler: Reconciler; eod: EndOfDay; retention: AuditRetention },
  config: Pick<Config, 'reconcile' | 'housekeeping' | 'audit'>,
): JobDefinition[] {
  return [
    {
      name: 'reconcile',
      schedule: config.reconcile.schedule,
      description: "compare som's orders, fills, positions and shares with the broker's and adopt the broker's",
      tradingDaysOnly: true,
      run: async () => {
        const { view } = await services.reconciler.round('schedule');
        return roundSummary(view);
      },
    },
    {
      name: 'eod',
      schedule: config.housekeeping.eod_schedule,
      description:
        "end of day: owed jobs, reconciliation, a last orphan sweep, the day's report (reports/YYYY-MM-DD.html)",
      tradingDaysOnly: true,
      run: ({ now }) => services.eod.run(now),
    },
    {
      name: 'audit-prune',
      schedule: config.audit.prune_schedule,
      description: 'export and remove audit events older than the retention (at most once a month)',
      run: ({ now }) => services.retention.run(now),
    },
  ];
}
