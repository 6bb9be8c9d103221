import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { SomError } from '../src/protocol/errors.js';

export interface InstanceLock {
  release(): void;
}

/**
 * One somd per state directory: a lock file holding the owner's pid, created exclusively.
 * A lock left by a process that is gone (a crash, a reboot) is taken over; one held by a
 * live somd is refused with its pid.
 */
export function acquireInstanceLock(lockPath: string, home: string): InstanceLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release: () => {
          if (readPid(lockPath) === process.pid) unlinkQuietly(lockPath);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SomError('FAILED', `cannot create lock ${lockPath}: ${(err as Error).message}`);
      }
    }
    const pid = readPid(lockPath);
    if (pid !== null && pid !== process.pid && isSomdAlive(pid)) {
      throw new SomError('FAILED', `somd is already running (pid ${pid}) with state directory ${home}`, { pid });
    }
    unlinkQuietly(lockPath);
  }
  throw new SomError('FAILED', `cannot take the lock ${lockPath}: another somd is starting at the same time`);
}

/**
 * Make sure nobody serves the socket path: a live daemon there is an error; a socket file
 * left by a crash (nobody accepts on it) is removed.
 */
export async function claimSocketPath(socketPath: string): Promise<void> {
  const state = await probeSocket(socketPath);
  if (state === 'live') {
    throw new SomError('FAILED', `another somd is already listening on ${socketPath}`, { socket: socketPath });
  }
  if (state === 'stale') unlinkQuietly(socketPath);
}

function probeSocket(path: string): Promise<'absent' | 'stale' | 'live'> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      resolve(err.code === 'ENOENT' ? 'absent' : 'stale');
    });
  });
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Alive and still a somd: a pid recycled by an unrelated process after a reboot is not a lock holder. */
function isSomdAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('somd');
  } catch {
    return true; // no /proc (not Linux): trust the pid
  }
}

export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
