import { describe, expect, it } from 'vitest';
import type { ResultOf } from '../../src/protocol/methods.js';
import { som } from './fake-som.js';

const SCOPE = (strategy: string | null, state: 'ACTIVE' | 'HALTED' = 'ACTIVE') => ({
  strategy,
  state,
  reason: state === 'HALTED' ? 'max_loss_per_strategy_abs' : null,
  since: '2026-11-25T05:00:00.000Z',
  note: null,
  acknowledged: [],
  risk_status: state === 'HALTED' ? 'HALTED' : 'OK',
  pnl: { realised: -200, unrealised: -50.5, charges: 30, net: -280.5 },
  limits: [{ key: 'max_loss_per_strategy_abs', limit: 5000, value: 280.5, headroom_pct: 94.39, level: 'ok' as const }],
});

const STATUS: ResultOf<'risk.status'> = {
  account: SCOPE(null),
  strategies: [SCOPE('nifty', 'HALTED')],
  breaches: [
    {
      id: 1,
      at: '2026-11-25T05:00:00.000Z',
      strategy: 'nifty',
      key: 'max_loss_per_strategy_abs',
      level: 'breach',
      limit: 5000,
      value: 5200,
      subject: null,
      action: 'HALTED; square-off started',
      square_off_run_id: 1,
    },
  ],
  square_offs: [],
  armed_exits: [
    {
      strategy: 'nifty',
      exchange: 'NFO',
      tradingsymbol: 'NIFTY26NOVFUT',
      product: 'NRML',
      tag: 'so1xk3j9d0a8x1z2q7w5',
      armed_at: '2026-11-25T04:40:00.000Z',
    },
  ],
  mis: [
    {
      segment: 'equity',
      date: '2026-11-25',
      phase: 'before',
      warn: '2026-11-25T09:35:00.000Z',
      start: '2026-11-25T09:40:00.000Z',
      force: '2026-11-25T09:45:00.000Z',
      broker: '2026-11-25T09:50:00.000Z',
    },
  ],
};

const HALTED: ResultOf<'risk.halt'> = {
  scope: 'account',
  state: 'HALTED',
  reason: 'manual',
  since: '2026-11-25T05:00:00.000Z',
  note: null,
  cancelled: ['261125000000004'],
  square_off_runs: [],
};

describe('som risk, halt, resume', () => {
  it('som risk --json is the document somd gives: states, limits with headroom, breaches', async () => {
    const r = await som(['--json', 'risk'], { 'risk.status': () => STATUS });
    expect(r.calls).toEqual([{ method: 'risk.status', params: {} }]);
    expect(JSON.parse(r.stdout)).toEqual(STATUS);
    const human = await som(['risk'], { 'risk.status': () => STATUS });
    expect(human.stdout).toMatch(/HALTED \(max_loss_per_strategy_abs\)/);
    expect(human.stdout).toMatch(/94\.4%/);
    expect(human.stdout).toMatch(/15:10/);
    expect(human.stdout).toMatch(/NFO:NIFTY26NOVFUT +nifty +NRML +so1xk3j9d0a8x1z2q7w5/);
  });

  it('som halt with nothing else halts the account; --strategy, --flatten and --reason go as given', async () => {
    const all = await som(['halt'], { 'risk.halt': () => HALTED });
    expect(all.calls[0]!.params).toEqual({ flatten: false });
    expect(all.stdout).toMatch(/account HALTED \(manual\)\ncancelled entries: 261125000000004/);
    const one = await som(['halt', '--strategy', 'nifty', '--flatten', '--reason', 'news'], {
      'risk.halt': () => ({ ...HALTED, scope: 'nifty', square_off_runs: [7] }),
    });
    expect(one.calls[0]!.params).toEqual({ flatten: true, strategy: 'nifty', reason: 'news' });
    expect(one.stdout).toMatch(/squaring off: run 7/);
  });

  it('--strategy and --all together are a usage error (exit 2), somd not asked', async () => {
    const r = await som(['halt', '--strategy', 'nifty', '--all']);
    expect(r.code).toBe(2);
    expect(r.calls).toEqual([]);
  });

  it('som resume: a halt it could not lift is named and ends with exit 4; --force is passed on', async () => {
    const partial: ResultOf<'risk.resume'> = {
      resumed: [{ scope: 'account', state: 'ACTIVE', reason: null, since: '2026-11-25T05:00:00.000Z', note: null }],
      refused: [
        { scope: 'nifty', reason: 'halted by the loss limit max_loss_per_strategy_abs until the next trading day' },
      ],
    };
    const r = await som(['--json', 'resume'], { 'risk.resume': () => partial });
    expect(r.calls[0]!.params).toEqual({ force: false });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toEqual(partial);
    expect(r.stderr).toMatch(/nifty is still halted/);
    const forced = await som(['resume', '--strategy', 'nifty', '--force'], {
      'risk.resume': () => ({ resumed: [{ ...partial.resumed[0]!, scope: 'nifty' }], refused: [] }),
    });
    expect(forced.calls[0]!.params).toEqual({ force: true, strategy: 'nifty' });
    expect(forced.code).toBe(0);
  });
});

