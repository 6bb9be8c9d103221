import { describe, expect, it } from 'vitest';
import {
  type ExpiryPosition,
  expiredOn,
  expiryDecisions,
  type InstrumentLookup,
  instrumentExpiry,
  optionSettlementValue,
} from '../../src/housekeeping/expiry.js';
import type { HkOrder } from '../../src/housekeeping/types.js';
import { monthlyExpiry, weeklyExpiries } from '../../src/market/expiry.js';

// NIFTY's November 2026 monthly falls on the last Tuesday, 11-24, an NSE holiday (Guru Nanak
// Jayanti): it moves to Monday 11-23 (src/market/expiry.ts). The next weekly is Tue 12-01.
const NOV = 'NIFTY26NOV24000CE';
const NOV_PE = 'NIFTY26NOV23800PE';
const WEEKLY = 'NIFTY26D0124000CE'; // YY=26, month code D, day 01: 2026-12-01
const MASTER: Record<string, { expiry: string | null }> = {
  [`NFO:${NOV}`]: { expiry: '2026-11-23' },
  [`NFO:${NOV_PE}`]: { expiry: '2026-11-23' },
  [`NFO:${WEEKLY}`]: { expiry: '2026-12-01' },
  'MCX:CRUDEOIL26NOVFUT': { expiry: '2026-11-18' },
  'NSE:INFY': { expiry: null },
};
const lookup: InstrumentLookup = (e, s) => MASTER[`${e}:${s}`] ?? null;

function order(tradingsymbol: string, o: Partial<HkOrder> = {}): HkOrder {
  return {
    order_id: '261123000000041',
    strategy_id: 1,
    source: 'external',
    exchange: 'NFO',
    tradingsymbol,
    instrument_token: 1,
    product: 'NRML',
    transaction_type: 'SELL',
    order_type: 'SL-M',
    variety: 'regular',
    status: 'TRIGGER PENDING',
    quantity: 75,
    filled_quantity: 0,
    pending_quantity: 75,
    price: 0,
    trigger_price: 90,
    average_price: 0,
    order_timestamp: '2026-11-23T04:00:00.000Z',
    role: 'stop',
    oco_group_id: null,
    parent_position_id: null,
    ...o,
  };
}
const position = (
  tradingsymbol: string,
  quantity: number,
  average_price: number,
  o: Partial<ExpiryPosition> = {},
): ExpiryPosition => ({
  strategy_id: 1,
  exchange: 'NFO',
  tradingsymbol,
  product: 'NRML',
  quantity,
  position_id: 80,
  average_price,
  ...o,
});

describe('the calendar facts these tests rest on', () => {
  it('NIFTY November 2026 expires Monday 11-23; the weekly after it Tuesday 12-01', () => {
    expect(monthlyExpiry('NIFTY', 2026, 11)).toBe('2026-11-23');
    expect(weeklyExpiries('NIFTY', '2026-11-24', 1)).toEqual(['2026-12-01']);
  });
});

describe('expiryDecisions by day', () => {
  const orders = [
    order(NOV, { order_id: '261123000000041' }),
    order(NOV, {
      order_id: '261123000000042',
      role: 'entry',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      status: 'OPEN',
      price: 50,
    }),
    order(WEEKLY, { order_id: '261123000000043' }),
    order('INFY', { order_id: '261123000000044', exchange: 'NSE', product: 'CNC' }),
  ];
  const kinds = (today: string) =>
    expiryDecisions({ orders, positions: [], instruments: lookup, today }).map((d) => [
      d.kind,
      'order_id' in d ? d.order_id : d.tradingsymbol,
    ]);

  it('on the expiry day itself (Mon 11-23) nothing has expired: the contract trades until the close', () => {
    expect(kinds('2026-11-23')).toEqual([]);
  });

  it('on the holiday after it (Tue 11-24, the nominal expiry day) the November orders are cancelled, entries too', () => {
    expect(kinds('2026-11-24')).toEqual([
      ['cancel', '261123000000041'],
      ['cancel', '261123000000042'],
    ]);
  });

  it('on a weekend (Sat 11-28) the same; the weekly expiring Tue 12-01 is still alive', () => {
    expect(kinds('2026-11-28')).toEqual([
      ['cancel', '261123000000041'],
      ['cancel', '261123000000042'],
    ]);
  });

  it('on the day after the weekly expiry (Wed 12-02) the weekly goes too; equities never expire', () => {
    expect(kinds('2026-12-02').map((k) => k[1])).toEqual(['261123000000041', '261123000000042', '261123000000043']);
  });

  it('leaves orders that are no longer open alone', () => {
    const done = [order(NOV, { status: 'CANCELLED', pending_quantity: 0 }), order(NOV, { status: 'CANCEL PENDING' })];
    expect(expiryDecisions({ orders: done, positions: [], instruments: lookup, today: '2026-11-24' })).toEqual([]);
  });

  it('says why in the decision', () => {
    const [d] = expiryDecisions({ orders: [orders[0]!], positions: [], instruments: lookup, today: '2026-11-25' });
    expect(d).toMatchObject({
      kind: 'cancel',
      reason: 'INSTRUMENT_EXPIRED',
      expiry: '2026-11-23',
      exchange: 'NFO',
      tradingsymbol: NOV,
    });
  });
});

