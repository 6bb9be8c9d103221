import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BrokerPosition, brokerPositionSchema } from '../../src/domain/order.js';
import { openStore, type Store } from '../../src/store/database.js';
import { getPositionId, listPositions, syncPositions } from '../../src/store/positions.js';

const AT = new Date('2026-11-25T04:30:00.000Z');
const LATER = new Date('2026-11-25T05:30:00.000Z');
const EVEN_LATER = new Date('2026-11-25T06:30:00.000Z');

/** Kite's sample net positions (positions.json): LEADMINI long 1, GOLDGUINEA and SBIN CO flat. */
const fixtureNet: BrokerPosition[] = (
  JSON.parse(readFileSync('test/fixtures/kite/positions.json', 'utf8')) as { data: { net: unknown[] } }
).data.net.map((p) => brokerPositionSchema.parse(p));

/** A long SBIN CNC position of 10 at 800. */
function position(overrides: Partial<BrokerPosition> = {}): BrokerPosition {
  return {
    tradingsymbol: 'SBIN',
    exchange: 'NSE',
    instrument_token: 779521,
    product: 'CNC',
    quantity: 10,
    overnight_quantity: 0,
    multiplier: 1,
    average_price: 800,
    close_price: 0,
    last_price: 800,
    value: -8000,
    pnl: 0,
    m2m: 0,
    unrealised: 0,
    realised: 0,
    buy_quantity: 10,
    buy_price: 800,
    buy_value: 8000,
    buy_m2m: 8000,
    sell_quantity: 0,
    sell_price: 0,
    sell_value: 0,
    sell_m2m: 0,
    day_buy_quantity: 10,
    day_buy_price: 800,
    day_buy_value: 8000,
    day_sell_quantity: 0,
    day_sell_price: 0,
    day_sell_value: 0,
    ...overrides,
  };
}

describe('positions store', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'som-positions-'));
    store = await openStore(join(dir, 'som.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores Kite's sample net positions; only the non-flat one counts as opened", async () => {
    const changes = await syncPositions(store.db, fixtureNet, AT);
    expect(changes.map((c) => [c.kind, c.tradingsymbol, c.from, c.to.quantity])).toEqual([
      ['opened', 'LEADMINI17DECFUT', null, 1],
    ]);
    const all = await listPositions(store.db);
    expect(all.map(({ id, updated_at, ...p }) => p)).toEqual(
      [...fixtureNet].sort((a, b) =>
        `${a.exchange}${a.tradingsymbol}`.localeCompare(`${b.exchange}${b.tradingsymbol}`),
      ),
    );
    expect((await listPositions(store.db, { openOnly: true })).map((p) => p.tradingsymbol)).toEqual([
      'LEADMINI17DECFUT',
    ]);
  });

  it("reports opened, changed and closed positions and keeps each row's id", async () => {
    const [opened] = await syncPositions(
      store.db,
      [position(), position({ product: 'MIS', quantity: 0, buy_quantity: 5, sell_quantity: 5 })],
      AT,
    );
    expect(opened).toMatchObject({ kind: 'opened', product: 'CNC', from: null });
    const id = await getPositionId(store.db, 'NSE', 'SBIN', 'CNC');
    expect(id).toBe(opened?.id);
    expect(await getPositionId(store.db, 'NSE', 'SBIN', 'MIS')).toBeDefined();
    expect(await getPositionId(store.db, 'NSE', 'INFY', 'CNC')).toBeUndefined();

    // Bought 5 more at 803: (10 * 800 + 5 * 803) / 15 = 12015 / 15 = 801.
    const added = position({ quantity: 15, average_price: 801, buy_quantity: 15, last_price: 803 });
    expect(await syncPositions(store.db, [added], LATER)).toEqual([
      {
        kind: 'changed',
        id,
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        product: 'CNC',
        from: { quantity: 10, average_price: 800, overnight_quantity: 0, buy_quantity: 10, sell_quantity: 0 },
        to: { quantity: 15, average_price: 801, overnight_quantity: 0, buy_quantity: 15, sell_quantity: 0 },
      },
    ]);

    // Sold everything: still listed by the broker, quantity 0.
    const flat = position({ quantity: 0, average_price: 0, buy_quantity: 15, sell_quantity: 15, realised: 30 });
    expect(await syncPositions(store.db, [flat], EVEN_LATER)).toMatchObject([
      { kind: 'closed', id, to: { quantity: 0 } },
    ]);
    expect(await getPositionId(store.db, 'NSE', 'SBIN', 'CNC')).toBe(id);

    // Open again later: the same row.
    expect(await syncPositions(store.db, [position({ quantity: 1 })], EVEN_LATER)).toMatchObject([
      { kind: 'opened', id },
    ]);
  });

  it('a price or P&L move updates the row but is not a change to audit', async () => {
    await syncPositions(store.db, [position()], AT);
    expect(
      await syncPositions(store.db, [position({ last_price: 810, pnl: 100, m2m: 100, unrealised: 100 })], LATER),
    ).toEqual([]);
    const [stored] = await listPositions(store.db);
    expect(stored).toMatchObject({ last_price: 810, pnl: 100, updated_at: LATER.toISOString() });
  });

  it('a position the broker no longer lists is set to quantity 0, row and id kept, and reported closed once', async () => {
    await syncPositions(
      store.db,
      [position(), position({ tradingsymbol: 'INFY', instrument_token: 408065, average_price: 1500.1 })],
      AT,
    );
    const id = await getPositionId(store.db, 'NSE', 'SBIN', 'CNC');

    const changes = await syncPositions(
      store.db,
      [position({ tradingsymbol: 'INFY', instrument_token: 408065, average_price: 1500.1 })],
      LATER,
    );
    expect(changes).toEqual([
      {
        kind: 'closed',
        id,
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        product: 'CNC',
        from: { quantity: 10, average_price: 800, overnight_quantity: 0, buy_quantity: 10, sell_quantity: 0 },
        to: { quantity: 0, average_price: 800, overnight_quantity: 0, buy_quantity: 10, sell_quantity: 0 },
      },
    ]);
    const sbin = (await listPositions(store.db)).find((p) => p.tradingsymbol === 'SBIN');
    expect(sbin).toMatchObject({ id, quantity: 0, updated_at: LATER.toISOString() });
    expect((await listPositions(store.db, { openOnly: true })).map((p) => p.tradingsymbol)).toEqual(['INFY']);

    // Still absent: nothing more to report, and the row is left alone.
    expect(await syncPositions(store.db, [], EVEN_LATER)).toMatchObject([{ kind: 'closed', tradingsymbol: 'INFY' }]);
    expect(await syncPositions(store.db, [], EVEN_LATER)).toEqual([]);
    expect(await listPositions(store.db)).toHaveLength(2);
  });

  it('positions differ by product: CNC and MIS of one symbol are two rows', async () => {
    await syncPositions(store.db, [position(), position({ product: 'MIS', quantity: -5 })], AT);
    const ids = [
      await getPositionId(store.db, 'NSE', 'SBIN', 'CNC'),
      await getPositionId(store.db, 'NSE', 'SBIN', 'MIS'),
    ];
    expect(new Set(ids).size).toBe(2);
    expect((await listPositions(store.db)).map((p) => [p.product, p.quantity])).toEqual([
      ['CNC', 10],
      ['MIS', -5],
    ]);
  });
});
