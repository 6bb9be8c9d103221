import { describe, expect, it } from 'vitest';
import { NIFTY_CE, placeOk, quote, SBIN, sbin, world } from './harness.js';

const T = SBIN.instrument.instrument_token;
/** Five ask levels above an LTP of 500: 150 shares in all. */
const ASKS: [number, number][] = [
  [500.05, 10],
  [500.1, 20],
  [500.15, 30],
  [500.2, 40],
  [500.25, 50],
];

describe('market orders walk the book', () => {
  it('a market BUY walking three sell levels gets the volume-weighted average and one trade a level', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS, bids: [[499.95, 100]] }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 50, market_protection: -1 }),
    );

    const order = w.engine.order(id)!;
    expect(order.status).toBe('COMPLETE');
    expect(order.filled_quantity).toBe(50);
    // 10 x 500.05 + 20 x 500.10 + 20 x 500.15 = 5000.5 + 10002 + 10003 = 25005.5; / 50 = 500.11
    expect(order.average_price).toBeCloseTo(500.11, 9);
    const trades = w.engine.orderTrades(id)!;
    expect(trades.map((t) => [t.average_price, t.quantity])).toEqual([
      [500.05, 10],
      [500.1, 20],
      [500.15, 20],
    ]);
    expect(new Set(trades.map((t) => t.trade_id)).size).toBe(3);
    // Auto protection at LTP 500 is 0.5% (LTP >= 500 slab): 500 x 1.005 = 502.50; Kite shows
    // the protected market order as a LIMIT at that price, tagged mktp (orders.json).
    expect(order.order_type).toBe('LIMIT');
    expect(order.price).toBe(502.5);
    expect(order.tags).toEqual(['mktp', 'mktp:0.50']);
  });

  it('tells the market model what it took, level by level', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 25, market_protection: -1 }));
    expect(w.consumed).toEqual([
      { instrument_token: T, side: 'sell', price: 500.05, quantity: 10 },
      { instrument_token: T, side: 'sell', price: 500.1, quantity: 15 },
    ]);
  });

  it('an unprotected market order larger than the book fills what is there and the rest is cancelled', () => {
    const w = world({ rules: { requireMarketProtection: false } });
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 200 }));
    const o = w.engine.order(id)!;
    expect(o.order_type).toBe('MARKET');
    expect(o.status).toBe('CANCELLED');
    expect(o.filled_quantity).toBe(150); // 10 + 20 + 30 + 40 + 50
    expect(o.cancelled_quantity).toBe(50);
    expect(w.engine.orderTrades(id)).toHaveLength(5);
    // 10x500.05 + 20x500.10 + 30x500.15 + 40x500.20 + 50x500.25
    // = 5000.5 + 10002 + 15004.5 + 20008 + 25012.5 = 75027.5; / 150 = 500.18333...
    expect(o.average_price).toBeCloseTo(75027.5 / 150, 9);
  });

  it("with the 'cancel' remainder rule a protected market order's unfilled rest is cancelled too", () => {
    const w = world({ rules: { marketRemainder: 'cancel' } });
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 200, market_protection: 5 }),
    );
    const o = w.engine.order(id)!;
    expect([o.status, o.filled_quantity, o.cancelled_quantity]).toEqual(['CANCELLED', 150, 50]);
  });

  it('by default the unfilled rest of a protected market order stays open at the protection price, as on Kite', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 200, market_protection: 5 }),
    );
    let o = w.engine.order(id)!;
    // 500 x 1.05 = 525.00
    expect([o.status, o.order_type, o.price, o.filled_quantity, o.pending_quantity]).toEqual([
      'OPEN',
      'LIMIT',
      525,
      150,
      50,
    ]);
    w.engine.onQuote(
      T,
      quote(T, 510, {
        asks: [
          [524, 30],
          [525, 30],
          [526, 100],
        ],
      }),
    );
    o = w.engine.order(id)!;
    expect([o.status, o.filled_quantity]).toEqual(['COMPLETE', 200]);
    expect(
      w.engine
        .orderTrades(id)!
        .slice(-2)
        .map((t) => [t.average_price, t.quantity]),
    ).toEqual([
      [524, 30],
      [525, 20],
    ]);
  });

  it('protection stops the walk at LTP plus the protection percentage', () => {
    const w = world({ rules: { marketRemainder: 'cancel' } });
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    // 500 x 1.00025 = 500.125, rounded down to the tick: 500.10. 500.15 is out of reach.
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 50, market_protection: 0.025 }),
    );
    const o = w.engine.order(id)!;
    expect(o.price).toBe(500.1);
    expect(o.tags).toEqual(['mktp', 'mktp:0.03']);
    expect(w.engine.orderTrades(id)!.map((t) => t.average_price)).toEqual([500.05, 500.1]);
    expect([o.status, o.filled_quantity, o.cancelled_quantity]).toEqual(['CANCELLED', 30, 20]);
  });

  it('a market SELL walks the bids downwards', () => {
    const w = world();
    w.engine.onQuote(
      T,
      quote(T, 500, {
        bids: [
          [499.95, 5],
          [499.9, 5],
        ],
      }),
    );
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'SELL', order_type: 'MARKET', quantity: 8, market_protection: -1 }),
    );
    // 5 x 499.95 + 3 x 499.90 = 2499.75 + 1499.7 = 3999.45; / 8 = 499.93125
    expect(w.engine.order(id)!.average_price).toBeCloseTo(499.93125, 9);
    // Sell protection: 500 x 0.995 = 497.50
    expect(w.engine.order(id)!.price).toBe(497.5);
  });
});

