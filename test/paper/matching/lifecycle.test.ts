import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { placeOk, quote, SBIN, sbin, world } from './harness.js';

const T = SBIN.instrument.instrument_token;
const ASKS: [number, number][] = [
  [500.05, 10],
  [500.1, 20],
  [500.15, 30],
];

describe("status sequence (Kite's order_info.json)", () => {
  it('a filled market order goes PUT ORDER REQ RECEIVED, VALIDATION PENDING, OPEN PENDING, OPEN, COMPLETE', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 5, market_protection: -1 }),
    );
    expect(w.statuses(id)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'COMPLETE',
    ]);
    expect(w.engine.history(id)!.map((h) => h.status)).toEqual(w.statuses(id));
    const complete = w.events.at(-1)!;
    expect(complete.trade?.quantity).toBe(5);
    expect(complete.order.filled_quantity).toBe(5);
  });

  it('partial fills are UPDATE events while the order stays OPEN in the book', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 40, market_protection: -1 }),
    );
    const mine = w.events.filter((e) => e.order.order_id === id);
    expect(mine.map((e) => e.status)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'UPDATE',
      'UPDATE',
      'COMPLETE',
    ]);
    const updates = mine.filter((e) => e.status === 'UPDATE');
    expect(updates.map((e) => [e.order.status, e.order.filled_quantity, e.order.pending_quantity])).toEqual([
      ['OPEN', 10, 30],
      ['OPEN', 30, 10],
    ]);
  });

  it('the exchange order id and exchange timestamp appear at OPEN, not before (order_info.json)', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 5, price: 499 }));
    const h = w.engine.history(id)!;
    expect(h.slice(0, 3).map((x) => x.exchange_order_id)).toEqual([null, null, null]);
    expect(h[3]!.exchange_order_id).toMatch(/^13\d{14}$/);
    expect(h[3]!.exchange_timestamp).toBe('2026-03-02 10:00:00');
    expect(h[0]!.order_timestamp).toBe('2026-03-02 10:00:00');
  });

  it('a margin shortfall rejects the accepted order with the RMS texts, never reaching the exchange', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    w.setMargin({ ok: false, required: 95417.84, available: 74251.8 });
    const id = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 200, price: 463 }));
    const o = w.engine.order(id)!;
    expect(w.statuses(id)).toEqual(['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'REJECTED']);
    // The fixture's own texts, with this engine's account in place of Kite's masked one.
    const fixture = JSON.parse(
      readFileSync(new URL('../../fixtures/kite/orders.json', import.meta.url), 'utf8'),
    ).data.find((x: { status: string }) => x.status === 'REJECTED');
    expect(o.status_message).toBe(fixture.status_message);
    expect(o.status_message_raw).toBe(fixture.status_message_raw.replace('account-XXXXX', 'account-AB1234'));
    expect([o.exchange_order_id, o.exchange_timestamp, o.pending_quantity]).toEqual([null, null, 0]);
  });
});

describe('modify', () => {
  it('changes price, quantity and trigger with the MODIFY statuses, new values showing at OPEN', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 490 }));
    w.clock.advance(84_000);
    expect(w.engine.modify('regular', id, { price: 495, quantity: 20 })).toEqual({ ok: true, order_id: id });

    const h = w.engine.history(id)!.slice(-4);
    expect(h.map((x) => [x.status, x.price, x.quantity])).toEqual([
      ['MODIFY VALIDATION PENDING', 490, 10],
      ['MODIFY PENDING', 490, 10],
      ['MODIFIED', 490, 10],
      ['OPEN', 495, 20],
    ]);
    const o = w.engine.order(id)!;
    expect([o.pending_quantity, o.modified, o.order_timestamp]).toEqual([20, true, '2026-03-02 10:01:24']);
  });

  it('a price modified through the market fills at once', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 490 }));
    w.engine.modify('regular', id, { price: 500.05 });
    expect(w.engine.order(id)!.status).toBe('COMPLETE');
  });

  it('moves a stop trigger and keeps it waiting', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { bids: [[499.95, 100]] }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'SELL', order_type: 'SL-M', quantity: 10, trigger_price: 495, market_protection: -1 }),
    );
    expect(w.engine.modify('regular', id, { trigger_price: 497 }).ok).toBe(true);
    const o = w.engine.order(id)!;
    expect([o.status, o.trigger_price, o.market_protection]).toEqual(['TRIGGER PENDING', 497, -1]);
    w.engine.onQuote(T, quote(T, 496.9, { bids: [[496.85, 100]] }));
    expect(w.engine.order(id)!.status).toBe('COMPLETE');
  });

  it('allows 25 modifications and refuses the 26th', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 480 }));
    for (let i = 1; i <= 25; i++) {
      expect(w.engine.modify('regular', id, { price: 480 + i * 0.05 }).ok).toBe(true);
    }
    const r = w.engine.modify('regular', id, { price: 490 });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'MAX_MODIFICATIONS',
        error_type: 'NetworkException',
        message: 'Maximum allowed order modifications exceeded.',
        http_status: 400,
      },
    });
    expect(w.engine.order(id)!.price).toBe(481.25); // 480 + 25 x 0.05, the 26th not applied
  });

  it('refuses to modify a completed order', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 5, price: 500.05 }),
    );
    const r = w.engine.modify('regular', id, { price: 499 });
    expect(r.ok ? null : [r.error.error_type, r.error.message]).toEqual([
      'InputException',
      'Order cannot be modified as it is being processed. Try later.',
    ]);
  });

  it('refuses a quantity at or below what has filled', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 20, price: 500.05 }),
    );
    const r = w.engine.modify('regular', id, { quantity: 10 });
    expect(r.ok ? null : r.error.code).toBe('QUANTITY_BELOW_FILLED');
  });

  it('refuses a modification the margin does not cover, leaving the order as it was', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 490 }));
    w.setMargin({ ok: false, required: 9900, available: 5000 });
    const r = w.engine.modify('regular', id, { quantity: 20 });
    expect(r.ok ? null : [r.error.error_type, r.error.message]).toEqual([
      'MarginException',
      'Insufficient funds. Required margin is 9900.00 but available margin is 5000.00. Check the orderbook for open orders.',
    ]);
    expect(w.engine.order(id)!.quantity).toBe(10);
  });
});

