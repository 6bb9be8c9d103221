import { describe, expect, it } from 'vitest';
import { expiredOn } from '../../src/housekeeping/expiry.js';
import { detectOrphans, manualOrphan, orphanAction } from '../../src/housekeeping/orphans.js';
import type { HkOrder, HkPosition, HkSettings } from '../../src/housekeeping/types.js';
import { istInstant } from '../../src/market/ist.js';

/** 2026-11-25 (a Wednesday) at an IST wall time, as the ISO instant HkOrder carries. */
const at = (hhmmss: string): string => istInstant('2026-11-25', hhmmss).toISOString();
const NOW = istInstant('2026-11-25', '10:45');

const STRICT: HkSettings = {
  auto_cleanup_enabled: true,
  cleanup_sl_on_exit: true,
  cleanup_target_on_exit: true,
  allow_orphaned_orders: false,
  notify_on_orphan_detection: true,
  order_age_notify_minutes: 60,
  order_age_cancel_minutes: 240,
  cancel_aged_orders: false,
  order_age_archive_hours: 24,
  flatten_on_overfill: true,
};

let seq = 0;
function order(o: Partial<HkOrder>): HkOrder {
  seq += 1;
  return {
    order_id: `2611250000000${String(seq).padStart(2, '0')}`,
    strategy_id: 1,
    source: 'external',
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    instrument_token: 408065,
    product: 'MIS',
    transaction_type: 'SELL',
    order_type: 'SL-M',
    variety: 'regular',
    status: 'TRIGGER PENDING',
    quantity: 10,
    filled_quantity: 0,
    pending_quantity: 10,
    price: 0,
    trigger_price: 1480,
    average_price: 0,
    order_timestamp: at('10:01'),
    role: 'stop',
    oco_group_id: null,
    parent_position_id: null,
    ...o,
  };
}
const entry = (o: Partial<HkOrder>): HkOrder =>
  order({
    transaction_type: 'BUY',
    order_type: 'MARKET',
    status: 'COMPLETE',
    filled_quantity: 10,
    pending_quantity: 0,
    trigger_price: 0,
    average_price: 1500,
    role: 'entry',
    order_timestamp: at('10:00'),
    ...o,
  });
const stop = (o: Partial<HkOrder> = {}): HkOrder => order(o);
const target = (o: Partial<HkOrder> = {}): HkOrder =>
  order({
    order_type: 'LIMIT',
    status: 'OPEN',
    price: 1550,
    trigger_price: 0,
    role: 'target',
    order_timestamp: at('10:01:30'),
    ...o,
  });
const position = (quantity: number, o: Partial<HkPosition> = {}): HkPosition => ({
  strategy_id: 1,
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  product: 'MIS',
  quantity,
  position_id: 70,
  ...o,
});

/** Strategy 1's share of the account's position (the fills' sum: what src/domain/position-shares.ts keeps). */
function positionsFrom(_orders: HkOrder[], share: number): HkPosition[] {
  return [position(share)];
}

function detect(
  orders: HkOrder[],
  positions: HkPosition[],
  settings: Partial<HkSettings> = {},
  isExpired: (exchange: string, tradingsymbol: string) => boolean = () => false,
) {
  return detectOrphans({ orders, positions, settingsFor: () => ({ ...STRICT, ...settings }), isExpired, now: NOW });
}