describe('limit orders', () => {
  it('rest until the opposite best price crosses them, then fill at the resting prices', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 499.5 }),
    );
    expect(w.engine.order(id)!.status).toBe('OPEN');
    expect(w.engine.orderTrades(id)).toEqual([]);

    w.engine.onQuote(T, quote(T, 499.6, { asks: [[499.55, 100]] }));
    expect(w.engine.order(id)!.filled_quantity).toBe(0);

    w.engine.onQuote(
      T,
      quote(T, 499.4, {
        asks: [
          [499.4, 5],
          [499.5, 10],
        ],
      }),
    );
    const o = w.engine.order(id)!;
    expect(o.status).toBe('COMPLETE');
    // 5 x 499.40 + 5 x 499.50 = 4994.5; / 10 = 499.45
    expect(o.average_price).toBeCloseTo(499.45, 9);
    expect(w.statuses(id).slice(-2)).toEqual(['UPDATE', 'COMPLETE']);
  });

  it('one batch of quotes as the market moves fills the resting orders of each instrument, oldest first', () => {
    const w = world();
    const C = NIFTY_CE.instrument.instrument_token;
    const band = { lower: 50, upper: 200 };
    w.engine.onQuotes([
      [T, quote(T, 500, { asks: ASKS })],
      [C, quote(C, 120, { asks: [[120.5, 750]] }, band)],
    ]);
    const first = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 499.5 }),
    );
    const second = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 499.5 }),
    );
    const option = placeOk(w, 'regular', {
      ...{ exchange: 'NFO', tradingsymbol: NIFTY_CE.instrument.tradingsymbol, product: 'NRML' },
      ...{ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 75, price: 119 },
    });
    const done = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 5, price: 500.05 }),
    );
    expect(w.engine.order(done)!.status).toBe('COMPLETE');
    expect(w.engine.quotedTokens().sort()).toEqual([T, C].sort());

    // Both fall: SBIN offers 15 at 499.45, enough for the older order and half the newer one.
    w.engine.onQuotes([
      [T, quote(T, 499.45, { asks: [[499.45, 15]] })],
      [C, quote(C, 118.9, { asks: [[118.9, 75]] }, band)],
    ]);
    expect([w.engine.order(first)!.status, w.engine.order(first)!.filled_quantity]).toEqual(['COMPLETE', 10]);
    expect([w.engine.order(second)!.status, w.engine.order(second)!.filled_quantity]).toEqual(['OPEN', 5]);
    expect([w.engine.order(option)!.status, w.engine.order(option)!.average_price]).toEqual(['COMPLETE', 118.9]);
    // A finished order is not looked at again: the filled 5 at 500.05 stays as it was.
    expect(w.statuses(done).at(-1)).toBe('COMPLETE');
    expect(w.events.filter((e) => e.order.order_id === done && e.status === 'COMPLETE')).toHaveLength(1);
  });

  it('a marketable limit fills at the book and rests the rest at its price', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 40, price: 500.1 }),
    );
    const o = w.engine.order(id)!;
    expect([o.status, o.filled_quantity, o.pending_quantity, o.price]).toEqual(['OPEN', 30, 10, 500.1]);
  });

  it('two orders in one pass never take the same liquidity', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500.2, { asks: [[500.3, 1]] }));
    const a = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 20, price: 500.1 }));
    const b = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 20, price: 500.1 }));
    w.engine.onQuote(
      T,
      quote(T, 500.1, {
        asks: [
          [500.05, 10],
          [500.1, 20],
        ],
      }),
    );
    expect(w.engine.order(a)!.filled_quantity).toBe(20); // 10 @ 500.05 + 10 @ 500.10, first in time
    expect(w.engine.order(b)!.filled_quantity).toBe(10); // the 10 @ 500.10 left
    const taken = w.consumed.reduce((s, c) => s + c.quantity, 0);
    expect(taken).toBe(30);
  });

  it('an order placed after a fill does not reuse the depth the fill took', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: [[500.05, 10]] }));
    placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 500.05 }));
    const second = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 500.05 }),
    );
    expect(w.engine.order(second)!.filled_quantity).toBe(0);
  });
});