describe('cancel', () => {
  it('cancels an open order through CANCEL PENDING', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 490 }));
    expect(w.engine.cancel('regular', id)).toEqual({ ok: true, order_id: id });
    expect(w.statuses(id).slice(-2)).toEqual(['CANCEL PENDING', 'CANCELLED']);
    const o = w.engine.order(id)!;
    // Kite leaves pending_quantity in place on a cancelled order (orders.json: 1 and 1).
    expect([o.cancelled_quantity, o.pending_quantity]).toEqual([10, 10]);
  });

  it("refuses to cancel a complete order with Kite's message", () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 5, price: 500.05 }),
    );
    expect(w.engine.order(id)!.status).toBe('COMPLETE');
    expect(w.engine.cancel('regular', id)).toEqual({
      ok: false,
      error: {
        code: 'CANCEL_NOT_ALLOWED',
        error_type: 'InputException',
        message: 'Order cannot be cancelled as it is being processed. Try later.',
        http_status: 400,
      },
    });
  });

  it('refuses to cancel a cancelled or rejected order, and an unknown id', () => {
    const w = world();
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const open = placeOk(w, 'regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 5, price: 490 }));
    w.engine.cancel('regular', open);
    expect(w.engine.cancel('regular', open).ok).toBe(false);
    w.setMargin({ ok: false, required: 2, available: 1 });
    const rejected = placeOk(
      w,
      'regular',
      sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 5, price: 490 }),
    );
    const r = w.engine.cancel('regular', rejected);
    expect(r.ok ? null : r.error.code).toBe('CANCEL_NOT_ALLOWED');
    const u = w.engine.cancel('regular', '260302999999999');
    expect(u.ok ? null : [u.error.code, u.error.message]).toEqual([
      'ORDER_NOT_FOUND',
      "Couldn't find that `order_id`.",
    ]);
  });
});

describe('AMO', () => {
  it('waits in AMO REQ RECEIVED while the market is closed and works once it opens', () => {
    const w = world({ session: 'closed', at: '2026-03-02T14:30:00.000Z' }); // 20:00 IST
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const id = placeOk(w, 'amo', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 500.1 }));
    expect(w.statuses(id)).toEqual(['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'AMO REQ RECEIVED']);

    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    expect(w.engine.order(id)!.status).toBe('AMO REQ RECEIVED');
    expect(w.engine.order(id)!.exchange_order_id).toBeNull();

    w.clock.set('2026-03-03T03:45:00.000Z'); // 09:15 IST
    w.setSession('open');
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS }));
    const o = w.engine.order(id)!;
    expect(w.statuses(id).slice(3)).toEqual(['OPEN PENDING', 'OPEN', 'COMPLETE']);
    expect([o.variety, o.filled_quantity, o.exchange_timestamp]).toEqual(['amo', 10, '2026-03-03 09:15:00']);
  });

  it('equity LIMIT AMOs go out at pre-open (09:00) but stop AMOs wait for 09:15', () => {
    const w = world({ session: 'closed', at: '2026-03-02T14:30:00.000Z' });
    w.engine.onQuote(T, quote(T, 500, { asks: ASKS, bids: [[499.95, 10]] }));
    const limit = placeOk(w, 'amo', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 499 }));
    const stop = placeOk(
      w,
      'amo',
      sbin({ transaction_type: 'SELL', order_type: 'SL', quantity: 10, price: 489, trigger_price: 490 }),
    );
    w.setSession('pre-open');
    w.engine.sweep();
    expect(w.engine.order(limit)!.status).toBe('OPEN');
    expect(w.engine.order(stop)!.status).toBe('AMO REQ RECEIVED');
    w.setSession('open');
    w.engine.sweep();
    expect(w.engine.order(stop)!.status).toBe('TRIGGER PENDING');
  });

  it('an AMO can be modified and cancelled before the open', () => {
    const w = world({ session: 'closed' });
    const id = placeOk(w, 'amo', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 10, price: 490 }));
    expect(w.engine.modify('amo', id, { price: 491 }).ok).toBe(true);
    expect(w.engine.order(id)!.status).toBe('AMO REQ RECEIVED');
    expect(w.engine.order(id)!.price).toBe(491);
    expect(w.engine.cancel('amo', id).ok).toBe(true);
    expect(w.statuses(id).slice(-1)).toEqual(['CANCELLED']);
  });
});
