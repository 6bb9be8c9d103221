import { describe, expect, it } from 'vitest';
import { GttBook } from '../../../src/paper/gtt/book.js';
import type { GttOrderRequest, GttRequest, PlaceOutcome } from '../../../src/paper/gtt/types.js';
import { shapeDifferences } from '../conformance/same-shape.js';
import { kiteFixture } from './route-server.js';

/** Wednesday 25 Nov 2026, 10:00 IST. */
const T0 = new Date('2026-11-25T10:00:00+05:30');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const INSTRUMENTS: Record<string, { instrument_token: number; expiry: string | null }> = {
  'NSE:INFY': { instrument_token: 408065, expiry: null },
  'NFO:NIFTY26DECFUT': { instrument_token: 13_000_002, expiry: '2026-12-29' },
};

function book(options: { place?: (o: GttOrderRequest) => PlaceOutcome; maxActive?: number; ltp?: number } = {}) {
  const placed: GttOrderRequest[] = [];
  const gtt = new GttBook({
    userId: 'PA0001',
    appId: 12617,
    resolve: (ex, sym) => INSTRUMENTS[`${ex}:${sym}`],
    placeOrder: (o) => {
      placed.push(o);
      return options.place ? options.place(o) : { order_id: `26112500000${placed.length}` };
    },
    ...(options.ltp !== undefined ? { lastPrice: () => options.ltp } : {}),
    ...(options.maxActive !== undefined ? { limits: { maxActive: options.maxActive } } : {}),
  });
  return { gtt, placed };
}

function request(
  type: 'single' | 'two-leg',
  triggers: number[],
  lastPrice = 1000,
  symbol = 'INFY',
  exchange = 'NSE',
  product = 'CNC',
): GttRequest {
  return {
    type,
    condition: JSON.stringify({ exchange, tradingsymbol: symbol, trigger_values: triggers, last_price: lastPrice }),
    orders: JSON.stringify(
      triggers.map((t) => ({
        exchange,
        tradingsymbol: symbol,
        transaction_type: 'SELL',
        quantity: 5,
        order_type: 'LIMIT',
        product,
        price: t - 1,
      })),
    ),
  };
}

function placed(gtt: GttBook, req: GttRequest, now = T0): number {
  const r = gtt.place(req, now);
  if (!r.ok) throw new Error(r.error.message);
  return r.trigger_id;
}

describe('a two-leg (OCO) GTT', () => {
  it('fires only the leg the price reaches, once, and records the order as Kite does', () => {
    const { gtt, placed: orders } = book();
    const id = placed(gtt, request('two-leg', [950, 1050]));
    expect(gtt.onPrice('NSE:INFY', 1000, at(1))).toEqual([]);
    expect(gtt.onPrice('NSE:INFY', 1049.95, at(2))).toEqual([]);
    const fired = gtt.onPrice('NSE:INFY', 1051, at(3));
    expect(fired.map((f) => [f.trigger_id, f.leg])).toEqual([[id, 1]]);
    expect(orders).toEqual([
      {
        exchange: 'NSE',
        tradingsymbol: 'INFY',
        transaction_type: 'SELL',
        order_type: 'LIMIT',
        quantity: 5,
        product: 'CNC',
        price: 1049,
        validity: 'DAY',
      },
    ]);
    const g = gtt.get(id)!;
    expect(g.status).toBe('triggered');
    expect(g.orders[0]!.result).toBeNull();
    expect(g.orders[1]!.result).toMatchObject({
      account_id: 'PA0001',
      triggered_at: 1051,
      meta: `{"app_id":12617,"gtt":${id}}`,
      timestamp: '2026-11-25 10:03:00',
      order_result: { status: 'success', order_id: '261125000001', rejection_reason: '' },
    });
    // The other leg is gone with it: a fall through the stoploss later places nothing.
    expect(gtt.onPrice('NSE:INFY', 900, at(4))).toEqual([]);
    expect(orders).toHaveLength(1);
  });

  it("answers in gtt_get_order.json's shape once triggered, and gtt_get_orders.json's in a list", () => {
    const { gtt } = book({
      place: () => ({ error: { message: 'Your order price is lower than the current lower circuit limit of 70.65.' } }),
    });
    const active = placed(gtt, request('single', [950]));
    const oco = placed(gtt, request('two-leg', [950, 1050]), at(1));
    gtt.onPrice('NSE:INFY', 1060, at(2));
    const triggered = gtt.get(oco)!;
    expect(triggered.orders[1]!.result!.order_result).toEqual({
      status: 'failed',
      order_id: '',
      rejection_reason: 'Your order price is lower than the current lower circuit limit of 70.65.',
    });
    // Kite leaves `result` null on a leg that did not fire and `meta` null once triggered.
    const nullable = ['$.data.orders[*].result', '$.data.meta', '$.data[*].orders[*].result', '$.data[*].meta'];
    expect(
      shapeDifferences({ status: 'success', data: triggered }, kiteFixture('gtt_get_order.json'), nullable),
    ).toEqual([]);
    const list = gtt.list(at(3));
    expect(list.map((g) => g.id)).toEqual([oco, active]);
    expect(shapeDifferences({ status: 'success', data: list }, kiteFixture('gtt_get_orders.json'), nullable)).toEqual(
      [],
    );
    expect(gtt.get(active)).toMatchObject({
      user_id: 'PA0001',
      parent_trigger: null,
      created_at: '2026-11-25 10:00:00',
      expires_at: '2027-11-25 10:00:00',
      status: 'active',
      condition: {
        exchange: 'NSE',
        last_price: 1000,
        tradingsymbol: 'INFY',
        trigger_values: [950],
        instrument_token: 408065,
      },
      meta: {},
    });
  });
});

