import { describe, expect, it } from 'vitest';
import type { ConvertPositionParams } from '../../../src/paper/account/index.js';
import { DAY2, NIFTY_FUT, RELIANCE, trade, world } from './harness.js';

function params(p: Partial<ConvertPositionParams>): ConvertPositionParams {
  return {
    exchange: 'NSE',
    tradingsymbol: RELIANCE.tradingsymbol,
    transaction_type: 'BUY',
    position_type: 'day',
    quantity: 1,
    old_product: 'MIS',
    new_product: 'CNC',
    ...p,
  };
}

describe('PUT /portfolio/positions', () => {
  it("moves part of an MIS buy into CNC at the day's buy price and charges CNC's full value", () => {
    const { account, prices } = world();
    prices.set(RELIANCE, 1000);
    account.applyTrade(trade(RELIANCE, 'BUY', 100, 1000, 'MIS'));
    expect(account.convertPosition(params({ quantity: 60 }))).toEqual({ ok: true, value: true });
    expect(account.positions().net.map((r) => [r.product, r.quantity, r.buy_value])).toEqual([
      ['MIS', 40, 40_000],
      ['CNC', 60, 60_000],
    ]);
    // MIS 40 x 1000 x 20% = 8000 + CNC 60000 paid: 10,00,000 - 68000.
    expect(account.margins().equity.net).toBe(932_000);
  });

  it('refuses more than the open position on that side', () => {
    const { account } = world();
    account.applyTrade(trade(RELIANCE, 'BUY', 100, 1000, 'MIS'));
    const r = account.convertPosition(params({ quantity: 101 }));
    expect(r.ok ? null : r.error.code).toBe('QUANTITY_EXCEEDS_POSITION');
    const short = account.convertPosition(params({ transaction_type: 'SELL', quantity: 1 }));
    expect(short.ok ? null : short.error.code).toBe('QUANTITY_EXCEEDS_POSITION');
  });

  it('refuses products that do not convert into each other', () => {
    const { account } = world();
    account.applyTrade(trade(RELIANCE, 'BUY', 10, 1000, 'MIS'));
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000, 'NRML'));
    const eq = account.convertPosition(params({ new_product: 'NRML' }));
    expect(eq.ok ? null : eq.error.code).toBe('CONVERSION_NOT_ALLOWED');
    const fut = account.convertPosition(
      params({ exchange: 'NFO', tradingsymbol: NIFTY_FUT.tradingsymbol, old_product: 'NRML', new_product: 'CNC' }),
    );
    expect(fut.ok ? null : fut.error.code).toBe('CONVERSION_NOT_ALLOWED');
    const same = account.convertPosition(params({ new_product: 'MIS' }));
    expect(same.ok ? null : same.error.code).toBe('SAME_PRODUCT');
    const none = account.convertPosition(params({ old_product: 'CNC', new_product: 'MIS' }));
    expect(none.ok ? null : none.error.code).toBe('POSITION_NOT_FOUND');
  });

  it("refuses a conversion the funds cannot carry, in Kite's insufficient-funds words", () => {
    const { account, prices } = world({ funds: { equity: { opening_balance: 50_000 } } });
    prices.set(RELIANCE, 1000);
    account.applyTrade(trade(RELIANCE, 'BUY', 100, 1000, 'MIS'));
    // Before: 50000 - 20000 (MIS) = 30000. As CNC: 50000 - 100000 = -50000: 80000 more needed.
    const r = account.convertPosition(params({ quantity: 100 }));
    expect(r.ok ? null : r.error).toEqual({
      code: 'INSUFFICIENT_FUNDS',
      error_type: 'MarginException',
      message: 'Insufficient funds. Required margin is 80000.00 but available margin is 30000.00.',
      http_status: 400,
    });
    expect(account.positions().net.map((row) => row.product)).toEqual(['MIS']);
  });

  it('lets a short become CNC only as far as holdings can deliver it', () => {
    const { account } = world({
      holdings: [{ exchange: 'NSE', tradingsymbol: 'RELIANCE', quantity: 5, average_price: 900 }],
    });
    account.applyTrade(trade(RELIANCE, 'SELL', 10, 1000, 'MIS'));
    const r = account.convertPosition(params({ transaction_type: 'SELL', quantity: 10 }));
    expect(r.ok ? null : r.error.code).toBe('INSUFFICIENT_HOLDINGS');
    expect(account.convertPosition(params({ transaction_type: 'SELL', quantity: 5 })).ok).toBe(true);
    expect(account.holdings()[0]?.used_quantity).toBe(5);
  });

  it('converts an overnight NRML future to MIS at its carried price', () => {
    const { account, prices } = world();
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000, 'NRML'));
    prices.set(NIFTY_FUT, 20100);
    account.rollDay(DAY2);
    const r = account.convertPosition(
      params({
        exchange: 'NFO',
        tradingsymbol: NIFTY_FUT.tradingsymbol,
        position_type: 'overnight',
        quantity: 50,
        old_product: 'NRML',
        new_product: 'MIS',
      }),
    );
    expect(r.ok).toBe(true);
    const rows = account.positions().net;
    expect(
      rows.map((row) => [row.product, row.quantity, row.overnight_quantity, row.close_price, row.buy_value]),
    ).toEqual([
      ['NRML', 0, 0, 20100, 0],
      ['MIS', 50, 50, 20100, 1_000_000],
    ]);
  });

  it('refuses bad fields as InputException', () => {
    const { account } = world();
    for (const bad of [
      { quantity: 0 },
      { position_type: 'week' },
      { transaction_type: 'HOLD' },
      { new_product: 'XYZ' },
    ]) {
      const r = account.convertPosition(params(bad));
      expect(r.ok ? null : r.error.error_type).toBe('InputException');
    }
  });
});