describe('a position exited by hand: buy 10, SL-M 10 and target 10, then a market sell 10', () => {
  const buy = entry({});
  const sl = stop({ oco_group_id: 7 });
  const tgt = target({ oco_group_id: 7 });
  const exit = entry({ transaction_type: 'SELL', order_timestamp: at('10:30') });
  const orders = [buy, sl, tgt, exit];
  const positions = positionsFrom(orders, 0); // +10 - 10 = 0

  it('orphans both protective orders with POSITION_CLOSED and cancels them', () => {
    const found = detect(orders, positions);
    expect(found.map((d) => [d.order_id, d.reason, d.action, d.notify])).toEqual([
      [sl.order_id, 'POSITION_CLOSED', { kind: 'cancel' }, true],
      [tgt.order_id, 'POSITION_CLOSED', { kind: 'cancel' }, true],
    ]);
    expect(found[0]).toMatchObject({
      parent_position_id: 70,
      proposed: { kind: 'cancel' },
      detected_at: NOW.toISOString(),
    });
    expect(found[0]?.explanation).toContain('flat');
  });

  it('only reports them with strict mode off (allow_orphaned_orders)', () => {
    const found = detect(orders, positions, { allow_orphaned_orders: true });
    expect(found.map((d) => [d.reason, d.action.kind, d.proposed.kind])).toEqual([
      ['POSITION_CLOSED', 'report', 'cancel'],
      ['POSITION_CLOSED', 'report', 'cancel'],
    ]);
    expect(found[0]?.explanation).toContain('strict mode off');
  });

  it('only reports them when auto cleanup is off, and notifies per the setting', () => {
    const found = detect(orders, positions, { auto_cleanup_enabled: false, notify_on_orphan_detection: false });
    expect(found.map((d) => [d.action.kind, d.notify])).toEqual([
      ['report', false],
      ['report', false],
    ]);
  });

  it('keeps the stop (reported) when cleanup_sl_on_exit is off, and the target when cleanup_target_on_exit is off', () => {
    expect(detect(orders, positions, { cleanup_sl_on_exit: false }).map((d) => d.action.kind)).toEqual([
      'report',
      'cancel',
    ]);
    expect(detect(orders, positions, { cleanup_target_on_exit: false }).map((d) => d.action.kind)).toEqual([
      'cancel',
      'report',
    ]);
  });

  it('records the parent position the order carries over the position row', () => {
    const tagged = stop({ parent_position_id: 42 });
    expect(detect([buy, tagged, exit], positionsFrom([buy, tagged, exit], 0))[0]?.parent_position_id).toBe(42);
  });
});

describe('protective orders that still protect', () => {
  it('leaves a stop and a target for the same 10 alone', () => {
    expect(detect([entry({}), stop(), target()], [position(10)])).toEqual([]);
  });

  it('leaves an order already being cancelled alone', () => {
    expect(detect([stop({ status: 'CANCEL PENDING' })], [position(0)])).toEqual([]);
  });

  it('ignores finished orders', () => {
    expect(detect([stop({ status: 'CANCELLED', pending_quantity: 0 })], [position(0)])).toEqual([]);
  });
});

describe('entry orders are never orphans', () => {
  it('not when flat, not when flipped, not when expired; nor orders whose role is undecided', () => {
    const orders = [
      order({ transaction_type: 'BUY', order_type: 'LIMIT', status: 'OPEN', price: 1450, role: 'entry' }),
      order({ transaction_type: 'SELL', order_type: 'SL-M', role: 'entry' }),
      order({ transaction_type: 'SELL', order_type: 'SL-M', role: null }),
    ];
    expect(detect(orders, [])).toEqual([]);
    expect(detect(orders, [position(-10)])).toEqual([]);
    expect(detect(orders, [position(10)], {}, () => true)).toEqual([]);
  });
});

describe('a flipped position', () => {
  it('orphans a protective order now on the same side as the position', () => {
    // Long 10 became short 10 (something else sold 20): the SELL stop would add to the short.
    const found = detect([stop()], [position(-10)]);
    expect(found).toMatchObject([{ reason: 'POSITION_CLOSED', action: { kind: 'cancel' } }]);
    expect(found[0]?.explanation).toContain('-10');
  });
});

