import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/broker/errors.js';
import {
  kiteInstant,
  kiteWallTime,
  normalizeOrder,
  normalizePosition,
  normalizeTrade,
} from '../../src/broker/kite-normalize.js';
import { asKiteconnect, fixture, inZone } from './support.js';

const ZONES = ['America/New_York', 'Asia/Kolkata', 'UTC', 'Pacific/Kiritimati', 'Europe/London'];

describe('Kite timestamps', () => {
  it('reads an IST wall-time string as the instant 5h30 earlier in UTC', () => {
    // 09:18:57 IST - 05:30 = 03:48:57 UTC, same day
    expect(kiteInstant('2021-05-31 09:18:57')).toBe('2021-05-31T03:48:57.000Z');
    // 02:10 IST is still the previous day in UTC: 20:40 on the 30th
    expect(kiteInstant('2021-05-31 02:10:00')).toBe('2021-05-30T20:40:00.000Z');
  });

  it('reads a Date kiteconnect made in the host zone the same way, whatever that zone', () => {
    for (const zone of ZONES) {
      const got = inZone(zone, () => kiteInstant(new Date('2021-05-31 09:18:57')));
      expect(got, zone).toBe('2021-05-31T03:48:57.000Z');
      // the local-zone constructor, as a host in that zone would build the same wall time
      const built = inZone(zone, () => kiteInstant(new Date(2026, 10, 25, 10, 0, 0)));
      expect(built, zone).toBe('2026-11-25T04:30:00.000Z');
    }
  });

  it('gives back Kite wall time from such a Date (for quotes) in any zone', () => {
    for (const zone of ZONES) {
      expect(
        inZone(zone, () => kiteWallTime(new Date('2021-06-08 15:45:56'))),
        zone,
      ).toBe('2021-06-08 15:45:56');
    }
  });

  it('treats absent timestamps as null and refuses ones Kite does not write', () => {
    expect(kiteInstant(null)).toBeNull();
    expect(kiteInstant(undefined)).toBeNull();
    expect(kiteInstant('')).toBeNull();
    expect(() => kiteInstant('31/05/2021 09:18')).toThrow(BrokerError);
    expect(() => kiteInstant(new Date('nonsense'))).toThrow(/invalid date/);
  });

  it('keeps an instant already in ISO form (a stored order fed back)', () => {
    expect(kiteInstant('2021-05-31T03:48:57.000Z')).toBe('2021-05-31T03:48:57.000Z');
    expect(kiteInstant('2021-05-31T09:18:57+05:30')).toBe('2021-05-31T03:48:57.000Z');
  });
});

