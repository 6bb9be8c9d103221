import { describe, expect, it } from 'vitest';
import { dayPosition } from '../../src/eod/day-pnl.js';
import { renderEodHtml } from '../../src/eod/html.js';
import { buildEodReport, type EodInputs, NO_CHARGES } from '../../src/eod/report.js';

// 2026-11-25 (IST); T('10:00:00') is 10:00 IST that day, as a UTC instant.
const T = (hhmmss: string) => new Date(`2026-11-25T${hhmmss}+05:30`).toISOString();

const sbin = { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS' };
const nifty = { exchange: 'NFO', tradingsymbol: 'NIFTY26DECFUT', product: 'NRML' };
const gold = { exchange: 'MCX', tradingsymbol: 'GOLDM26DECFUT', product: 'NRML' };

function inputs(over: Partial<EodInputs> = {}): EodInputs {
  return {
    tradingDay: '2026-11-25',
    generatedAt: T('15:35:00'),
    preliminary: false,
    strategies: [
      { id: 1, name: 'default' },
      { id: 2, name: 'scalp' },
      { id: 3, name: 'carry' },
    ],
    moves: [],
    shares: [],
    marks: [],
    charges: [],
    orders: [],
    brokerOrderIds: null,
    archived: 0,
    orphans: [],
    alerts: [],
    reconcileRuns: [],
    protection: [],
    snapshots: [],
    marginChecks: [],
    ...over,
  };
}

describe('a day position, as Kite reckons one', () => {
  it('a round trip: realised only', () => {
    // Bought 10 at 800, sold 10 at 805: realised 10 x 5 = 50; flat, nothing unrealised.
    const d = dayPosition(
      { quantity: 0, price: 0 },
      [
        { quantity: 10, price: 800 },
        { quantity: -10, price: 805 },
      ],
      807,
      1,
    );
    expect(d).toMatchObject({ buy_value: 8000, sell_value: 8050, closing_quantity: 0, realised: 50, unrealised: 0 });
  });

  it('carried in at the previous close, part sold, the rest marked at the last price; the multiplier counts', () => {
    // 3 lots of 10 carried in (close 70000), 1 sold at 70150, last 70100, multiplier 10:
    // realised 1 x (70150 - 70000) x 10 = 1500; unrealised 2 x (70100 - 70000) x 10 = 2000.
    const d = dayPosition({ quantity: 3, price: 70000 }, [{ quantity: -1, price: 70150 }], 70100, 10);
    expect(d.closing_quantity).toBe(2);
    expect(d.realised).toBeCloseTo(1500, 9);
    expect(d.unrealised).toBeCloseTo(2000, 9);
  });
});

describe('the end-of-day report', () => {
  const day = inputs({
    moves: [
      // scalp: bought 10 SBIN at 800.05, sold 10 at 801.10.
      { at: T('09:30:00'), strategy_id: 2, order_id: '1', ...sbin, quantity: 10, price: 800.05 },
      { at: T('10:00:00'), strategy_id: 2, order_id: '2', ...sbin, quantity: -10, price: 801.1 },
      // carry: carried 75 NIFTY in (close 24000), bought 75 more at 24010.
      { at: T('11:00:00'), strategy_id: 3, order_id: '3', ...nifty, quantity: 75, price: 24010 },
    ],
    shares: [{ strategy_id: 3, ...nifty, quantity: 150 }],
    marks: [
      { ...sbin, multiplier: 1, last_price: 802, close_price: 795 },
      { ...nifty, multiplier: 1, last_price: 24020, close_price: 24000 },
    ],
    charges: [
      { ...NO_CHARGES, strategy_id: 2, order_id: '1', at: T('09:30:00'), brokerage: 2.4, gst: 0.43, total: 2.83 },
      {
        ...NO_CHARGES,
        strategy_id: 2,
        order_id: '2',
        at: T('10:00:00'),
        brokerage: 2.4,
        transaction_tax: 2,
        total: 4.4,
      },
      { ...NO_CHARGES, strategy_id: 3, order_id: '3', at: T('11:00:00'), brokerage: 20, stamp_duty: 36, total: 56 },
    ],
    orders: [
      { order_id: '1', strategy_id: 2, source: 'som', has_cost_breakdown: true },
      { order_id: '2', strategy_id: 2, source: 'som', has_cost_breakdown: true },
      { order_id: '3', strategy_id: 3, source: 'som', has_cost_breakdown: false },
      { order_id: '4', strategy_id: 1, source: 'external', has_cost_breakdown: false },
    ],
    brokerOrderIds: new Set(['1', '2', '3']),
    protection: [
      {
        ...nifty,
        strategy_id: 3,
        kind: 'order',
        order_id: '9',
        role: 'stop',
        order_type: 'SL-M',
        side: 'SELL',
        quantity: 150,
        price: null,
        trigger_price: 23800,
      },
    ],
    reconcileRuns: [
      { counts: { MISSING: 2 }, found: 2, healed: 2, unhealed: 0, unhealed_ids: [] },
      { counts: { PHANTOM: 1 }, found: 1, healed: 0, unhealed: 1, unhealed_ids: ['PHANTOM:order:7'] },
    ],
  });
  const report = buildEodReport(day);

  it('per strategy: P&L from its fills, charges from its orders; the totals add up', () => {
    const [, scalp, carry] = report.strategies;
    // scalp: 10 x (801.10 - 800.05) = 10.50 realised; charges 2.83 + 4.40 = 7.23; net 3.27.
    expect(scalp).toMatchObject({ strategy: 'scalp', unrealised: 0 });
    expect(scalp!.realised).toBeCloseTo(10.5, 9);
    expect(scalp!.charges).toMatchObject({ brokerage: 4.8, transaction_tax: 2, gst: 0.43 });
    expect(scalp!.charges.total).toBeCloseTo(7.23, 9);
    expect(scalp!.net).toBeCloseTo(3.27, 9);
    // carry: 75 carried at 24000 + 75 at 24010, marked at 24020: unrealised 75 x 20 + 75 x 10 = 2250.
    expect(carry).toMatchObject({ strategy: 'carry', realised: 0, unrealised: 2250, net: 2250 - 56 });
    expect(carry!.instruments).toMatchObject([{ opening_quantity: 75, basis_price: 24000, closing_quantity: 150 }]);
    // default placed order 4 but no fill of it: listed, nothing booked.
    expect(report.strategies.map((s) => s.strategy)).toEqual(['default', 'scalp', 'carry']);
    expect(report.totals.net).toBeCloseTo(3.27 + 2194, 9);
    expect(report.totals.charges.total).toBeCloseTo(63.23, 9);
    expect(report.totals.trades).toBe(3);
  });

  it('the carried position with its protection, the metrics, the orders against the broker’s book', () => {
    expect(report.carried).toEqual([
      {
        strategy_id: 3,
        strategy: 'carry',
        ...nifty,
        quantity: 150,
        protection: [
          {
            kind: 'order',
            order_id: '9',
            role: 'stop',
            order_type: 'SL-M',
            side: 'SELL',
            quantity: 150,
            price: null,
            trigger_price: 23800,
          },
        ],
      },
    ]);
    // som placed 3 orders, 2 costed before they went out: 66.67% of the 100% target.
    expect(report.metrics.cost_breakdown_coverage.value).toBeCloseTo(200 / 3, 9);
    expect(report.metrics.cost_breakdown_coverage.met).toBe(false);
    expect(report.metrics.margin_accuracy).toMatchObject({ value: null, met: null, target: 99.5 });
    // The last round left one difference: the target (none) is missed.
    expect(report.metrics.discrepancies_at_eod).toMatchObject({ value: 1, target: 0, met: false });
    expect(report.reconciliation).toEqual({
      rounds: 2,
      found: 3,
      healed: 2,
      unhealed: 1,
      counts: { MISSING: 2, PHANTOM: 1 },
      unhealed_at_close: ['PHANTOM:order:7'],
    });
    expect(report.orders).toEqual({ total: 4, matched: 3, unmatched: ['4'], archived: 0 });
  });

  it('the M2M reckoned at each fill starts at nothing at the open and ends at the net', () => {
    expect(report.m2m.source).toBe('fills');
    const scalp = report.m2m.series.find((s) => s.strategy === 'scalp')!;
    expect(scalp.points.map((p) => p.at)).toEqual([T('09:15:00'), T('09:30:00'), T('10:00:00'), T('15:35:00')]);
    // 09:30: bought 10 at 800.05, marked at that fill: 0, less order 1's charges 2.83.
    expect(scalp.points[1]!.pnl).toBeCloseTo(-2.83, 9);
    // 10:00: 10.50 realised less 7.23 of charges.
    expect(scalp.points[2]!.pnl).toBeCloseTo(3.27, 9);
    expect(scalp.points.at(-1)!.pnl).toBeCloseTo(3.27, 9);
  });

  it('with the multiplier of a commodity future', () => {
    const r = buildEodReport(
      inputs({
        moves: [
          { at: T('10:00:00'), strategy_id: 2, order_id: '1', ...gold, quantity: 1, price: 76000 },
          { at: T('11:00:00'), strategy_id: 2, order_id: '2', ...gold, quantity: -1, price: 76050 },
        ],
        marks: [{ ...gold, multiplier: 10, last_price: 76100, close_price: 75900 }],
      }),
    );
    // 1 lot x (76050 - 76000) x 10 = 500.
    expect(r.totals.realised).toBe(500);
  });

  it('the HTML holds the chart (a line per strategy) and the tables, and escapes what it shows', () => {
    const html = renderEodHtml({
      ...report,
      strategies: report.strategies.map((s) => ({ ...s, strategy: `${s.strategy}<b>` })),
    });
    expect(html.match(/<polyline /g)).toHaveLength(3);
    expect(html).toContain('<svg id="m2m"');
    for (const caption of ['P&amp;L by strategy', 'Charges by kind', 'Trades', 'Open positions carried overnight']) {
      expect(html).toContain(`<h2>${caption}</h2>`);
    }
    expect(html).toContain('scalp&lt;b&gt;');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});
