import { describe, expect, it } from 'vitest';
import { HoldingsBook, type KiteHolding } from '../../../src/paper/account/index.js';
import { DAY2, DAY3, INFY, Prices, RELIANCE, trade, world } from './harness.js';
import { kiteFixture } from './same-shape.js';

const fixture = kiteFixture('holdings.json') as unknown as { data: KiteHolding[] };

describe('holding rows', () => {
  it("reproduce holdings.json's pnl and day change from average, last and close prices", () => {
    const book = HoldingsBook.fromSeeds(
      [
        {
          exchange: 'NSE',
          tradingsymbol: 'AARON',
          instrument_token: 263681,
          isin: 'INE721Z01010',
          quantity: 1,
          average_price: 161,
        },
        {
          exchange: 'BSE',
          tradingsymbol: 'SBIN',
          instrument_token: 128028676,
          isin: 'INE062A01020',
          quantity: 16,
          average_price: 801.78125,
        },
      ],
      () => undefined,
    );
    const prices = new Prices();
    prices.last.set(263681, 352.95);
    prices.close.set(263681, 352.35);
    prices.last.set(128028676, 762.45);
    prices.close.set(128028676, 766.4);
    const rows = book.rows(prices, () => 0, '2025-01-17');
    for (const [i, row] of rows.entries()) {
      const f = fixture.data[i];
      // AARON: (352.95 - 161) x 1 = 191.95; 352.95 - 352.35 = 0.6 -> 0.17% of 352.35.
      // SBIN: (762.45 - 801.78125) x 16 = -629.30; 762.45 - 766.4 = -3.95 -> -0.515%.
      expect(row).toMatchObject({
        tradingsymbol: f?.tradingsymbol,
        quantity: f?.quantity,
        average_price: f?.average_price,
        last_price: f?.last_price,
        close_price: f?.close_price,
        pnl: f?.pnl,
        day_change: f?.day_change,
        day_change_percentage: f?.day_change_percentage,
        authorised_date: '2025-01-17 00:00:00',
      });
    }
  });

  it("summarise invested, current and today's P&L", () => {
    const { account, prices } = world({
      holdings: [{ exchange: 'NSE', tradingsymbol: 'INFY', quantity: 10, average_price: 1500 }],
    });
    prices.set(INFY, 1600, 1580);
    // invested 15000, current 16000, total 1000 = 6.667%; today (1600 - 1580) x 10 = 200 on
    // yesterday's 15800 = 1.2658%.
    const s = account.holdingsSummary();
    expect(s.invested_amount).toBe(15000);
    expect(s.current_value).toBe(16000);
    expect(s.total_pnl).toBe(1000);
    expect(s.total_pnl_percent).toBeCloseTo(6.666667, 5);
    expect(s.today_pnl).toBe(200);
    expect(s.today_pnl_percent).toBeCloseTo(1.265823, 5);
  });

  it("find the seed's instrument token and ISIN in the instrument master", () => {
    const { account } = world({
      holdings: [{ exchange: 'NSE', tradingsymbol: 'INFY', quantity: 10, average_price: 1500 }],
    });
    expect(account.holdings()[0]).toMatchObject({
      instrument_token: INFY.instrument_token,
      isin: INFY.isin,
      product: 'CNC',
    });
  });
});

describe('CNC buys settle T+1', () => {
  it('show in positions on the day, as T1 holdings the next trading day, and settled the day after', () => {
    const { account, prices } = world({
      holdings: [{ exchange: 'NSE', tradingsymbol: 'INFY', quantity: 10, average_price: 1500 }],
    });
    prices.set(RELIANCE, 1050);
    prices.set(INFY, 1600);
    account.applyTrade(trade(RELIANCE, 'BUY', 5, 1000, 'CNC'));
    account.applyTrade(trade(INFY, 'SELL', 4, 1600, 'CNC'));

    // Day 1: RELIANCE is a CNC position, not a holding; the INFY sale uses 4 of the holding.
    expect(account.positions().net.map((r) => [r.tradingsymbol, r.product, r.quantity])).toEqual([
      ['RELIANCE', 'CNC', 5],
      ['INFY', 'CNC', -4],
    ]);
    expect(account.holdings().map((h) => [h.tradingsymbol, h.quantity, h.used_quantity, h.t1_quantity])).toEqual([
      ['INFY', 10, 4, 0],
    ]);
    expect(account.sellableQuantity('NSE', 'INFY')).toBe(6);
    // Purchases 5000 paid, sale proceeds 6400 usable: net 10,00,000 - 5000 + 6400.
    const e = account.margins().equity;
    expect(e.utilised.holding_sales).toBe(-6400);
    expect(e.net).toBe(1_001_400);

    account.rollDay(DAY2);
    expect(account.positions().net).toEqual([]);
    expect(
      account.holdings().map((h) => [h.tradingsymbol, h.quantity, h.t1_quantity, h.opening_quantity, h.used_quantity]),
    ).toEqual([
      ['INFY', 6, 0, 6, 0],
      ['RELIANCE', 0, 5, 0, 0],
    ]);
    // T1 counts in pnl: (1050 - 1000) x (0 + 5) = 250.
    expect(account.holdings()[1]).toMatchObject({ average_price: 1000, pnl: 250 });
    expect(account.margins().equity.available.opening_balance).toBe(1_001_400);

    account.rollDay(DAY3);
    expect(account.holdings()[1]).toMatchObject({
      tradingsymbol: 'RELIANCE',
      quantity: 5,
      t1_quantity: 0,
      realised_quantity: 5,
      opening_quantity: 5,
    });
  });

  it('average a new buy into an existing holding', () => {
    const { account } = world({
      holdings: [{ exchange: 'NSE', tradingsymbol: 'INFY', quantity: 10, average_price: 1500 }],
    });
    account.applyTrade(trade(INFY, 'BUY', 10, 1600, 'CNC'));
    account.rollDay(DAY2);
    // (10 x 1500 + 10 x 1600) / 20 = 1550.
    expect(account.holdings()[0]).toMatchObject({ quantity: 10, t1_quantity: 10, average_price: 1550 });
  });

  it('drop a holding sold in full', () => {
    const { account } = world({
      holdings: [{ exchange: 'NSE', tradingsymbol: 'INFY', quantity: 10, average_price: 1500 }],
    });
    account.applyTrade(trade(INFY, 'SELL', 10, 1600, 'CNC'));
    account.rollDay(DAY2);
    expect(account.holdings()).toEqual([]);
  });

  it('leave nothing behind for a CNC buy sold the same day, only its P&L in cash', () => {
    const { account } = world();
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 1000, 'CNC'));
    account.applyTrade(trade(RELIANCE, 'SELL', 10, 1020, 'CNC'));
    account.rollDay(DAY2);
    expect(account.holdings()).toEqual([]);
    expect(account.margins().equity.available.opening_balance).toBe(1_000_200);
  });
});