describe('EXCESS_QUANTITY: one side adds up to more than the position', () => {
  it("two stops of 10 placed by hand on a position of 10: the newest is the user's intent, the older goes", () => {
    const older = stop({ order_timestamp: at('10:01') });
    const younger = stop({ order_timestamp: at('10:05') });
    expect(detect([younger, older], [position(10)])).toMatchObject([
      { order_id: older.order_id, reason: 'EXCESS_QUANTITY', action: { kind: 'cancel' } },
    ]);
  });

  it("som's own protective orders give way first, whatever their age", () => {
    // som's stop is the older one; the hand-placed stop stays as placed.
    const soms = stop({ source: 'som', order_timestamp: at('10:01') });
    const hand = stop({ order_timestamp: at('10:05') });
    expect(detect([soms, hand], [position(10)])).toMatchObject([
      { order_id: soms.order_id, reason: 'EXCESS_QUANTITY', action: { kind: 'cancel' } },
    ]);
    // A resting exit placed by hand beside som's OCO target: som's target goes, the user's stays.
    const somTarget = target({ source: 'som', oco_group_id: 7, order_timestamp: at('10:01') });
    const handExit = target({ price: 1520, order_timestamp: at('10:30') });
    const found = detect([stop({ source: 'som', oco_group_id: 7 }), somTarget, handExit], [position(10)]);
    expect(found.map((d) => [d.order_id, d.reason, d.action])).toEqual([
      [somTarget.order_id, 'EXCESS_QUANTITY', { kind: 'cancel' }],
    ]);
  });

  it("between som's own orders the older gives way: a protection just asked of som stands", () => {
    // An AMO stop from last evening and this morning's `som oco protect` stop, both som's.
    const amo = stop({ source: 'som', variety: 'amo', order_timestamp: at('10:01') });
    const fresh = stop({ source: 'som', oco_group_id: 9, order_timestamp: at('10:20') });
    expect(detect([fresh, amo], [position(10)])).toMatchObject([
      { order_id: amo.order_id, reason: 'EXCESS_QUANTITY', action: { kind: 'cancel' } },
    ]);
  });

  it('an oversized stop placed by hand is reduced to the position, never cancelled', () => {
    // SL-M SELL 50 against a long 25: 25 too many; it keeps 25.
    const big = stop({ quantity: 50, pending_quantity: 50 });
    expect(detect([big], [position(25)])).toMatchObject([
      { order_id: big.order_id, reason: 'EXCESS_QUANTITY', action: { kind: 'reduce', quantity: 25 } },
    ]);
    // The same from som (`som order place ... --qty 40 --type SL-M` on a long 25): reduced to 25.
    const soms = stop({ source: 'som', quantity: 40, pending_quantity: 40 });
    expect(detect([soms], [position(25)])).toMatchObject([{ action: { kind: 'reduce', quantity: 25 } }]);
  });

  it('stop 10 + stop 5 on a position of 12: reduces the older to 7', () => {
    // 15 - 12 = 3 too many; the newer 5 is the user's intent, so the older 10 keeps 10 - 3 = 7.
    const older = stop({ order_timestamp: at('10:01') });
    const younger = stop({ quantity: 5, pending_quantity: 5, order_timestamp: at('10:05') });
    expect(detect([older, younger], [position(12)])).toMatchObject([
      { order_id: older.order_id, reason: 'EXCESS_QUANTITY', action: { kind: 'reduce', quantity: 7 } },
    ]);
  });

  it('cancels an older one and reduces the newest when the older ones are not enough', () => {
    // 5 (older) + 10 (newest) on 8: 7 too many; the older 5 goes (2 left), the newest keeps 8.
    const older = stop({ quantity: 5, pending_quantity: 5, order_timestamp: at('10:01') });
    const younger = stop({ order_timestamp: at('10:05') });
    expect(detect([older, younger], [position(8)]).map((d) => [d.order_id, d.action])).toEqual([
      [older.order_id, { kind: 'cancel' }],
      [younger.order_id, { kind: 'reduce', quantity: 8 }],
    ]);
  });

  it('counts a partly filled order by what is pending and keeps its filled part in the new quantity', () => {
    // A (som's): quantity 10, filled 2, pending 8. B (by hand): 4 pending. Position 10 - 2 = 8.
    // 8 + 4 = 12, 4 too many: A keeps 8 - 4 = 4 pending, new quantity 2 + 4 = 6.
    const a = stop({
      source: 'som',
      status: 'OPEN',
      filled_quantity: 2,
      pending_quantity: 8,
      order_timestamp: at('10:01'),
    });
    const b = stop({ quantity: 4, pending_quantity: 4, order_timestamp: at('10:05') });
    expect(detect([a, b], [position(8)])).toMatchObject([
      { order_id: a.order_id, action: { kind: 'reduce', quantity: 6 } },
    ]);
  });

  it('judges stops and targets separately', () => {
    const t1 = target({ order_timestamp: at('10:02') });
    const t2 = target({ order_timestamp: at('10:03') });
    const found = detect([stop(), t1, t2], [position(10)]);
    expect(found.map((d) => [d.order_id, d.reason])).toEqual([[t1.order_id, 'EXCESS_QUANTITY']]);
  });

  it('takes an order without a timestamp as the newest, and the larger id on a tie', () => {
    const a = stop({ order_timestamp: at('10:05') });
    const b = stop({ order_timestamp: null });
    expect(detect([a, b], [position(10)])[0]?.order_id).toBe(a.order_id);
    const c = stop({ order_timestamp: at('10:05') });
    const d = stop({ order_timestamp: at('10:05') });
    expect(detect([d, c], [position(10)])[0]?.order_id).toBe(c.order_id);
  });

  it('reports instead of reducing with strict mode off, saying what it would do', () => {
    const older = stop({ order_timestamp: at('10:01') });
    const younger = stop({ quantity: 5, pending_quantity: 5, order_timestamp: at('10:05') });
    const [d] = detect([older, younger], [position(12)], { allow_orphaned_orders: true });
    expect(d).toMatchObject({ action: { kind: 'report' }, proposed: { kind: 'reduce', quantity: 7 } });
    expect(d?.explanation).toContain('would reduce to quantity 7');
  });

  it('is not subject to cleanup_sl_on_exit (that setting is about closed positions)', () => {
    const a = stop({ order_timestamp: at('10:01') });
    const b = stop({ order_timestamp: at('10:05') });
    expect(detect([a, b], [position(10)], { cleanup_sl_on_exit: false })[0]?.action).toEqual({ kind: 'cancel' });
  });
});

