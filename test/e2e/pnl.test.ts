import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSomd, som, somJson, startSomd, type TempHome, tempHome } from './harness.js';
import { until } from './kite-paper.js';

/**
 * P&L snapshots and Greeks end to end: a real `somd --paper` (its own paper exchange) on
 * Wednesday 25 Nov 2026, 10:00 IST; a strategy holding a NIFTY call and put of the next weekly
 * expiry and a stock; then `som greeks` and `som pnl` as the trader runs them.
 */
describe('P&L snapshots with Greeks', () => {
  let t: TempHome;
  let somd: RunningSomd;

  beforeAll(async () => {
    t = tempHome();
    const config = join(t.dir, 'config.toml');
    writeFileSync(
      config,
      '[paper]\nclock = "2026-11-25T10:00:00+05:30"\n[housekeeping]\nsweep_schedule = "0 0 1 1 *"\n[pnl]\nrate = 0.065\n',
    );
    somd = await startSomd(t, ['--config', config, '--paper']);
    await until('connected', async () => {
      const doc = (await somJson(t, ['status'])).doc;
      return doc.broker.state === 'connected' && doc.instruments.count > 0;
    });
  }, 30_000);

  afterAll(async () => {
    await somd?.stop();
    t?.cleanup();
  });

  async function place(symbol: string, side: 'BUY' | 'SELL', qty: number, product: string): Promise<void> {
    const r = await somJson(t, [
      'order',
      'place',
      symbol,
      '--side',
      side,
      '--qty',
      String(qty),
      '--type',
      'MARKET',
      '--product',
      product,
      '--strategy',
      'straddle',
    ]);
    expect(r.code, r.stderr).toBe(0);
  }

  it('som greeks gives each option position with the inputs it used and the net; som pnl the day from the snapshots taken on fills', async () => {
    const found = (await somJson(t, ['instruments', 'search', 'NIFTY', '--exchange', 'NFO', '--limit', '200'])).doc
      .instruments as any[];
    const weekly = found.filter((i) => i.expiry === '2026-12-01' && i.name === 'NIFTY');
    const calls = weekly.filter((i) => i.instrument_type === 'CE').sort((a, b) => a.strike - b.strike);
    expect(calls.length).toBeGreaterThan(0);
    const call = calls[Math.floor(calls.length / 2)];
    const put = weekly.find((i) => i.instrument_type === 'PE' && i.strike === call.strike);
    expect(put).toBeDefined();

    expect((await som(t, ['strategies', 'create', 'straddle'])).code).toBe(0);
    await place(`NFO:${call.tradingsymbol}`, 'BUY', call.lot_size, 'NRML');
    await place(`NFO:${put.tradingsymbol}`, 'SELL', put.lot_size, 'NRML');
    await place('NSE:SBIN', 'BUY', 10, 'MIS');
    await until('three positions held', async () => {
      const positions = (await somJson(t, ['positions'])).doc.positions as any[];
      return [call.tradingsymbol, put.tradingsymbol, 'SBIN'].every((s) =>
        positions.some((p) => p.tradingsymbol === s && p.quantity !== 0),
      );
    });

    const greeks = await until('Greeks for both options', async () => {
      const r = await somJson(t, ['greeks', '--strategy', 'straddle']);
      return r.code === 0 && r.doc.positions.length === 2 ? r.doc : null;
    });
    expect(greeks.strategy).toBe('straddle');
    const ce = greeks.positions.find((p: any) => p.option_type === 'CE');
    const pe = greeks.positions.find((p: any) => p.option_type === 'PE');
    expect(ce).toMatchObject({ quantity: call.lot_size, strike: call.strike, rate: 0.065 });
    expect(pe).toMatchObject({ quantity: -put.lot_size, strike: put.strike, rate: 0.065 });
    for (const p of [ce, pe]) {
      expect(p.symbol).toMatch(/NIFTY/);
      expect(p.price).toBeGreaterThan(0);
      expect(p.underlying_price).toBeGreaterThan(0);
      expect(p.iv).toBeGreaterThan(0.01);
      expect(p.iv).toBeLessThan(2);
      // Wednesday 10:00 to Tuesday's 15:30 close, IST: 6 days 5.5 hours.
      expect(p.t_years * 365).toBeCloseTo(6 + 5.5 / 24, 2);
      expect(p.gamma).toBeGreaterThan(0);
      expect(p.vega).toBeGreaterThan(0);
      expect(p.theta).toBeLessThan(0);
    }
    // Same strike and expiry, one future: put-call parity of Black-76 deltas, N(d1) - (N(d1) - 1) = 1, discounted.
    expect(ce.delta).toBeGreaterThan(0);
    expect(pe.delta).toBeLessThan(0);
    expect(ce.delta - pe.delta).toBeCloseTo(Math.exp(-0.065 * ce.t_years), 2);
    // The net: each position's Greek times its signed quantity (NFO's multiplier is 1).
    const net = (k: 'delta' | 'gamma' | 'theta' | 'vega') => ce[k] * ce.quantity + pe[k] * pe.quantity;
    for (const k of ['delta', 'gamma', 'theta', 'vega'] as const) {
      expect(greeks.net[k]).toBeCloseTo(net(k), 4);
    }

    // The fills were snapshotted: the day's M2M has points, each net of its charges.
    const pnl = await until('a snapshot taken on a fill', async () => {
      const r = await somJson(t, ['pnl', '--strategy', 'straddle']);
      return r.code === 0 && r.doc.points.some((p: any) => p.trigger === 'fill') ? r.doc : null;
    });
    expect(pnl).toMatchObject({ date: '2026-11-25', strategy: 'straddle' });
    for (const p of pnl.points) {
      expect(p.net).toBeCloseTo(p.realised + p.unrealised - p.charges, 2);
      expect(p.charges).toBeGreaterThan(0);
    }
    expect(pnl.max).not.toBeNull();
    expect(pnl.min).not.toBeNull();
    const account = (await somJson(t, ['pnl'])).doc;
    expect(account.strategy).toBeNull();
    expect(account.points.length).toBeGreaterThan(0);

    const chart = await som(t, ['pnl', '--strategy', 'straddle', '--chart'], { NO_COLOR: '1' });
    expect(chart.code, chart.stderr).toBe(0);
    expect(chart.stdout).toMatch(/high .* at \d\d:\d\d IST/);
    expect(chart.stdout).toMatch(/low .* at \d\d:\d\d IST/);
    expect(chart.stdout).toMatch(/drawdown/);
  }, 60_000);
});
