import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/strategy-settings.js';
import { istInstant } from '../../src/market/ist.js';
import {
  evaluateAccountLimits,
  evaluateStrategyLimits,
  headroomPct,
  levelChanges,
  limitLevel,
  type StrategyRiskFacts,
  worstLevel,
} from '../../src/risk/limits.js';
import { countOrders } from '../../src/risk/order-rate.js';

const facts = (f: Partial<StrategyRiskFacts> = {}): StrategyRiskFacts => ({
  settings: DEFAULT_SETTINGS,
  pnl: 0,
  margin_basis: 0,
  positions: [],
  orders_last_minute: 0,
  margin_utilization_pct: null,
  ...f,
});
const byKey = (f: StrategyRiskFacts) => Object.fromEntries(evaluateStrategyLimits(f, 80).map((l) => [l.key, l]));

describe('limit levels', () => {
  it('warns from 80% of the limit, breaches only above it', () => {
    expect(limitLevel(39_999, 50_000, 80)).toBe('ok');
    expect(limitLevel(40_000, 50_000, 80)).toBe('warn');
    expect(limitLevel(50_000, 50_000, 80)).toBe('warn');
    expect(limitLevel(50_000.01, 50_000, 80)).toBe('breach');
    // The warning level is configurable: 50% of 50,000 = 25,000.
    expect(limitLevel(25_000, 50_000, 50)).toBe('warn');
  });

  it('a limit of 0 allows nothing: any loss breaches, none is ok', () => {
    expect(limitLevel(0, 0, 80)).toBe('ok');
    expect(limitLevel(0.01, 0, 80)).toBe('breach');
  });

  it('headroom is the % of the limit left, within 0..100', () => {
    // (50,000 - 12,500) / 50,000 = 75%.
    expect(headroomPct(12_500, 50_000)).toBe(75);
    expect(headroomPct(60_000, 50_000)).toBe(0);
    expect(headroomPct(0, 0)).toBe(0);
  });
});

describe('strategy limits', () => {
  it('loss in rupees: realised + unrealised - charges below zero', () => {
    // P&L -42,000: loss 42,000 of 50,000 is 84% (warn), headroom 16%.
    const l = byKey(facts({ pnl: -42_000 })).max_loss_per_strategy_abs;
    expect(l).toMatchObject({ kind: 'loss', limit: 50_000, value: 42_000, level: 'warn' });
    expect(l?.headroom_pct).toBeCloseTo(16, 10);
    // A strategy in profit has no loss.
    expect(byKey(facts({ pnl: 9_000 })).max_loss_per_strategy_abs).toMatchObject({ value: 0, level: 'ok' });
  });

  it('loss as % of the margin the strategy blocks', () => {
    // Loss 12,000 on a margin basis of 1,00,000 = 12%, above the 10% limit.
    expect(byKey(facts({ pnl: -12_000, margin_basis: 100_000 })).max_loss_per_strategy_pct).toMatchObject({
      kind: 'loss',
      limit: 10,
      value: 12,
      level: 'breach',
    });
    // No margin blocked yet: the % limit does not apply (value 0), the rupee limit still does.
    expect(byKey(facts({ pnl: -12_000, margin_basis: 0 })).max_loss_per_strategy_pct).toMatchObject({
      value: 0,
      level: 'ok',
    });
  });

  it('position size: the largest instrument, every product added up in absolute terms', () => {
    const l = byKey(
      facts({
        positions: [
          { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS', quantity: 600 },
          { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'CNC', quantity: -500 },
          { exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS', quantity: 900 },
        ],
      }),
    ).max_position_size_per_instrument;
    // SBIN: |600| + |-500| = 1,100 > 1,000.
    expect(l).toMatchObject({ kind: 'exposure', value: 1100, level: 'breach', subject: 'NSE:SBIN' });
  });

  it('orders per minute and margin utilisation', () => {
    const l = byKey(facts({ orders_last_minute: 8, margin_utilization_pct: 91.5 }));
    // 8 of 10 orders: warn. 91.5% against 90%: breach.
    expect(l.max_orders_per_minute).toMatchObject({ kind: 'rate', value: 8, level: 'warn', headroom_pct: 20 });
    expect(l.max_margin_utilization_pct).toMatchObject({ kind: 'exposure', value: 91.5, level: 'breach' });
    expect(byKey(facts()).max_margin_utilization_pct).toMatchObject({ value: 0, level: 'ok' });
  });
});

describe('account limits', () => {
  it('daily loss, orders per minute and per day', () => {
    const limits = evaluateAccountLimits(
      {
        limits: { max_daily_loss: 100_000, max_orders_per_minute: 300, max_orders_per_day: 4000 },
        pnl: -100_500,
        orders_last_minute: 120,
        orders_today: 3300,
      },
      80,
    );
    expect(limits.map((l) => [l.key, l.value, l.level])).toEqual([
      ['max_daily_loss', 100_500, 'breach'],
      ['max_orders_per_minute', 120, 'ok'],
      // 3,300 of 4,000 = 82.5%: warn.
      ['max_orders_per_day', 3300, 'warn'],
    ]);
    expect(worstLevel(limits)).toBe('breach');
  });
});

describe('levelChanges', () => {
  it('reports the limits whose level moved, for alerts (warn) and actions (breach)', () => {
    const before = evaluateStrategyLimits(facts({ pnl: -30_000 }), 80);
    const after = evaluateStrategyLimits(facts({ pnl: -41_000, orders_last_minute: 9 }), 80);
    expect(levelChanges(before, after).map((c) => [c.key, c.from, c.to.level])).toEqual([
      ['max_loss_per_strategy_abs', 'ok', 'warn'],
      ['max_orders_per_minute', 'ok', 'warn'],
    ]);
    expect(levelChanges(after, after)).toEqual([]);
  });
});

describe('countOrders', () => {
  it('counts a sliding minute and the IST day', () => {
    const now = istInstant('2026-11-25', '09:20').getTime();
    const sent = [
      istInstant('2026-11-24', '15:00').getTime(), // yesterday
      istInstant('2026-11-25', '00:00').getTime(), // IST midnight: today
      now - 60_000, // exactly a minute ago: out of the window
      now - 59_999,
      now,
    ];
    expect(countOrders(sent, now)).toEqual({ last_minute: 2, today: 4 });
  });
});
