import { describe, expect, it } from 'vitest';
import {
  accountQuantities,
  adoptResidual,
  allocateFill,
  applyAllocations,
  attributeExternal,
  type FillDelta,
  instrumentKey,
  type PositionShare,
  planAdoptions,
  type StrategyExposure,
} from '../../src/domain/position-shares.js';

const DEFAULT = 1;
const A = 2;
const B = 3;
const SBIN = { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS' } as const;

const share = (strategy_id: number, quantity: number, entry_seq: number): PositionShare => ({
  ...SBIN,
  strategy_id,
  quantity,
  entry_seq,
});
const fill = (p: Partial<FillDelta> & Pick<FillDelta, 'side' | 'quantity'>): FillDelta => ({
  ...SBIN,
  strategy_id: DEFAULT,
  placed_by_som: false,
  ...p,
});
const moves = (allocations: { strategy_id: number; quantity: number; reason: string }[]) =>
  allocations.map(({ strategy_id, quantity, reason }) => ({ strategy_id, quantity, reason }));

describe('allocating fills to strategy shares', () => {
  it("som's own order fills its own strategy, even past what it holds", () => {
    // A holds 25 and sells 40 on purpose: A is short 15 afterwards.
    const out = allocateFill(
      fill({ strategy_id: A, placed_by_som: true, side: 'SELL', quantity: 40 }),
      [share(A, 25, 1)],
      DEFAULT,
    );
    expect(moves(out)).toEqual([{ strategy_id: A, quantity: -40, reason: 'own' }]);
  });

  it("an order placed elsewhere that adds to the account's position is its own strategy's", () => {
    expect(moves(allocateFill(fill({ side: 'BUY', quantity: 10 }), [], DEFAULT))).toEqual([
      { strategy_id: DEFAULT, quantity: 10, reason: 'adds' },
    ]);
    expect(moves(allocateFill(fill({ side: 'BUY', quantity: 10 }), [share(A, 25, 1)], DEFAULT))).toEqual([
      { strategy_id: DEFAULT, quantity: 10, reason: 'adds' },
    ]);
  });

  it('a hand exit closes the most recently entered strategy first, never past zero', () => {
    // A entered first (seq 1), B later (seq 2), 25 each; a hand exit of 25 attributed to default.
    const shares = [share(A, 25, 1), share(B, 25, 2)];
    expect(moves(allocateFill(fill({ side: 'SELL', quantity: 25 }), shares, DEFAULT))).toEqual([
      { strategy_id: B, quantity: -25, reason: 'hand-exit' },
    ]);
    // 50: B's 25, then A's 25.
    expect(moves(allocateFill(fill({ side: 'SELL', quantity: 50 }), shares, DEFAULT))).toEqual([
      { strategy_id: B, quantity: -25, reason: 'hand-exit' },
      { strategy_id: A, quantity: -25, reason: 'hand-exit' },
    ]);
    // 60: both closed, and the 10 beyond every holding reverses into the order's own strategy.
    expect(moves(allocateFill(fill({ side: 'SELL', quantity: 60 }), shares, DEFAULT))).toEqual([
      { strategy_id: B, quantity: -25, reason: 'hand-exit' },
      { strategy_id: A, quantity: -25, reason: 'hand-exit' },
      { strategy_id: DEFAULT, quantity: -10, reason: 'reversal' },
    ]);
  });

  it("a stop set on Kite web for a strategy reduces that strategy first, then default's unowned part", () => {
    // The stop was attributed to A (the older entry); default holds 5 nobody explains.
    const shares = [share(A, 25, 1), share(B, 25, 2), share(DEFAULT, 5, 3)];
    expect(moves(allocateFill(fill({ strategy_id: A, side: 'SELL', quantity: 30 }), shares, DEFAULT))).toEqual([
      { strategy_id: A, quantity: -25, reason: 'hand-exit' },
      { strategy_id: DEFAULT, quantity: -5, reason: 'hand-exit' },
    ]);
  });

  it('ties in entry are broken by the higher strategy id, so the result never depends on row order', () => {
    const a = allocateFill(fill({ side: 'SELL', quantity: 10 }), [share(A, 25, 4), share(B, 25, 4)], DEFAULT);
    const b = allocateFill(fill({ side: 'SELL', quantity: 10 }), [share(B, 25, 4), share(A, 25, 4)], DEFAULT);
    expect(moves(a)).toEqual([{ strategy_id: B, quantity: -10, reason: 'hand-exit' }]);
    expect(moves(b)).toEqual(moves(a));
  });

  it('ignores shares in other instruments and products', () => {
    const nrml = { ...share(A, 25, 1), product: 'NRML' };
    expect(moves(allocateFill(fill({ side: 'SELL', quantity: 5 }), [nrml], DEFAULT))).toEqual([
      { strategy_id: DEFAULT, quantity: -5, reason: 'adds' },
    ]);
  });
});

describe("adopting what the broker's position says and no fill explains", () => {
  it("an unexplained holding (bought before som, carried from an earlier day) is default's", () => {
    // Broker: 35. Shares: A 25. default takes 10.
    expect(moves(adoptResidual(SBIN, 35, [share(A, 25, 1)], DEFAULT))).toEqual([
      { strategy_id: DEFAULT, quantity: 10, reason: 'adopted' },
    ]);
  });

  it('a position the broker no longer has (expired, closed unseen) closes the shares like a hand exit', () => {
    expect(moves(adoptResidual(SBIN, 0, [share(A, 25, 1), share(DEFAULT, 5, 2)], DEFAULT))).toEqual([
      { strategy_id: DEFAULT, quantity: -5, reason: 'adopted' },
      { strategy_id: A, quantity: -25, reason: 'adopted' },
    ]);
    // Past zero: the rest is default's, the side the broker reports.
    expect(moves(adoptResidual(SBIN, -5, [share(A, 25, 1)], DEFAULT))).toEqual([
      { strategy_id: A, quantity: -25, reason: 'adopted' },
      { strategy_id: DEFAULT, quantity: -5, reason: 'reversal' },
    ]);
  });

  it('nothing to adopt when the shares add up, opposite shares of two strategies included', () => {
    expect(adoptResidual(SBIN, 0, [share(A, 25, 1), share(B, -25, 2)], DEFAULT)).toEqual([]);
  });
});

describe('applying allocations', () => {
  it('a share that grows takes the next entry sequence; one that shrinks keeps its own', () => {
    let seq = 10;
    const next = () => ++seq;
    const grown = applyAllocations(
      [share(A, 25, 1)],
      [{ ...SBIN, strategy_id: A, quantity: 5, reason: 'own', explanation: '' }],
      next,
    );
    expect(grown).toEqual([share(A, 30, 11)]);
    const shrunk = applyAllocations(
      grown,
      [{ ...SBIN, strategy_id: A, quantity: -10, reason: 'own', explanation: '' }],
      next,
    );
    expect(shrunk).toEqual([share(A, 20, 11)]);
    // Crossing zero is a new entry on the other side.
    const crossed = applyAllocations(
      shrunk,
      [{ ...SBIN, strategy_id: A, quantity: -30, reason: 'own', explanation: '' }],
      next,
    );
    expect(crossed).toEqual([share(A, -10, 12)]);
    // A first allocation creates the share.
    const fresh = applyAllocations(
      [],
      [{ ...SBIN, strategy_id: B, quantity: 7, reason: 'adds', explanation: '' }],
      next,
    );
    expect(fresh).toEqual([share(B, 7, 13)]);
  });
});

describe('attributing an order placed elsewhere', () => {
  const exposure = (
    strategy_id: number,
    quantity: number,
    entry_seq: number,
    working = { BUY: 0, SELL: 0 },
  ): StrategyExposure => ({
    strategy_id,
    quantity,
    entry_seq,
    working,
  });

  it('adds to nothing held against it: default', () => {
    expect(attributeExternal('BUY', 10, [exposure(A, 25, 1)], DEFAULT).strategy_id).toBe(DEFAULT);
    expect(attributeExternal('SELL', 10, [], DEFAULT).strategy_id).toBe(DEFAULT);
  });

  it("a stop for exactly what a strategy holds is that strategy's, the most recent on a tie", () => {
    const held = [exposure(A, 25, 1), exposure(B, 40, 2), exposure(DEFAULT, 100, 3)];
    expect(attributeExternal('SELL', 25, held, DEFAULT).strategy_id).toBe(A);
    expect(attributeExternal('SELL', 25, [exposure(A, 25, 1), exposure(B, 25, 2)], DEFAULT).strategy_id).toBe(B);
  });

  it('otherwise default when its unowned part covers it, else the most recent holding enough, else the largest', () => {
    expect(attributeExternal('SELL', 30, [exposure(A, 25, 1), exposure(DEFAULT, 30, 2)], DEFAULT).strategy_id).toBe(
      DEFAULT,
    );
    expect(attributeExternal('SELL', 30, [exposure(A, 50, 1), exposure(B, 40, 2)], DEFAULT).strategy_id).toBe(B);
    expect(attributeExternal('SELL', 90, [exposure(A, 50, 1), exposure(B, 40, 2)], DEFAULT).strategy_id).toBe(A);
  });

  it("a stop placed while its entry still rests belongs to the entry's strategy", () => {
    // A has no position yet, but a working BUY 25: the SELL stop protects what A is entering.
    const held = [exposure(A, 0, 0, { BUY: 25, SELL: 0 })];
    expect(attributeExternal('SELL', 25, held, DEFAULT)).toMatchObject({ strategy_id: A });
    expect(attributeExternal('BUY', 25, held, DEFAULT).strategy_id).toBe(DEFAULT);
  });
});

describe('the account as the broker reports it, and what is adopted from it', () => {
  it('a CNC position counts the holdings it settles into; a holding sold today nets out', () => {
    const q = accountQuantities(
      [
        { ...SBIN, product: 'CNC', quantity: -10 },
        { exchange: 'NSE', tradingsymbol: 'INFY', product: 'MIS', quantity: 5 },
      ],
      [
        { exchange: 'NSE', tradingsymbol: 'SBIN', quantity: 10, t1_quantity: 0 },
        { exchange: 'NSE', tradingsymbol: 'TCS', quantity: 3, t1_quantity: 2 },
      ],
    );
    // SBIN: 10 held, sold today (-10 in positions): 0. TCS: 3 settled + 2 tomorrow. INFY: as reported.
    expect(Object.fromEntries(q)).toEqual({ 'NSE|SBIN|CNC': 0, 'NSE|INFY|MIS': 5, 'NSE|TCS|CNC': 5 });
  });

  const key = instrumentKey(SBIN);
  const snapshot = (quantity: number) => new Map([[key, quantity]]);

  it('adopts only what two snapshots agree on, asked for well after the last fill', () => {
    const base = { shares: [share(A, 25, 1)], defaultStrategyId: DEFAULT };
    // First snapshot: nothing to compare with.
    expect(planAdoptions({ ...base, now: snapshot(35), previous: null, lastFillAt: () => undefined })).toEqual([]);
    // The broker moved between the two: wait for it to settle.
    expect(
      planAdoptions({
        ...base,
        now: snapshot(35),
        previous: { quantities: snapshot(25), requestedAt: 10_000 },
        lastFillAt: () => undefined,
      }),
    ).toEqual([]);
    // A fill 1 s before the earlier snapshot was asked for: the broker may not show it yet.
    expect(
      planAdoptions({
        ...base,
        now: snapshot(35),
        previous: { quantities: snapshot(35), requestedAt: 10_000 },
        lastFillAt: () => 9_000,
      }),
    ).toEqual([]);
    // Settled: the 10 no fill explains is default's.
    const adopted = planAdoptions({
      ...base,
      now: snapshot(35),
      previous: { quantities: snapshot(35), requestedAt: 10_000 },
      lastFillAt: () => 6_000,
    });
    expect(moves(adopted)).toEqual([{ strategy_id: DEFAULT, quantity: 10, reason: 'adopted' }]);
  });

  it('a position the broker no longer lists closes the shares once settled', () => {
    const adopted = planAdoptions({
      now: new Map(),
      previous: { quantities: new Map(), requestedAt: 10_000 },
      shares: [share(A, 25, 1)],
      lastFillAt: () => undefined,
      defaultStrategyId: DEFAULT,
    });
    expect(moves(adopted)).toEqual([{ strategy_id: A, quantity: -25, reason: 'adopted' }]);
  });
});
