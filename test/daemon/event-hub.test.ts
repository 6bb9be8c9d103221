import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientChannel } from '../../daemon/client-channel.js';
import { EventHub } from '../../daemon/events/event-hub.js';
import { Logger } from '../../daemon/logger.js';
import type { LiveTick } from '../../src/broker/ticker.js';
import type { BrokerPosition } from '../../src/domain/order.js';
import { ManualClock } from '../../src/market/clock.js';
import type { SomEvent } from '../../src/protocol/methods/events.js';
import { openStore, type Store } from '../../src/store/database.js';
import { syncPositions } from '../../src/store/positions.js';

// 2026-11-25 10:00 IST.
const AT = new Date('2026-11-25T04:30:00.000Z');

/** A connection that keeps what was pushed to it, with a backlog the test sets. */
function channel(backlog = 0) {
  const lines: string[] = [];
  const closers: (() => void)[] = [];
  const ch: ClientChannel & { lines: string[]; events(): SomEvent[]; destroyed: boolean; backlog: number } = {
    id: 1,
    lines,
    destroyed: false,
    backlog,
    closed: false,
    push: (line) => {
      lines.push(line);
      return true;
    },
    onClose: (l) => closers.push(l),
    destroy: () => {
      ch.destroyed = true;
      for (const l of closers) l();
    },
    events: () => lines.map((l) => JSON.parse(l).params.event as SomEvent),
  };
  return ch;
}

const position = (p: Partial<BrokerPosition>): BrokerPosition => ({
  tradingsymbol: 'SBIN',
  exchange: 'NSE',
  instrument_token: 779521,
  product: 'MIS',
  quantity: 10,
  overnight_quantity: 0,
  multiplier: 1,
  average_price: 950,
  close_price: 0,
  last_price: 960,
  value: -9500,
  pnl: 100,
  m2m: 100,
  unrealised: 100,
  realised: 0,
  buy_quantity: 10,
  buy_price: 950,
  buy_value: 9500,
  buy_m2m: 9500,
  sell_quantity: 0,
  sell_price: 0,
  sell_value: 0,
  sell_m2m: 0,
  day_buy_quantity: 10,
  day_buy_price: 950,
  day_buy_value: 9500,
  day_sell_quantity: 0,
  day_sell_price: 0,
  day_sell_value: 0,
  ...p,
});

describe('events pushed to subscribers', () => {
  let dir: string;
  let store: Store;
  let hub: EventHub;
  let ticks: Map<number, LiveTick>;
  let log: Record<string, unknown>[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-events-'));
    store = await openStore(join(dir, 'som.db'));
    ticks = new Map();
    log = [];
    hub = new EventHub({
      store,
      clock: new ManualClock(AT),
      logger: new Logger('debug', 'json', (l) => log.push(JSON.parse(l) as Record<string, unknown>)),
      ticks: { get: (t) => ticks.get(t), entries: () => ticks.entries() },
      positionsSettleMs: 1,
    });
    await hub.start();
  });
  afterEach(async () => {
    hub.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const turn = () => new Promise((r) => setImmediate(r));
  const tick = (token: number, last_price: number) =>
    ticks.set(token, { instrument_token: token, last_price, net_change: 0 } as LiveTick);
  async function until(what: string, probe: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!probe()) throw new Error(`timed out waiting for ${what}`);
  }

  it('the answer to subscribe goes first: events raised meanwhile follow it, in order', async () => {
    const ch = channel();
    const answer = hub.subscribe(ch, { tick_interval_ms: 1000 });
    expect(answer).toMatchObject({ subscription: 1, tick_interval_ms: 1000, at: AT.toISOString(), m2m_today: [] });
    hub.jobDone({ job: 'health', trigger: 'schedule', ok: true, result: 'healthy', durationMs: 12 });
    // Still in the request's turn: nothing written yet.
    expect(ch.lines).toEqual([]);
    await turn();
    const [line] = ch.lines;
    expect(JSON.parse(line!)).toEqual({
      jsonrpc: '2.0',
      method: 'events.event',
      params: {
        subscription: 1,
        event: {
          type: 'job',
          at: AT.toISOString(),
          job: 'health',
          trigger: 'schedule',
          ok: true,
          result: 'healthy',
          duration_ms: 12,
        },
      },
    });
  });

  it('each subscriber gets the topics it asked for', async () => {
    const alertsOnly = channel();
    hub.subscribe(alertsOnly, { topics: ['alerts'], tick_interval_ms: 1000 });
    await turn();
    hub.jobDone({ job: 'health', trigger: 'schedule', ok: true, result: 'healthy', durationMs: 1 });
    hub.housekeepingDone({
      scope: { exchange: 'NSE', tradingsymbol: 'SBIN' },
      orderIds: [],
      actions: [{ order_id: '1', action: 'cancel', result: 'cancelled', failed: false }],
    });
    hub.alertChanged('raised', {
      id: 1,
      at: AT.toISOString(),
      type: 'T',
      priority: 'high',
      strategy: null,
      order_id: null,
      title: 't',
      message: 'm',
      payload: {},
      read_at: null,
      resolved_at: null,
    });
    expect(alertsOnly.events().map((e) => e.type)).toEqual(['alert']);
  });

  it("tick summaries: only prices that moved, today's positions marked to them, the account's P&L", async () => {
    // Long 10 SBIN reported at 960 with P&L 100.
    await syncPositions(store.db, [position({})], AT);
    hub.positionsChanged();
    const ch = channel();
    hub.subscribe(ch, { topics: ['ticks', 'positions'], tick_interval_ms: 100 });
    await until('the positions list', () => ch.events().some((e) => e.type === 'positions'));
    tick(779521, 962);
    await until('a tick summary', () => ch.events().some((e) => e.type === 'ticks'));
    const summary = ch.events().find((e) => e.type === 'ticks');
    // 100 + 10 x (962 - 960) = 120.
    expect(summary).toMatchObject({
      ticks: [{ instrument_token: 779521, exchange: 'NSE', tradingsymbol: 'SBIN', last_price: 962 }],
      positions: [{ tradingsymbol: 'SBIN', last_price: 962, pnl: 120, m2m: 120 }],
      account: { pnl: 120, m2m: 120 },
    });
    // Nothing moved: no more summaries, however many intervals pass.
    const count = ch.lines.length;
    await new Promise((r) => setTimeout(r, 350));
    expect(ch.lines.length).toBe(count);
  });

  it('a subscriber that stopped reading is cut off, and somd carries on', async () => {
    const stuck = channel(5 * 1024 * 1024);
    const reading = channel();
    hub.subscribe(stuck, { tick_interval_ms: 1000 });
    hub.subscribe(reading, { tick_interval_ms: 1000 });
    await turn();
    hub.jobDone({ job: 'health', trigger: 'schedule', ok: true, result: 'healthy', durationMs: 1 });
    expect(stuck.destroyed).toBe(true);
    expect(stuck.lines).toEqual([]);
    expect(reading.events()).toHaveLength(1);
    expect(hub.subscribers).toBe(1);
    expect(log.find((l) => l.event === 'events.subscriber_dropped')).toBeDefined();
  });

  it('a closed connection ends its subscriptions', async () => {
    const ch = channel();
    hub.subscribe(ch, { tick_interval_ms: 1000 });
    ch.destroy();
    expect(hub.subscribers).toBe(0);
  });
});
