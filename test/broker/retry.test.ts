import { describe, expect, it } from 'vitest';
import { BrokerError, type BrokerErrorKind } from '../../src/broker/errors.js';
import { isRetryableRead, withRetry } from '../../src/broker/retry.js';

/** A call that fails with these kinds in turn, then answers 'ok'. */
function flaky(kinds: BrokerErrorKind[]) {
  let calls = 0;
  const fn = async () => {
    const kind = kinds[calls++];
    if (kind) throw new BrokerError(kind, `failure ${calls}`);
    return 'ok';
  };
  return { fn, calls: () => calls };
}

function recorder() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

describe('withRetry', () => {
  it('retries network, time-out, 429 and 5xx failures with full-jitter exponential backoff', async () => {
    const { fn, calls } = flaky(['network', 'timeout', 'rate_limit']);
    const r = recorder();
    const result = await withRetry(fn, { attempts: 4, baseMs: 100, maxMs: 1000, random: () => 0.5, sleep: r.sleep });
    expect(result).toBe('ok');
    expect(calls()).toBe(4);
    // caps 100, 200, 400; random 0.5 of each
    expect(r.sleeps).toEqual([50, 100, 200]);
  });

  it('never waits longer than maxMs', async () => {
    const { fn } = flaky(['general', 'general', 'general', 'general', 'general']);
    const r = recorder();
    await withRetry(fn, { attempts: 6, baseMs: 100, maxMs: 300, random: () => 0.999, sleep: r.sleep });
    // caps 100, 200, 300 (400 capped), 300, 300
    expect(r.sleeps.map(Math.round)).toEqual([100, 200, 300, 300, 300]);
  });

  it('gives up after the attempts with the last error', async () => {
    const { fn, calls } = flaky(['network', 'network', 'network', 'network']);
    const r = recorder();
    await expect(withRetry(fn, { attempts: 3, random: () => 0, sleep: r.sleep })).rejects.toThrow('failure 3');
    expect(calls()).toBe(3);
  });

  it.each<BrokerErrorKind>(['token', 'input', 'order', 'margin', 'holding', 'permission', 'data'])(
    'never retries a %s error',
    async (kind) => {
      const { fn, calls } = flaky([kind]);
      const r = recorder();
      await expect(withRetry(fn, { attempts: 5, sleep: r.sleep })).rejects.toMatchObject({ kind });
      expect(calls()).toBe(1);
      expect(r.sleeps).toEqual([]);
    },
  );

  it('does not retry errors that are not broker errors', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new TypeError('bug');
      }),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });

  it('classifies reads', () => {
    expect(isRetryableRead(new BrokerError('general', 'Internal server error', 'GeneralException'))).toBe(true);
    expect(isRetryableRead(new BrokerError('margin', 'no'))).toBe(false);
    expect(isRetryableRead(new Error('x'))).toBe(false);
  });
});
