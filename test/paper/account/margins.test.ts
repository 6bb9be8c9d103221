import { describe, expect, it } from 'vitest';
import {
  basketMargins,
  type KiteBasketMargins,
  type KiteCharges,
  type KiteOrderMargin,
  type MarginMarket,
  orderMargins,
} from '../../../src/paper/account/index.js';
import {
  CE20000,
  CE20500,
  CE21000,
  CE23000,
  INSTRUMENTS,
  NIFTY_FUT,
  order,
  PE19500,
  PE20000,
  Prices,
  RELIANCE,
  trade,
  WEEKLY,
  world,
} from './harness.js';

/**
 * The hand computations below use the default rates: NIFTY is an index, scan range 10% of
 * the underlying (spot 20000 -> 2000 points), exposure 2%, short option minimum 3%.
 * Quantity 50 throughout. Option prices: 20000 CE and PE 200, 20500 CE and 19500 PE 50.
 */
function market(today = '2026-03-02'): MarginMarket {
  const prices = new Prices();
  prices.set(RELIANCE, 1000);
  prices.set(NIFTY_FUT, 20000);
  return {
    instruments: (ex, sym) => INSTRUMENTS.find((i) => i.exchange === ex && i.tradingsymbol === sym),
    prices,
    today,
  };
}

