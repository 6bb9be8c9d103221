import { describe, expect, it } from 'vitest';
import { gttLegsAsOrders, judgeGttLegs, parseGttLegId, planGttSync, type SeenGtt } from '../../src/housekeeping/gtt.js';

const seen = (g: Partial<SeenGtt> = {}): SeenGtt => ({
  id: 112127,
  type: 'single',
  status: 'active',
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  instrument_token: 408065,
  trigger_values: [702],
  last_price: 798,
  orders: [{ transaction_type: 'SELL', quantity: 10, product: 'CNC' }],
  updated_at: '2026-11-25T04:00:00.000Z',
  ...g,
});

describe('judging GTT legs', () => {
  it('a SELL GTT below the price it was set at protects a long as a stop, above it as a target', () => {
    expect(
      judgeGttLegs({ transaction_type: 'SELL', trigger_values: [702], last_price: 798, quantity: 10 }, 10).roles,
    ).toEqual(['stop']);
    expect(
      judgeGttLegs({ transaction_type: 'SELL', trigger_values: [850], last_price: 798, quantity: 10 }, 10).roles,
    ).toEqual(['target']);
  });

  it("a two-leg GTT is Kite's OCO: the lower trigger the stop, the upper the target (a BUY for a short, the other way round)", () => {
    const long = judgeGttLegs(
      { transaction_type: 'SELL', trigger_values: [102, 103.7], last_price: 102.6, quantity: 1 },
      1,
    );
    expect(long.roles).toEqual(['stop', 'target']);
    const short = judgeGttLegs(
      { transaction_type: 'BUY', trigger_values: [102, 103.7], last_price: 102.6, quantity: 1 },
      -1,
    );
    expect(short.roles).toEqual(['target', 'stop']);
  });

  it('a GTT on the side of the position, or with none, opens or adds: a breakout buy is an entry', () => {
    expect(
      judgeGttLegs({ transaction_type: 'BUY', trigger_values: [850], last_price: 798, quantity: 10 }, 0).roles,
    ).toEqual(['entry']);
    expect(
      judgeGttLegs({ transaction_type: 'BUY', trigger_values: [850], last_price: 798, quantity: 10 }, 10).roles,
    ).toEqual(['entry']);
  });

  it('only protective legs are seen as orders, named gtt:ID:LEG', () => {
    const view = {
      gtt_id: 7,
      strategy_id: 1,
      type: 'two-leg' as const,
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      instrument_token: 408065,
      product: 'CNC',
      transaction_type: 'SELL' as const,
      quantity: 10,
      trigger_values: [700, 900],
      last_price: 800,
      roles: ['stop', 'target'] as const,
      updated_at: null,
    };
    expect(gttLegsAsOrders(view).map((o) => [o.order_id, o.role, o.pending_quantity, o.gtt])).toEqual([
      ['gtt:7:0', 'stop', 10, { id: 7, type: 'two-leg', leg: 0 }],
      ['gtt:7:1', 'target', 10, { id: 7, type: 'two-leg', leg: 1 }],
    ]);
    expect(gttLegsAsOrders({ ...view, roles: ['entry', 'entry'] })).toEqual([]);
    expect(parseGttLegId('gtt:7:1')).toEqual({ gttId: 7, leg: 1 });
    expect(parseGttLegId('251125000000001')).toBeNull();
  });
});

describe("folding the broker's GTT list into som's", () => {
  it('a new GTT is attributed and judged; an unchanged one is left; a judged protective one stays', () => {
    const first = planGttSync({ seen: [seen()], stored: [], attribute: () => 3, shareOf: () => 10 });
    expect(first.writes).toMatchObject([{ gtt_id: 112127, strategy_id: 3, roles: ['stop'], created: true }]);
    const stored = [
      { gtt_id: 112127, strategy_id: 3, status: 'active', roles: ['stop'] as const, updated_at: seen().updated_at },
    ];
    expect(planGttSync({ seen: [seen()], stored, attribute: () => 1, shareOf: () => 0 })).toEqual({
      writes: [],
      gone: [],
    });
  });

  it('an entry GTT is judged again as positions change: a holding under it makes it protective', () => {
    const stored = [
      { gtt_id: 112127, strategy_id: 1, status: 'active', roles: ['entry'] as const, updated_at: seen().updated_at },
    ];
    const sync = planGttSync({ seen: [seen()], stored, attribute: () => 1, shareOf: () => 10 });
    expect(sync.writes).toMatchObject([{ gtt_id: 112127, roles: ['stop'], created: false }]);
  });

  it('an active GTT the broker no longer lists is gone; a triggered one is written with its status', () => {
    const stored = [
      { gtt_id: 1, strategy_id: 1, status: 'active', roles: ['stop'] as const, updated_at: null },
      { gtt_id: 2, strategy_id: 1, status: 'active', roles: ['stop'] as const, updated_at: null },
    ];
    const sync = planGttSync({
      seen: [seen({ id: 2, status: 'triggered', updated_at: '2026-11-25T05:00:00.000Z' })],
      stored,
      attribute: () => 1,
      shareOf: () => 10,
    });
    expect(sync.gone).toEqual([1]);
    expect(sync.writes).toMatchObject([{ gtt_id: 2, status: 'triggered', roles: ['stop'] }]);
  });
});
