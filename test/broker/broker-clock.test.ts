import { describe, expect, it } from 'vitest';
import { BrokerClock } from '../../src/broker/broker-clock.js';

describe("the broker's clock", () => {
  const wallAt = (ms: number) => () => ms;

  it("runs on the host's clock until an answer says otherwise, and ignores a header it cannot read", () => {
    const clock = new BrokerClock({ wall: wallAt(Date.parse('2027-03-06T06:30:00Z')) });
    expect(clock.now().toISOString()).toBe('2027-03-06T06:30:00.000Z');
    expect(clock.observe(undefined)).toBeNull();
    expect(clock.observe('not a date')).toBeNull();
    expect(clock.offsetMs).toBe(0);
    expect(clock.observedAt).toBeNull();
  });

  it("adopts a broker on another day: the paper market's Wednesday while the host says Saturday", () => {
    const host = Date.parse('2026-12-05T06:30:00.000Z');
    const clock = new BrokerClock({ wall: wallAt(host) });
    // The header has whole seconds: the server's time lies in [04:30:00, 04:30:01), taken as its middle.
    const offset = clock.observe('Wed, 25 Nov 2026 04:30:00 GMT', host);
    expect(offset).toBe(Date.parse('2026-11-25T04:30:00.500Z') - host);
    expect(clock.now().toISOString()).toBe('2026-11-25T04:30:00.500Z');
    expect(clock.observedAt?.toISOString()).toBe('2026-12-05T06:30:00.000Z');
  });

  it("keeps its offset through the header's one-second wobble, so time never runs backwards", () => {
    let host = Date.parse('2026-11-25T04:30:00.000Z');
    const clock = new BrokerClock({ wall: () => host });
    clock.observe('Wed, 25 Nov 2026 10:00:00 GMT', host);
    const adopted = clock.offsetMs;
    // 300 ms later an answer truncated to the same second would move the clock back by 300 ms.
    host += 300;
    expect(clock.observe('Wed, 25 Nov 2026 10:00:00 GMT', host)).toBeNull();
    expect(clock.offsetMs).toBe(adopted);
  });

  it("follows a jump of the broker's clock, and returns to the host's when they agree again", () => {
    const host = Date.parse('2026-11-25T04:30:00.000Z');
    const clock = new BrokerClock({ wall: wallAt(host) });
    clock.observe('Wed, 25 Nov 2026 10:00:00 GMT', host);
    // Jumped forward an hour (a paper exchange's clock moved by a test or a scenario).
    expect(clock.observe('Wed, 25 Nov 2026 11:00:00 GMT', host)).toBe(Date.parse('2026-11-25T11:00:00.500Z') - host);
    // Back within the tolerance of the host: no offset at all.
    expect(clock.observe('Wed, 25 Nov 2026 04:30:01 GMT', host)).toBe(0);
    expect(clock.now().getTime()).toBe(host);
  });

  it('a host within a second or two of the broker stays on its own clock', () => {
    const host = Date.parse('2026-11-25T04:30:00.900Z');
    const clock = new BrokerClock({ wall: wallAt(host) });
    expect(clock.observe('Wed, 25 Nov 2026 04:29:59 GMT', host)).toBeNull();
    expect(clock.offsetMs).toBe(0);
  });
});
