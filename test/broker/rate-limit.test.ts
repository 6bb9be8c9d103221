import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/broker/errors.js';
import { KITE_RATE_LIMITS, type LimiterTime, type RateClass, RateLimiter } from '../../src/broker/rate-limit.js';

/**
 * A clock that only moves when every waiter is asleep: it then jumps to the earliest wake-up.
 * Nothing really waits, and the times the limiter lets requests through are exact.
 */
class FakeTime implements LimiterTime {
  t = 0;
  #sleepers: { at: number; wake: () => void }[] = [];
  now = (): number => this.t;
  sleep = (ms: number): Promise<void> => new Promise((wake) => this.#sleepers.push({ at: this.t + ms, wake }));

  /** Let every queued promise run, jumping time forward while someone sleeps. */
  async settle(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.#sleepers.length === 0) return;
      this.#sleepers.sort((a, b) => a.at - b.at);
      const next = this.#sleepers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.wake();
    }
  }
}

/** Start `n` requests of a class at once; the times each was let through, in order of asking. */
async function grants(limiter: RateLimiter, time: FakeTime, cls: RateClass, n: number): Promise<number[]> {
  const times: number[] = new Array(n);
  const all = Array.from({ length: n }, (_, i) => limiter.acquire(cls).then(() => (times[i] = time.t)));
  await time.settle();
  await Promise.all(all);
  return times;
}

describe('RateLimiter', () => {
  it("carries Kite's limits as data", () => {
    expect(KITE_RATE_LIMITS.quote).toEqual([{ windowMs: 1000, max: 1 }]);
    expect(KITE_RATE_LIMITS.historical).toEqual([{ windowMs: 1000, max: 3 }]);
    expect(KITE_RATE_LIMITS.other).toEqual([{ windowMs: 1000, max: 10 }]);
    expect(KITE_RATE_LIMITS.order).toEqual([
      { windowMs: 1000, max: 10 },
      { windowMs: 60_000, max: 400 },
      { windowMs: 86_400_000, max: 5000 },
    ]);
  });

  it('queues quotes one a second (plus the guard), first come first served', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ time, guardMs: 50 });
    // window 1000 + guard 50: each next quote 1050 ms after the one before
    expect(await grants(limiter, time, 'quote', 4)).toEqual([0, 1050, 2100, 3150]);
  });

  it('lets ten orders through at once, the eleventh a second later', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ time, guardMs: 0 });
    const t = await grants(limiter, time, 'order', 12);
    expect(t.slice(0, 10)).toEqual(new Array(10).fill(0));
    expect(t.slice(10)).toEqual([1000, 1000]);
  });

  it('holds the 401st order of a minute until the first leaves the minute window', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ time, guardMs: 0 });
    const t = await grants(limiter, time, 'order', 401);
    // 10 a second: orders 391..400 go at 39 s; the 400/min rule then holds order 401 until
    // the first batch (at 0 s) is 60 s old.
    expect(t[399]).toBe(39_000);
    expect(t[400]).toBe(60_000);
  });

  it('keeps classes apart: a queue of quotes does not hold up other calls', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ time, guardMs: 0 });
    const order: string[] = [];
    const q = [limiter.acquire('quote'), limiter.acquire('quote'), limiter.acquire('quote')].map((p, i) =>
      p.then(() => order.push(`quote${i}@${time.t}`)),
    );
    const o = limiter.acquire('other').then(() => order.push(`other@${time.t}`));
    await time.settle();
    await Promise.all([...q, o]);
    expect(order).toContain('other@0');
    expect(order.filter((x) => x.startsWith('quote'))).toEqual(['quote0@0', 'quote1@1000', 'quote2@2000']);
  });

  it('does not count time that has passed: after a quiet spell a request goes at once', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ time, guardMs: 0 });
    await grants(limiter, time, 'quote', 1);
    time.t = 5_000;
    expect(await grants(limiter, time, 'quote', 1)).toEqual([5_000]);
  });

  it('refuses, rather than queue for hours, when a day limit is used up', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({
      time,
      guardMs: 0,
      limits: { ...KITE_RATE_LIMITS, order: [{ windowMs: 86_400_000, max: 2 }] },
    });
    await grants(limiter, time, 'order', 2);
    const third = limiter.acquire('order');
    await time.settle();
    await expect(third).rejects.toBeInstanceOf(BrokerError);
    await expect(third).rejects.toMatchObject({ kind: 'rate_limit' });
    // the queue is not stuck behind the refusal: another class still flows
    expect(await grants(limiter, time, 'other', 1)).toEqual([0]);
  });

  it('run() calls the function once its turn comes', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter({ time, guardMs: 0 });
    const seen: number[] = [];
    const a = limiter.run('quote', async () => seen.push(time.t));
    const b = limiter.run('quote', async () => seen.push(time.t));
    await time.settle();
    await Promise.all([a, b]);
    expect(seen).toEqual([0, 1000]);
  });
});
