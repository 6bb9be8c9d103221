import { describe, expect, it } from 'vitest';
import type { BrokerOrder } from '../../src/domain/order.js';
import { accountQuantities, type PositionShare } from '../../src/domain/position-shares.js';
import { CLOSED_BY_RECONCILIATION } from '../../src/reconcile/orders.js';
import { CHANGED_WHILE_READ, planRound, type RoundInput, settleRound } from '../../src/reconcile/round.js';
import { reconcileShares, SHARES_WAIT } from '../../src/reconcile/shares.js';
import { order, T } from '../support/broker-order.js';

// The broker's books describe 2026-11-25 (IST).
const DAY = '2026-11-25';
const AT = T('11:15:00');
const TAG = 'so2xk3v9q0z7m1a8b2c'; // som's tag for strategy 2

const nothingChanged = { orders: new Set<string>(), trades: new Set<string>(), positions: new Set<string>() };

function share(strategy_id: number, quantity: number, over: Partial<PositionShare> = {}): PositionShare {
  return {
    strategy_id,
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    product: 'CNC',
    quantity,
    entry_seq: strategy_id,
    ...over,
  };
}

function input(over: Partial<RoundInput>): RoundInput {
  return {
    day: DAY,
    som: { orders: [], trades: [], positions: [] },
    broker: { orders: [], trades: [], positions: [] },
    priceTolerance: 0.01,
    shares: [],
    account: new Map(),
    changedSince: nothingChanged,
    ...over,
  };
}

const open = (o: Partial<BrokerOrder> = {}) => order({ tag: TAG, tags: [TAG], ...o });

describe('the shares against the account', () => {
  it('shares adding up to the account are no discrepancy; CNC holdings count with the position', () => {
    // Net CNC position +5 bought today, plus 20 held (15 settled, 5 at T+1): the account holds 25.
    const account = accountQuantities(
      [{ exchange: 'NSE', tradingsymbol: 'SBIN', product: 'CNC', quantity: 5 }],
      [{ exchange: 'NSE', tradingsymbol: 'SBIN', quantity: 15, t1_quantity: 5 }],
    );
    expect(reconcileShares([share(2, 15), share(3, 10)], account)).toEqual([]);
  });

  it('MISSING, PHANTOM and QTY_MISMATCH, each waiting for the adoption rule', () => {
    const account = new Map([
      ['NSE|SBIN|CNC', 25],
      ['NSE|INFY|MIS', 10],
    ]);
    const found = reconcileShares([share(2, 15), share(3, -4, { tradingsymbol: 'ITC', product: 'MIS' })], account);
    expect(found.map((d) => [d.id, d.som, d.broker, d.unhealed])).toEqual([
      // 10 INFY held, no strategy holds a share of them.
      ['MISSING:shares:NSE:INFY:MIS', { quantity: 0, shares: '' }, { quantity: 10 }, SHARES_WAIT],
      // Strategy 3 is short 4 ITC; the account holds none.
      ['PHANTOM:shares:NSE:ITC:MIS', { quantity: -4, shares: '3:-4' }, { quantity: 0 }, SHARES_WAIT],
      // 25 held, 15 in shares.
      ['QTY_MISMATCH:shares:NSE:SBIN:CNC', { quantity: 15, shares: '2:15' }, { quantity: 25 }, SHARES_WAIT],
    ]);
  });
});

describe('planning a round', () => {
  it('a strategy round leaves the shares (the account’s) out', () => {
    const r = planRound(input({ shares: [share(2, 10)], strategyId: 2 }));
    expect(r.discrepancies).toEqual([]);
    expect(planRound(input({ shares: [share(2, 10)] })).counts.PHANTOM).toBe(1);
  });

  it("a heal of a record som changed while the broker's books were read waits for the next round", () => {
    // som holds an order the broker's book does not: normally closed as REJECTED.
    const phantom = { ...open({ order_id: 'X1' }), strategy_id: 2 };
    const heals = planRound(input({ som: { orders: [phantom], trades: [], positions: [] } })).heals;
    expect(heals.map((h) => h.id)).toEqual(['order:X1']);
    const r = planRound(
      input({
        som: { orders: [phantom], trades: [], positions: [] },
        changedSince: { ...nothingChanged, orders: new Set(['X1']) },
      }),
    );
    expect(r.heals).toEqual([]);
    expect(r.discrepancies).toMatchObject([{ id: 'PHANTOM:order:X1', heal: null, unhealed: CHANGED_WHILE_READ }]);
  });
});

