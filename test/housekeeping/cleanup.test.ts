import { describe, expect, it } from 'vitest';
import { cleanupBackoffMs, cleanupDeferral, exchangeEndsIt } from '../../src/housekeeping/cleanup-policy.js';
import { cleanupOutcome, dangerEnded } from '../../src/housekeeping/outcomes.js';
import type { HkOrder, OrphanDetection } from '../../src/housekeeping/types.js';
import { istInstant } from '../../src/market/ist.js';

const WED = '2026-11-25';
const at = (time: string) => istInstant(WED, time);

describe('when som acts on an orphan', () => {
  it('backs off 1, 2, 5, 10, 30 s, then every 60 s, and never stops', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => cleanupBackoffMs(n) / 1000)).toEqual([0, 1, 2, 5, 10, 30, 60, 60]);
  });

  it('an order update respects the backoff; the sweep and the user do not', () => {
    const order = { exchange: 'NSE', variety: 'regular', gtt: null };
    const retry = { attempts: 2, nextAt: at('10:00:05').toISOString() };
    expect(cleanupDeferral(order, retry, at('10:00:01'), 'event')).toMatchObject({ kind: 'backoff' });
    expect(cleanupDeferral(order, retry, at('10:00:01'), 'sweep')).toBeNull();
    expect(cleanupDeferral(order, retry, at('10:00:01'), 'user')).toBeNull();
    expect(cleanupDeferral(order, retry, at('10:00:06'), 'event')).toBeNull();
  });

  it("outside the exchange's sessions a regular order is the exchange's to end; AMOs and GTTs are not", () => {
    const regular = { exchange: 'NSE', variety: 'regular', gtt: null };
    expect(exchangeEndsIt(regular, at('15:29'))).toBe(false);
    expect(exchangeEndsIt(regular, at('15:35'))).toBe(true);
    expect(exchangeEndsIt(regular, istInstant('2026-11-28', '11:00'))).toBe(true); // a Saturday
    expect(exchangeEndsIt({ ...regular, variety: 'amo' }, at('15:35'))).toBe(false);
    expect(exchangeEndsIt({ ...regular, gtt: { id: 1, type: 'single', leg: 0 } }, at('15:35'))).toBe(false);
    // MCX trades into the evening.
    expect(exchangeEndsIt({ ...regular, exchange: 'MCX' }, at('19:00'))).toBe(false);
    expect(cleanupDeferral(regular, { attempts: 0, nextAt: null }, at('15:35'), 'user')).toMatchObject({
      kind: 'exchange-ends',
    });
  });
});

describe("how an orphan's handling is told", () => {
  const order: HkOrder = {
    order_id: '261125000000042',
    strategy_id: 2,
    source: 'external',
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    instrument_token: 779521,
    product: 'MIS',
    transaction_type: 'SELL',
    order_type: 'SL-M',
    variety: 'regular',
    status: 'TRIGGER PENDING',
    quantity: 25,
    filled_quantity: 0,
    pending_quantity: 25,
    price: 0,
    trigger_price: 950,
    average_price: 0,
    order_timestamp: null,
    role: 'stop',
    oco_group_id: null,
    parent_position_id: null,
  };
  const detection: OrphanDetection = {
    order_id: order.order_id,
    strategy_id: 2,
    reason: 'POSITION_CLOSED',
    parent_position_id: 1,
    action: { kind: 'cancel' },
    proposed: { kind: 'cancel' },
    notify: true,
    explanation: 'POSITION_CLOSED: the position in NSE:SBIN MIS is flat and no entry is working; cancel',
    detected_at: at('10:00').toISOString(),
    gtt: null,
  };
  const now = at('10:00');

  it('done: a normal alert saying what som did, failure alerts resolved, no retry left', () => {
    const r = cleanupOutcome({
      detection,
      order,
      result: { kind: 'done', correction: { kind: 'cancel' } },
      attemptsBefore: 2,
      firstReport: true,
      now,
    });
    expect(r.raise).toMatchObject([
      { type: 'ORPHAN_DETECTED', priority: 'normal', message: expect.stringContaining('som cancelled it') },
    ]);
    expect(r.resolve).toEqual(dangerEnded(order.order_id));
    expect(r.retry).toBeNull();
    expect(r.orphanAction).toBe('cancel: cancelled');
    expect(r.audit?.type).toBe('ORPHAN_CANCELLED');
  });

  it('failed: a high alert with when som tries next, critical from the third failure, asking the user to act', () => {
    const first = cleanupOutcome({
      detection,
      order,
      result: { kind: 'failed', correction: { kind: 'cancel' }, message: '503 Service Unavailable' },
      attemptsBefore: 0,
      firstReport: true,
      now,
    });
    expect(first.retry).toEqual({
      attempts: 1,
      nextAt: at('10:00:01').toISOString(),
      lastError: '503 Service Unavailable',
    });
    expect(first.raise).toMatchObject([{ type: 'CLEANUP_FAILED', priority: 'high' }]);
    expect(first.raise[0]?.message).toContain('keeps trying');
    const third = cleanupOutcome({
      detection,
      order,
      result: { kind: 'failed', correction: { kind: 'cancel' }, message: '503 Service Unavailable' },
      attemptsBefore: 2,
      firstReport: false,
      now,
    });
    expect(third.raise).toMatchObject([
      { priority: 'critical', message: expect.stringContaining('cancel it on Kite yourself') },
    ]);
    expect(third.retry?.nextAt).toBe(at('10:00:05').toISOString());
  });

  it('reported (strict mode off): a high alert telling the user to act, once', () => {
    const r = cleanupOutcome({
      detection,
      order,
      result: { kind: 'reported' },
      attemptsBefore: 0,
      firstReport: true,
      now,
    });
    expect(r.raise).toMatchObject([{ priority: 'high', message: expect.stringContaining('Cancel it yourself') }]);
    const again = cleanupOutcome({
      detection,
      order,
      result: { kind: 'reported' },
      attemptsBefore: 0,
      firstReport: false,
      now,
    });
    expect(again.raise).toEqual([]);
  });

  it('left to the exchange: logged, no alert, nothing to retry', () => {
    const r = cleanupOutcome({
      detection,
      order,
      result: { kind: 'deferred', deferral: { kind: 'exchange-ends', message: 'NSE is closed' } },
      attemptsBefore: 0,
      firstReport: true,
      now,
    });
    expect(r).toMatchObject({ raise: [], retry: null, orphanAction: 'left to the exchange' });
  });
});