describe('pending protection: a stop and a target placed while their entry still rests', () => {
  const working = (o: Partial<HkOrder> = {}) =>
    order({
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      status: 'OPEN',
      price: 1450,
      trigger_price: 0,
      role: 'entry',
      order_timestamp: at('10:00'),
      ...o,
    });

  it('protect the entry: nothing is orphaned while it works', () => {
    expect(detect([working(), stop(), target()], [position(0)])).toEqual([]);
  });

  it('protect what has filled and what is still being entered', () => {
    // Entry 10 filled 4, 6 still working: capacity 4 + 6 = 10.
    const partly = working({ filled_quantity: 4, pending_quantity: 6 });
    expect(detect([partly, stop(), target()], [position(4)])).toEqual([]);
  });

  it('are orphans once the entry is cancelled unfilled', () => {
    const found = detect([stop(), target()], [position(0)]);
    expect(found.map((d) => d.reason)).toEqual(['POSITION_CLOSED', 'POSITION_CLOSED']);
    expect(found[0]?.explanation).toContain('no entry is working');
  });

  it('are cut to what filled once the entry is cancelled part-filled', () => {
    // 4 filled, the rest cancelled: the stop and the target of 10 each keep 4.
    const found = detect([stop(), target()], [position(4)]);
    expect(found.map((d) => [d.reason, d.action])).toEqual([
      ['EXCESS_QUANTITY', { kind: 'reduce', quantity: 4 }],
      ['EXCESS_QUANTITY', { kind: 'reduce', quantity: 4 }],
    ]);
  });

  it('only an entry on the other side counts: a second SELL entry protects nothing', () => {
    const sellEntry = working({ transaction_type: 'SELL' });
    expect(detect([sellEntry, stop()], [position(0)]).map((d) => d.reason)).toEqual(['POSITION_CLOSED']);
  });
});

describe('OCO_FILLED', () => {
  it('target partly fills 6: the stop is reduced to 4 pending (quantity 0 + 4)', () => {
    const buy = entry({});
    const sl = stop({ oco_group_id: 7 });
    const tgt = target({ oco_group_id: 7, filled_quantity: 6, pending_quantity: 4, average_price: 1550 });
    const orders = [buy, sl, tgt];
    const found = detect(orders, positionsFrom(orders, 4)); // 10 - 6 = 4
    expect(found).toMatchObject([
      { order_id: sl.order_id, reason: 'OCO_FILLED', action: { kind: 'reduce', quantity: 4 } },
    ]);
  });

  it('without an OCO link the same partial fill is excess stop quantity, reduced the same way', () => {
    const buy = entry({});
    const sl = stop();
    const tgt = target({ filled_quantity: 6, pending_quantity: 4 });
    const orders = [buy, sl, tgt];
    expect(detect(orders, positionsFrom(orders, 4))).toMatchObject([
      { order_id: sl.order_id, reason: 'EXCESS_QUANTITY', action: { kind: 'reduce', quantity: 4 } },
    ]);
  });

  it('target fills fully: the stop is cancelled as OCO_FILLED, even with cleanup_sl_on_exit off', () => {
    const buy = entry({});
    const sl = stop({ oco_group_id: 7 });
    const tgt = target({ oco_group_id: 7, status: 'COMPLETE', filled_quantity: 10, pending_quantity: 0 });
    const orders = [buy, sl, tgt];
    const found = detect(orders, positionsFrom(orders, 0), { cleanup_sl_on_exit: false });
    expect(found).toMatchObject([{ order_id: sl.order_id, reason: 'OCO_FILLED', action: { kind: 'cancel' } }]);
  });

  it('both legs filled: nothing left to cancel (the overfill is ocoDecisions business)', () => {
    const sl = stop({ oco_group_id: 7, status: 'COMPLETE', filled_quantity: 10, pending_quantity: 0 });
    const tgt = target({ oco_group_id: 7, status: 'COMPLETE', filled_quantity: 10, pending_quantity: 0 });
    expect(detect([entry({}), sl, tgt], [position(-10)])).toEqual([]);
  });

  it('an EXCESS decision replaces an OCO reduce on the same order', () => {
    // OCO 7 (som's stop A, target): target filled 6 -> A to 4 pending. Another stop B of 4,
    // placed by hand, also protects the 4 left: stops 4 + 4 = 8 on 4. som's A gives way: it is
    // cancelled (EXCESS replaces its reduce), and the user's B stays.
    const a = stop({ source: 'som', oco_group_id: 7, order_timestamp: at('10:01') });
    const tgt = target({ oco_group_id: 7, filled_quantity: 6, pending_quantity: 4 });
    const b = stop({ quantity: 4, pending_quantity: 4, order_timestamp: at('10:10') });
    const found = detect([a, tgt, b], [position(4)]);
    expect(found.map((d) => [d.order_id, d.reason, d.action])).toEqual([
      [a.order_id, 'EXCESS_QUANTITY', { kind: 'cancel' }],
    ]);
    // Both placed by hand: B is the newest, so the excess comes off A, whose OCO reduce (to 4)
    // already leaves the stops at 4 + 4 = 8 on 4: A goes.
    const handA = { ...a, source: 'external' as const };
    const found2 = detect([handA, tgt, b], [position(4)]);
    expect(found2.map((d) => [d.order_id, d.reason, d.action])).toEqual([
      [a.order_id, 'EXCESS_QUANTITY', { kind: 'cancel' }],
    ]);
  });
});