describe('settling a round', () => {
  const phantom = { ...open({ order_id: 'X1' }), strategy_id: 2 };
  const plan = planRound(
    input({
      som: { orders: [phantom], trades: [], positions: [] },
      shares: [share(2, 15)],
      account: new Map([['NSE|SBIN|CNC', 25]]),
    }),
  );

  it('what was carried out is healed and says how; a share difference the rule adopted is healed too', () => {
    const report = settleRound({
      plan,
      outcomes: new Map([['order:X1', { ok: true }]]),
      sharesAfter: [],
      adoptions: [
        {
          exchange: 'NSE',
          tradingsymbol: 'SBIN',
          product: 'CNC',
          strategy_id: 1,
          quantity: 10,
          reason: 'adopted',
          explanation: '',
        },
      ],
      persistence: {},
      at: AT,
      escalateAfterRounds: 3,
    });
    expect(report.healed).toBe(2);
    expect(report.unhealed).toBe(0);
    expect(report.discrepancies.map((d) => [d.id, d.healed, d.how])).toEqual([
      [
        'PHANTOM:order:X1',
        true,
        `closed as REJECTED: status OPEN -> REJECTED, pending_quantity 10 -> 0, status_message - -> ${CLOSED_BY_RECONCILIATION}`,
      ],
      ['QTY_MISMATCH:shares:NSE:SBIN:CNC', true, "adopted into the strategies' shares: +10 to strategy 1"],
    ]);
    // Found once: tracked, not escalated.
    expect(report.persistence).toEqual({
      'PHANTOM:order:X1': { first_seen: AT, last_seen: AT, rounds: 1, escalated_at: null },
      'QTY_MISMATCH:shares:NSE:SBIN:CNC': { first_seen: AT, last_seen: AT, rounds: 1, escalated_at: null },
    });
  });

  it('a heal that found som moved on, and a share still moving, are unhealed with the reason', () => {
    const report = settleRound({
      plan,
      outcomes: new Map([['order:X1', { ok: false, reason: CHANGED_WHILE_READ }]]),
      sharesAfter: reconcileShares([share(2, 15)], new Map([['NSE|SBIN|CNC', 25]])),
      adoptions: [],
      persistence: null,
      at: AT,
      escalateAfterRounds: 3,
    });
    expect(report.discrepancies.map((d) => [d.id, d.healed, d.unhealed])).toEqual([
      ['PHANTOM:order:X1', false, CHANGED_WHILE_READ],
      ['QTY_MISMATCH:shares:NSE:SBIN:CNC', false, SHARES_WAIT],
    ]);
    // A strategy's round (persistence null) escalates nothing and keeps no state.
    expect(report).toMatchObject({ healed: 0, unhealed: 2, escalate: [], persistence: null });
  });

  it('a difference found in the configured number of consecutive rounds is escalated once, then reported open', () => {
    const noShares = planRound(
      input({ som: { orders: [{ ...phantom, filled_quantity: 5 }], trades: [], positions: [] } }),
    );
    // som records fills of an order the broker does not have: never healed by som.
    expect(noShares.heals).toEqual([]);
    let state = {};
    const escalated: string[][] = [];
    const open: string[][] = [];
    for (const at of [T('11:15:00'), T('12:15:00'), T('13:15:00')]) {
      const r = settleRound({
        plan: noShares,
        outcomes: new Map(),
        sharesAfter: [],
        adoptions: [],
        persistence: state,
        at,
        escalateAfterRounds: 2,
      });
      escalated.push(r.escalate);
      open.push(r.open);
      state = r.persistence!;
    }
    expect(escalated).toEqual([[], ['PHANTOM:order:X1'], []]);
    expect(open).toEqual([[], [], ['PHANTOM:order:X1']]);
    // The next round no longer finds it: resolved, with its alert standing to be resolved.
    const gone = settleRound({
      plan: planRound(input({})),
      outcomes: new Map(),
      sharesAfter: [],
      adoptions: [],
      persistence: state,
      at: T('14:15:00'),
      escalateAfterRounds: 2,
    });
    expect(gone.resolved).toEqual([{ id: 'PHANTOM:order:X1', escalated: true }]);
    expect(gone.persistence).toEqual({});
  });
});
