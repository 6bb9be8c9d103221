import { describe, expect, it } from 'vitest';
import { autosliceResponse, autosliceTags, sliceOrder } from '../../../src/paper/server/routes/misc.js';
import { shapeDifferences } from '../conformance/same-shape.js';
import { kiteFixture } from '../gtt/route-server.js';

// NIFTY: lot 65, freeze 1800, so the largest order is 27 lots = 1755.
const FREEZE = 1800;
const LOT = 65;

describe('slicing an order above the freeze quantity', () => {
  it('fills whole slices of the largest allowed order, then the rest', () => {
    expect(sliceOrder(3510, FREEZE, LOT)).toEqual({ ok: true, slices: [1755, 1755] });
    // 3575 = 55 lots: 27 + 27 + 1.
    expect(sliceOrder(3575, FREEZE, LOT)).toEqual({ ok: true, slices: [1755, 1755, 65] });
  });

  it("needs at least two whole slices: Kite's own message for NIFTY", () => {
    const r = sliceOrder(3445, FREEZE, LOT); // 53 lots
    expect(!r.ok && r.error.message).toBe('Quantity should be greater than or equal to 3510 for order slicing.');
    expect(!sliceOrder(650, FREEZE, LOT).ok).toBe(true);
  });

  it('makes at most ten slices', () => {
    // 10 x 1755 = 17550 is ten slices; one lot more would need an eleventh.
    const ten = sliceOrder(17_550, FREEZE, LOT);
    expect(ten.ok && ten.slices).toEqual(Array(10).fill(1755));
    const eleven = sliceOrder(17_615, FREEZE, LOT);
    expect(!eleven.ok && eleven.error.code).toBe('ABOVE_SLICING_MAXIMUM');
  });

  it('wants whole lots', () => {
    const r = sliceOrder(3600, FREEZE, LOT);
    expect(!r.ok && r.error.message).toBe('Quantity must be in multiples of lot size 65.');
  });

  it('on a share (lot 1) slices by the freeze quantity itself', () => {
    expect(sliceOrder(250_001, 100_000, 1)).toEqual({ ok: true, slices: [100_000, 100_000, 50_001] });
  });
});

describe('the autoslice answer', () => {
  it("has autoslice_response.json's shape: a parent id and one child per slice", () => {
    const r = autosliceResponse('1914227164488687616', [
      { order_id: '1914227164534824960' },
      { order_id: '1914227164580962304' },
      {
        error: {
          error_type: 'MarginException',
          http_status: 400,
          message: 'Insufficient funds. Required margin is 228365.92 but available margin is 228358.50.',
        },
      },
      { order_id: '1914227164681625600' },
    ]);
    if (!r.ok) throw new Error('refused');
    expect({ status: 'success', data: r.data }).toEqual(kiteFixture('autoslice_response.json'));
    expect(shapeDifferences({ status: 'success', data: r.data }, kiteFixture('autoslice_response.json'))).toEqual([]);
  });

  it("is the first slice's error when no slice was placed", () => {
    const r = autosliceResponse('1', [
      { error: { error_type: 'InputException', message: 'Markets are closed right now.' } },
      { error: { error_type: 'InputException', message: 'x' } },
    ]);
    expect(r).toEqual({
      ok: false,
      error: { error_type: 'InputException', message: 'Markets are closed right now.', http_status: 400 },
    });
  });

  it('tags each slice with its parent', () => {
    expect(autosliceTags('191')).toEqual(['autoslice', 'autoslice:191']);
  });
});
