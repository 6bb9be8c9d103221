import type { Clock } from '../src/market/clock.js';
import { SerialQueue } from '../src/util/serial-queue.js';
import type { Logger } from './logger.js';
import type { Recorder } from './recorder.js';

export type CheckName = 'api' | 'session' | 'websocket' | 'ticks' | 'order_latency';
export const CHECK_NAMES: readonly CheckName[] = ['api', 'session', 'websocket', 'ticks', 'order_latency'];

export interface CheckResult {
  name: CheckName;
  ok: boolean;
  detail: string;
  at: string;
  latencyMs: number | null;
}

/** Checks whose failure pauses order placement (a slow order path only warns: it cannot heal itself while paused). */
export const PAUSING_CHECKS: ReadonlySet<CheckName> = new Set(['api', 'session', 'websocket']);

export interface HealthBoardDeps {
  clock: Clock;
  logger: Logger;
  recorder: Recorder;
}

/**
 * The broker link's health: the last result of each check, as `som status` shows it. A check
 * that flips is logged and audited; a failing one holds one open alert (resolved when it
 * passes again). The login alert stands for the session check.
 */
export class HealthBoard {
  readonly #d: HealthBoardDeps;
  readonly #checks = new Map<CheckName, CheckResult>();
  /** Alert updates, one at a time: each reads every check and raises or resolves by key. */
  readonly #alerts = new SerialQueue();

  constructor(deps: HealthBoardDeps) {
    this.#d = deps;
  }

  record(name: CheckName, ok: boolean, detail: string, latencyMs: number | null): void {
    const previous = this.#checks.get(name);
    this.#checks.set(name, {
      name,
      ok,
      detail,
      at: this.#d.clock.now().toISOString(),
      latencyMs: latencyMs === null ? null : Math.round(latencyMs),
    });
    if (previous && previous.ok !== ok) {
      this.#d.logger[ok ? 'info' : 'warn'](ok ? 'health.recovered' : 'health.failed', { check: name, detail });
      this.#d.recorder.auditLater({
        type: ok ? 'HEALTH_RECOVERED' : 'HEALTH_CHECK_FAILED',
        payload: { check: name, detail },
      });
      void this.syncAlerts();
    }
  }

  /** Every check's last result, in a fixed order. */
  list(): CheckResult[] {
    return CHECK_NAMES.map((n) => this.#checks.get(n)).filter((c): c is CheckResult => c !== undefined);
  }

  /** The first failing check that pauses placement, if any. */
  pausingFailure(): CheckResult | undefined {
    return this.list().find((c) => !c.ok && PAUSING_CHECKS.has(c.name));
  }

  isFailing(name: CheckName): boolean {
    return this.#checks.get(name)?.ok === false;
  }

  failing(): CheckName[] {
    return this.list()
      .filter((c) => !c.ok)
      .map((c) => c.name);
  }

  /**
   * One open alert per failing check; resolved when it passes. Runs one at a time (alerts are
   * de-duplicated by key). Never rejects: a write that fails is the recorder's to retry and
   * report, and the other checks' alerts are still brought up to date.
   */
  syncAlerts(): Promise<void> {
    return this.#alerts.run(() => this.#syncAlerts());
  }

  async #syncAlerts(): Promise<void> {
    // Without a session nothing else can pass: the login alert says all there is to say.
    const loggedOut = this.#checks.get('session')?.ok === false;
    for (const check of this.#checks.values()) {
      const key = `health:${check.name}`;
      if (check.ok || loggedOut) {
        await this.#d.recorder.resolve(key).catch(() => undefined);
        continue;
      }
      if (check.name === 'session') continue;
      const pausing = PAUSING_CHECKS.has(check.name);
      await this.#d.recorder
        .raise(
          {
            type: 'BROKER_HEALTH',
            priority: pausing ? 'high' : 'normal',
            title: `Broker ${check.name} check failing`,
            message: `${check.detail}${pausing ? '. Order placement is paused until it recovers.' : ''}`,
            dedupeKey: key,
          },
          { check: check.name, detail: check.detail },
        )
        .catch(() => undefined);
    }
  }
}
