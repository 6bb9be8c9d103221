import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BrokerTrade, brokerTradeSchema } from '../../src/domain/order.js';
import { openStore, type Store } from '../../src/store/database.js';
import { insertTrades, listTrades } from '../../src/store/trades.js';

const AT = new Date('2026-11-25T04:30:00.000Z');
const LATER = new Date('2026-11-25T04:40:00.000Z');

const ist = (s: string | null): string | null =>
  s === null ? null : new Date(`${s.replace(' ', 'T')}+05:30`).toISOString();

/** Kite's sample trade book (trades.json), with IST wall times turned into instants. */
const fixture: BrokerTrade[] = (
  JSON.parse(readFileSync('test/fixtures/kite/trades.json', 'utf8')) as { data: Record<string, string | null>[] }
).data.map((t) =>
  brokerTradeSchema.parse({
    ...t,
    fill_timestamp: ist(t.fill_timestamp ?? null),
    exchange_timestamp: ist(t.exchange_timestamp ?? null),
  }),
);

function trade(id: string, overrides: Partial<BrokerTrade> = {}): BrokerTrade {
  return {
    trade_id: id,
    order_id: '251125000000001',
    exchange_order_id: '1300000000000001',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    instrument_token: 779521,
    product: 'CNC',
    transaction_type: 'BUY',
    quantity: 1,
    average_price: 800.05,
    fill_timestamp: '2026-11-25T04:31:00.000Z',
    exchange_timestamp: '2026-11-25T04:31:00.000Z',
    ...overrides,
  };
}

describe('trades store', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-trades-'));
    store = await openStore(join(dir, 'som.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores Kite's sample trades and reads them back as given", async () => {
    expect(fixture).toHaveLength(4);
    expect(await insertTrades(store.db, fixture, AT)).toEqual(fixture);
    const stored = await listTrades(store.db);
    expect(stored.map(({ recorded_at, ...t }) => t)).toEqual(
      [...fixture].sort((a, b) => (a.fill_timestamp ?? '').localeCompare(b.fill_timestamp ?? '')),
    );
    expect(stored.every((t) => t.recorded_at === AT.toISOString())).toBe(true);
  });

  it('is idempotent on (exchange, trade_id): only new fills are returned, the first record is kept', async () => {
    await insertTrades(store.db, [trade('1'), trade('2')], AT);
    const again = await insertTrades(store.db, [trade('2', { quantity: 99 }), trade('3'), trade('1')], LATER);
    expect(again.map((t) => t.trade_id)).toEqual(['3']);
    const stored = await listTrades(store.db);
    expect(stored.map((t) => [t.trade_id, t.quantity, t.recorded_at])).toEqual([
      ['1', 1, AT.toISOString()],
      ['2', 1, AT.toISOString()],
      ['3', 1, LATER.toISOString()],
    ]);
  });

  it('the same trade_id on another exchange is another fill', async () => {
    const added = await insertTrades(store.db, [trade('7'), trade('7', { exchange: 'BSE' })], AT);
    expect(added.map((t) => t.exchange)).toEqual(['NSE', 'BSE']);
    expect(await listTrades(store.db)).toHaveLength(2);
  });

  it('a fill repeated within one batch is stored and reported once', async () => {
    const added = await insertTrades(store.db, [trade('1'), trade('1'), trade('2')], AT);
    expect(added.map((t) => t.trade_id)).toEqual(['1', '2']);
  });

  it('an empty batch does nothing', async () => {
    expect(await insertTrades(store.db, [], AT)).toEqual([]);
  });

  it("large batches are split under SQLite's parameter limit and all stored", async () => {
    const many = Array.from({ length: 1234 }, (_, i) => trade(String(i)));
    expect(await insertTrades(store.db, many, AT)).toHaveLength(1234);
    expect(await insertTrades(store.db, many, LATER)).toHaveLength(0);
    expect(await listTrades(store.db)).toHaveLength(1234);
  });

  it("lists one order's fills, by fill time", async () => {
    await insertTrades(
      store.db,
      [
        trade('b', { fill_timestamp: '2026-11-25T04:33:00.000Z' }),
        trade('a', { fill_timestamp: '2026-11-25T04:32:00.000Z' }),
        trade('x', { order_id: 'other' }),
      ],
      AT,
    );
    expect((await listTrades(store.db, { orderId: '251125000000001' })).map((t) => t.trade_id)).toEqual(['a', 'b']);
    expect(await listTrades(store.db, { orderId: 'none' })).toEqual([]);
  });
});
