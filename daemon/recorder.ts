import type { NewAuditEvent } from '../src/domain/audit.js';
import type { Clock } from '../src/market/clock.js';
import { type Alert, type NewAlert, raiseAlert, resolveAlerts } from '../src/store/alerts.js';
import { appendAudit } from '../src/store/audit.js';
import type { Store } from '../src/store/database.js';
import { SerialQueue } from '../src/util/serial-queue.js';
import type { Logger } from './logger.js';

/** The alert raised when an audit event or an alert could not be written, whatever the tries. */
export const AUDIT_WRITE_FAILED = 'AUDIT_WRITE_FAILED';

/**
 * Pauses between the tries of a failed write: five tries over about three seconds, long enough
 * for a busy database (another writer, a WAL checkpoint) to let go.
 */
export const RETRY_PAUSES_MS: readonly number[] = [200, 400, 800, 1600];

export interface RecorderDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Pauses between tries (default {@link RETRY_PAUSES_MS}); one try more than pauses. */
  retryPausesMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** One write, as the log shows it when it is lost. */
type Write =
  | { kind: 'audit'; at: string; event: NewAuditEvent }
  | { kind: 'alert'; at: string; alert: NewAlert }
  | { kind: 'resolve'; at: string; dedupeKey: string; resolution: string | null };

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every audit event and alert somd writes goes through here, so none can vanish.
 *
 * - Callers that can wait await {@link Recorder.audit}, {@link Recorder.raise} or
 *   {@link Recorder.resolve}; paths that cannot (event handlers, timers) use the `...Later`
 *   forms, which never reject.
 * - Writes run one at a time in the order they were asked for (a raise and the resolve of the
 *   same condition cannot swap), each tried again with backoff when it fails.
 * - A write that still fails is logged at error level with everything it held, and raises a
 *   critical AUDIT_WRITE_FAILED alert; if even that alert cannot be written, the log says so.
 *   The awaited forms then reject, so their caller knows too.
 * - {@link Recorder.idle} waits for every write asked for (tests, and shutdown before the store closes).
 */
export class Recorder {
  readonly #d: RecorderDeps;
  readonly #queue = new SerialQueue();
  /** Every write asked for and not yet written or reported lost. */
  readonly #unwritten = new Set<Write>();
  readonly #pauses: readonly number[];
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(deps: RecorderDeps) {
    this.#d = deps;
    this.#pauses = deps.retryPausesMs ?? RETRY_PAUSES_MS;
    this.#sleep = deps.sleep ?? sleepReal;
  }

  /** Writes asked for and not yet done. */
  get pending(): number {
    return this.#queue.pending;
  }

