import { describe, expect, it } from 'vitest';
import {
  CE20000,
  CE20500,
  DAY2,
  INFY,
  LEADMINI,
  NIFTY_FUT,
  order,
  PE19500,
  PE20000,
  RELIANCE,
  trade,
  world,
} from './harness.js';
import { envelope, kiteFixture, shapeDiff } from './same-shape.js';

/** Every one of the account's documents must match Kite's sample key for key and type for type. */
describe("the account answers in Kite's shapes", () => {
  function busy() {
    const w = world({ holdings: [{ exchange: 'NSE', tradingsymbol: 'INFY', quantity: 10, average_price: 1500 }] });
    w.prices.set(INFY, 1600, 1580);
    w.prices.set(RELIANCE, 1000);
    w.prices.set(NIFTY_FUT, 20100);
    w.prices.set(LEADMINI, 161.05);
    w.account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000));
    w.account.applyTrade(trade(LEADMINI, 'BUY', 1, 161.05));
    w.account.applyTrade(trade(RELIANCE, 'BUY', 10, 990, 'MIS'));
    w.account.applyTrade(trade(RELIANCE, 'SELL', 10, 995, 'MIS'));
    return w;
  }

  it('GET /user/margins: margins.json', () => {
    const { account } = busy();
    expect(shapeDiff(envelope(account.margins()), kiteFixture('margins.json'))).toEqual([]);
  });

  it('GET /user/margins/equity and /commodity: margins_equity.json, margin_commodity.json', () => {
    const { account } = busy();
    const equity = account.segmentMargins('equity');
    const commodity = account.segmentMargins('commodity');
    if (!equity.ok || !commodity.ok) throw new Error('segments refused');
    expect(shapeDiff(envelope(equity.value), kiteFixture('margins_equity.json'))).toEqual([]);
    expect(shapeDiff(envelope(commodity.value), kiteFixture('margin_commodity.json'))).toEqual([]);
    expect(account.segmentMargins('currency').ok).toBe(false);
  });

  it('GET /portfolio/positions: positions.json, with an overnight position and a flat one', () => {
    const w = busy();
    w.account.rollDay(DAY2);
    w.account.applyTrade(trade(NIFTY_FUT, 'SELL', 20, 20150));
    w.account.applyTrade(trade(RELIANCE, 'BUY', 5, 1000, 'MIS'));
    w.account.applyTrade(trade(RELIANCE, 'SELL', 5, 1001, 'MIS'));
    const p = w.account.positions();
    expect(p.net.length).toBe(3);
    expect(p.day.length).toBe(2);
    expect(shapeDiff(envelope(p), kiteFixture('positions.json'))).toEqual([]);
  });

  it('GET /portfolio/holdings: holdings.json; compact: holdings_compact.json; summary: holdings_summary.json', () => {
    const { account } = busy();
    expect(account.holdings().length).toBe(1);
    expect(shapeDiff(envelope(account.holdings()), kiteFixture('holdings.json'))).toEqual([]);
    expect(shapeDiff(envelope(account.holdingsCompact()), kiteFixture('holdings_compact.json'))).toEqual([]);
    expect(shapeDiff(envelope(account.holdingsSummary()), kiteFixture('holdings_summary.json'))).toEqual([]);
  });

  it('PUT /portfolio/positions: convert_position.json', () => {
    const { account } = busy();
    const r = account.convertPosition({
      exchange: 'NFO',
      tradingsymbol: NIFTY_FUT.tradingsymbol,
      transaction_type: 'BUY',
      position_type: 'day',
      quantity: 50,
      old_product: 'NRML',
      new_product: 'MIS',
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(shapeDiff(envelope(r.value), kiteFixture('convert_position.json'))).toEqual([]);
  });

  it('POST /margins/basket: basket_margins.json', () => {
    const { account } = busy();
    const r = account.basketMargins([
      order(CE20000, 'SELL', 50, 200),
      order(PE20000, 'SELL', 50, 200),
      order(CE20500, 'BUY', 50, 50),
      order(PE19500, 'BUY', 50, 50),
    ]);
    if (!r.ok) throw new Error(r.error.message);
    expect(shapeDiff(envelope(r.value), kiteFixture('basket_margins.json'))).toEqual([]);
  });

  it("POST /margins/orders: an array of entries shaped like one of basket_margins.json's orders", () => {
    const { account } = busy();
    const r = account.orderMargins([order(CE20000, 'BUY', 50, 200), order(RELIANCE, 'BUY', 10, 1000, 'CNC')]);
    if (!r.ok) throw new Error(r.error.message);
    const basket = kiteFixture('basket_margins.json') as { data: { orders: unknown[] } };
    expect(shapeDiff(r.value, basket.data.orders)).toEqual([]);
    expect(r.value.length).toBe(2);
  });

  it('POST /margins/orders?mode=compact leaves out leverage and charges', () => {
    const { account } = busy();
    const r = account.orderMargins([order(RELIANCE, 'BUY', 10, 1000, 'CNC')], 'compact');
    if (!r.ok) throw new Error(r.error.message);
    expect(Object.keys(r.value[0] ?? {})).toEqual([
      'type',
      'tradingsymbol',
      'exchange',
      'span',
      'exposure',
      'option_premium',
      'additional',
      'bo',
      'cash',
      'var',
      'pnl',
      'total',
    ]);
  });
});
