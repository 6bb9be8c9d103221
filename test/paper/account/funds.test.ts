import { describe, expect, it } from 'vitest';
import { CE20000, DAY2, LEADMINI, NIFTY_FUT, order, RELIANCE, trade, world } from './harness.js';

describe('funds', () => {
  it('start from the configured opening balances', () => {
    const { account } = world({ funds: { equity: { opening_balance: 500_000 }, commodity: { opening_balance: 0 } } });
    const m = account.margins();
    expect(m.equity).toMatchObject({ enabled: true, net: 500_000 });
    expect(m.equity.available).toEqual({
      adhoc_margin: 0,
      cash: 500_000,
      opening_balance: 500_000,
      live_balance: 500_000,
      collateral: 0,
      intraday_payin: 0,
    });
    expect(m.commodity.net).toBe(0);
  });

  it('default to 10,00,000 equity and 1,00,000 commodity', () => {
    const { account } = world();
    expect(account.margins().equity.net).toBe(1_000_000);
    expect(account.margins().commodity.net).toBe(100_000);
  });

  it('block span and exposure for an open future and hold back an open loss, but not an open profit', () => {
    const { account, prices } = world();
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000));
    prices.set(NIFTY_FUT, 19950);
    // At 19950: span 10% x 19950 x 50 = 99750, exposure 2% = 19950, open loss 50 x 50 = 2500.
    // net = 10,00,000 - 99750 - 19950 - 2500 = 877800.
    let e = account.margins().equity;
    expect(e.utilised.span).toBeCloseTo(99750, 6);
    expect(e.utilised.exposure).toBeCloseTo(19950, 6);
    expect(e.utilised.m2m_unrealised).toBe(2500);
    expect(e.utilised.m2m_realised).toBe(0);
    expect(e.net).toBeCloseTo(877800, 6);
    expect(e.available.cash).toBe(1_000_000);

    prices.set(NIFTY_FUT, 20100);
    // Profit 5000 is not usable: m2m_unrealised 0; span 100500, exposure 20100.
    e = account.margins().equity;
    expect(e.utilised.m2m_unrealised).toBe(0);
    expect(e.net).toBeCloseTo(1_000_000 - 100500 - 20100, 6);
  });

  it('let a booked futures loss reduce the balance the same day and the cash at the roll', () => {
    const { account, prices } = world();
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000));
    account.applyTrade(trade(NIFTY_FUT, 'SELL', 50, 19900));
    prices.set(NIFTY_FUT, 19950);
    // 50 x -100 = -5000 booked: m2m_realised uses 5000; nothing open.
    const e = account.margins().equity;
    expect(e.utilised.m2m_realised).toBe(5000);
    expect(e.utilised.span).toBe(0);
    expect(e.utilised.debits).toBe(5000);
    expect(e.net).toBe(995_000);
    account.rollDay(DAY2);
    expect(account.margins().equity.available).toMatchObject({ cash: 995_000, opening_balance: 995_000 });
    expect(account.positions().net).toEqual([]);
  });

  it('let a booked profit free funds (negative m2m_realised)', () => {
    const { account } = world();
    account.applyTrade(trade(RELIANCE, 'BUY', 100, 1000, 'MIS'));
    account.applyTrade(trade(RELIANCE, 'SELL', 100, 1010, 'MIS'));
    const e = account.margins().equity;
    expect(e.utilised.m2m_realised).toBe(-1000);
    expect(e.net).toBe(1_001_000);
  });

  it('move option premium through option_premium: paid on the buy, received on the sell, cash at the roll', () => {
    const { account, prices } = world();
    account.applyTrade(trade(CE20000, 'BUY', 50, 200));
    prices.set(CE20000, 200);
    // 200 x 50 = 10000 paid; a long option uses no span.
    let e = account.margins().equity;
    expect(e.utilised.option_premium).toBe(10000);
    expect(e.utilised.span).toBe(0);
    expect(e.net).toBe(990_000);

    account.applyTrade(trade(CE20000, 'SELL', 50, 260));
    // 13000 received: option_premium 10000 - 13000 = -3000, net 10,03,000.
    e = account.margins().equity;
    expect(e.utilised.option_premium).toBe(-3000);
    expect(e.utilised.m2m_realised).toBe(0);
    expect(e.net).toBe(1_003_000);
    account.rollDay(DAY2);
    expect(account.margins().equity.available.opening_balance).toBe(1_003_000);
  });

  it("settle an open future's mark-to-market, profit too, into cash at the roll", () => {
    const { account, prices } = world();
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000));
    prices.set(NIFTY_FUT, 20100);
    account.rollDay(DAY2);
    // 50 x 100 = 5000 credited; tomorrow's m2m starts from the close 20100.
    const e = account.margins().equity;
    expect(e.available.opening_balance).toBe(1_005_000);
    expect(e.utilised.m2m_unrealised).toBe(0);
    prices.set(NIFTY_FUT, 20080);
    // Today's m2m: 50 x (20080 - 20100) = -1000 open.
    expect(account.margins().equity.utilised.m2m_unrealised).toBe(1000);
  });

  it('keep commodity apart from equity', () => {
    const { account, prices } = world();
    account.applyTrade(trade(LEADMINI, 'BUY', 1, 161.05));
    prices.set(LEADMINI, 161.05);
    // 1 lot x 1000 kg x 161.05 = 161050 notional; lead scan range 8% = 12884, exposure 2% = 3221.
    const m = account.margins();
    expect(m.commodity.utilised.span).toBeCloseTo(12884, 6);
    expect(m.commodity.utilised.exposure).toBeCloseTo(3221, 6);
    expect(m.equity.net).toBe(1_000_000);
  });

  it('add pay-ins and take payouts', () => {
    const { account } = world();
    account.addFunds('equity', 50_000);
    account.withdraw('equity', 20_000);
    const e = account.margins().equity;
    expect(e.available).toMatchObject({ cash: 1_050_000, intraday_payin: 50_000 });
    expect(e.utilised.payout).toBe(20_000);
    expect(e.net).toBe(1_030_000);
    account.rollDay(DAY2);
    expect(account.margins().equity.available).toMatchObject({
      cash: 1_030_000,
      opening_balance: 1_030_000,
      intraday_payin: 0,
    });
  });

  it('settle an expiring option at its intrinsic value', () => {
    const { account, prices } = world();
    account.applyTrade(trade(CE20000, 'BUY', 50, 200));
    prices.set(CE20000, 400);
    prices.underlying.set('NIFTY', 20350);
    // Premium paid 10000 at the day's end; expiring 350 in the money: 50 x 350 = 17500 back.
    account.rollDay('2026-03-25');
    expect(account.margins().equity.available.opening_balance).toBe(1_000_000 - 10000 + 17500);
    expect(account.positions().net).toEqual([]);
  });
});

