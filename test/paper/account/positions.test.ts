import { describe, expect, it } from 'vitest';
import { emptyLedger, type KitePosition, type Product, positionRow } from '../../../src/paper/account/index.js';
import { DAY2, NIFTY_FUT, RELIANCE, trade, world } from './harness.js';
import { kiteFixture } from './same-shape.js';

const fixture = kiteFixture('positions.json') as unknown as { data: { net: KitePosition[]; day: KitePosition[] } };

describe("rows reproduce Kite's own positions.json", () => {
  it('GOLDGUINEA: 3 carried at 23057 (close 23232), bought 1 at 23388, sold 4 at 23340, LTP 23355', () => {
    const l = {
      ...emptyLedger({
        instrument_token: 53505799,
        exchange: 'MCX',
        tradingsymbol: 'GOLDGUINEA17DECFUT',
        product: 'NRML',
        multiplier: 1,
      }),
      overnight_quantity: 3,
      // buy_value 92559 - today's 23388 = 69171 = 3 x 23057.
      overnight_price: 23057,
      close_price: 23232,
      day_buy_quantity: 1,
      day_buy_value: 23388,
      day_sell_quantity: 4,
      day_sell_value: 93360,
    };
    expect(positionRow(l, 23355, 'net')).toEqual(fixture.data.net[1]);
    expect(positionRow(l, 23355, 'day')).toEqual(fixture.data.day[0]);
  });

  it('LEADMINI: 1 lot of 1000 bought at 161.05 today', () => {
    const l = {
      ...emptyLedger({
        instrument_token: 53496327,
        exchange: 'MCX',
        tradingsymbol: 'LEADMINI17DECFUT',
        product: 'NRML',
        multiplier: 1000,
      }),
      day_buy_quantity: 1,
      day_buy_value: 161.05 * 1 * 1000,
    };
    expect(positionRow(l, 161.05, 'net')).toEqual(fixture.data.net[0]);
    expect(positionRow(l, 161.05, 'day')).toEqual(fixture.data.day[1]);
  });

  it('SBIN: bought at 311, sold at 309, flat with pnl -2 (Kite reports it as unrealised, realised 0)', () => {
    const l = {
      ...emptyLedger({
        instrument_token: 779521,
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        product: 'CO' as Product,
        multiplier: 1,
      }),
      day_buy_quantity: 1,
      day_buy_value: 311,
      day_sell_quantity: 1,
      day_sell_value: 309,
    };
    expect(positionRow(l, 308.4, 'net')).toEqual(fixture.data.net[2]);
  });
});

describe('positions from a sequence of trades', () => {
  it('partial exit then a flip from long to short', () => {
    const { account, prices } = world();
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 100, 'MIS'));
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 110, 'MIS'));
    account.applyTrade(trade(RELIANCE, 'SELL', 5, 120, 'MIS'));
    prices.set(RELIANCE, 118);

    // Long 15. Average of every buy: (10 x 100 + 10 x 110) / 20 = 105.
    // pnl = sell_value - buy_value + qty x LTP = 600 - 2100 + 15 x 118 = 270
    //     = 5 sold at 120 against 105 (+75) + 15 open at 118 against 105 (+195).
    let row = account.positions().net[0];
    expect(row?.quantity).toBe(15);
    expect(row?.average_price).toBe(105);
    expect(row?.pnl).toBe(270);
    expect(row?.m2m).toBe(270);
    expect(row?.value).toBe(-1500);

    account.applyTrade(trade(RELIANCE, 'SELL', 25, 115, 'MIS'));
    prices.set(RELIANCE, 112);
    // Short 10: bought 20 for 2100, sold 30 for 600 + 2875 = 3475.
    // average_price = every sell's average = 3475 / 30 = 115.8333...
    // pnl = 3475 - 2100 - 10 x 112 = 255: +75 and +150 (15 closed at 115 against 105) booked,
    // and +30 on the 10 short at 115 now 112.
    row = account.positions().net[0];
    expect(row?.quantity).toBe(-10);
    expect(row?.buy_quantity).toBe(20);
    expect(row?.sell_quantity).toBe(30);
    expect(row?.buy_price).toBe(105);
    expect(row?.average_price).toBeCloseTo(115.833333, 6);
    expect(row?.sell_value).toBe(3475);
    expect(row?.pnl).toBe(255);
    // Kite's own reporting: everything in unrealised.
    expect(row?.unrealised).toBe(255);
    expect(row?.realised).toBe(0);
  });

  it("with pnlFields split: unrealised at the row's average price, the rest realised", () => {
    const { account, prices } = world({ pnlFields: 'split' });
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 100, 'MIS'));
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 110, 'MIS'));
    account.applyTrade(trade(RELIANCE, 'SELL', 5, 120, 'MIS'));
    prices.set(RELIANCE, 118);
    // unrealised = (118 - 105) x 15 = 195; realised = 270 - 195 = 75.
    let row = account.positions().net[0];
    expect(row?.unrealised).toBe(195);
    expect(row?.realised).toBe(75);

    account.applyTrade(trade(RELIANCE, 'SELL', 25, 115, 'MIS'));
    prices.set(RELIANCE, 112);
    // unrealised = (112 - 115.8333) x -10 = 38.3333; realised = 255 - 38.3333 = 216.6667
    // (Kite's all-trades average makes this split differ from FIFO's 225 / 30.)
    row = account.positions().net[0];
    expect(row?.unrealised).toBeCloseTo(38.333333, 5);
    expect(row?.realised).toBeCloseTo(216.666667, 5);
  });

  it('keeps a position that goes flat, with quantity 0 and its P&L for the day', () => {
    const { account, prices } = world({ pnlFields: 'split' });
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 100, 'MIS'));
    account.applyTrade(trade(RELIANCE, 'SELL', 10, 103, 'MIS'));
    prices.set(RELIANCE, 99);
    const { net, day } = account.positions();
    // 10 x (103 - 100) = 30 whatever the price does now.
    expect(net).toHaveLength(1);
    expect(day).toHaveLength(1);
    expect(net[0]).toMatchObject({
      quantity: 0,
      average_price: 0,
      pnl: 30,
      realised: 30,
      unrealised: 0,
      last_price: 99,
    });
  });

  it('keeps products apart: MIS and CNC in the same stock are two positions', () => {
    const { account } = world();
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 100, 'MIS'));
    account.applyTrade(trade(RELIANCE, 'BUY', 5, 100, 'CNC'));
    expect(account.positions().net.map((r) => [r.product, r.quantity])).toEqual([
      ['MIS', 10],
      ['CNC', 5],
    ]);
  });

  it('uses the last fill price when the market model has no price', () => {
    const { account } = world();
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 100, 'MIS'));
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 104, 'MIS'));
    // LTP falls back to 104: pnl = -2040 + 20 x 104 = 40.
    expect(account.positions().net[0]?.pnl).toBe(40);
  });
});