describe('a single GTT', () => {
  it('placed above the price waits for a rise, then fires', () => {
    const { gtt, placed: orders } = book();
    const id = placed(gtt, request('single', [1100]));
    expect(gtt.onPrice('NSE:INFY', 900, at(1))).toEqual([]);
    expect(gtt.onPrice('NSE:INFY', 1100, at(2))).toHaveLength(1);
    expect(gtt.get(id)!.status).toBe('triggered');
    expect(orders[0]!.price).toBe(1099);
  });

  it('ignores prices of other instruments', () => {
    const { gtt } = book();
    placed(gtt, request('single', [950]));
    expect(gtt.onPrice('NSE:TCS', 900, at(1))).toEqual([]);
    expect(gtt.watched()).toEqual(['NSE:INFY']);
  });
});

describe('the life of a GTT', () => {
  it('expires a year after placement, and an expired trigger never fires', () => {
    const { gtt, placed: orders } = book();
    const id = placed(gtt, request('single', [950]));
    const justBefore = new Date(new Date('2027-11-25T10:00:00+05:30').getTime() - 1000);
    expect(gtt.get(id, justBefore)!.status).toBe('active');
    expect(gtt.onPrice('NSE:INFY', 900, new Date('2027-11-25T10:00:00+05:30'))).toEqual([]);
    expect(gtt.get(id)!.status).toBe('expired');
    expect(orders).toEqual([]);
  });

  it('on a future it ends with the contract', () => {
    const { gtt } = book();
    const id = placed(gtt, request('single', [24_000], 25_000, 'NIFTY26DECFUT', 'NFO', 'NRML'));
    expect(gtt.get(id)!.expires_at).toBe('2026-12-29 15:30:00');
    expect(gtt.expire(new Date('2026-12-29T15:30:00+05:30'))).toEqual([id]);
  });

  it('can be modified and deleted while active, not after', () => {
    const { gtt } = book();
    const id = placed(gtt, request('single', [950]));
    const modified = gtt.modify(id, request('single', [960]), at(5));
    expect(modified).toEqual({ ok: true, trigger_id: id });
    expect(gtt.get(id)).toMatchObject({ updated_at: '2026-11-25 10:05:00', condition: { trigger_values: [960] } });
    expect(gtt.delete(id, at(6))).toEqual({ ok: true, trigger_id: id });
    expect(gtt.get(id)!.status).toBe('deleted');
    const again = gtt.delete(id, at(7));
    expect(!again.ok && again.error.message).toBe('The trigger is deleted and can no longer be changed.');
    const unknown = gtt.modify(999, request('single', [950]), at(7));
    expect(!unknown.ok && [unknown.error.error_type, unknown.error.http_status]).toEqual(['GeneralException', 404]);
  });

  it('keeps its instrument on modification', () => {
    const { gtt } = book();
    const id = placed(gtt, request('single', [24_000], 25_000, 'NIFTY26DECFUT', 'NFO', 'NRML'));
    const r = gtt.modify(id, request('single', [950]), at(1));
    expect(!r.ok && r.error.code).toBe('INSTRUMENT_CHANGED');
  });
});

describe('placing GTTs', () => {
  it('checks the distance against the market price when there is one', () => {
    // The client says 1000, the market is at 955: a 950 stop is 5 away, 0.25% of 955 is 2.3875: fine.
    expect(book({ ltp: 955 }).gtt.place(request('single', [950]), T0).ok).toBe(true);
    // At 951 the stop is 1 away, short of 0.25% of 951 = 2.3775.
    const r = book({ ltp: 951 }).gtt.place(request('single', [950]), T0);
    expect(!r.ok && r.error.code).toBe('TRIGGER_TOO_CLOSE');
  });

  it('refuses an unknown instrument', () => {
    const r = book().gtt.place(request('single', [950], 1000, 'NOSUCH'), T0);
    expect(!r.ok && r.error.message).toBe('Invalid `tradingsymbol`.');
  });

  it('caps the active GTTs; a deleted or triggered one frees its place', () => {
    const { gtt } = book({ maxActive: 2 });
    const first = placed(gtt, request('single', [950]));
    placed(gtt, request('single', [960]));
    const third = gtt.place(request('single', [970]), T0);
    expect(!third.ok && third.error.message).toBe(
      'You can have a maximum of 2 active GTTs. Delete some to place new ones.',
    );
    gtt.delete(first, at(1));
    expect(gtt.place(request('single', [970]), at(2)).ok).toBe(true);
  });

  it('hands out increasing integer ids', () => {
    const { gtt } = book();
    const a = placed(gtt, request('single', [950]));
    const b = placed(gtt, request('single', [960]));
    expect(Number.isInteger(a) && b === a + 1).toBe(true);
  });
});

describe('a trigger taken off by the broker', () => {
  it('keeps the reason of a rejection in meta', () => {
    const { gtt } = book();
    const id = placed(gtt, request('single', [950]));
    expect(gtt.retire(id, 'rejected', at(1), 'Series changed')).toBe(true);
    expect(gtt.get(id)).toMatchObject({ status: 'rejected', meta: { rejection_reason: 'Series changed' } });
    expect(gtt.onPrice('NSE:INFY', 900, at(2))).toEqual([]);
  });
});
