import { describe, expect, it } from 'vitest';
import { DepthSource, type DepthWanted } from '../../daemon/execution/depth-source.js';
import type { LiveTick } from '../../src/broker/ticker.js';
import type { Quote } from '../../src/domain/quote.js';
import { ManualClock } from '../../src/market/clock.js';

/** somd's clock (the paper clock, say) and the wall clock differ; ages run on the wall, times on somd's. */
const NOW = new Date('2026-11-25T04:30:00.000Z');
const WALL = 1_000_000;

const SBIN: DepthWanted = {
  instrument_token: 779521,
  key: 'NSE:SBIN',
  tick_size: 0.05,
  lot_size: 1,
  multiplier: 1,
  instrument_class: 'equity',
};

const DEPTH = {
  buy: [{ price: 800, quantity: 100, orders: 2 }],
  sell: [{ price: 800.1, quantity: 50, orders: 1 }],
};

function tick(receivedAt: number, over: Partial<LiveTick> = {}): LiveTick {
  return {
    instrument_token: SBIN.instrument_token,
    tradable: true,
    mode: 'full',
    last_price: 800.05,
    last_quantity: 1,
    average_price: 800,
    volume: 123_456,
    buy_quantity: 0,
    sell_quantity: 0,
    ohlc: null,
    net_change: 0,
    oi: 0,
    oi_day_high: 0,
    oi_day_low: 0,
    last_trade_time: null,
    timestamp: null,
    depth: DEPTH,
    received_at: receivedAt,
    ...over,
  };
}

function quote(): Quote {
  return {
    instrument_token: SBIN.instrument_token,
    timestamp: '2026-11-25 10:00:00',
    last_trade_time: '2026-11-25 10:00:00',
    last_price: 801,
    last_quantity: 1,
    buy_quantity: 0,
    sell_quantity: 0,
    volume: 1000,
    average_price: 801,
    oi: 0,
    oi_day_high: 0,
    oi_day_low: 0,
    net_change: 0,
    lower_circuit_limit: 720,
    upper_circuit_limit: 880,
    ohlc: { open: 800, high: 802, low: 799, close: 800 },
    depth: { buy: [{ price: 800.9, quantity: 10, orders: 1 }], sell: [{ price: 801.1, quantity: 10, orders: 1 }] },
  };
}

/** A source over a tick cache the test fills, a wall clock moved by its sleeps, and a counted quote API. */
function source(opts: { ticks?: Map<number, LiveTick>; connected?: boolean; onSleep?: (wall: number) => void } = {}) {
  let wall = WALL;
  const ticks = opts.ticks ?? new Map<number, LiveTick>();
  const streamed: number[] = [];
  const quoted: string[][] = [];
  const s = new DepthSource({
    clock: new ManualClock(NOW),
    tick: (token) => ticks.get(token),
    streamAlso: (token) => streamed.push(token),
    feedConnected: () => opts.connected ?? true,
    quote: async (keys) => {
      quoted.push([...keys]);
      const out: Record<string, Quote> = {};
      if (keys.includes('NSE:SBIN')) out['NSE:SBIN'] = quote();
      return out;
    },
    wall: () => wall,
    sleep: async (ms) => {
      wall += ms;
      opts.onSleep?.(wall);
    },
  });
  return { s, ticks, streamed, quoted };
}

describe('where an analysis gets its depth', () => {
  it('a fresh full-mode tick, dated when somd received it on somd’s clock; no quote call', async () => {
    // Received 500 ms ago on the wall: taken at NOW - 500 ms.
    const { s, quoted, streamed } = source({ ticks: new Map([[SBIN.instrument_token, tick(WALL - 500)]]) });
    const [snap] = await s.snapshots([SBIN], { maxAgeMs: 2000, waitMs: 1000 });
    expect(snap).toMatchObject({ source: 'ticks', last_price: 800.05, volume: 123_456, depth: DEPTH });
    expect((snap as { at: Date }).at.toISOString()).toBe('2026-11-25T04:29:59.500Z');
    expect(quoted).toEqual([]);
    expect(streamed).toEqual([]);
  });

  it('no tick yet: subscribed on demand and its first tick awaited', async () => {
    const ticks = new Map<number, LiveTick>();
    const { s, streamed, quoted } = source({
      ticks,
      // The first tick arrives 60 ms after the subscription.
      onSleep: (wall) => {
        if (wall >= WALL + 60) ticks.set(SBIN.instrument_token, tick(wall));
      },
    });
    const [snap] = await s.snapshots([SBIN], { maxAgeMs: 2000, waitMs: 1000 });
    expect(streamed).toEqual([SBIN.instrument_token]);
    expect(snap).toMatchObject({ source: 'ticks' });
    expect(quoted).toEqual([]);
  });

  it('depth older than the limit is never used: no fresh tick in time, one quote call instead', async () => {
    // The tick is 2,001 ms old against a limit of 2,000.
    const { s, quoted } = source({ ticks: new Map([[SBIN.instrument_token, tick(WALL - 2001)]]) });
    const [snap] = await s.snapshots([SBIN], { maxAgeMs: 2000, waitMs: 100 });
    expect(quoted).toEqual([['NSE:SBIN']]);
    expect(snap).toMatchObject({
      source: 'quote',
      last_price: 801,
      lower_circuit_limit: 720,
      upper_circuit_limit: 880,
    });
    expect((snap as { at: Date }).at).toEqual(NOW);
  });

  it('a tick without depth (quote mode) does not count; with the feed down nothing is awaited', async () => {
    const slept: number[] = [];
    const { s, quoted } = source({
      ticks: new Map([[SBIN.instrument_token, tick(WALL, { mode: 'quote', depth: null })]]),
      connected: false,
      onSleep: (w) => slept.push(w),
    });
    const [snap] = await s.snapshots([SBIN], { maxAgeMs: 2000, waitMs: 1000 });
    expect(slept).toEqual([]);
    expect(quoted).toEqual([['NSE:SBIN']]);
    expect(snap).toMatchObject({ source: 'quote' });
  });

  it('instruments without a fresh tick share one quote call; one the broker does not quote says so', async () => {
    const other: DepthWanted = { ...SBIN, instrument_token: 1, key: 'NSE:NOPE' };
    const { s, quoted } = source({ connected: false });
    const [a, b] = await s.snapshots([SBIN, other], { maxAgeMs: 2000, waitMs: 0 });
    expect(quoted).toEqual([['NSE:SBIN', 'NSE:NOPE']]);
    expect(a).toMatchObject({ source: 'quote' });
    expect(b).toEqual({ code: 'DEPTH_UNAVAILABLE', message: 'the broker sent no quote for NSE:NOPE' });
  });
});