describe('IOC', () => {
  it('fills what it can now and cancels the rest', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', validity: 'IOC', quantity: 50, price: 500.1 }),
    );
    const o = w.engine.order(id)!;
    expect([o.status, o.filled_quantity, o.cancelled_quantity]).toEqual(['CANCELLED', 30, 20]);
    expect(w.statuses(id)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'UPDATE',
      'UPDATE',
      'CANCELLED',
    ]);
  });

  it('an IOC that cannot fill at all is cancelled whole', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', validity: 'IOC', quantity: 5, price: 499 }),
    );
    const o = w.engine.order(id)!;
    expect([o.status, o.filled_quantity, o.cancelled_quantity]).toEqual(['CANCELLED', 0, 5]);
  });
});

describe('stop orders', () => {
  it('an SL-M sell waits, then triggers when LTP falls through the trigger and sells at the bid', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { bids: [[499.95, 100]] }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'SELL', order_type: 'SL-M', quantity: 10, trigger_price: 495, market_protection: -1 }),
    );
    expect(w.engine.order(id)!.status).toBe('TRIGGER PENDING');

    w.engine.onQuote(T, quote(T, 495.05, { bids: [[495, 100]] }));
    expect(w.engine.order(id)!.status).toBe('TRIGGER PENDING');

    w.engine.onQuote(T, quote(T, 494.9, { bids: [[494.85, 100]] }));
    const o = w.engine.order(id)!;
    expect([o.status, o.order_type, o.average_price]).toEqual(['COMPLETE', 'SL-M', 494.85]);
    expect(w.statuses(id)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'TRIGGER PENDING',
      'OPEN',
      'COMPLETE',
    ]);
  });

  it('a triggered SL-M does not sell below its protection price', () => {
    const w = world({ rules: { marketRemainder: 'cancel' } });
    w.engine.onQuote(T, quote(T, 500, { bids: [[499.95, 100]] }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'SELL', order_type: 'SL-M', quantity: 10, trigger_price: 495, market_protection: 1 }),
    );
    // LTP 494 at trigger: protection 494 x 0.99 = 489.06, rounded up to the tick: 489.10.
    w.engine.onQuote(
      T,
      quote(T, 494, {
        bids: [
          [489.1, 4],
          [489.05, 100],
        ],
      }),
    );
    const o = w.engine.order(id)!;
    expect([o.status, o.filled_quantity, o.cancelled_quantity]).toEqual(['CANCELLED', 4, 6]);
  });

  it('an SL buy triggers into a LIMIT at its price and rests until the book comes to it', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'SL', quantity: 10, trigger_price: 505, price: 506 }),
    );
    expect(w.engine.order(id)!.status).toBe('TRIGGER PENDING');

    w.engine.onQuote(T, quote(T, 505.2, { asks: [[506.5, 10]] }));
    let o = w.engine.order(id)!;
    expect([o.status, o.filled_quantity]).toEqual(['OPEN', 0]);

    w.engine.onQuote(T, quote(T, 505.5, { asks: [[505.9, 10]] }));
    o = w.engine.order(id)!;
    expect([o.status, o.average_price, o.order_type]).toEqual(['COMPLETE', 505.9, 'SL']);
  });

  it('nothing triggers or fills while the market is not open', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { bids: [[499.95, 100]] }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'SELL', order_type: 'SL-M', quantity: 10, trigger_price: 495, market_protection: -1 }),
    );
    w.setSession('closed');
    w.engine.onQuote(T, quote(T, 490, { bids: [[489.95, 100]] }));
    expect(w.engine.order(id)!.status).toBe('TRIGGER PENDING');
  });
});

describe('end of day and TTL', () => {
  it('end of day cancels working DAY orders and keeps AMOs for the next open', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const day = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 490 }));
    w.setSession('closed');
    const amo = placeOk(w, 'amo', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 490 }));
    expect(w.engine.endOfDay('NSE')).toEqual([day]);
    expect(w.engine.order(day)!.status).toBe('CANCELLED');
    expect(w.engine.order(day)!.cancelled_quantity).toBe(10);
    expect(w.engine.order(amo)!.status).toBe('AMO REQ RECEIVED');
  });

  it('a TTL order lapses after its minutes', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({
        transaction_type: 'BUY',
        order_type: 'LIMIT',
        quantity: 10,
        price: 490,
        validity: 'TTL',
        validity_ttl: 2,
      }),
    );
    w.clock.advance(119_000);
    w.engine.sweep();
    expect(w.engine.order(id)!.status).toBe('OPEN');
    w.clock.advance(1_000);
    w.engine.sweep();
    expect(w.engine.order(id)!.status).toBe('CANCELLED');
  });
});
