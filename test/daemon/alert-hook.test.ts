import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertHook } from '../../daemon/alerts/alert-hook.js';
import { Logger } from '../../daemon/logger.js';
import type { AlertsConfig } from '../../src/config/alerts.js';
import type { AlertView } from '../../src/protocol/methods/alerts.js';

const ALERT: AlertView = {
  id: 7,
  at: '2026-11-25T04:30:00.000Z',
  type: 'ORPHAN_CANCELLED',
  priority: 'high',
  strategy: 'nifty-weekly',
  order_id: '251125000000101',
  title: 'som cancelled an orphaned stop',
  message: 'The stop\'s position is closed; som cancelled it. It\'s "done" $HOME `x`',
  payload: { reason: 'POSITION_CLOSED' },
  read_at: null,
  resolved_at: null,
};

/** The hook as somd runs it: real processes, a log read back as JSON lines. */
describe('the alert hook', () => {
  let dir: string;
  let lines: Record<string, unknown>[];
  const hook = (config: Partial<AlertsConfig>) =>
    new AlertHook({
      config: () => ({ exec: '', shell: false, timeout_seconds: 10, ...config }),
      logger: new Logger('debug', 'json', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)),
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'som-hook-'));
    lines = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gets the alert as one JSON object on stdin, and its id, type and priority in the environment', async () => {
    const out = join(dir, 'alert.json');
    // One string, split into words without a shell: the quotes are the split's, "$1" is sh's own.
    const h = hook({
      exec: `/bin/sh -c 'cat > "$1"; echo "$SOM_ALERT_ID $SOM_ALERT_TYPE $SOM_ALERT_PRIORITY" >> "$1"' sh ${out}`,
    });
    h.run(ALERT);
    await h.idle();
    const [json, env] = readFileSync(out, 'utf8').trim().split('\n');
    expect(JSON.parse(json!)).toEqual(ALERT);
    expect(env).toBe('7 ORPHAN_CANCELLED high');
    expect(lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });

  it('never passes the alert through a shell unless asked: its text is data', async () => {
    const out = join(dir, 'args');
    // The alert's message holds $HOME and backticks; as stdin to cat they stay as they are.
    const h = hook({ exec: ['/bin/sh', '-c', 'cat > "$1"', 'sh', out] });
    h.run(ALERT);
    await h.idle();
    expect(JSON.parse(readFileSync(out, 'utf8')).message).toBe(ALERT.message);
  });

  it('with shell = true, runs /bin/sh -c with the string', async () => {
    const out = join(dir, 'shell');
    const h = hook({ exec: `cat | wc -l > ${out}`, shell: true });
    h.run(ALERT);
    await h.idle();
    expect(readFileSync(out, 'utf8').trim()).toBe('1');
  });

  it('a hook that hangs is killed at its timeout, with what it started; the next alert still runs', async () => {
    const pidFile = join(dir, 'pid');
    const after = join(dir, 'after');
    const h = hook({
      // The shell starts a sleep of its own and waits on it: both must die.
      exec: ['/bin/sh', '-c', `sleep 60 & echo $! > ${pidFile}; wait`],
      timeout_seconds: 0.5,
    });
    h.run(ALERT);
    await h.idle();
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    expect(await runningAfterKill(sleeper)).toBe(false);
    expect(lines.find((l) => l.event === 'alert_hook.timed_out')).toMatchObject({ alert: 7, timeout_seconds: 0.5 });
    const next = hook({ exec: ['/bin/sh', '-c', `cat > ${after}`] });
    next.run({ ...ALERT, id: 8 });
    await next.idle();
    expect(existsSync(after)).toBe(true);
  });

  it('a failing or missing program is logged, never thrown', async () => {
    const failing = hook({ exec: ['/bin/sh', '-c', 'echo no token >&2; exit 3'] });
    failing.run(ALERT);
    await failing.idle();
    expect(lines.find((l) => l.event === 'alert_hook.failed')).toMatchObject({ exit_code: 3, output: 'no token' });
    const missing = hook({ exec: join(dir, 'no-such-program') });
    missing.run(ALERT);
    await missing.idle();
    expect(lines.find((l) => l.event === 'alert_hook.not_started')).toMatchObject({ alert: 7 });
  });

  it('runs nothing when no hook is configured', async () => {
    const h = hook({ exec: '' });
    h.run(ALERT);
    await h.idle();
    expect(lines).toEqual([]);
  });
});

/**
 * Whether a process still runs once a SIGKILL has had time to land (a second at most): gone, or
 * a zombie waiting for a parent to reap it (the container's init may never do so), is not running.
 */
async function runningAfterKill(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    let state: string | undefined;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      state = 'X';
    }
    if (state === 'Z' || state === 'X' || state === undefined) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