const PNL: ResultOf<'pnl.show'> = {
  date: '2026-11-25',
  strategy: 'nifty',
  points: [0, 3000, 1000, 4000, -500].map((net, i) => ({
    at: new Date(Date.parse('2026-11-25T04:00:00.000Z') + i * 300_000).toISOString(),
    trigger: 'interval' as const,
    realised: 0,
    unrealised: net,
    charges: 0,
    net,
    margin_used: null,
    delta: 0,
    gamma: 0,
    theta: 0,
    vega: 0,
  })),
  max: { net: 4000, at: '2026-11-25T04:15:00.000Z' },
  min: { net: -500, at: '2026-11-25T04:20:00.000Z' },
  drawdown: {
    amount: 4500,
    from: { net: 4000, at: '2026-11-25T04:15:00.000Z' },
    to: { net: -500, at: '2026-11-25T04:20:00.000Z' },
  },
};

describe('som pnl and som greeks', () => {
  it('som pnl reads the strategy and the date as the other commands do', async () => {
    const r = await som(['--json', 'pnl', '--strategy', '4', '--date', '2026-11-25'], { 'pnl.show': () => PNL });
    expect(r.calls[0]!.params).toEqual({ strategy: 4, date: '2026-11-25' });
    expect(JSON.parse(r.stdout)).toEqual(PNL);
    const bad = await som(['pnl', '--date', '2026-02-31']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/February 2026 has 28 days/);
  });

  it('--chart draws the day with its high, low and drawdown and their IST times', async () => {
    const r = await som(['pnl', '--chart'], { 'pnl.show': () => PNL });
    // 04:15 UTC is 09:45 IST.
    expect(r.stdout).toMatch(/high {6}\+4,000\.00 at 09:45 IST/);
    expect(r.stdout).toMatch(/low {7}-500\.00 at 09:50 IST/);
    expect(r.stdout).toMatch(/drawdown {2}4,500\.00, from 09:45 to 09:50 IST/);
    const rows = r.stdout.split('\n').filter((l) => l.includes('┤'));
    expect(rows.length).toBe(12);
    expect(rows[0]).toMatch(/^4,000\.00 ┤/);
    expect(rows.at(-1)).toMatch(/^ *-500\.00 ┤/);
    expect(r.stdout).toMatch(/ 09:30 {20,}09:50\n/);
  });

  it('som greeks --json: per option position with its inputs, and the net', async () => {
    const doc: ResultOf<'pnl.greeks'> = {
      at: '2026-11-25T05:30:00.000Z',
      strategy: null,
      positions: [
        {
          symbol: 'NFO:NIFTY26DEC24500CE',
          quantity: -65,
          option_type: 'CE',
          strike: 24500,
          price: 120,
          underlying_price: 24600,
          iv: 0.15,
          t_years: 0.0931,
          rate: 0.0525,
          delta: 0.55,
          gamma: 0.0003,
          theta: -9.8,
          vega: 12.1,
        },
      ],
      net: { delta: -35.75, gamma: -0.0195, theta: 637, vega: -786.5 },
      skipped: [],
    };
    const r = await som(['--json', 'greeks'], { 'pnl.greeks': () => doc });
    expect(r.calls[0]).toEqual({ method: 'pnl.greeks', params: {} });
    expect(JSON.parse(r.stdout)).toEqual(doc);
    const human = await som(['greeks'], { 'pnl.greeks': () => doc });
    expect(human.stdout).toMatch(/net \(x quantity x multiplier\): delta -35\.75/);
  });
});
