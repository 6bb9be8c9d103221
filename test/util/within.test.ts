import { describe, expect, it } from 'vitest';
import { within } from '../../src/util/within.js';
import { unhandledRejections } from './unhandled-rejections.js';

describe('within', () => {
  const unhandled = unhandledRejections();

  it('gives the value of work that finishes in time', async () => {
    expect(await within(Promise.resolve(42), 1_000)).toEqual({ done: true, value: 42 });
    expect(await within(Promise.resolve('x'), Number.POSITIVE_INFINITY)).toEqual({ done: true, value: 'x' });
  });

  it('rethrows a failure that comes in time', async () => {
    await expect(within(Promise.reject(new Error('refused')), 1_000)).rejects.toThrow('refused');
  });

  it('says "not done" past the limit, and a failure after it is swallowed, not unhandled', async () => {
    let fail!: (err: Error) => void;
    const work = new Promise<number>((_resolve, reject) => {
      fail = reject;
    });
    expect(await within(work, 5)).toEqual({ done: false });
    fail(new Error('late'));
    await new Promise((r) => setTimeout(r, 10));
    expect(unhandled).toEqual([]);
  });
});
