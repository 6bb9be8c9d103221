import type { LoadedConfig } from '../src/config/load.js';
import type { Paths } from '../src/config/paths.js';
import type { NewAuditEvent } from '../src/domain/audit.js';
import type { Clock } from '../src/market/clock.js';
import type { PaperExchange } from '../src/paper/exchange.js';
import type { BrokerMode } from '../src/protocol/methods/system.js';
import type { Store } from '../src/store/database.js';
import type { Reconciler } from './account/reconciler.js';
import type { EndOfDay } from './books/end-of-day.js';
import type { BrokerLink } from './broker-link.js';
import type { EventHub } from './events/event-hub.js';
import type { ExecutionDesk } from './execution/execution-desk.js';
import type { Housekeeper } from './housekeeping/housekeeper.js';
import type { Logger } from './logger.js';
import type { Recorder } from './recorder.js';
import type { RiskParts } from './risk/parts.js';
import type { Scheduler } from './scheduler.js';

/** What every RPC handler and job may use. The daemon owns the I/O; handlers ask it. */
export interface DaemonContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly paths: Paths;
  readonly mode: BrokerMode;
  readonly startedAt: Date;
  /** The configuration in force and when it was read (SIGHUP may replace it). */
  config(): LoadedConfig & { loadedAt: Date };
  /** Append to the audit trail at the clock's time (through the recorder: retried, never lost silently). */
  audit(event: NewAuditEvent): Promise<void>;
  /** Audit events and alerts, with retries; the `...Later` forms for paths that cannot wait. */
  readonly recorder: Recorder;
  stats(): { connections: number; requestsServed: number };
  /** Named housekeeping jobs on cron schedules (`som admin jobs`, `som admin run`). */
  readonly scheduler: Scheduler;
  /** The broker: session, live account, order desk, health. */
  readonly link: BrokerLink;
  /** Orphans, OCO, aging and expiry: the rules of src/housekeeping carried out. */
  readonly housekeeper: Housekeeper;
  /** Smart execution: analyses, `som trade`, held orders and their answers, brackets, quality. */
  readonly execution: ExecutionDesk;
  /** Data reconciliation with the broker (som reconcile --data). */
  readonly reconciler: Reconciler;
  /** The end-of-day run and report (som report eod). */
  readonly eod: EndOfDay;
  /** The risk engine: monitor and pre-trade gate, square-off engine, MIS timetable, P&L snapshots. */
  readonly risk: RiskParts;
  /** The built-in paper exchange, in paper mode. */
  readonly paper: PaperExchange | null;
  /** Events pushed to subscribers on the socket (`events.subscribe`). */
  readonly events: EventHub;
}
