import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src/domain/quote.js';
import { AlertBook } from '../../../src/paper/alerts/book.js';
import { conditionText, holds, parseAlertRequest } from '../../../src/paper/alerts/rules.js';
import type { AlertOrderRequest, AlertRequest } from '../../../src/paper/alerts/types.js';
import { shapeDifferences } from '../conformance/same-shape.js';
import { kiteFixture } from '../gtt/route-server.js';

const T0 = new Date('2026-11-25T10:00:00+05:30');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const NIFTY = 256265;
const BANKNIFTY = 260105;
const GOLDBEES = 3693569;
const TOKENS: Record<string, number> = {
  'INDICES:NIFTY 50': NIFTY,
  'INDICES:NIFTY BANK': BANKNIFTY,
  'NSE:GOLDBEES': GOLDBEES,
};

function book(options: { maxAlerts?: number } = {}) {
  const orders: AlertOrderRequest[] = [];
  const alerts = new AlertBook({
    userId: 'AB1234',
    seed: 7,
    resolve: (ex, sym) =>
      TOKENS[`${ex}:${sym}`] === undefined ? undefined : { instrument_token: TOKENS[`${ex}:${sym}`]! },
    placeOrder: (o) => {
      orders.push(o);
      return o.quantity > 1000
        ? { error: { message: 'Insufficient funds.' } }
        : { order_id: `2611250000${orders.length}` };
    },
    ...(options.maxAlerts !== undefined ? { limits: { maxAlerts: options.maxAlerts } } : {}),
  });
  return { alerts, orders };
}

/** The docs' own example: NIFTY 50 at or above 27000. */
const SIMPLE: AlertRequest = {
  name: 'NIFTY 50',
  lhs_exchange: 'INDICES',
  lhs_tradingsymbol: 'NIFTY 50',
  lhs_attribute: 'LastTradedPrice',
  operator: '>=',
  rhs_type: 'constant',
  type: 'simple',
  rhs_constant: '27000',
};

const BASKET = JSON.stringify({
  name: 'alerts-basket',
  type: 'alert',
  tags: [],
  items: [
    {
      type: 'insert',
      tradingsymbol: 'GOLDBEES',
      exchange: 'NSE',
      weight: 10000,
      params: {
        transaction_type: 'BUY',
        product: 'CNC',
        order_type: 'LIMIT',
        validity: 'DAY',
        quantity: 10,
        price: 72.22,
        variety: 'regular',
        tags: [],
      },
    },
  ],
});

const ATO: AlertRequest = {
  ...SIMPLE,
  name: 'buy gold',
  type: 'ato',
  lhs_exchange: 'NSE',
  lhs_tradingsymbol: 'GOLDBEES',
  operator: '<=',
  rhs_constant: '71.8',
  basket: BASKET,
};

function quote(token: number, price: number): Quote {
  const level = { price: 0, quantity: 0, orders: 0 };
  return {
    instrument_token: token,
    timestamp: '2026-11-25 10:01:00',
    last_trade_time: '',
    last_price: price,
    last_quantity: 0,
    buy_quantity: 0,
    sell_quantity: 0,
    volume: 0,
    average_price: 0,
    oi: 0,
    oi_day_high: 0,
    oi_day_low: 0,
    net_change: -12.5,
    lower_circuit_limit: 0,
    upper_circuit_limit: 0,
    ohlc: { open: 26950, high: 27010, low: 26900, close: 26980 },
    depth: { buy: [level], sell: [level] },
  };
}

function created(alerts: AlertBook, req: AlertRequest, now = T0): string {
  const r = alerts.create(req, now);
  if (!r.ok) throw new Error(r.error.message);
  return r.alert.uuid;
}

describe('alert requests', () => {
  it('compare as the operator says, with == forgiving float noise', () => {
    expect(holds(27000, '>=', 27000)).toBe(true);
    expect(holds(26999.95, '>=', 27000)).toBe(false);
    expect(holds(27000, '>', 27000)).toBe(false);
    expect(holds(0.1 + 0.2, '==', 0.3)).toBe(true);
    expect(holds(71.8, '<=', 71.8)).toBe(true);
    expect(holds(71.85, '<', 71.8)).toBe(false);
  });

  it("write the condition as Kite's history does", () => {
    const spec = parseAlertRequest(SIMPLE);
    expect(spec.ok && conditionText(spec.value)).toBe('LastTradedPrice("INDICES:NIFTY 50") >= 27000');
    const pair = parseAlertRequest({
      ...SIMPLE,
      rhs_type: 'instrument',
      rhs_exchange: 'INDICES',
      rhs_tradingsymbol: 'NIFTY BANK',
      rhs_attribute: 'LastTradedPrice',
    });
    expect(pair.ok && conditionText(pair.value)).toBe(
      'LastTradedPrice("INDICES:NIFTY 50") >= LastTradedPrice("INDICES:NIFTY BANK")',
    );
  });

  it('name what is missing or wrong', () => {
    const msg = (req: AlertRequest) => {
      const r = parseAlertRequest(req);
      return r.ok ? null : r.error.message;
    };
    expect(msg({ ...SIMPLE, name: undefined })).toBe('Missing or empty field `name`');
    expect(msg({ ...SIMPLE, operator: '=>' })).toBe('Invalid `operator`.');
    expect(msg({ ...SIMPLE, rhs_constant: 'lots' })).toBe('Invalid `rhs_constant`.');
    expect(msg({ ...SIMPLE, lhs_attribute: 'Volume' })).toBe('Invalid `lhs_attribute`.');
    expect(msg({ ...ATO, basket: undefined })).toBe('An ATO alert needs a `basket` with at least one order.');
    expect(
      msg({
        ...ATO,
        basket:
          '{"items":[{"exchange":"NSE","tradingsymbol":"GOLDBEES","params":{"transaction_type":"BUY","product":"CNC","order_type":"LIMIT","quantity":10}}]}',
      }),
    ).toBe('Invalid `price`.');
  });
});

