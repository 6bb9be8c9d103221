import type { Config } from '../../src/config/schema.js';
import type { MisSquareOff } from '../risk/mis-square-off.js';
import type { PnlSnapshots } from '../risk/pnl-snapshots.js';
import type { RiskMonitor } from '../risk/risk-monitor.js';
import type { JobDefinition } from '../scheduler.js';

/**
 * The risk engine's schedules: the risk check (every limit evaluated again, funds read, the
 * trading day rolled over; ticks and fills are evaluated as they come), the MIS square-off
 * timetable (each segment's steps on its own calendar, so no trading-days filter here), and
 * the P&L snapshots every few minutes in market hours.
 */
export function riskJobs(
  parts: { monitor: RiskMonitor; mis: MisSquareOff; snapshots: PnlSnapshots },
  config: Pick<Config, 'risk' | 'pnl'>,
): JobDefinition[] {
  return [
    {
      name: 'risk-check',
      schedule: config.risk.check_schedule,
      description: 'evaluate every risk limit again: funds, settings, positions; roll the trading day over',
      run: () => parts.monitor.check(),
    },
    {
      name: 'mis-square-off',
      schedule: config.risk.mis_schedule,
      description: 'MIS timetable per segment: warn, start and force the square-off before the broker does',
      run: () => parts.mis.run(),
    },
    {
      name: 'pnl-snapshot',
      schedule: `*/${config.pnl.snapshot_interval_minutes} * * * *`,
      description: 'P&L snapshot with Greeks per strategy and for the account, in market hours',
      run: () => parts.snapshots.interval(),
    },
  ];
}
