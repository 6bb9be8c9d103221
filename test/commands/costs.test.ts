import { describe, expect, it } from 'vitest';
import { som } from './fake-som.js';
import { costsResult } from './fixtures.js';

const answers = { 'costs.calculate': () => costsResult(1) };

describe('som costs', () => {
  it('a basket on standard input goes to somd as written: a bare symbol, no product', async () => {
    const body = '{"instruments":[{"symbol":"NIFTY25DEC24500CE","quantity":100,"price":150.50,"side":"BUY"}]}';
    const r = await som(['--json', 'costs', '-'], answers, { stdin: body });
    expect(r.calls).toEqual([
      {
        method: 'costs.calculate',
        params: {
          instruments: [{ symbol: 'NIFTY25DEC24500CE', quantity: 100, price: 150.5, side: 'BUY' }],
          margin: true,
        },
      },
    ]);
    expect(r.stdout).toBe(`${JSON.stringify(costsResult(1), null, 2)}\n`);
    expect(r.code).toBe(0);
  });

  it('a basket from a file, with --date, --strategy and --no-margin', async () => {
    const legs = [
      { symbol: 'NFO:NIFTY26DEC26000CE', quantity: 65, price: 150, side: 'SELL', product: 'NRML' },
      { symbol: 'NFO:NIFTY26DEC26500CE', quantity: 65, price: 10, side: 'BUY', product: 'NRML', exit_price: 5 },
    ];
    const r = await som(
      ['costs', '--file', 'condor.json', '--date', '2026-11-24', '--strategy', 'hedged', '--no-margin'],
      answers,
      { files: { 'condor.json': JSON.stringify({ instruments: legs }) } },
    );
    expect(r.calls[0]!.params).toEqual({ instruments: legs, margin: false, date: '2026-11-24', strategy: 'hedged' });
    expect(r.stdout).toMatch(/^┌─ Pre-trade costs, trade date 2026-11-25/);
  });

  it('one leg from flags; --product may be left to somd', async () => {
    const r = await som(['costs', 'NSE:SBIN', '--qty', '10', '--price', '560', '--side', 'buy'], answers);
    expect(r.calls[0]!.params).toEqual({
      instruments: [{ symbol: 'NSE:SBIN', quantity: 10, side: 'BUY', price: 560 }],
      margin: true,
    });
  });

  describe('bad input: exit 2 before somd is asked', () => {
    const cases: [string[], RegExp][] = [
      [['costs', 'NSE:SBIN', '--qty', '-5', '--side', 'BUY'], /--qty must be a whole number greater than 0, not "-5"/],
      [['costs', 'NSE:SBIN', '--qty', '5', '--side', 'BUY', '--date', '2026-02-31'], /February 2026 has 28 days/],
      [['costs', 'NSE:SBIN', '--qty', '5'], /NSE:SBIN: give --side/],
      [['costs', 'NSE:', '--qty', '5', '--side', 'BUY'], /instrument must be EXCHANGE:TRADINGSYMBOL/],
      [['costs', '--file', 'a.json', '--qty', '5'], /--qty describe a single leg/],
      [['costs', 'NSE:SBIN', '--file', 'a.json'], /not both/],
      [['costs'], /say what to cost/],
      [['costs', '--file', 'missing.json'], /cannot read missing\.json: ENOENT/],
      [['costs', '-'], /standard input is not JSON/],
    ];
    for (const [args, stderr] of cases) {
      it(args.join(' '), async () => {
        const r = await som(args, answers, { files: { 'a.json': '{"instruments": []}' } });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(stderr);
        expect(r.connected).toBe(false);
      });
    }
  });
});

describe('som margin', () => {
  it('proposed legs from a file, without their exit prices', async () => {
    const r = await som(
      ['margin', '--file', 'p.json', '--strategy', '2'],
      {
        'margin.calculate': () => ({
          strategy: 'hedged',
          legs: [],
          open: null,
          with_proposed: null,
          margin: null,
          warnings: [],
        }),
      },
      {
        files: {
          'p.json': '{"instruments":[{"symbol":"NFO:NIFTY26DECFUT","quantity":65,"side":"SELL","exit_price":1}]}',
        },
      },
    );
    expect(r.calls[0]).toEqual({
      method: 'margin.calculate',
      params: { instruments: [{ symbol: 'NFO:NIFTY26DECFUT', quantity: 65, side: 'SELL' }], strategy: 2 },
    });
    expect(r.stdout).toBe('strategy hedged: no open legs and none proposed\n');
  });
});