describe("the alerts book answers in Kite's shapes", () => {
  it('create: alerts_create.json, and for ATO alerts_create_ato.json (no basket in the answer)', () => {
    const { alerts } = book();
    const simple = alerts.create(SIMPLE, T0);
    const ato = alerts.create(ATO, T0);
    if (!simple.ok || !ato.ok) throw new Error('refused');
    expect(shapeDifferences({ status: 'success', data: simple.alert }, kiteFixture('alerts_create.json'))).toEqual([]);
    expect(shapeDifferences({ status: 'success', data: ato.alert }, kiteFixture('alerts_create_ato.json'))).toEqual([]);
    expect(simple.alert).toMatchObject({
      type: 'simple',
      user_id: 'AB1234',
      name: 'NIFTY 50',
      status: 'enabled',
      lhs_exchange: 'INDICES',
      lhs_tradingsymbol: 'NIFTY 50',
      operator: '>=',
      rhs_constant: 27000,
      alert_count: 0,
      created_at: '2026-11-25 10:00:00',
    });
    expect(simple.alert.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ato.alert.uuid).not.toBe(simple.alert.uuid);
  });

  it('get, list and modify: alerts_get_one.json, alerts_get.json, alerts_modify.json', () => {
    const { alerts } = book();
    const s = created(alerts, SIMPLE);
    const a = created(alerts, ATO);
    expect(shapeDifferences({ status: 'success', data: alerts.get(s) }, kiteFixture('alerts_get_one.json'))).toEqual(
      [],
    );
    const list = alerts.list();
    expect(list.map((x) => x.uuid)).toEqual([a, s]);
    // The sample lists a simple alert and an ATO one; the basket belongs to ATO alerts only.
    expect(shapeDifferences({ status: 'success', data: list }, kiteFixture('alerts_get.json'))).toEqual([]);
    expect(alerts.get(a)!.basket!.items[0]).toMatchObject({
      tradingsymbol: 'GOLDBEES',
      exchange: 'NSE',
      instrument_token: GOLDBEES,
      weight: 10000,
      params: { price: 72.22, quantity: 10, gtt: { target: 0, stoploss: 0 } },
    });
    const modified = alerts.modify(s, { ...SIMPLE, rhs_constant: '27500' }, at(3));
    if (!modified.ok) throw new Error(modified.error.message);
    expect(shapeDifferences({ status: 'success', data: modified.alert }, kiteFixture('alerts_modify.json'))).toEqual(
      [],
    );
    expect(modified.alert).toMatchObject({
      rhs_constant: 27500,
      created_at: '2026-11-25 10:00:00',
      updated_at: '2026-11-25 10:03:00',
    });
  });
});

