import { describe, expect, it } from 'vitest';
import { TickCache } from '../../src/broker/tick-cache.js';
import type { LiveTick } from '../../src/broker/ticker.js';

const SBIN = 779521;
const INFY = 408065;
const NIFTY_INDEX = 256265;

/** A full-mode tick with a one-tick spread around `price`. */
function tick(token: number, price: number, overrides: Partial<LiveTick> = {}): LiveTick {
  const level = (p: number) => ({ price: p, quantity: 100, orders: 2 });
  return {
    instrument_token: token,
    tradable: true,
    mode: 'full',
    last_price: price,
    last_quantity: 1,
    average_price: price,
    volume: 1000,
    buy_quantity: 500,
    sell_quantity: 500,
    ohlc: { open: price, high: price, low: price, close: price },
    net_change: 0,
    oi: 0,
    oi_day_high: 0,
    oi_day_low: 0,
    last_trade_time: new Date('2026-11-25T04:30:00Z'),
    timestamp: new Date('2026-11-25T04:30:00Z'),
    depth: { buy: [level(price - 0.05)], sell: [level(price + 0.05)] },
    received_at: 0,
    ...overrides,
  };
}

describe('TickCache', () => {
  it('holds the last tick of each token: price and depth', () => {
    const cache = new TickCache();
    expect(cache.size).toBe(0);
    expect(cache.lastPrice(SBIN)).toBeUndefined();
    cache.apply([tick(SBIN, 800.05), tick(INFY, 1500.1)]);
    cache.apply([tick(SBIN, 800.1)]);
    expect(cache.size).toBe(2);
    expect(cache.lastPrice(SBIN)).toBe(800.1);
    expect(cache.lastPrice(INFY)).toBe(1500.1);
    expect(cache.depth(SBIN)?.buy[0]?.price).toBeCloseTo(800.05, 9); // 800.10 - 0.05, the newer tick's book
    expect(cache.get(INFY)?.instrument_token).toBe(INFY);
  });

  it('replaces a tick whole: a tick without depth does not keep the older depth', () => {
    const cache = new TickCache();
    cache.apply([tick(SBIN, 800)]);
    cache.apply([tick(SBIN, 801, { mode: 'quote', depth: null })]);
    expect(cache.lastPrice(SBIN)).toBe(801);
    expect(cache.depth(SBIN)).toBeUndefined();
  });

  it('keeps the later of two ticks of one token in the same batch', () => {
    const cache = new TickCache();
    cache.apply([tick(SBIN, 800), tick(SBIN, 799.95)]);
    expect(cache.lastPrice(SBIN)).toBe(799.95);
  });

  it('an index tick has a price but no depth', () => {
    const cache = new TickCache();
    cache.apply([tick(NIFTY_INDEX, 26000.5, { tradable: false, depth: null, volume: 0 })]);
    expect(cache.lastPrice(NIFTY_INDEX)).toBe(26000.5);
    expect(cache.depth(NIFTY_INDEX)).toBeUndefined();
  });

  it('prunes tokens no longer subscribed and ignores their late ticks', () => {
    const cache = new TickCache();
    cache.apply([tick(SBIN, 800), tick(INFY, 1500)]);
    expect(cache.track([INFY, NIFTY_INDEX])).toBe(1); // SBIN dropped
    expect(cache.size).toBe(1);
    expect(cache.get(SBIN)).toBeUndefined();
    // a tick of SBIN still on the wire when the unsubscribe went out
    cache.apply([tick(SBIN, 800.05), tick(NIFTY_INDEX, 26000, { tradable: false, depth: null })]);
    expect(cache.get(SBIN)).toBeUndefined();
    expect(cache.lastPrice(NIFTY_INDEX)).toBe(26000);
    expect(cache.size).toBe(2);
    // subscribing again lets it back in
    cache.track([SBIN, INFY, NIFTY_INDEX]);
    cache.apply([tick(SBIN, 800.1)]);
    expect(cache.lastPrice(SBIN)).toBe(800.1);
  });

  it('clear forgets the ticks but keeps tracking the same tokens', () => {
    const cache = new TickCache();
    cache.track([SBIN]);
    cache.apply([tick(SBIN, 800)]);
    cache.clear();
    expect(cache.size).toBe(0);
    cache.apply([tick(INFY, 1500)]);
    expect(cache.size).toBe(0);
  });
});
