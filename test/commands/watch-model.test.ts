import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  initialState,
  moveAlertCursor,
  nextStrategy,
  orderedAlerts,
  respondMessage,
  sparkline,
  visibleOrders,
  type WatchState,
  withSample,
} from '../../commands/screens/watch/model.js';
import type { AlertView } from '../../src/protocol/methods/alerts.js';
import type { RespondResult } from '../../src/protocol/methods/execution.js';
import type { PositionView } from '../../src/protocol/methods/orders.js';
import { ORDER, STATUS } from './fixtures.js';

const AT = '2026-11-25T04:30:00.000Z';
const SBIN: PositionView = {
  id: 1,
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  instrument_token: 779521,
  product: 'MIS',
  quantity: 25,
  overnight_quantity: 0,
  multiplier: 1,
  average_price: 950,
  last_price: 960,
  // 25 x (960 - 950).
  pnl: 250,
  realised: 0,
  unrealised: 250,
  m2m: 250,
  buy_quantity: 25,
  sell_quantity: 0,
  updated_at: AT,
};
const alert = (id: number, extra: Partial<AlertView> = {}): AlertView => ({
  id,
  at: AT,
  type: 'T',
  priority: 'normal',
  strategy: 'default',
  order_id: null,
  title: `alert ${id}`,
  message: 'm',
  payload: {},
  read_at: null,
  resolved_at: null,
  ...extra,
});
const strategy = (id: number, name: string) => ({
  id,
  name,
  profile: 'default' as const,
  created_at: AT,
  total_brokerage_paid: 0,
  total_taxes_paid: 0,
  realised_pnl: 0,
  total_margin_blocked: 0,
  risk_status: 'OK' as const,
  last_housekeeping_run: null,
});

function state(over: Partial<WatchState> = {}): WatchState {
  return {
    ...initialState({
      at: AT,
      status: STATUS,
      strategies: [strategy(1, 'default'), strategy(2, 'nifty-weekly')],
      positions: [SBIN],
      orders: [ORDER],
      orphans: [],
      alerts: [],
      m2m: [],
    }),
    ...over,
  };
}

describe('som watch: what the screen shows, as events arrive', () => {
  it("the account's P&L starts as the positions' sum, and moves with the tick summaries", () => {
    const s = state();
    expect(s.account).toEqual({ pnl: 250, m2m: 250 });
    const next = applyEvent(s, {
      type: 'ticks',
      at: '2026-11-25T04:30:05.000Z',
      ticks: [{ instrument_token: 779521, exchange: 'NSE', tradingsymbol: 'SBIN', last_price: 962, net_change: 0 }],
      // somd's marks: 250 + 25 x (962 - 960) = 300.
      positions: [{ ...SBIN, last_price: 962, pnl: 300, m2m: 300, unrealised: 300 }],
      account: { pnl: 300, m2m: 300 },
    });
    expect(next.positions[0]).toMatchObject({ last_price: 962, pnl: 300 });
    expect(next.account.pnl).toBe(300);
    expect(next.m2m).toEqual([{ at: '2026-11-25T04:30:05.000Z', value: 300 }]);
  });

  it('an order that stops working leaves the open orders; a new one comes first', () => {
    const filled = applyEvent(state(), { type: 'order', at: AT, open: false, order: { ...ORDER, status: 'COMPLETE' } });
    expect(filled.orders).toEqual([]);
    const stop = { ...ORDER, order_id: '251125000000102', order_timestamp: '2026-11-25T04:31:00.000Z', role: 'stop' };
    expect(
      applyEvent(state(), { type: 'order', at: AT, open: true, order: stop }).orders.map((o) => o.order_id),
    ).toEqual(['251125000000102', '251125000000101']);
  });

  it('held orders come first, the soonest deadline first; resolved alerts go', () => {
    let s = state({ alerts: [alert(3), alert(2, { payload: { expires_at: '2026-11-25T04:34:00.000Z' } })] });
    s = applyEvent(s, {
      type: 'alert',
      at: AT,
      change: 'raised',
      alert: alert(4, { payload: { expires_at: '2026-11-25T04:32:00.000Z' } }),
    });
    expect(orderedAlerts(s).map((a) => a.id)).toEqual([4, 2, 3]);
    s = applyEvent(s, { type: 'alert', at: AT, change: 'resolved', alert: alert(4, { resolved_at: AT }) });
    expect(orderedAlerts(s).map((a) => a.id)).toEqual([2, 3]);
  });

  it('switching strategy cycles through every strategy and back to all, and filters orders and alerts', () => {
    const s = state({ alerts: [alert(1, { strategy: 'nifty-weekly' }), alert(2)] });
    expect(nextStrategy(s)).toBe('default');
    expect(nextStrategy({ ...s, strategy: 'default' })).toBe('nifty-weekly');
    expect(nextStrategy({ ...s, strategy: 'nifty-weekly' })).toBeNull();
    const weekly = { ...s, strategy: 'nifty-weekly' };
    expect(visibleOrders(weekly)).toEqual([]);
    expect(orderedAlerts(weekly).map((a) => a.id)).toEqual([1]);
  });

  it('the alert cursor wraps', () => {
    const s = state({ alerts: [alert(2), alert(1)] });
    expect(moveAlertCursor(s, 1)).toBe(2);
    expect(moveAlertCursor({ ...s, selectedAlert: 2 }, 1)).toBe(1);
    expect(moveAlertCursor({ ...s, selectedAlert: 1 }, 1)).toBe(2);
    expect(moveAlertCursor({ ...s, selectedAlert: 2 }, -1)).toBe(1);
  });
});

describe("the day's M2M sparkline", () => {
  it('lowest to highest in eight steps; only the last points that fit', () => {
    // 0..70 in steps of 10: each a step up.
    expect(sparkline([0, 10, 20, 30, 40, 50, 60, 70], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 70, 35], 2)).toBe('█▁');
    expect(sparkline([5, 5], 10)).toBe('▄▄');
    expect(sparkline([], 10)).toBe('');
  });

  it('a point a minute: the latest value in a minute stands', () => {
    const a = withSample([], '2026-11-25T04:30:05.000Z', 1);
    const b = withSample(a, '2026-11-25T04:30:55.000Z', 2);
    expect(withSample(b, '2026-11-25T04:31:00.000Z', 3).map((p) => p.value)).toEqual([2, 3]);
  });
});

describe('a held order answered from the screen', () => {
  const answer = (r: Partial<RespondResult>): RespondResult =>
    ({
      alert_id: 7,
      held_order_id: 3,
      choice: 'limit',
      response_ms: 900,
      trade: null,
      held: null,
      ...r,
    }) as RespondResult;

  it('says what came of the answer: cancelled, sent with its orders, asked again, failed with why', () => {
    expect(respondMessage(answer({ choice: 'cancel', outcome: 'cancelled' }))).toBe(
      'alert 7: cancel: cancelled; nothing was sent',
    );
    const sent = answer({ outcome: 'sent', trade: { orders: [ORDER], error: null } as never });
    expect(respondMessage(sent)).toBe(`alert 7: limit: sent (order ${ORDER.order_id})`);
    const again = answer({ choice: 'proceed', outcome: 'asked_again', held: { alert_id: 9 } as never });
    expect(respondMessage(again)).toBe('alert 7: proceed: the market got worse; asked again (alert 9)');
    const failed = answer({
      outcome: 'failed',
      trade: { orders: [], error: { code: 'BROKER_ERROR', message: 'margin exceeds', leg: 0 } } as never,
    });
    expect(respondMessage(failed)).toBe('alert 7: limit: failed: margin exceeds');
  });
});