describe('day and net with an overnight position', () => {
  it("marks the carried part from the previous close in m2m and lists only today's trades in day", () => {
    const { account, prices } = world();
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000));
    prices.set(NIFTY_FUT, 20100);
    account.rollDay(DAY2);

    account.applyTrade(trade(NIFTY_FUT, 'SELL', 20, 20150));
    prices.set(NIFTY_FUT, 20120);
    const { net, day } = account.positions();

    // net: 50 carried at 20000 (close 20100), 20 sold today at 20150, LTP 20120.
    //   buy_value = 50 x 20000 = 1,000,000; buy_m2m = 50 x 20100 = 1,005,000; sell 20 x 20150 = 403,000
    //   quantity 30; pnl = 403000 - 1000000 + 30 x 20120 = 6600 (= +3000 booked + 3600 open)
    //   m2m = 403000 - 1005000 + 603600 = 1600 (= 20 x 50 + 30 x 20 from the close)
    expect(net[0]).toMatchObject({
      quantity: 30,
      overnight_quantity: 50,
      close_price: 20100,
      average_price: 20000,
      buy_quantity: 50,
      buy_value: 1_000_000,
      buy_m2m: 1_005_000,
      sell_quantity: 20,
      sell_value: 403_000,
      sell_m2m: 403_000,
      value: -597_000,
      pnl: 6600,
      m2m: 1600,
      day_buy_quantity: 0,
      day_sell_quantity: 20,
      day_sell_price: 20150,
    });
    // day: only the sale: -20 at 20150; pnl = m2m = 403000 - 20 x 20120 = 600.
    expect(day).toHaveLength(1);
    expect(day[0]).toMatchObject({
      quantity: -20,
      overnight_quantity: 0,
      average_price: 20150,
      buy_quantity: 0,
      buy_value: 0,
      sell_quantity: 20,
      pnl: 600,
      m2m: 600,
      close_price: 20100,
    });
  });

  it('lists a carried position without trades today in net only', () => {
    const { account, prices } = world();
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000));
    prices.set(NIFTY_FUT, 20100);
    account.rollDay(DAY2);
    const { net, day } = account.positions();
    expect(net.map((r) => r.overnight_quantity)).toEqual([50]);
    expect(day).toEqual([]);
  });

  it("carries the net average (Kite's all-buys average) into overnight_price", () => {
    const { account, prices } = world();
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000));
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20200));
    account.applyTrade(trade(NIFTY_FUT, 'SELL', 50, 20300));
    prices.set(NIFTY_FUT, 20250);
    account.rollDay(DAY2);
    // (50 x 20000 + 50 x 20200) / 100 = 20100; net long 50 carried at that price.
    const row = account.positions().net[0];
    expect(row?.overnight_quantity).toBe(50);
    expect(row?.buy_value).toBe(50 * 20100);
    expect(row?.close_price).toBe(20250);
  });
});