describe('margin blocking for orders', () => {
  it("blocks an open order's margin, releases it on cancel", () => {
    const { account, prices } = world();
    prices.set(RELIANCE, 1000);
    const a = order(RELIANCE, 'BUY', 100, 1000, 'CNC', {
      order_id: 'A',
      status: 'OPEN',
      filled_quantity: 0,
      pending_quantity: 100,
    });
    expect(account.canAfford(a)).toEqual({ ok: true });
    account.onOrderUpdate(a);
    // 100 x 1000 blocked.
    expect(account.blockedFor('A')).toBe(100_000);
    expect(account.margins().equity.net).toBe(900_000);
    expect(account.margins().equity.utilised.debits).toBe(100_000);

    account.onOrderUpdate({ ...a, status: 'CANCELLED' });
    expect(account.blockedFor('A')).toBe(0);
    expect(account.margins().equity.net).toBe(1_000_000);
  });

  it('moves the block into positions as the order fills', () => {
    const { account, prices } = world();
    prices.set(RELIANCE, 1000);
    const a = order(RELIANCE, 'BUY', 100, 1000, 'CNC', {
      order_id: 'A',
      status: 'OPEN',
      filled_quantity: 0,
      pending_quantity: 100,
    });
    account.onOrderUpdate(a);
    account.applyTrade(trade(RELIANCE, 'BUY', 40, 1000, 'CNC', 'A'));
    account.onOrderUpdate({ ...a, filled_quantity: 40, pending_quantity: 60 });
    // 40000 paid + 60000 still blocked.
    expect(account.blockedFor('A')).toBe(60_000);
    expect(account.margins().equity.net).toBe(900_000);
    account.applyTrade(trade(RELIANCE, 'BUY', 60, 1000, 'CNC', 'A'));
    account.onOrderUpdate({ ...a, status: 'COMPLETE', filled_quantity: 100, pending_quantity: 0 });
    expect(account.blockedFor('A')).toBe(0);
    expect(account.margins().equity.net).toBe(900_000);
    expect(account.positions().net[0]?.quantity).toBe(100);
  });

  it('refuses what the funds cannot cover, with required and available', () => {
    const { account, prices } = world({ funds: { equity: { opening_balance: 50_000 } } });
    prices.set(RELIANCE, 1000);
    // CNC needs 100 x 1000 = 100000 against 50000; MIS needs a fifth, 20000.
    expect(account.canAfford(order(RELIANCE, 'BUY', 100, 1000, 'CNC'))).toEqual({
      ok: false,
      required: 100_000,
      available: 50_000,
    });
    expect(account.canAfford(order(RELIANCE, 'BUY', 100, 1000, 'MIS'))).toEqual({ ok: true });
  });

  it("counts other open orders' blocks against a new order, and an order's own block when it is modified", () => {
    const { account, prices } = world();
    prices.set(RELIANCE, 1000);
    const a = order(RELIANCE, 'BUY', 100, 1000, 'CNC', { order_id: 'A', status: 'OPEN', pending_quantity: 100 });
    account.onOrderUpdate(a);
    // 9,00,000 left: 950 more shares (950000) do not fit.
    expect(account.canAfford(order(RELIANCE, 'BUY', 950, 1000, 'CNC', { order_id: 'B' }))).toEqual({
      ok: false,
      required: 950_000,
      available: 900_000,
    });
    // A raised to 150 needs 150000 against 900000 + its own 100000.
    expect(account.canAfford({ ...a, quantity: 150, pending_quantity: 150 })).toEqual({ ok: true });
    expect(account.canAfford({ ...a, quantity: 1001, pending_quantity: 1001 })).toEqual({
      ok: false,
      required: 1_001_000,
      available: 1_000_000,
    });
  });

  it('lets an order that closes a position through even with no funds left', () => {
    const { account, prices } = world({ funds: { equity: { opening_balance: 130_000 } } });
    prices.set(NIFTY_FUT, 20000);
    account.applyTrade(trade(NIFTY_FUT, 'BUY', 50, 20000));
    // Span 100000 + exposure 20000 leaves 10000; closing frees it all.
    expect(account.margins().equity.net).toBeCloseTo(10_000, 6);
    expect(account.canAfford(order(NIFTY_FUT, 'SELL', 50, 20000))).toEqual({ ok: true });
    expect(account.canAfford(order(NIFTY_FUT, 'BUY', 50, 20000)).ok).toBe(false);
  });

  it('forgets open orders at the roll', () => {
    const { account, prices } = world();
    prices.set(RELIANCE, 1000);
    account.onOrderUpdate(
      order(RELIANCE, 'BUY', 100, 1000, 'CNC', { order_id: 'A', status: 'OPEN', pending_quantity: 100 }),
    );
    account.rollDay(DAY2);
    expect(account.blockedFor('A')).toBe(0);
    expect(account.margins().equity.net).toBe(1_000_000);
  });
});