function basket(orders: Parameters<typeof basketMargins>[0], m = market()): KiteBasketMargins {
  const r = basketMargins(orders, [], false, m);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function margins(
  orders: Parameters<typeof orderMargins>[0],
  positions: Parameters<typeof orderMargins>[1] = [],
  m = market(),
): KiteOrderMargin[] {
  const r = orderMargins(orders, positions, m);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const STRADDLE = [order(CE20000, 'SELL', 50, 200), order(PE20000, 'SELL', 50, 200)];
const CONDOR = [...STRADDLE, order(CE20500, 'BUY', 50, 50), order(PE19500, 'BUY', 50, 50)];

describe('a short straddle', () => {
  it('margins each leg on its own at the full scan loss', () => {
    // Short 20000 CE alone: spot +2000 -> intrinsic 2000, loss 2000 x 50 = 100000 (the floor
    // 3% x 20000 x 50 = 30000 is lower). Exposure 2% x 20000 x 50 = 20000. The PE alike.
    const b = basket(STRADDLE);
    for (const leg of b.orders) {
      expect(leg).toMatchObject({
        type: 'equity',
        exchange: 'NFO',
        span: 100000,
        exposure: 20000,
        option_premium: 0,
        total: 120000,
        leverage: 1,
      });
    }
    expect(b.initial).toMatchObject({ span: 200000, exposure: 40000, option_premium: 0, total: 240000 });
  });

  it('gets the straddle benefit in final: only one side loses in any scenario', () => {
    // Scan: +2000 costs the call 100000 and leaves the put at its time value: 100000.
    // Floor: 2 shorts x 30000 = 60000. Span = 100000. Premium received 2 x 200 x 50 = 20000.
    // final = 100000 + 40000 - 20000 = 120000.
    const b = basket(STRADDLE);
    expect(b.final.span).toBeCloseTo(100000, 6);
    expect(b.final.exposure).toBeCloseTo(40000, 6);
    expect(b.final.option_premium).toBe(-20000);
    expect(b.final.total).toBeCloseTo(120000, 6);
    expect(b.final).toMatchObject({ type: '', tradingsymbol: '', exchange: '', leverage: 0 });
  });
});

describe('an iron condor (the straddle hedged with 20500 CE and 19500 PE)', () => {
  it("pays the wings' premium in initial", () => {
    // Each long wing: premium 50 x 50 = 2500, no span (its loss is the premium already paid).
    const b = basket(CONDOR);
    expect(b.orders[2]).toMatchObject({ span: 0, exposure: 0, option_premium: 2500, total: 2500 });
    expect(b.initial).toMatchObject({ span: 200000, exposure: 40000, option_premium: 5000, total: 245000 });
  });

  it('is capped at its maximum loss in final, far below the straddle', () => {
    // Scan: beyond 20500 the wing pays what the short call loses, so every up scenario loses
    // 500 x 50 = 25000 (the puts mirror it); less the wings' value 2 x 2500 -> 20000.
    // Every short is covered by a long of its expiry and right: no floor.
    // Max loss at expiry from current prices, at 20500: short call -(500 - 200) x 50 = -15000,
    // long call -50 x 50 = -2500, short put +200 x 50 = +10000, long put -2500: -10000
    // (width 500 less the 300 net credit, x 50). Span = min(20000, 10000) = 10000.
    // Premium: 5000 paid - 20000 received = -15000. final = 10000 + 40000 - 15000 = 35000.
    const b = basket(CONDOR);
    expect(b.final.span).toBeCloseTo(10000, 6);
    expect(b.final.exposure).toBeCloseTo(40000, 6);
    expect(b.final.option_premium).toBe(-15000);
    expect(b.final.total).toBeCloseTo(35000, 6);
    const straddle = basket(STRADDLE);
    expect(b.final.total).toBeLessThan(straddle.final.total - 80000);
  });
});

describe('short options away from the money', () => {
  it("reduces a short option's span by how far out of the money it is, down to the floor", () => {
    // 21000 CE is 1000 out: at +2000 its intrinsic is 1000 -> span 1000 x 50 = 50000.
    // 23000 CE stays out of the money in every scenario: the floor 3% x 20000 x 50 = 30000.
    const [near, far] = margins([order(CE21000, 'SELL', 50, 20), order(CE23000, 'SELL', 50, 2)]);
    expect(near?.span).toBeCloseTo(50000, 6);
    expect(far?.span).toBeCloseTo(30000, 6);
    // Exposure is on the underlying's notional whatever the strike.
    expect(near?.exposure).toBe(20000);
    expect(far?.exposure).toBe(20000);
  });

  it('adds the expiry-day ELM on short index options as additional', () => {
    // 2% x 20000 x 50 = 20000 on the expiry day only.
    const [onExpiry] = margins([order(CE23000, 'SELL', 50, 2)], [], market(WEEKLY));
    const [before] = margins([order(CE23000, 'SELL', 50, 2)], [], market('2026-03-23'));
    expect(onExpiry?.additional).toBe(20000);
    expect(before?.additional).toBe(0);
  });
});

describe('order margins', () => {
  it('charges a long option its premium only', () => {
    const [m] = margins([order(CE20000, 'BUY', 50, 200)]);
    // 200 x 50 = 10000.
    expect(m).toMatchObject({
      span: 0,
      exposure: 0,
      option_premium: 10000,
      var: 0,
      total: 10000,
      leverage: 1,
      type: 'equity',
    });
  });

  it('margins a future at the scan range plus exposure of its notional', () => {
    // 20000 x 50 = 10,00,000 notional: span 10% = 100000, exposure 2% = 20000.
    const [m] = margins([order(NIFTY_FUT, 'SELL', 50, 20000)]);
    expect(m?.span).toBeCloseTo(100000, 6);
    expect(m?.exposure).toBe(20000);
    expect(m?.total).toBeCloseTo(120000, 6);
  });

  it('asks the full value for CNC and a fifth for MIS (5x)', () => {
    const [cnc, mis] = margins([order(RELIANCE, 'BUY', 100, 1000, 'CNC'), order(RELIANCE, 'BUY', 100, 1000, 'MIS')]);
    // 100 x 1000 = 100000; MIS 20% = 20000.
    expect(cnc).toMatchObject({ var: 100000, total: 100000, leverage: 1, span: 0, exposure: 0 });
    expect(mis).toMatchObject({ var: 20000, total: 20000, leverage: 5 });
  });

  it('prices a MARKET order at the last price', () => {
    const [m] = margins([{ ...order(RELIANCE, 'BUY', 10, 0, 'CNC'), order_type: 'MARKET' }]);
    expect(m?.var).toBe(10000);
  });

  it('considers the open positions: an order that closes one needs nothing', () => {
    const [close] = margins(
      [order(NIFTY_FUT, 'SELL', 50, 20000)],
      [{ exchange: 'NFO', tradingsymbol: NIFTY_FUT.tradingsymbol, product: 'NRML', quantity: 50 }],
    );
    expect(close).toMatchObject({ span: 0, exposure: 0, total: 0 });
  });

  it("considers the open positions: adding to an MIS position costs the order's own price", () => {
    // Held 100 at LTP 1000; 10 more at 990: 20% x 10 x 990 = 1980.
    const [more] = margins(
      [order(RELIANCE, 'BUY', 10, 990, 'MIS')],
      [{ exchange: 'NSE', tradingsymbol: 'RELIANCE', product: 'MIS', quantity: 100 }],
    );
    expect(more?.var).toBeCloseTo(1980, 9);
    const [exit] = margins(
      [order(RELIANCE, 'SELL', 100, 1000, 'MIS')],
      [{ exchange: 'NSE', tradingsymbol: 'RELIANCE', product: 'MIS', quantity: 100 }],
    );
    expect(exit?.total).toBe(0);
  });

  it('considers the open positions: a hedge added to a short call costs its premium only', () => {
    const [wing] = margins(
      [order(CE20500, 'BUY', 50, 50)],
      [{ exchange: 'NFO', tradingsymbol: CE20000.tradingsymbol, product: 'NRML', quantity: -50 }],
    );
    expect(wing?.option_premium).toBe(2500);
    expect(wing?.span).toBe(0);
    expect(wing?.total).toBe(2500);
  });

  it('refuses an unknown instrument with an InputException', () => {
    const r = orderMargins([{ ...order(RELIANCE, 'BUY', 1, 1, 'CNC'), tradingsymbol: 'NOPE' }], [], market());
    expect(r.ok ? null : r.error.error_type).toBe('InputException');
  });
});

describe('charges', () => {
  const sample: KiteCharges = {
    transaction_tax: 1,
    transaction_tax_type: 'stt',
    exchange_turnover_charge: 0.5,
    sebi_turnover_charge: 0.01,
    brokerage: 20,
    stamp_duty: 0.2,
    gst: { igst: 3.69, cgst: 0, sgst: 0, total: 3.69 },
    total: 25.4,
  };

  it('are zeros with an empty tax type when no charges engine is wired', () => {
    const [m] = margins([order(RELIANCE, 'BUY', 1, 1000, 'CNC')]);
    expect(m?.charges).toEqual({
      transaction_tax: 0,
      transaction_tax_type: '',
      exchange_turnover_charge: 0,
      sebi_turnover_charge: 0,
      brokerage: 0,
      stamp_duty: 0,
      gst: { igst: 0, cgst: 0, sgst: 0, total: 0 },
      total: 0,
    });
  });

  it('come from the charges engine when given, summed over the basket', () => {
    const m = { ...market(), chargesFor: () => sample };
    expect(margins([order(RELIANCE, 'BUY', 1, 1000, 'CNC')], [], m)[0]?.charges).toEqual(sample);
    const b = basket(STRADDLE, m);
    expect(b.charges.brokerage).toBe(40);
    expect(b.charges.gst.total).toBeCloseTo(7.38, 9);
    expect(b.initial.charges.total).toBe(0);
  });
});

describe('basket final with the open positions', () => {
  it("is what the basket adds to the positions' margin: a wing bought against a short call frees margin", () => {
    const { account, prices } = world();
    prices.set(CE20000, 200);
    prices.set(CE20500, 50);
    account.applyTrade(trade(CE20000, 'SELL', 50, 200));
    const r = account.basketMargins([order(CE20500, 'BUY', 50, 50)], true);
    if (!r.ok) throw new Error(r.error.message);
    // Short call alone: span 100000. With the wing: scan 25000 - 2500 = 22500, capped at the
    // spread's max loss from current prices (500 - 150) x 50 = 17500.
    // final span = 17500 - 100000 = -82500; premium +2500; exposure unchanged.
    expect(r.value.final.span).toBeCloseTo(-82500, 6);
    expect(r.value.final.option_premium).toBe(2500);
    expect(r.value.final.exposure).toBe(0);
    const alone = account.basketMargins([order(CE20500, 'BUY', 50, 50)], false);
    if (!alone.ok) throw new Error(alone.error.message);
    expect(alone.value.final.total).toBe(2500);
  });
});
