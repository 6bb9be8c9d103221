import type { Config } from '../../src/config/schema.js';
import type { Housekeeper } from '../housekeeping/housekeeper.js';
import type { JobDefinition } from '../scheduler.js';

/**
 * The scheduled housekeeping: the orphan sweep (the safety net behind the event-driven
 * checks), the 09:00 expiry cleanup and order aging. Expiry runs on NSE trading days only; the
 * sweep and aging run whenever orders can be open. End of day, which ends with a last sweep,
 * is one of the books' jobs (jobs/books.ts).
 */
export function housekeepingJobs(housekeeper: Housekeeper, config: Config['housekeeping']): JobDefinition[] {
  return [
    {
      name: 'orphan-sweep',
      schedule: config.sweep_schedule,
      description: 'find and clean up orphaned stop-loss and target orders across every strategy',
      run: async () => summary(await housekeeper.sweep('orphan-sweep')),
    },
    {
      name: 'expiry',
      schedule: config.expiry_schedule,
      description: 'cancel orders on expired instruments, archive expired positions with settlement P&L',
      tradingDaysOnly: true,
      run: () => housekeeper.runExpiry('expiry'),
    },
    {
      name: 'aging',
      schedule: config.aging_schedule,
      description: 'alert about old open orders, cancel them where allowed, archive stale ones',
      run: () => housekeeper.runAging('aging'),
    },
  ];
}

function summary(r: { detections: unknown[]; actions: { result: string }[] }): string {
  const acted = r.actions.filter((a) => a.result === 'cancelled' || a.result === 'reduced').length;
  return `${r.detections.length} orphans, ${acted} acted on`;
}
