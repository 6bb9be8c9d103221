import type { MisSquareOff } from './mis-square-off.js';
import type { PnlSnapshots } from './pnl-snapshots.js';
import type { RiskMonitor } from './risk-monitor.js';
import type { SquareOffEngine } from './square-off-engine.js';

/** The risk engine's services: the monitor (limits, states, the gate), the square-off engine, the MIS timetable, P&L snapshots. */
export interface RiskParts {
  readonly monitor: RiskMonitor;
  readonly engine: SquareOffEngine;
  readonly mis: MisSquareOff;
  readonly snapshots: PnlSnapshots;
}
