import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autoProtectionPercent, protectionPrice } from '../../../src/paper/matching/index.js';
import { placeOk, quote, SBIN, sbin, world } from './harness.js';

const T = SBIN.instrument.instrument_token;

function fixture(name: string): { data: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(new URL(`../../fixtures/kite/${name}`, import.meta.url), 'utf8'));
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

describe("records in Kite's shapes", () => {
  it('an order has the fields and JSON types of a current orders.json entry', () => {
    // The 2025 MTF order: it carries account_id and validity_ttl and has no tag.
    const kite = fixture('orders.json').data.find((o) => o.order_id === '250117800776785')!;
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: [[500.05, 1]] }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 499, product: 'MTF' }),
    );
    const mine = w.engine.order(id)! as unknown as Record<string, unknown>;
    expect(Object.keys(mine)).toEqual(Object.keys(kite));
    // guid is null or a string on Kite; exchange ids are null until the exchange has the order.
    for (const k of Object.keys(kite)) expect([k, typeOf(mine[k])]).toEqual([k, typeOf(kite[k])]);
  });

  it('a tagged order lists its tag in tags too, between tag and guid as in orders.json', () => {
    const w = world();
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 499, tag: 'som1' }),
    );
    const o = w.engine.order(id)!;
    expect([o.tag, o.tags]).toEqual(['som1', ['som1']]);
    expect(Object.keys(o).slice(-3)).toEqual(['tag', 'tags', 'guid']);
  });

  it("a protected market order gets Kite's mktp tags in the same place", () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: [[500.05, 1]] }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 1, market_protection: 2 }),
    );
    const o = w.engine.order(id)!;
    expect(Object.keys(o).slice(-3)).toEqual(['tag', 'tags', 'guid']);
    expect([o.tag, o.tags, o.market_protection]).toEqual([null, ['mktp', 'mktp:2.00'], 0]);
  });

  it('a trade has the fields and JSON types of trades.json', () => {
    const kite = fixture('trades.json').data[0]!;
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: [[500.05, 1]] }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500.05 }),
    );
    const t = w.engine.orderTrades(id)![0]! as unknown as Record<string, unknown>;
    expect(Object.keys(t)).toEqual(Object.keys(kite));
    for (const k of Object.keys(kite)) expect([k, typeOf(t[k])]).toEqual([k, typeOf(kite[k])]);
    expect(t.order_timestamp).toBe('10:00:00');
    expect(t.fill_timestamp).toBe('2026-03-02 10:00:00');
  });

  it('order ids are the IST date and a counter, 15 digits, the same on every run', () => {
    const ids = () => {
      const w = world({ at: '2026-03-02T19:00:00.000Z' }); // 00:30 IST on 3 March
      return [1, 2].map(() =>
        placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 499 })),
      );
    };
    expect(ids()).toEqual(['260303000000001', '260303000000002']);
    expect(ids()).toEqual(ids());
  });
});

describe('market protection price', () => {
  it('reproduces the protected order in orders.json: mktp:2.00 at LTP 156.69 gives 159.82', () => {
    // 156.69 x 1.02 = 159.8238, rounded down to the 0.01 tick = 159.82
    expect(protectionPrice('BUY', 156.69, 2, 0.01)).toBe(159.82);
  });

  it('uses the automatic slabs by instrument type and LTP', () => {
    expect(autoProtectionPercent(99.95, 'EQ')).toBe(2);
    expect(autoProtectionPercent(100, 'EQ')).toBe(1);
    expect(autoProtectionPercent(5, 'CE')).toBe(5);
    expect(autoProtectionPercent(50, 'PE')).toBe(3);
    expect(autoProtectionPercent(1200, 'FUT')).toBe(0.5);
  });

  it('stays inside the circuit band', () => {
    // 540 x 1.05 = 567 but the band ends at 550
    expect(protectionPrice('BUY', 540, 5, 0.05, { lower: 450, upper: 550 })).toBe(550);
  });
});