  /** Append to the audit trail at the clock's time now. */
  audit(event: NewAuditEvent): Promise<void> {
    const write = this.#ask({ kind: 'audit', at: this.#now(), event });
    return this.#queue.run(async () => {
      await this.#tried(write, () => appendAudit(this.#d.store.db, event, new Date(write.at)));
    });
  }

  /** {@link Recorder.audit} for a path that cannot wait: queued, never rejects. */
  auditLater(event: NewAuditEvent): void {
    this.audit(event).catch(() => undefined);
  }

  /**
   * Raise an alert (an open one with the same dedupeKey is returned instead, `created` false)
   * and, when it is new, audit ALERT_RAISED with `detail` added to the event's payload.
   */
  raise(alert: NewAlert, detail: Record<string, unknown> = {}): Promise<{ alert: Alert; created: boolean }> {
    const write = this.#ask({ kind: 'alert', at: this.#now(), alert });
    return this.#queue.run(async () => {
      const at = new Date(write.at);
      const raised = await this.#tried(write, () => raiseAlert(this.#d.store.db, alert, at));
      if (raised.created) {
        const event: NewAuditEvent = {
          type: 'ALERT_RAISED',
          strategyId: alert.strategyId ?? null,
          orderId: alert.orderId ?? null,
          payload: { alert_id: raised.alert.id, type: alert.type, priority: alert.priority, ...detail },
        };
        // The alert stands even if its audit entry is lost (that loss is reported on its own).
        await this.#tried(this.#ask({ kind: 'audit', at: write.at, event }), () =>
          appendAudit(this.#d.store.db, event, at),
        ).catch(() => undefined);
      }
      return raised;
    });
  }

  /** {@link Recorder.raise} for a path that cannot wait: queued, never rejects. */
  raiseLater(alert: NewAlert, detail?: Record<string, unknown>): void {
    this.raise(alert, detail).catch(() => undefined);
  }

  /** Resolve the open alerts with this dedupeKey, saying how they ended when `resolution` is given. */
  resolve(dedupeKey: string, resolution?: string): Promise<number> {
    const write = this.#ask({ kind: 'resolve', at: this.#now(), dedupeKey, resolution: resolution ?? null });
    return this.#queue.run(() =>
      this.#tried(write, () => resolveAlerts(this.#d.store.db, dedupeKey, new Date(write.at), resolution)),
    );
  }

  /** {@link Recorder.resolve} for a path that cannot wait: queued, never rejects. */
  resolveLater(dedupeKey: string, resolution?: string): void {
    this.resolve(dedupeKey, resolution).catch(() => undefined);
  }

  /** Resolves when every write asked for so far (and any asked for meanwhile) is done. Never rejects. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /**
   * The process is going away before the writes still waiting could be made (a stop that ran
   * out of time): each is logged at error level with everything it held, so none vanishes.
   */
  abandon(reason: string): void {
    for (const write of this.#unwritten) {
      this.#d.logger.error('recorder.write_lost', {
        write: write.kind,
        asked_at: write.at,
        ...detailOf(write),
        error: reason,
        tries: 0,
      });
    }
    this.#unwritten.clear();
  }

  #now(): string {
    return this.#d.clock.now().toISOString();
  }

  #ask(write: Write): Write {
    this.#unwritten.add(write);
    return write;
  }

  /** Run one write, trying again after each pause; when the tries run out, report the loss and rethrow. */
  async #tried<T>(write: Write, run: () => Promise<T>): Promise<T> {
    try {
      for (let attempt = 0; ; attempt++) {
        // Abandoned (and logged) while it waited: nothing more to do for it.
        if (!this.#unwritten.has(write)) throw new Error('abandoned: somd stopped before it was written');
        try {
          return await run();
        } catch (err) {
          if (!this.#unwritten.has(write)) throw err;
          const pause = this.#pauses[attempt];
          if (pause === undefined) {
            await this.#reportLost(write, err, attempt + 1);
            throw err;
          }
          this.#d.logger.warn('recorder.retry', { write: write.kind, attempt: attempt + 1, error: messageOf(err) });
          await this.#sleep(pause);
        }
      }
    } finally {
      this.#unwritten.delete(write);
    }
  }

  async #reportLost(write: Write, err: unknown, tries: number): Promise<void> {
    const error = messageOf(err);
    this.#d.logger.error('recorder.write_lost', {
      write: write.kind,
      asked_at: write.at,
      ...detailOf(write),
      error,
      tries,
    });
    try {
      // Straight to the store: this alert must not queue behind (or retry like) the write it reports.
      await raiseAlert(
        this.#d.store.db,
        {
          type: AUDIT_WRITE_FAILED,
          priority: 'critical',
          title: `som could not record ${describe(write)}`,
          message:
            `Writing ${describe(write)} to somd's database failed ${tries} times (${error}). ` +
            "It is kept in somd's log (event recorder.write_lost) with all its detail. " +
            'Check the disk and the database file; the audit trail misses this entry.',
          payload: { write: write.kind, error, tries },
        },
        this.#d.clock.now(),
      );
    } catch (alertErr) {
      this.#d.logger.error('recorder.alert_lost', {
        error: messageOf(alertErr),
        note: `the ${AUDIT_WRITE_FAILED} alert for the write above could not be written either: this log is its only record`,
      });
    }
  }
}

function describe(write: Write): string {
  switch (write.kind) {
    case 'audit': {
      const e = write.event;
      const about = [e.orderId ? `order ${e.orderId}` : null, e.strategyId ? `strategy ${e.strategyId}` : null]
        .filter((x) => x !== null)
        .join(', ');
      return `the audit event ${e.type}${about ? ` (${about})` : ''}`;
    }
    case 'alert':
      return `the alert ${write.alert.type} "${write.alert.title}"`;
    case 'resolve':
      return `the resolution of the alerts keyed ${write.dedupeKey}`;
  }
}

/** What the write held, under names that cannot collide with the log line's own `at` and `event`. */
function detailOf(write: Write): Record<string, unknown> {
  switch (write.kind) {
    case 'audit':
      return { audit_event: write.event };
    case 'alert':
      return { alert: write.alert };
    case 'resolve':
      return { dedupe_key: write.dedupeKey, resolution: write.resolution };
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
