import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../src/util/serial-queue.js';
import { unhandledRejections } from './unhandled-rejections.js';

/** A promise the test settles by hand: lets a job stay "running" while the test looks. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (err: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe('SerialQueue', () => {
  const unhandled = unhandledRejections();

  it('runs jobs one at a time, in the order they were handed in', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const first = gate();
    const a = q.run(async () => {
      log.push('a starts');
      await first.promise;
      log.push('a ends');
      return 'A';
    });
    const b = q.run(async () => {
      log.push('b runs');
      return 'B';
    });
    await new Promise((r) => setTimeout(r, 5));
    // b waits while a is still running
    expect(log).toEqual(['a starts']);
    expect(q.pending).toBe(2);
    first.open();
    expect(await a).toBe('A');
    expect(await b).toBe('B');
    expect(log).toEqual(['a starts', 'a ends', 'b runs']);
    expect(q.pending).toBe(0);
  });

  it('a failing job rejects only its own caller; the jobs behind it still run', async () => {
    const q = new SerialQueue();
    const failing = q.run(async () => {
      throw new Error('disk full');
    });
    const throwingSync = q.run(() => {
      throw new Error('bad input');
    });
    const after = q.run(async () => 'still runs');
    await expect(failing).rejects.toThrow('disk full');
    await expect(throwingSync).rejects.toThrow('bad input');
    expect(await after).toBe('still runs');
    await q.idle();
    await new Promise((r) => setTimeout(r, 5));
    expect(unhandled).toEqual([]);
  });

  it('idle() waits for jobs handed in while it waits, and never rejects', async () => {
    const q = new SerialQueue();
    const done: string[] = [];
    const g = gate();
    void q.run(async () => {
      await g.promise;
      done.push('first');
      // handed in while idle() is already waiting
      q.run(async () => {
        done.push('second');
      }).catch(() => undefined);
    });
    q.run(async () => {
      throw new Error('ignored by idle');
    }).catch(() => undefined);
    const idle = q.idle().then(() => [...done]);
    g.open();
    expect(await idle).toEqual(['first', 'second']);
    expect(q.pending).toBe(0);
  });

  it('idle() on an empty queue resolves at once', async () => {
    await expect(new SerialQueue().idle()).resolves.toBeUndefined();
  });
});
