import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/strategy-settings.js';
import { istInstant } from '../../src/market/ist.js';
import { strategyPnl } from '../../src/pnl/strategy-pnl.js';
import { type BookPosition, RiskBook } from '../../src/risk/book.js';
import { evaluateStrategyLimits } from '../../src/risk/limits.js';
import { initialRiskState, transition } from '../../src/risk/trading-state.js';

const SBIN = 779521;
const NIFTY_CE = 12345;
const pos = (p: Partial<BookPosition>): BookPosition => ({
  strategy_id: 1,
  instrument_token: SBIN,
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  product: 'MIS',
  quantity: 100,
  average_price: 960,
  multiplier: 1,
  last_price: 960,
  realised: 0,
  ...p,
});
const LIMITS = { charges: 0, max_loss_abs: 50_000, max_loss_pct: 10, margin_basis: 0 };

function book(): RiskBook {
  const b = new RiskBook({ warn_pct: 80, max_daily_loss: 100_000 });
  b.setStrategy(1, LIMITS);
  b.setStrategy(2, LIMITS);
  return b;
}

describe('RiskBook', () => {
  it("a tick moves only its holders' P&L: quantity x multiplier x the price move", () => {
    const b = book();
    b.setPosition(pos({}));
    b.setPosition(pos({ strategy_id: 2, quantity: -50, average_price: 962 }));
    b.setPosition(
      pos({
        strategy_id: 2,
        instrument_token: NIFTY_CE,
        exchange: 'NFO',
        tradingsymbol: 'NIFTY26DEC24500CE',
        quantity: -65,
        average_price: 120,
        last_price: 120,
      }),
    );
    b.tick(SBIN, 955);
    // Strategy 1: 100 x (955 - 960) = -500. Strategy 2: -50 x (955 - 962) = +350, the option unchanged.
    expect(b.strategyPnl(1)).toEqual({ realised: 0, unrealised: -500, charges: 0, net: -500 });
    expect(b.strategyPnl(2)?.unrealised).toBe(350);
    b.tick(NIFTY_CE, 100);
    // -65 x (100 - 120) = +1,300 for strategy 2 only.
    expect(b.strategyPnl(1)?.unrealised).toBe(-500);
    expect(b.strategyPnl(2)?.unrealised).toBe(1650);
    // The account: -500 + 1,650.
    expect(b.accountPnl().net).toBe(1150);
    // An instrument nobody holds: nothing.
    expect(b.tick(999, 5)).toEqual([]);
  });

  it('agrees with a fresh computation after a million ticks (no drift)', () => {
    const b = book();
    const positions = [
      pos({}),
      pos({ strategy_id: 2, quantity: -75, average_price: 961.35, realised: 120.5 }),
      pos({
        instrument_token: NIFTY_CE,
        tradingsymbol: 'NIFTY26DEC24500CE',
        exchange: 'NFO',
        quantity: -65,
        average_price: 120.05,
        last_price: 120,
      }),
    ];
    for (const p of positions) b.setPosition(p);
    b.setStrategy(2, { ...LIMITS, charges: 45.67 });
    let price = 960;
    let premium = 120;
    for (let i = 0; i < 1_000_000; i++) {
      price = Math.max(1, price + (((i * 7919) % 11) - 5) * 0.05);
      premium = Math.max(0.05, premium + (((i * 104729) % 7) - 3) * 0.05);
      b.tick(SBIN, price);
      b.tick(NIFTY_CE, premium);
    }
    const last = (p: BookPosition) => ({ ...p, last_price: p.instrument_token === SBIN ? price : premium });
    const fresh1 = strategyPnl([last(positions[0]!), last(positions[2]!)], 0);
    const fresh2 = strategyPnl([last(positions[1]!)], 45.67);
    expect(Math.abs((b.strategyPnl(1)?.net ?? 0) - fresh1.net)).toBeLessThan(1e-6);
    expect(Math.abs((b.strategyPnl(2)?.net ?? 0) - fresh2.net)).toBeLessThan(1e-6);
    expect(Math.abs(b.accountPnl().net - (fresh1.net + fresh2.net))).toBeLessThan(1e-6);
  });

  it('reports loss-limit level changes only when a level moves', () => {
    const b = book();
    b.setPosition(pos({ quantity: 1000, average_price: 500, last_price: 500 }));
    // Loss 39,000 (1,000 x 39): ok. 40,000: warn (80% of 50,000). 50,000: still warn. 50,001: breach.
    expect(b.tick(SBIN, 461)).toEqual([]);
    expect(b.tick(SBIN, 460)).toEqual([{ scope: 'strategy', strategy_id: 1, from: 'ok', to: 'warn', pnl: -40_000 }]);
    expect(b.tick(SBIN, 450)).toEqual([]);
    const breach = b.tick(SBIN, 449.95);
    expect(breach).toMatchObject([{ scope: 'strategy', strategy_id: 1, from: 'warn', to: 'breach' }]);
    expect(breach[0]?.pnl).toBeCloseTo(-50_050, 9);
    expect(b.strategyLevel(1)).toBe('breach');
    // Recovering moves it back (the state machine keeps the halt for the day).
    expect(b.tick(SBIN, 500).map((c) => c.to)).toEqual(['ok']);
  });

  it('the % limit applies on the margin basis; the tighter of the two limits counts', () => {
    const b = book();
    // 10% of a 2,00,000 margin basis = 20,000, tighter than 50,000.
    b.setStrategy(1, { ...LIMITS, margin_basis: 200_000 });
    b.setPosition(pos({ quantity: 1000, average_price: 500, last_price: 500 }));
    expect(b.tick(SBIN, 483.95).map((c) => c.to)).toEqual(['warn']); // loss 16,050 >= 16,000
    expect(b.tick(SBIN, 479.95).map((c) => c.to)).toEqual(['breach']); // loss 20,050 > 20,000
  });

  it('the account daily loss across strategies', () => {
    const b = book();
    b.setStrategy(1, { ...LIMITS, max_loss_abs: 1e9 });
    b.setStrategy(2, { ...LIMITS, max_loss_abs: 1e9 });
    b.setPosition(pos({ quantity: 1000, average_price: 500, last_price: 500 }));
    b.setPosition(pos({ strategy_id: 2, quantity: 1000, average_price: 500, last_price: 500 }));
    // Each strategy loses 1,000 x 50.01 = 50,010: together 100,020 > 100,000.
    const changes = b.tick(SBIN, 449.99);
    expect(changes.find((c) => c.scope === 'account')).toMatchObject({ strategy_id: null, to: 'breach' });
    expect(b.accountLevel()).toBe('breach');
  });

  it('a breach caused by an external fill: the new position carries the realised loss', () => {
    const b = book();
    b.setPosition(pos({ quantity: 1000, average_price: 500, last_price: 470 }));
    // Unrealised -30,000: ok. A hand exit on Kite web sells 1,000 at 448: realised -52,000, flat.
    expect(b.strategyPnl(1)?.net).toBe(-30_000);
    const changes = b.setPosition(pos({ quantity: 0, average_price: 0, last_price: 448, realised: -52_000 }));
    expect(changes).toEqual([{ scope: 'strategy', strategy_id: 1, from: 'ok', to: 'breach', pnl: -52_000 }]);
    // The daemon then evaluates and transitions: HALTED.
    const limits = evaluateStrategyLimits(
      {
        settings: DEFAULT_SETTINGS,
        pnl: b.strategyPnl(1)?.net ?? 0,
        margin_basis: 0,
        positions: [],
        orders_last_minute: 0,
        margin_utilization_pct: null,
      },
      80,
    );
    const day = '2026-11-25';
    const t = transition(
      initialRiskState(day, istInstant(day, '09:15')),
      { kind: 'evaluate', limits },
      day,
      istInstant(day, '11:00'),
    );
    expect(t).toMatchObject({ ok: true, next: { state: 'HALTED', reason: 'max_loss_per_strategy_abs' } });
  });

  it('charges count against the loss; an instrument without a price yet is valued at its average', () => {
    const b = book();
    b.setPosition(pos({ last_price: 0 }));
    expect(b.strategyPnl(1)?.unrealised).toBe(0);
    expect(b.lastPrice(SBIN)).toBeNull();
    b.tick(SBIN, 958);
    expect(b.strategyPnl(1)?.unrealised).toBe(-200);
    b.setStrategy(1, { ...LIMITS, charges: 23.6 });
    expect(b.strategyPnl(1)?.net).toBe(-223.6);
    expect(b.positions(1)[0]?.last_price).toBe(958);
  });

  it('forgets a strategy and its positions', () => {
    const b = book();
    b.setPosition(pos({}));
    b.removeStrategy(1);
    expect(b.strategyPnl(1)).toBeNull();
    expect(b.tick(SBIN, 900)).toEqual([]);
    expect(b.accountPnl().net).toBe(0);
  });
});