describe('INSTRUMENT_EXPIRED', () => {
  it('cancels protective orders on an expired contract even while the position is open', () => {
    // NIFTY's November 2026 monthly expired on Mon 2026-11-23 (Tue 11-24 is a holiday).
    const lookup = (_e: string, s: string) => (s === 'NIFTY26NOV24000CE' ? { expiry: '2026-11-23' } : null);
    const sl = stop({
      exchange: 'NFO',
      tradingsymbol: 'NIFTY26NOV24000CE',
      product: 'NRML',
      quantity: 75,
      pending_quantity: 75,
    });
    const pos = position(75, { exchange: 'NFO', tradingsymbol: 'NIFTY26NOV24000CE', product: 'NRML' });
    expect(detect([sl], [pos], {}, expiredOn('2026-11-23', lookup))).toEqual([]);
    expect(detect([sl], [pos], {}, expiredOn('2026-11-24', lookup))).toMatchObject([
      { reason: 'INSTRUMENT_EXPIRED', action: { kind: 'cancel' } },
    ]);
  });

  it('asks isExpired once per instrument', () => {
    let calls = 0;
    const orders = [stop(), stop(), target()];
    detect(orders, [position(10)], {}, () => {
      calls++;
      return false;
    });
    expect(calls).toBe(1);
  });
});

describe('results', () => {
  it('are sorted by strategy, then order id, whatever the input order', () => {
    const s2 = stop({ strategy_id: 2 });
    const s1a = stop({ strategy_id: 1 });
    const s1b = target({ strategy_id: 1 });
    const found = detect([s2, s1b, s1a], []);
    expect(found.map((d) => [d.strategy_id, d.order_id])).toEqual([
      [1, s1a.order_id],
      [1, s1b.order_id],
      [2, s2.order_id],
    ]);
  });

  it('use each strategy its own settings', () => {
    const found = detectOrphans({
      orders: [stop({ strategy_id: 1 }), stop({ strategy_id: 2 })],
      positions: [],
      settingsFor: (id) => (id === 2 ? { ...STRICT, allow_orphaned_orders: true } : STRICT),
      isExpired: () => false,
      now: NOW,
    });
    expect(found.map((d) => [d.strategy_id, d.action.kind])).toEqual([
      [1, 'cancel'],
      [2, 'report'],
    ]);
  });
});

describe('orphanAction and manualOrphan', () => {
  it('map a correction through the settings', () => {
    expect(
      orphanAction('POSITION_CLOSED', 'target', { kind: 'cancel' }, { ...STRICT, cleanup_target_on_exit: false }),
    ).toEqual({ kind: 'report' });
    expect(orphanAction('OCO_FILLED', 'target', { kind: 'reduce', quantity: 4 }, STRICT)).toEqual({
      kind: 'reduce',
      quantity: 4,
    });
  });

  it('builds a MANUAL detection, honouring strict mode', () => {
    const o = stop({ parent_position_id: null });
    expect(manualOrphan(o, STRICT, NOW, 70)).toMatchObject({
      reason: 'MANUAL',
      action: { kind: 'cancel' },
      parent_position_id: 70,
      notify: true,
    });
    expect(manualOrphan(o, { ...STRICT, allow_orphaned_orders: true }, NOW).action).toEqual({ kind: 'report' });
  });
});
