import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/strategy-settings.js';
import { istInstant } from '../../src/market/ist.js';
import { type AssessInput, assessRisk, riskStatusOf, type StrategyAssessInput } from '../../src/risk/assess.js';
import { evaluateStrategyLimits } from '../../src/risk/limits.js';
import { initialRiskState, type RiskState } from '../../src/risk/trading-state.js';

const DAY = '2026-11-25';
const now = istInstant(DAY, '11:00');
const active = initialRiskState(DAY, istInstant(DAY, '09:15'));
const LIMITS = { max_daily_loss: 100_000, max_orders_per_minute: 300, max_orders_per_day: 4000 };

function strategy(
  p: Partial<StrategyAssessInput> & { pnl?: number; positions?: StrategyAssessInput['facts']['positions'] },
) {
  const s: StrategyAssessInput = {
    strategy_id: 3,
    name: 'nifty',
    state: active,
    previous: [],
    auto_square_off_on_loss_limit: true,
    facts: {
      settings: { ...DEFAULT_SETTINGS, max_loss_per_strategy_abs: 5000 },
      pnl: p.pnl ?? 0,
      margin_basis: 0,
      positions: p.positions ?? [],
      orders_last_minute: 0,
      margin_utilization_pct: null,
    },
    ...p,
  };
  return s;
}

function input(
  strategies: StrategyAssessInput[],
  accountPnl: number | null = null,
  account: RiskState = active,
): AssessInput {
  return {
    strategies,
    account:
      accountPnl === null
        ? null
        : {
            state: account,
            previous: [],
            facts: { limits: LIMITS, pnl: accountPnl, orders_last_minute: 0, orders_today: 0 },
          },
    warn_pct: 80,
    trading_day: DAY,
    now,
  };
}

describe('the monitor’s assessment', () => {
  it('a loss past the limit: HALTED, one breach recorded with its action, an alert, a square-off, entries cancelled', () => {
    // P&L -5,200 against max_loss_per_strategy_abs 5,000: a loss of 5,200 > 5,000.
    const d = assessRisk(input([strategy({ pnl: -5200 })]));
    const s = d.scopes[0]!;
    expect(s.next).toMatchObject({ state: 'HALTED', reason: 'max_loss_per_strategy_abs' });
    expect(s.state_changed).toBe(true);
    expect(s.events).toEqual([
      {
        key: 'max_loss_per_strategy_abs',
        level: 'breach',
        limit: 5000,
        value: 5200,
        action: 'HALTED; square-off started',
      },
    ]);
    expect(s.alerts[0]).toMatchObject({
      type: 'RISK_BREACH',
      priority: 'critical',
      dedupeKey: `risk-breach:strategy:3:max_loss_per_strategy_abs:${DAY}`,
    });
    expect(s.risk_status).toBe('HALTED');
    expect(d.square_off).toEqual([3]);
    expect(d.cancel_entries).toEqual([3]);
  });

  it('auto square-off off: halted and alerted, positions left (no square-off)', () => {
    const d = assessRisk(input([strategy({ pnl: -5200, auto_square_off_on_loss_limit: false })]));
    expect(d.scopes[0]!.events[0]!.action).toBe('HALTED; positions left open (auto square-off is off)');
    expect(d.square_off).toEqual([]);
    expect(d.cancel_entries).toEqual([3]);
  });

  it('a warning once at 80% of a limit; not again while it stays there', () => {
    // Loss 4,100 of 5,000 is 82%: warn.
    const first = assessRisk(input([strategy({ pnl: -4100 })]));
    expect(first.scopes[0]!.events).toEqual([
      { key: 'max_loss_per_strategy_abs', level: 'warn', limit: 5000, value: 4100, action: 'warned' },
    ]);
    expect(first.scopes[0]!.alerts[0]).toMatchObject({ type: 'RISK_WARNING', priority: 'normal' });
    expect(first.scopes[0]!.risk_status).toBe('WARNING');
    const again = assessRisk(input([strategy({ pnl: -4200, previous: first.scopes[0]!.limits })]));
    expect(again.scopes[0]!.events).toEqual([]);
    expect(again.scopes[0]!.next.state).toBe('ACTIVE');
  });

  it('a breach by an external fill: a hand order takes the position past its size limit, REDUCING, nothing squared off', () => {
    // max_position_size_per_instrument 1,000; a Kite web BUY filled into the strategy's share: 1,200.
    const positions = [{ exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS', quantity: 1200 }];
    const d = assessRisk(input([strategy({ positions })]));
    const s = d.scopes[0]!;
    expect(s.next).toMatchObject({ state: 'REDUCING', reason: 'max_position_size_per_instrument' });
    expect(s.events[0]).toMatchObject({
      level: 'breach',
      subject: 'NSE:SBIN',
      action: 'REDUCING: only orders that reduce',
    });
    expect(s.alerts[0]).toMatchObject({ priority: 'high' });
    expect(s.risk_status).toBe('BREACHED');
    expect(d.square_off).toEqual([]);
    // Back within the limit (the trader sold 300): ACTIVE again by itself.
    const back = assessRisk(
      input([
        strategy({
          state: s.next,
          previous: s.limits,
          positions: [{ ...positions[0]!, quantity: 900 }],
        }),
      ]),
    );
    expect(back.scopes[0]!.next.state).toBe('ACTIVE');
  });

  it('the account’s daily loss halts the account and squares off the strategies that ask for it', () => {
    // Account P&L -1,00,500 against 1,00,000: breach. Strategy 3 asks for square-off, 4 does not.
    const d = assessRisk(
      input(
        [
          strategy({ pnl: -400 }),
          strategy({ strategy_id: 4, name: 'swing', pnl: -100, auto_square_off_on_loss_limit: false }),
        ],
        -100_500,
      ),
    );
    const account = d.scopes.find((s) => s.strategy_id === null)!;
    expect(account.next).toMatchObject({ state: 'HALTED', reason: 'max_daily_loss' });
    expect(account.events[0]!.action).toBe('account HALTED; strategies that ask for it are squared off');
    expect(d.square_off).toEqual([3]);
    // Neither strategy broke its own limit: their entries stay.
    expect(d.cancel_entries).toEqual([]);
  });

  it('already halted by hand: a loss breach is recorded, the halt (and its reason) stays', () => {
    const manual: RiskState = { ...active, state: 'HALTED', reason: 'manual', note: 'lunch' };
    const d = assessRisk(input([strategy({ pnl: -6000, state: manual })]));
    expect(d.scopes[0]!.next).toMatchObject({ state: 'HALTED', reason: 'manual' });
    expect(d.scopes[0]!.events[0]!.action).toBe('already HALTED (manual)');
    expect(d.square_off).toEqual([]);
  });

  it('risk status: OK, WARNING, BREACHED (a breach acknowledged by a forced resume), HALTED', () => {
    const limits = (pnl: number) =>
      evaluateStrategyLimits(
        {
          settings: { ...DEFAULT_SETTINGS, max_loss_per_strategy_abs: 5000 },
          pnl,
          margin_basis: 0,
          positions: [],
          orders_last_minute: 0,
          margin_utilization_pct: null,
        },
        80,
      );
    expect(riskStatusOf(active, limits(0))).toBe('OK');
    expect(riskStatusOf(active, limits(-4500))).toBe('WARNING');
    expect(riskStatusOf({ ...active, acknowledged: ['max_loss_per_strategy_abs'] }, limits(-6000))).toBe('BREACHED');
    expect(riskStatusOf({ ...active, state: 'HALTED', reason: 'manual' }, limits(0))).toBe('HALTED');
  });
});