describe('evaluating alerts against prices', () => {
  it('fires a simple alert when the price reaches the level, once, with its history', () => {
    const { alerts } = book();
    const id = created(alerts, SIMPLE);
    expect(alerts.onPrice(NIFTY, 26999.95, at(1))).toEqual([]);
    const fired = alerts.onPrice(NIFTY, 27000.05, at(2), quote(NIFTY, 27000.05));
    expect(fired.map((f) => f.uuid)).toEqual([id]);
    expect(alerts.get(id)).toMatchObject({ status: 'disabled', alert_count: 1, updated_at: '2026-11-25 10:02:00' });
    // Spent: a higher price later does not fire it again.
    expect(alerts.onPrice(NIFTY, 27100, at(3))).toEqual([]);
    const history = alerts.history(id)!;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      uuid: id,
      type: 'simple',
      condition: 'LastTradedPrice("INDICES:NIFTY 50") >= 27000',
      created_at: '2026-11-25 10:02:00',
      order_meta: null,
    });
    expect(history[0]!.meta[0]).toMatchObject({
      instrument_token: NIFTY,
      tradingsymbol: 'NIFTY 50',
      exchange: 'INDICES',
      last_price: 27000.05,
      net_change: -12.5,
      ohlc: { open: 26950, high: 27010, low: 26900, close: 26980 },
      last_trade_time: '0001-01-01 00:00:00',
    });
    expect(shapeDifferences({ status: 'success', data: history }, kiteFixture('alerts_history.json'))).toEqual([]);
  });

  it('a modified alert is armed again', () => {
    const { alerts } = book();
    const id = created(alerts, SIMPLE);
    alerts.onPrice(NIFTY, 27001, at(1));
    alerts.modify(id, { ...SIMPLE, rhs_constant: '27500' }, at(2));
    expect(alerts.get(id)!.status).toBe('enabled');
    expect(alerts.onPrice(NIFTY, 27400, at(3))).toEqual([]);
    expect(alerts.onPrice(NIFTY, 27500, at(4))).toHaveLength(1);
    expect(alerts.get(id)!.alert_count).toBe(2);
  });

  it('an ATO alert places its basket and records what became of each order', () => {
    const { alerts, orders } = book();
    const id = created(alerts, ATO);
    expect(alerts.onPrice(GOLDBEES, 71.85, at(1))).toEqual([]);
    const [fired] = alerts.onPrice(GOLDBEES, 71.8, at(2));
    expect(orders).toEqual([
      {
        variety: 'regular',
        exchange: 'NSE',
        tradingsymbol: 'GOLDBEES',
        transaction_type: 'BUY',
        order_type: 'LIMIT',
        quantity: 10,
        product: 'CNC',
        price: 72.22,
        trigger_price: 0,
        disclosed_quantity: 0,
        validity: 'DAY',
        validity_ttl: 0,
      },
    ]);
    expect(fired!.entry.order_meta).toEqual([
      {
        id: alerts.get(id)!.basket!.items[0]!.id,
        tradingsymbol: 'GOLDBEES',
        exchange: 'NSE',
        status: 'success',
        order_id: '26112500001',
        rejection_reason: '',
      },
    ]);
    expect(alerts.get(id)).toMatchObject({ status: 'disabled', alert_count: 1 });
  });

  it('compares two instruments once both have a price', () => {
    const { alerts } = book();
    const id = created(alerts, {
      ...SIMPLE,
      operator: '<',
      rhs_type: 'instrument',
      rhs_exchange: 'INDICES',
      rhs_tradingsymbol: 'NIFTY BANK',
      rhs_attribute: 'LastTradedPrice',
      rhs_constant: undefined,
    });
    expect(alerts.watched().sort()).toEqual([NIFTY, BANKNIFTY].sort());
    expect(alerts.onPrice(NIFTY, 26000, at(1))).toEqual([]);
    const [fired] = alerts.onPrice(BANKNIFTY, 58000, at(2));
    expect(fired!.uuid).toBe(id);
    expect(fired!.entry.meta.map((m) => [m.tradingsymbol, m.last_price])).toEqual([
      ['NIFTY 50', 26000],
      ['NIFTY BANK', 58000],
    ]);
  });
});

describe('managing alerts', () => {
  it('deletes all or nothing; a deleted alert is gone', () => {
    const { alerts } = book();
    const a = created(alerts, SIMPLE);
    const b = created(alerts, SIMPLE);
    const refused = alerts.delete([a, 'no-such-uuid'], at(1));
    expect(!refused.ok && refused.error.message).toBe("Couldn't find that alert (no-such-uuid).");
    expect(alerts.get(a)).toBeDefined();
    expect(alerts.delete([a, b], at(1))).toEqual({ ok: true });
    expect(alerts.get(a)).toBeUndefined();
    expect(alerts.list()).toEqual([]);
    expect(alerts.list({ status: 'deleted' })).toHaveLength(2);
    expect(alerts.onPrice(NIFTY, 28000, at(2))).toEqual([]);
  });

  it('caps the alerts a user may have, disabled ones included', () => {
    const { alerts } = book({ maxAlerts: 2 });
    const a = created(alerts, SIMPLE);
    created(alerts, SIMPLE);
    alerts.onPrice(NIFTY, 27000, at(1));
    const third = alerts.create(SIMPLE, at(2));
    expect(!third.ok && third.error.message).toBe(
      'You can have a maximum of 2 alerts, including disabled ones. Delete some to create new ones.',
    );
    alerts.delete([a], at(3));
    expect(alerts.create(SIMPLE, at(4)).ok).toBe(true);
  });

  it('refuses an instrument it does not know', () => {
    const r = book().alerts.create({ ...SIMPLE, lhs_tradingsymbol: 'NIFTY 500' }, T0);
    expect(!r.ok && r.error.message).toBe('Invalid instrument: INDICES:NIFTY 500.');
  });

  it('hands out the same uuids for the same seed', () => {
    const one = created(book().alerts, SIMPLE);
    const two = created(book().alerts, SIMPLE);
    expect(one).toBe(two);
  });
});
