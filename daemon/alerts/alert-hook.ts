import { type ChildProcess, spawn } from 'node:child_process';
import { type AlertsConfig, hookCommand } from '../../src/config/alerts.js';
import type { AlertView } from '../../src/protocol/methods/alerts.js';
import { SerialQueue } from '../../src/util/serial-queue.js';
import type { Logger } from '../logger.js';

export interface AlertHookDeps {
  /** The `[alerts]` section in force (read at each run: SIGHUP may change it). */
  config(): AlertsConfig;
  logger: Logger;
  /** The environment the hook starts from (somd's own by default). */
  env?: NodeJS.ProcessEnv;
}

/** How one run ended. */
export type HookOutcome =
  | { kind: 'done' }
  | { kind: 'failed'; code: number | null; signal: string | null }
  | { kind: 'timed-out' }
  | { kind: 'not-started'; error: string };

/**
 * Runs waiting beyond this are dropped (and logged): a hook that always hangs must not queue
 * alerts without end. A hundred is more alerts than a bad minute raises.
 */
const MAX_WAITING = 100;
/** What is kept of a run's output for the log line. */
const OUTPUT_CHARS = 2000;

/**
 * The alert hook (`[alerts] exec`): a command run for every alert, with the alert as one JSON
 * object on its standard input. Runs go one at a time in the order the alerts were raised, each
 * in a process group of its own, killed whole at the timeout. Whatever happens (the program is
 * missing, fails, hangs, never reads its input) is logged, and somd goes on.
 */
export class AlertHook {
  readonly #d: AlertHookDeps;
  readonly #queue = new SerialQueue();
  #current: ChildProcess | null = null;
  #stopped = false;

  constructor(deps: AlertHookDeps) {
    this.#d = deps;
  }

  /** Run the hook for `alert` when the runs before it are done; nothing when none is configured. */
  run(alert: AlertView): void {
    if (this.#stopped || hookCommand(this.#d.config()) === null) return;
    if (this.#queue.pending >= MAX_WAITING) {
      this.#d.logger.error('alert_hook.dropped', {
        alert: alert.id,
        type: alert.type,
        note: `${MAX_WAITING} runs are already waiting: the hook is too slow or hangs`,
      });
      return;
    }
    void this.#queue.run(() => this.#exec(alert));
  }

  /** Resolves when every run asked for so far has ended. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** somd is stopping: no more runs, and the one running is killed. */
  stop(): void {
    this.#stopped = true;
    if (this.#current) killGroup(this.#current);
  }

  async #exec(alert: AlertView): Promise<HookOutcome> {
    const config = this.#d.config();
    const command = hookCommand(config);
    if (command === null || this.#stopped) return { kind: 'done' };
    if ('error' in command) return this.#log(alert, { kind: 'not-started', error: command.error }, '');
    const outcome = await new Promise<{ outcome: HookOutcome; output: string }>((resolve) => {
      let output = '';
      const keep = (chunk: Buffer) => {
        if (output.length < OUTPUT_CHARS) output += chunk.toString('utf8').slice(0, OUTPUT_CHARS - output.length);
      };
      let child: ChildProcess;
      try {
        child = spawn(command.file, command.args, {
          // A group of its own: a time-out kills the hook and whatever it started.
          detached: true,
          stdio: ['pipe', 'pipe', 'pipe'],
          env: {
            ...(this.#d.env ?? process.env),
            SOM_ALERT_ID: String(alert.id),
            SOM_ALERT_TYPE: alert.type,
            SOM_ALERT_PRIORITY: alert.priority,
          },
        });
      } catch (err) {
        resolve({ outcome: { kind: 'not-started', error: (err as Error).message }, output });
        return;
      }
      this.#current = child;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, config.timeout_seconds * 1000);
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      // A hook that does not read its input closes the pipe early: that is its business.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(`${JSON.stringify(alert)}\n`);
      const finish = (outcome: HookOutcome) => {
        clearTimeout(timer);
        this.#current = null;
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve({ outcome, output });
      };
      child.once('error', (err) => finish({ kind: 'not-started', error: err.message }));
      child.once('exit', (code, signal) => {
        if (timedOut) finish({ kind: 'timed-out' });
        else if (code === 0) finish({ kind: 'done' });
        else finish({ kind: 'failed', code, signal });
      });
    });
    return this.#log(alert, outcome.outcome, outcome.output, config.timeout_seconds);
  }

  #log(alert: AlertView, outcome: HookOutcome, output: string, timeoutSeconds?: number): HookOutcome {
    const fields = { alert: alert.id, type: alert.type, ...(output.trim() ? { output: output.trim() } : {}) };
    switch (outcome.kind) {
      case 'done':
        this.#d.logger.debug('alert_hook.done', fields);
        break;
      case 'failed':
        this.#d.logger.warn('alert_hook.failed', { ...fields, exit_code: outcome.code, signal: outcome.signal });
        break;
      case 'timed-out':
        this.#d.logger.warn('alert_hook.timed_out', { ...fields, timeout_seconds: timeoutSeconds, note: 'killed' });
        break;
      case 'not-started':
        this.#d.logger.error('alert_hook.not_started', { ...fields, error: outcome.error });
        break;
    }
    return outcome;
  }
}

/** SIGKILL to the hook's whole process group (it may have started others). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
