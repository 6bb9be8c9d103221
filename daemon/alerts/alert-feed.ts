import { alertChanges, type OpenAlertState } from '../../src/domain/alert-changes.js';
import type { AlertView } from '../../src/protocol/methods/alerts.js';
import {
  type Alert,
  alertsAfter,
  getAlert,
  latestAlertId,
  listAlerts,
  onAlertsWritten,
} from '../../src/store/alerts.js';
import type { Store } from '../../src/store/database.js';
import type { Logger } from '../logger.js';

export type AlertChange = 'raised' | 'read' | 'resolved';

export interface AlertFeedDeps {
  store: Store;
  logger: Logger;
  /** Each alert raised, read or resolved since start-up, once, in the order found. */
  onChange(change: AlertChange, alert: AlertView): void;
}

/**
 * Every alert somd raises, reads or resolves, whoever wrote it (the recorder, a housekeeping
 * transaction, a handler): the store says when the alerts were written, and the feed then reads
 * what is new by id (after any transaction has committed, so a rolled-back alert is never
 * reported). Alerts raised before start-up are not reported again.
 */
export class AlertFeed {
  readonly #d: AlertFeedDeps;
  #lastId = 0;
  #open: OpenAlertState[] = [];
  #running: Promise<void> | null = null;
  #again = false;
  #unlisten: (() => void) | null = null;

  constructor(deps: AlertFeedDeps) {
    this.#d = deps;
  }

  async start(): Promise<void> {
    const { db } = this.#d.store;
    this.#lastId = await latestAlertId(db);
    this.#open = (await listAlerts(db, { openOnly: true })).map(stateOf);
    this.#unlisten = onAlertsWritten(() => this.#nudge());
  }

  stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Resolves once every write told so far has been read and reported. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #nudge(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    // Never inside the writer's own call: the read waits for its transaction to commit.
    this.#running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#drain())
      .catch((err) => this.#d.logger.warn('alerts.feed_failed', { error: (err as Error).message }))
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.#nudge();
        }
      });
  }

  async #drain(): Promise<void> {
    const { db } = this.#d.store;
    const raised = await alertsAfter(db, this.#lastId);
    for (const alert of raised) {
      this.#lastId = Math.max(this.#lastId, alert.id);
      this.#report('raised', alert);
    }
    const open = (await listAlerts(db, { openOnly: true })).map(stateOf);
    const changes = alertChanges(this.#open, open);
    this.#open = open;
    for (const id of changes.read) {
      const alert = await getAlert(db, id);
      if (alert) this.#report('read', alert);
    }
    for (const id of changes.resolved) {
      const alert = await getAlert(db, id);
      if (alert) this.#report('resolved', alert);
    }
  }

  #report(change: AlertChange, alert: Alert): void {
    try {
      this.#d.onChange(change, alertView(alert));
    } catch (err) {
      this.#d.logger.warn('alerts.feed_listener_failed', { alert: alert.id, error: (err as Error).message });
    }
  }
}

/** An alert as the protocol shows it (`som alerts --json`, events, the alert hook's stdin). */
export function alertView(a: Alert): AlertView {
  return {
    id: a.id,
    at: a.at,
    type: a.type,
    priority: a.priority,
    strategy: a.strategy,
    order_id: a.order_id,
    title: a.title,
    message: a.message,
    payload: a.payload,
    read_at: a.read_at,
    resolved_at: a.resolved_at,
  };
}

function stateOf(a: Alert): OpenAlertState {
  return { id: a.id, read_at: a.read_at };
}