describe('normalizeOrder', () => {
  const orders = fixture<Record<string, unknown>[]>('orders.json');

  it('reads every order of orders.json, converting its three timestamps', () => {
    const all = orders.map(normalizeOrder);
    expect(all).toHaveLength(10);
    const first = all[0]!;
    expect(first).toMatchObject({
      order_id: '100000000000000',
      status: 'CANCELLED',
      // 09:18:57, 09:15:38, 09:18:58 IST
      order_timestamp: '2021-05-31T03:48:57.000Z',
      exchange_timestamp: '2021-05-31T03:45:38.000Z',
      exchange_update_timestamp: '2021-05-31T03:48:58.000Z',
      tags: [], // absent in this row
      tag: null,
      guid: 'XXXXX',
      modified: false,
      cancelled_quantity: 1,
    });
    expect(first).not.toHaveProperty('meta'); // not part of som's order
  });

  it('gives the same orders when kiteconnect has turned the timestamps into host-zone Dates', () => {
    const fromStrings = orders.map(normalizeOrder);
    for (const zone of ZONES) {
      const fromDates = inZone(zone, () => orders.map((o) => normalizeOrder(asKiteconnect(o))));
      expect(fromDates, zone).toEqual(fromStrings);
    }
  });

  it('keeps a rejection and its messages, with null for the exchange times it never got', () => {
    const rejected = normalizeOrder(orders.find((o) => o.order_id === '220524001859672'));
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.status_message).toMatch(/^Insufficient funds/);
    expect(rejected.status_message_raw).toMatch(/^RMS:Margin Exceeds/);
    expect(rejected.exchange_timestamp).toBeNull();
    expect(rejected.exchange_update_timestamp).toBeNull();
    expect(rejected.exchange_order_id).toBeNull();
    expect(rejected.tags).toEqual(['icebergord']);
  });

  it('fills the fields order_info.json leaves out', () => {
    const history = fixture<Record<string, unknown>[]>('order_info.json').map(normalizeOrder);
    expect(history.map((h) => h.status)).toEqual([
      'PUT ORDER REQ RECEIVED',
      'VALIDATION PENDING',
      'OPEN PENDING',
      'OPEN',
      'MODIFY VALIDATION PENDING',
      'MODIFY PENDING',
      'MODIFIED', // not in ORDER_STATUSES: kept as Kite wrote it
      'OPEN',
    ]);
    const last = history.at(-1)!;
    expect(last).toMatchObject({
      guid: null,
      status_message_raw: null,
      exchange_update_timestamp: null,
      market_protection: 0,
      tags: [],
      // 11:08:16 IST
      order_timestamp: '2017-12-29T05:38:16.000Z',
    });
  });

  it('reads the WebSocket / postback order update, whose timestamps are still IST strings', () => {
    const update = normalizeOrder(fixture('postback.json'));
    expect(update).toMatchObject({
      order_id: '220303000308932',
      status: 'COMPLETE',
      // 09:24:25 IST
      order_timestamp: '2022-03-03T03:54:25.000Z',
      exchange_update_timestamp: '2022-03-03T03:54:25.000Z',
      average_price: 470,
      modified: false,
    });
    expect(update).not.toHaveProperty('checksum');
  });

  it('is idempotent: a normalized order normalizes to itself', () => {
    const once = orders.map(normalizeOrder);
    expect(once.map(normalizeOrder)).toEqual(once);
  });

  it('refuses an order it cannot read with a data error naming the order', () => {
    const bad = { ...orders[1], transaction_type: 'HOLD' };
    expect(() => normalizeOrder(bad)).toThrow(BrokerError);
    try {
      normalizeOrder(bad);
    } catch (err) {
      expect((err as BrokerError).kind).toBe('data');
      expect((err as BrokerError).message).toContain('300000000000000');
      expect((err as BrokerError).message).toContain('transaction_type');
    }
    expect(() => normalizeOrder(null)).toThrow(/expected an order object/);
    const { order_id: _dropped, ...noId } = orders[0]!;
    expect(() => normalizeOrder(noId)).toThrow(/order_id/);
  });
});

describe('normalizeTrade', () => {
  it('reads trades.json and order_trades.json, dropping the bare order_timestamp', () => {
    const trades = fixture<Record<string, unknown>[]>('trades.json').map(normalizeTrade);
    expect(trades).toHaveLength(4);
    expect(trades[0]).toEqual({
      trade_id: '10000000',
      order_id: '200000000000000',
      exchange_order_id: '300000000000000',
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      instrument_token: 779521,
      product: 'CNC',
      transaction_type: 'BUY',
      quantity: 1,
      average_price: 420.65,
      // 09:16:39 IST
      fill_timestamp: '2021-05-31T03:46:39.000Z',
      exchange_timestamp: '2021-05-31T03:46:39.000Z',
    });
    const one = fixture<Record<string, unknown>[]>('order_trades.json').map(normalizeTrade);
    // 16:00:36 IST = 10:30:36 UTC
    expect(one[0]!.fill_timestamp).toBe('2021-05-31T10:30:36.000Z');
  });

  it('gives the same trades from kiteconnect Dates in any zone', () => {
    const raw = fixture<Record<string, unknown>[]>('trades.json');
    const expected = raw.map(normalizeTrade);
    for (const zone of ZONES) {
      expect(
        inZone(zone, () => raw.map((t) => normalizeTrade(asKiteconnect(t)))),
        zone,
      ).toEqual(expected);
    }
  });
});

describe('normalizePosition', () => {
  it('reads net and day positions of positions.json', () => {
    const { net, day } = fixture<{ net: unknown[]; day: unknown[] }>('positions.json');
    const n = net.map(normalizePosition);
    const d = day.map(normalizePosition);
    expect(n).toHaveLength(3);
    expect(d).toHaveLength(3);
    expect(n[0]).toMatchObject({
      tradingsymbol: 'LEADMINI17DECFUT',
      exchange: 'MCX',
      multiplier: 1000,
      average_price: 161.05,
      value: -161050,
    });
  });

  it('refuses a position without its P&L fields', () => {
    const { net } = fixture<{ net: Record<string, unknown>[] }>('positions.json');
    const { pnl: _pnl, ...noPnl } = net[0]!;
    expect(() => normalizePosition(noPnl)).toThrow(/pnl/);
  });
});
