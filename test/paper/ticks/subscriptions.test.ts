import { describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../../src/paper/ticks/client-message.js';
import type { TickInput } from '../../../src/paper/ticks/packet.js';
import { DEFAULT_SUBSCRIBE_MODE, SubscriptionTable } from '../../../src/paper/ticks/subscriptions.js';
import { type FixtureTick, fixtureJson, officialDecode, tickFromFixture } from './helpers.js';

const sub = (...tokens: number[]): ClientMessage => ({ action: 'subscribe', tokens });
const unsub = (...tokens: number[]): ClientMessage => ({ action: 'unsubscribe', tokens });
const mode = (m: 'ltp' | 'quote' | 'full', ...tokens: number[]): ClientMessage => ({ action: 'mode', mode: m, tokens });

const INFY = 408065;
const TATAMOTORS = 884737;
const NIFTY_50 = 256265;

const infy = tickFromFixture(fixtureJson<FixtureTick>('ticker_full.json'));
const tick = (token: number, lastPrice = 100): TickInput => ({
  ...infy,
  instrument_token: token,
  last_price: lastPrice,
});

describe('SubscriptionTable.apply', () => {
  it('subscribes in quote mode by default', () => {
    expect(DEFAULT_SUBSCRIBE_MODE).toBe('quote');
    const t = new SubscriptionTable();
    expect(t.apply(sub(INFY, TATAMOTORS))).toEqual({
      refresh: [INFY, TATAMOTORS],
      ignored: [],
      rejected: [],
      error: null,
    });
    expect(t.modeOf(INFY)).toBe('quote');
    expect(t.size).toBe(2);
  });

  it('changes the mode of subscribed tokens and ignores the rest', () => {
    const t = new SubscriptionTable();
    t.apply(sub(INFY, TATAMOTORS));
    expect(t.apply(mode('full', INFY, NIFTY_50))).toEqual({
      refresh: [INFY],
      ignored: [NIFTY_50],
      rejected: [],
      error: null,
    });
    expect(t.modeOf(INFY)).toBe('full');
    expect(t.modeOf(NIFTY_50)).toBeUndefined();
    // Setting the mode it already has needs no fresh tick.
    expect(t.apply(mode('full', INFY)).refresh).toEqual([]);
  });

  it('unsubscribes, ignoring tokens it did not have', () => {
    const t = new SubscriptionTable();
    t.apply(sub(INFY, TATAMOTORS));
    expect(t.apply(unsub(INFY, NIFTY_50))).toEqual({ refresh: [], ignored: [NIFTY_50], rejected: [], error: null });
    expect(t.entries()).toEqual([[TATAMOTORS, 'quote']]);
  });

  it('resubscribing a token puts it back in quote mode, as the Python client assumes', () => {
    const t = new SubscriptionTable();
    t.apply(sub(INFY));
    t.apply(mode('ltp', INFY));
    expect(t.apply(sub(INFY)).refresh).toEqual([INFY]);
    expect(t.modeOf(INFY)).toBe('quote');
    expect(t.apply(sub(INFY)).refresh).toEqual([]); // already quote: nothing changed
  });

  it('counts a token named twice once', () => {
    const t = new SubscriptionTable(2);
    expect(t.apply(sub(INFY, INFY, TATAMOTORS)).rejected).toEqual([]);
    expect(t.size).toBe(2);
  });

  it('refuses tokens past the cap with an error, keeping those that fit', () => {
    const t = new SubscriptionTable(3);
    t.apply(sub(1, 2));
    const r = t.apply(sub(2, 3, 4, 5));
    expect(r.refresh).toEqual([3]); // 2 was already there; 3 takes the last place
    expect(r.rejected).toEqual([4, 5]);
    expect(r.error).toEqual({ code: 'TOO_MANY_TOKENS', message: expect.stringContaining('4, 5') });
    expect(t.size).toBe(3);
    // Unsubscribing frees a place.
    t.apply(unsub(1));
    expect(t.apply(sub(4)).error).toBeNull();
  });

  it('holds 3000 tokens by default and refuses the 3001st', () => {
    const t = new SubscriptionTable();
    const tokens = Array.from({ length: 3001 }, (_, i) => i + 1);
    const r = t.apply(sub(...tokens));
    expect(t.size).toBe(3000);
    expect(r.rejected).toEqual([3001]);
  });
});

describe('SubscriptionTable.frameFor', () => {
  it('sends each subscribed token in its own mode, in one frame', () => {
    const t = new SubscriptionTable();
    t.apply(sub(INFY, TATAMOTORS, NIFTY_50));
    t.apply(mode('full', INFY));
    t.apply(mode('ltp', TATAMOTORS));
    const frame = t.frameFor([tick(INFY, 1573.7), tick(TATAMOTORS, 950.5), tick(NIFTY_50, 24141.95)]);
    expect(frame).not.toBeNull();
    expect(frame!.readUInt16BE(0)).toBe(3);
    const decoded = officialDecode(frame!);
    expect(decoded.map((d) => [d.instrument_token, d.mode, d.last_price])).toEqual([
      [INFY, 'full', 1573.7],
      [TATAMOTORS, 'ltp', 950.5],
      [NIFTY_50, 'quote', 24141.95],
    ]);
  });

  it('leaves out tokens the connection has not subscribed', () => {
    const t = new SubscriptionTable();
    t.apply(sub(INFY));
    const packets = t.packetsFor([tick(TATAMOTORS), tick(INFY)]);
    expect(packets.map((p) => p.readUInt32BE(0))).toEqual([INFY]);
    expect(packets[0]!.length).toBe(44);
  });

  it('sends a token updated twice once, with its latest tick', () => {
    const t = new SubscriptionTable();
    t.apply(sub(INFY, TATAMOTORS));
    const decoded = officialDecode(t.frameFor([tick(INFY, 1), tick(TATAMOTORS, 2), tick(INFY, 3)])!);
    expect(decoded.map((d) => [d.instrument_token, d.last_price])).toEqual([
      [INFY, 3],
      [TATAMOTORS, 2],
    ]);
  });

  it('returns null when there is nothing to send', () => {
    const t = new SubscriptionTable();
    expect(t.frameFor([tick(INFY)])).toBeNull();
    t.apply(sub(INFY));
    t.apply(unsub(INFY));
    expect(t.frameFor([tick(INFY)])).toBeNull();
  });
});
