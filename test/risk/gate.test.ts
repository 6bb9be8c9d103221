import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/strategy-settings.js';
import { istInstant } from '../../src/market/ist.js';
import { type GateInput, type GateRefusal, type GateRequest, gate, refusalError } from '../../src/risk/gate.js';
import { limitStatus } from '../../src/risk/limits.js';
import { type OrderShape, orderEffect } from '../../src/risk/order-effect.js';
import { initialRiskState, type RiskState } from '../../src/risk/trading-state.js';
import type { PositionQuantity, TradingState } from '../../src/risk/types.js';

const DAY = '2026-11-25';
const ACTIVE = initialRiskState(DAY, istInstant(DAY, '09:00'));
const state = (
  s: TradingState,
  reason: RiskState['reason'] = 'manual',
  acknowledged: RiskState['acknowledged'] = [],
) => ({
  ...ACTIVE,
  state: s,
  reason,
  acknowledged,
});
const long100: PositionQuantity = { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS', quantity: 100 };
const shape = (side: 'BUY' | 'SELL', quantity: number, o: Partial<OrderShape> = {}): OrderShape => ({
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  product: 'MIS',
  transaction_type: side,
  quantity,
  ...o,
});
const order = (side: 'BUY' | 'SELL', quantity: number): GateRequest => ({ action: 'place', ...shape(side, quantity) });
const modify = (side: 'BUY' | 'SELL', quantity: number, previous_quantity: number): GateRequest => ({
  action: 'modify',
  previous_quantity,
  ...shape(side, quantity),
});
const ACCOUNT_LIMITS = { max_daily_loss: 100_000, max_orders_per_minute: 300, max_orders_per_day: 4000 };

function input(o: Partial<GateInput> & { request: GateRequest }): GateInput {
  return {
    strategy: { state: ACTIVE, limits: [], settings: DEFAULT_SETTINGS },
    account: { state: ACTIVE, limits: [], limits_config: ACCOUNT_LIMITS },
    positions: [long100],
    counts: { strategy_last_minute: 0, account_last_minute: 0, account_today: 0 },
    margin_utilization_after_pct: 50,
    ...o,
  };
}

describe('order effect: what "reduces" means', () => {
  it('same instrument and product, opposite side, no more than the position', () => {
    expect(orderEffect(shape('SELL', 40), [long100])).toEqual({ effect: 'reduce', before: 100, after: 60 });
    expect(orderEffect(shape('SELL', 100), [long100]).effect).toBe('reduce');
    expect(orderEffect(shape('SELL', 150), [long100])).toEqual({ effect: 'reverse', before: 100, after: -50 });
    expect(orderEffect(shape('BUY', 10), [long100]).effect).toBe('add');
    // Another product is another position: selling NRML against an MIS long opens a short.
    expect(orderEffect(shape('SELL', 10, { product: 'NRML' }), [long100]).effect).toBe('open');
    expect(orderEffect(shape('SELL', 10, { tradingsymbol: 'INFY' }), [long100]).effect).toBe('open');
  });
});

describe('pre-trade gate', () => {
  it('an order that reduces passes every state and every limit', () => {
    const worst = input({
      request: order('SELL', 100),
      strategy: {
        state: state('HALTED', 'max_loss_per_strategy_abs'),
        limits: [limitStatus('max_loss_per_strategy_abs', 50_000, 90_000, 80)],
        settings: { ...DEFAULT_SETTINGS, max_orders_per_minute: 1, max_position_size_per_instrument: 1 },
      },
      account: {
        state: state('REDUCING', 'max_margin_utilization_pct'),
        limits: [limitStatus('max_daily_loss', 100_000, 200_000, 80)],
        limits_config: { ...ACCOUNT_LIMITS, max_orders_per_day: 1 },
      },
      counts: { strategy_last_minute: 50, account_last_minute: 500, account_today: 6000 },
      margin_utilization_after_pct: 140,
    });
    expect(gate(worst)).toEqual({ allow: true, effect: 'reduce' });
    // A short is reduced by a BUY the same way.
    const short = { ...long100, quantity: -65 };
    expect(gate({ ...worst, positions: [short], request: order('BUY', 65) })).toMatchObject({ allow: true });
  });

  it('cancels always pass', () => {
    const halted = { state: state('HALTED'), limits: [], settings: DEFAULT_SETTINGS };
    expect(gate(input({ request: { action: 'cancel' }, strategy: halted }))).toEqual({ allow: true, effect: null });
  });

  it('RISK_HALTED: the strategy or the account is halted', () => {
    const s = input({ request: order('BUY', 10) });
    expect(gate({ ...s, strategy: { ...s.strategy, state: state('HALTED') } })).toMatchObject({
      allow: false,
      reason: 'RISK_HALTED',
      data: { scope: 'strategy', key: 'manual' },
    });
    expect(gate({ ...s, account: { ...s.account, state: state('HALTED', 'max_daily_loss') } })).toMatchObject({
      allow: false,
      reason: 'RISK_HALTED',
      data: { scope: 'account', key: 'max_daily_loss' },
    });
  });

  it('RISK_REDUCING: only reducing orders while REDUCING; a reversal says how much would reduce', () => {
    const s = input({ request: order('SELL', 150) });
    const refused = gate({
      ...s,
      strategy: { ...s.strategy, state: state('REDUCING', 'max_position_size_per_instrument') },
    });
    expect(refused).toMatchObject({
      allow: false,
      reason: 'RISK_REDUCING',
      effect: 'reverse',
      data: { reducible_quantity: 100 },
    });
  });

  it('RISK_LOSS_LIMIT: a breached loss limit refuses new risk before the state has moved', () => {
    const s = input({ request: order('BUY', 10) });
    const breached = limitStatus('max_loss_per_strategy_pct', 10, 12.5, 80);
    expect(gate({ ...s, strategy: { ...s.strategy, limits: [breached] } })).toMatchObject({
      allow: false,
      reason: 'RISK_LOSS_LIMIT',
      data: { scope: 'strategy', key: 'max_loss_per_strategy_pct', limit: 10, value: 12.5 },
    });
    const daily = limitStatus('max_daily_loss', 100_000, 100_000.5, 80);
    expect(gate({ ...s, account: { ...s.account, limits: [daily] } })).toMatchObject({ reason: 'RISK_LOSS_LIMIT' });
    // Acknowledged by a forced resume: passes.
    expect(
      gate({
        ...s,
        strategy: { ...s.strategy, limits: [breached], state: state('ACTIVE', null, ['max_loss_per_strategy_pct']) },
      }),
    ).toMatchObject({ allow: true });
    // A warning is no refusal.
    expect(
      gate({
        ...s,
        strategy: { ...s.strategy, limits: [limitStatus('max_loss_per_strategy_abs', 50_000, 45_000, 80)] },
      }),
    ).toMatchObject({ allow: true });
  });

  it('RISK_POSITION_LIMIT: the open quantity after the order, every product counted', () => {
    const positions: PositionQuantity[] = [long100, { ...long100, product: 'CNC', quantity: -300 }];
    // Now |100| + |-300| = 400; BUY 600 MIS makes it 700 + 300 = 1,000: allowed (the limit is the most allowed).
    expect(gate(input({ positions, request: order('BUY', 600) }))).toMatchObject({ allow: true });
    // BUY 601: 1,001 > 1,000.
    expect(gate(input({ positions, request: order('BUY', 601) }))).toMatchObject({
      allow: false,
      reason: 'RISK_POSITION_LIMIT',
      data: { value: 1001, limit: 1000 },
    });
    // Above the limit already (an outside fill), an order that shrinks the total is not refused for size:
    // SELL 1,500 against +1,200 reverses to -300.
    const big = [{ ...long100, quantity: 1200 }];
    expect(gate(input({ positions: big, request: order('SELL', 1500) }))).toMatchObject({
      allow: true,
      effect: 'reverse',
    });
  });

  it('RISK_MARGIN_UTILIZATION: utilisation after the order above the strategy threshold', () => {
    expect(gate(input({ request: order('BUY', 10), margin_utilization_after_pct: 90.01 }))).toMatchObject({
      allow: false,
      reason: 'RISK_MARGIN_UTILIZATION',
      data: { limit: 90, value: 90.01 },
    });
    expect(gate(input({ request: order('BUY', 10), margin_utilization_after_pct: 90 }))).toMatchObject({ allow: true });
    expect(gate(input({ request: order('BUY', 10), margin_utilization_after_pct: null }))).toMatchObject({
      allow: true,
    });
  });

  it('RISK_ORDER_RATE: the strategy per minute, the account per minute and per day', () => {
    const counts = { strategy_last_minute: 9, account_last_minute: 299, account_today: 3999 };
    expect(gate(input({ request: order('BUY', 1), counts }))).toMatchObject({ allow: true });
    expect(gate(input({ request: order('BUY', 1), counts: { ...counts, strategy_last_minute: 10 } }))).toMatchObject({
      reason: 'RISK_ORDER_RATE',
      data: { scope: 'strategy', key: 'max_orders_per_minute' },
    });
    expect(gate(input({ request: order('BUY', 1), counts: { ...counts, account_last_minute: 300 } }))).toMatchObject({
      reason: 'RISK_ORDER_RATE',
      data: { scope: 'account', key: 'max_orders_per_minute' },
    });
    expect(gate(input({ request: order('BUY', 1), counts: { ...counts, account_today: 4000 } }))).toMatchObject({
      reason: 'RISK_ORDER_RATE',
      data: { scope: 'account', key: 'max_orders_per_day' },
    });
  });

  it('modifications: lowering the quantity passes; raising it is judged as a new order, without the rate', () => {
    const halted = { state: state('HALTED'), limits: [], settings: DEFAULT_SETTINGS };
    const lower = modify('BUY', 5, 10);
    expect(gate(input({ request: lower, strategy: halted }))).toMatchObject({ allow: true });
    const raise = modify('BUY', 20, 10);
    expect(gate(input({ request: raise, strategy: halted }))).toMatchObject({ allow: false, reason: 'RISK_HALTED' });
    const counts = { strategy_last_minute: 10, account_last_minute: 0, account_today: 0 };
    expect(gate(input({ request: raise, counts }))).toMatchObject({ allow: true });
  });

  it('a refusal is reported as RISK_BLOCKED (exit 4) with its reason code', () => {
    const s = input({ request: order('BUY', 10) });
    const refused = gate({ ...s, strategy: { ...s.strategy, state: state('HALTED') } }) as GateRefusal;
    expect(refusalError(refused)).toMatchObject({
      code: 'RISK_BLOCKED',
      data: { reason: 'RISK_HALTED', scope: 'strategy' },
    });
  });

  it('checks in order: halted before loss before size before margin before rate', () => {
    const everything = input({
      request: order('BUY', 5000),
      strategy: {
        state: ACTIVE,
        limits: [limitStatus('max_loss_per_strategy_abs', 50_000, 60_000, 80)],
        settings: DEFAULT_SETTINGS,
      },
      margin_utilization_after_pct: 99,
      counts: { strategy_last_minute: 99, account_last_minute: 0, account_today: 0 },
    });
    expect(gate(everything)).toMatchObject({ reason: 'RISK_LOSS_LIMIT' });
    expect(gate({ ...everything, strategy: { ...everything.strategy, limits: [] } })).toMatchObject({
      reason: 'RISK_POSITION_LIMIT',
    });
    expect(
      gate({ ...everything, request: order('BUY', 5), strategy: { ...everything.strategy, limits: [] } }),
    ).toMatchObject({
      reason: 'RISK_MARGIN_UTILIZATION',
    });
  });
});