describe('positions in expired instruments: archived with P&L at settlement', () => {
  // NIFTY closed at 24,180.50 on 2026-11-23 (a made-up close).
  const close = 24180.5;
  const settlement = (_e: string, s: string): number | null =>
    s === NOV
      ? optionSettlementValue('CE', 24000, close)
      : s === NOV_PE
        ? optionSettlementValue('PE', 23800, close)
        : null;

  it('long call in the money, short put out of the money', () => {
    const found = expiryDecisions({
      orders: [],
      positions: [position(NOV, 75, 120), position(NOV_PE, -75, 40, { strategy_id: 2, position_id: 81 })],
      instruments: lookup,
      today: '2026-11-24',
      settlementPrice: settlement,
    });
    expect(found).toMatchObject([
      // CE settles at 24180.5 - 24000 = 180.5; 75 x (180.5 - 120) = 75 x 60.5 = 4537.5
      {
        kind: 'archive_position',
        strategy_id: 1,
        tradingsymbol: NOV,
        quantity: 75,
        settlement_price: 180.5,
        realised_pnl: 4537.5,
        position_id: 80,
        expiry: '2026-11-23',
        expiry_source: 'instrument',
      },
      // PE 23800 against 24180.5 is worthless: -75 x (0 - 40) = +3000
      {
        kind: 'archive_position',
        strategy_id: 2,
        tradingsymbol: NOV_PE,
        quantity: -75,
        settlement_price: 0,
        realised_pnl: 3000,
        position_id: 81,
      },
    ]);
  });

  it('applies the position multiplier (MCX quantities are lots)', () => {
    // CRUDEOIL: 2 lots bought at 5000, settled at 5050, 100 barrels a lot: 2 x 50 x 100 = 10000.
    const [d] = expiryDecisions({
      orders: [],
      positions: [position('CRUDEOIL26NOVFUT', 2, 5000, { exchange: 'MCX', multiplier: 100 })],
      instruments: lookup,
      today: '2026-11-19',
      settlementPrice: () => 5050,
    });
    expect(d).toMatchObject({ realised_pnl: 10000, settlement_price: 5050 });
  });

  it('a flat position is archived with nothing realised; an open one without a price waits for it', () => {
    const found = expiryDecisions({
      orders: [],
      positions: [position(NOV, 0, 0), position(NOV, 75, 120, { strategy_id: 3 })],
      instruments: lookup,
      today: '2026-11-24',
    });
    expect(
      found.map((d) => d.kind === 'archive_position' && [d.strategy_id, d.realised_pnl, d.settlement_price]),
    ).toEqual([
      [1, 0, null],
      [3, null, null],
    ]);
  });

  it('leaves positions in live instruments alone', () => {
    expect(
      expiryDecisions({ orders: [], positions: [position(WEEKLY, 75, 100)], instruments: lookup, today: '2026-11-28' }),
    ).toEqual([]);
  });
});

describe('expiry dates of instruments the master no longer lists', () => {
  const none: InstrumentLookup = () => null;

  it('are read from the trading symbol on NFO, BFO and MCX', () => {
    expect(instrumentExpiry('NFO', NOV, none)).toEqual({ expiry: '2026-11-23', source: 'symbol' });
    expect(instrumentExpiry('NFO', 'NIFTY26N1724000CE', none)).toEqual({ expiry: '2026-11-17', source: 'symbol' });
    expect(instrumentExpiry('NSE', 'INFY', none)).toEqual({ expiry: null, source: 'unknown' });
    expect(instrumentExpiry('CDS', 'USDINR26NOVFUT', none)).toEqual({ expiry: null, source: 'unknown' });
  });

  it('so a dropped contract is still cleaned up', () => {
    expect(
      expiryDecisions({
        orders: [order(NOV)],
        positions: [position(NOV, 75, 120)],
        instruments: none,
        today: '2026-11-24',
      }),
    ).toMatchObject([{ kind: 'cancel' }, { kind: 'archive_position', expiry_source: 'symbol', realised_pnl: null }]);
  });

  it('the master wins over the symbol', () => {
    expect(instrumentExpiry('NFO', NOV, () => ({ expiry: '2026-11-20' }))).toEqual({
      expiry: '2026-11-20',
      source: 'instrument',
    });
  });
});

describe('expiredOn', () => {
  it('answers for detectOrphans, strictly before today, and asks the master once per instrument', () => {
    let calls = 0;
    const counted: InstrumentLookup = (e, s) => {
      calls++;
      return lookup(e, s);
    };
    const isExpired = expiredOn('2026-11-24', counted);
    expect(isExpired('NFO', NOV)).toBe(true);
    expect(isExpired('NFO', NOV)).toBe(true);
    expect(isExpired('NFO', WEEKLY)).toBe(false);
    expect(isExpired('NSE', 'INFY')).toBe(false);
    expect(calls).toBe(3);
    expect(expiredOn('2026-11-23', lookup)('NFO', NOV)).toBe(false);
  });
});

describe('optionSettlementValue', () => {
  it('is the intrinsic value at the underlying close', () => {
    expect(optionSettlementValue('CE', 24000, 24180.5)).toBe(180.5);
    expect(optionSettlementValue('CE', 24500, 24180.5)).toBe(0);
    expect(optionSettlementValue('PE', 24500, 24180.5)).toBe(319.5);
    expect(optionSettlementValue('PE', 24000, 24180.5)).toBe(0);
    expect(optionSettlementValue('CE', 24000, 24000)).toBe(0);
  });
});
