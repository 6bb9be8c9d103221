import { describe, expect, it } from 'vitest';
import { SomError } from '../../src/protocol/errors.js';
import { HELD, HELD_ANALYSIS, HELD_TRADE, SENT_TRADE } from './execution-fixtures.js';
import { som } from './fake-som.js';
import { ORDER } from './fixtures.js';

const ITC = ['trade', 'NSE:ITC', '--side', 'BUY', '--qty', '500', '--product', 'MIS'];

describe('som trade', () => {
  it('sends one leg as typed, letting som decide (auto); sent is exit 0 with the order', async () => {
    const r = await som(ITC, { 'orders.trade': () => SENT_TRADE });
    expect(r.calls).toEqual([
      {
        method: 'orders.trade',
        params: { legs: [{ symbol: 'NSE:ITC', side: 'BUY', quantity: 500, product: 'MIS', type: 'auto' }] },
      },
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sent BUY 500 NSE:ITC: order ${ORDER.order_id} LIMIT 960.00, OPEN`);
  });

  it('a price without a type is a LIMIT at it; a bracket and a strategy go along', async () => {
    const r = await som([...ITC, '--price', '405', '--stop', '395', '--target', '420', '--strategy', 'swing'], {
      'orders.trade': () => SENT_TRADE,
    });
    expect(r.calls[0]!.params).toEqual({
      legs: [{ symbol: 'NSE:ITC', side: 'BUY', quantity: 500, product: 'MIS', type: 'LIMIT', price: 405 }],
      stop: 395,
      target: 420,
      strategy: 'swing',
    });
  });

  it('without --strategy, the strategy preference (som config set strategy); --strategy still wins', async () => {
    const preferences = { strategy: 'nifty-weekly' };
    const preferred = await som(ITC, { 'orders.trade': () => SENT_TRADE }, { preferences });
    expect(preferred.calls[0]!.params).toMatchObject({ strategy: 'nifty-weekly' });
    const named = await som([...ITC, '--strategy', '3'], { 'orders.trade': () => SENT_TRADE }, { preferences });
    expect(named.calls[0]!.params).toMatchObject({ strategy: 3 });
  });

  it('at a terminal with the preference trade.confirm = never: no confirmation box, sent at once', async () => {
    const r = await som(
      ITC,
      { 'orders.trade': () => SENT_TRADE },
      {
        interactive: true,
        preferences: { 'trade.confirm': 'never' },
      },
    );
    expect(r.code).toBe(0);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]!.params).not.toHaveProperty('preview');
    expect(r.stdout).toContain(`sent BUY 500 NSE:ITC: order ${ORDER.order_id}`);
  });

  it('held: exit 4, and --json prints one document with held {alert_id, decision, analysis, expires_at}', async () => {
    const r = await som(['--json', ...ITC], { 'orders.trade': () => HELD_TRADE });
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.held).toMatchObject({
      alert_id: 7,
      decision: 'REQUIRE_APPROVAL',
      analysis: { analysis_id: 3, symbol: 'NSE:ITC' },
      expires_at: '2026-11-25T04:32:00.000Z',
    });
  });

  it('held without a terminal: the alert box with the choices and how to answer, never a prompt', async () => {
    const r = await som(ITC, { 'orders.trade': () => HELD_TRADE });
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('⚠ REQUIRE APPROVAL: BUY 500 NSE:ITC');
    expect(r.stdout).toContain('Held as alert 7: Cancel / Use LIMIT 407.25 / Proceed anyway');
    expect(r.stdout).toContain('som alerts respond 7 cancel|limit|proceed');
    expect(r.stdout).toContain('2026-11-25 10:02:00 IST');
    expect(r.calls.map((c) => c.method)).toEqual(['orders.trade']);
  });

  it('a basket file in the costs format, every leg sent with --type unless it names its own', async () => {
    const basket = JSON.stringify({
      instruments: [
        { symbol: 'NFO:NIFTY26DEC24000PE', quantity: 75, side: 'BUY', product: 'NRML' },
        { symbol: 'NFO:NIFTY26DEC24500PE', quantity: 75, side: 'SELL', product: 'NRML', price: 150, type: 'LIMIT' },
      ],
    });
    const r = await som(
      ['trade', '--file', 'b.json', '--type', 'market'],
      { 'orders.trade': () => SENT_TRADE },
      {
        files: { 'b.json': basket },
      },
    );
    expect(r.calls[0]!.params).toEqual({
      legs: [
        { type: 'MARKET', symbol: 'NFO:NIFTY26DEC24000PE', quantity: 75, side: 'BUY', product: 'NRML' },
        { type: 'LIMIT', symbol: 'NFO:NIFTY26DEC24500PE', quantity: 75, side: 'SELL', product: 'NRML', price: 150 },
      ],
    });
  });

  it('a basket whose leg the broker refused: exit 5, naming what is live', async () => {
    const refused = {
      ...SENT_TRADE,
      error: { code: 'BROKER_ERROR', message: 'Insufficient funds', leg: 1 },
      live: [{ index: 0, symbol: 'NFO:NIFTY26DEC24000PE', order_id: '1' }],
    };
    const r = await som(ITC, { 'orders.trade': () => refused });
    expect(r.code).toBe(5);
    expect(r.stdout).toContain(
      'leg 2 was refused, so the rest were not sent. Live now: NFO:NIFTY26DEC24000PE (order 1)',
    );
  });

  describe('bad input: exit 2, somd never asked', () => {
    const cases: [string[], RegExp][] = [
      [['trade', 'NSE:ITC', '--side', 'BUY', '--qty', '5'], /NSE:ITC: give --product/],
      [['trade', '--side', 'BUY'], /say what to trade/],
      [['trade', 'NSE:ITC', '--file', 'b.json'], /not both/],
      [[...ITC, '--type', 'stop'], /--type must be auto, MARKET or LIMIT, not "stop"/],
      [[...ITC, '--stop', 'x'], /--stop must be a number greater than 0/],
    ];
    for (const [args, stderr] of cases) {
      it(args.slice(1).join(' '), async () => {
        const r = await som(args, {}, { files: { 'b.json': '{"instruments": []}' } });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(stderr);
        expect(r.connected).toBe(false);
      });
    }
  });

  it('refused by smart execution (an unreadable book): exit 4 with the reason', async () => {
    const r = await som(ITC, {
      'orders.trade': () => {
        throw new SomError(
          'EXECUTION_REFUSED',
          'NSE:ITC: the best bid 407 is at or above the best ask 406.95: the book is crossed',
        );
      },
    });
    expect(r).toMatchObject({ code: 4, stderr: expect.stringMatching(/the book is crossed/) });
  });
});

describe('som analyze', () => {
  it('asks for the analysis and shows the alert box when som would hold the order', async () => {
    const r = await som(['analyze', 'NSE:ITC', '--side', 'buy', '--qty', '500', '--strategy', 'swing'], {
      'execution.analyze': () => HELD_ANALYSIS,
    });
    expect(r.calls[0]).toEqual({
      method: 'execution.analyze',
      params: { exchange: 'NSE', tradingsymbol: 'ITC', side: 'BUY', quantity: 500, strategy: 'swing' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('⚠ REQUIRE APPROVAL: BUY 500 NSE:ITC');
    expect(r.stdout).toContain('Spread       4.50 (90 ticks, 1.11%)  VERY_WIDE');
    expect(r.stdout).toContain('✗ the visible book fills 187 of 500: 313 have no visible price');
  });

  it('--json: the analysis exactly as somd sent it', async () => {
    const r = await som(['--json', 'analyze', 'NSE:ITC', '--side', 'BUY', '--qty', '500'], {
      'execution.analyze': () => HELD_ANALYSIS,
    });
    expect(JSON.parse(r.stdout)).toEqual(HELD_ANALYSIS);
  });
});

describe('som alerts respond', () => {
  it('limit: sent is exit 0; asked again is exit 4 with the new question', async () => {
    const sent = await som(['alerts', 'respond', '7', 'limit'], {
      'alerts.respond': () => ({
        alert_id: 7,
        held_order_id: 2,
        choice: 'limit',
        outcome: 'sent',
        response_ms: 4200,
        trade: SENT_TRADE,
        held: null,
      }),
    });
    expect(sent.calls[0]).toEqual({ method: 'alerts.respond', params: { id: 7, choice: 'limit' } });
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('alert 7 (held order 2): limit: sent');
    const again = await som(['alerts', 'respond', '7', 'Proceed'], {
      'alerts.respond': () => ({
        alert_id: 7,
        held_order_id: 2,
        choice: 'proceed',
        outcome: 'asked_again',
        response_ms: 4200,
        trade: null,
        held: { ...HELD, alert_id: 8, asked_again: ['the decision is now REQUIRE_APPROVAL, was EXECUTE_LIMIT'] },
      }),
    });
    expect(again.code).toBe(4);
    expect(again.stdout).toContain('Asked again: the market got worse');
    expect(again.stdout).toContain('som alerts respond 8 cancel|limit|proceed');
  });

  it('a choice that is not one: exit 2', async () => {
    const r = await som(['alerts', 'respond', '7', 'maybe']);
    expect(r).toMatchObject({ code: 2, connected: false });
    expect(r.stderr).toMatch(/choice must be cancel, limit or proceed, not "maybe"/);
  });
});

describe('som alerts', () => {
  it('a held order shows its deadline and how to answer', async () => {
    const r = await som(['alerts'], {
      'alerts.list': () => ({
        alerts: [
          {
            id: 7,
            at: '2026-11-25T04:30:00.000Z',
            type: 'ORDER_HELD',
            priority: 'high',
            strategy: 'default',
            order_id: null,
            title: 'Order held (REQUIRE_APPROVAL): BUY 500 NSE:ITC',
            message: 'why',
            payload: { expires_at: '2026-11-25T04:32:00.000Z' },
            read_at: null,
            resolved_at: null,
          },
        ],
      }),
    });
    expect(r.stdout).toContain('answer by 2026-11-25 10:02:00 IST');
    expect(r.stdout).toContain('som alerts respond 7 cancel|limit|proceed');
  });
});
