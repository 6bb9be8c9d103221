import { describe, expect, it } from 'vitest';
import { SomError } from '../../src/protocol/errors.js';
import { som } from './fake-som.js';
import { ORDER } from './fixtures.js';

const placed = { order_id: ORDER.order_id, tag: ORDER.tag!, strategy: 'default', recovered: false, order: ORDER };

describe('som order place', () => {
  it("sends Kite's parameters as typed, with som's defaults (LIMIT, DAY, regular)", async () => {
    const r = await som(
      ['order', 'place', 'nse:sbin', '--side', 'buy', '--qty', '10', '--price', '960', '--product', 'cnc'],
      { 'orders.place': () => placed },
    );
    expect(r.calls).toEqual([
      {
        method: 'orders.place',
        params: {
          exchange: 'NSE',
          tradingsymbol: 'SBIN',
          transaction_type: 'BUY',
          order_type: 'LIMIT',
          product: 'CNC',
          quantity: 10,
          validity: 'DAY',
          variety: 'regular',
          price: 960,
        },
      },
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^placed order 251125000000101 for strategy default \(tag so1xab12cd34ef56gh78\)\n/);
  });

  it('a stop-loss market order with protection, for a strategy named by id', async () => {
    const r = await som(
      [
        'order',
        'place',
        'NFO:NIFTY26DECFUT',
        '--side',
        'SELL',
        '--qty',
        '65',
        '--type',
        'sl-m',
        '--trigger',
        '23950.5',
        '--product',
        'NRML',
        '--protection',
        '2',
        '--strategy',
        '3',
      ],
      { 'orders.place': () => placed },
    );
    expect(r.calls[0]!.params).toMatchObject({
      order_type: 'SL-M',
      trigger_price: 23950.5,
      market_protection: 2,
      strategy: 3,
    });
  });

  it('a bare symbol is placed by somd, then the order is sent for it', async () => {
    const r = await som(['order', 'place', 'NIFTY26DECFUT', '--side', 'BUY', '--qty', '65', '--product', 'NRML'], {
      'instruments.show': () => ({
        instrument: {
          instrument_token: 1,
          exchange_token: 1,
          tradingsymbol: 'NIFTY26DECFUT',
          name: 'NIFTY',
          last_price: 0,
          expiry: '2026-12-29',
          strike: 0,
          tick_size: 0.1,
          lot_size: 65,
          instrument_type: 'FUT',
          segment: 'NFO-FUT',
          exchange: 'NFO',
          freeze_quantity: 1800,
        },
      }),
      'orders.place': () => placed,
    });
    expect(r.calls.map((c) => c.method)).toEqual(['instruments.show', 'orders.place']);
    expect(r.calls[0]!.params).toEqual({ symbol: 'NIFTY26DECFUT' });
    expect(r.calls[1]!.params).toMatchObject({ exchange: 'NFO', tradingsymbol: 'NIFTY26DECFUT' });
  });

  it('--json prints the answer as one document, exactly as somd sent it', async () => {
    const r = await som(
      ['--json', 'order', 'place', 'NSE:SBIN', '--side', 'BUY', '--qty', '10', '--price', '960', '--product', 'CNC'],
      { 'orders.place': () => placed },
    );
    expect(r.stdout).toBe(`${JSON.stringify(placed, null, 2)}\n`);
  });

  describe('bad input: exit 2 naming the flag, and somd is never asked', () => {
    const cases: [string[], string][] = [
      [['--qty', '1.5'], 'som: --qty must be a whole number greater than 0, not "1.5"\n'],
      [['--qty', '0'], 'som: --qty must be a whole number greater than 0, not "0"\n'],
      [['--qty', '1e3'], 'som: --qty must be a whole number greater than 0, not "1e3" (write it in digits: 1000)\n'],
      [['--price', 'abc'], 'som: --price must be a number greater than 0, not "abc"\n'],
      [['--side', 'HOLD'], 'som: --side must be BUY or SELL, not "HOLD"\n'],
      [['--product', 'BO'], 'som: --product must be CNC, MIS, NRML or MTF, not "BO"\n'],
      [['--variety', 'iceberg'], 'som: --variety must be regular or amo, not "iceberg"\n'],
      [
        ['--strategy', 'my strategy'],
        'som: --strategy must be a strategy name (1-32 letters, digits, _ or -, starting with a letter or digit) or id, not "my strategy"\n',
      ],
    ];
    for (const [flags, stderr] of cases) {
      it(flags.join(' '), async () => {
        const base = { '--side': 'BUY', '--qty': '10', '--product': 'CNC', '--price': '960' } as Record<string, string>;
        base[flags[0]!] = flags[1]!;
        const r = await som(['order', 'place', 'NSE:SBIN', ...Object.entries(base).flat()]);
        expect(r).toMatchObject({ code: 2, stdout: '', stderr, connected: false });
      });
    }

    it('a malformed instrument, with --json: one error document', async () => {
      const r = await som(['--json', 'order', 'place', 'NSX:SBIN', '--side', 'BUY', '--qty', '1', '--product', 'CNC']);
      expect(r.code).toBe(2);
      expect(r.connected).toBe(false);
      expect(JSON.parse(r.stdout)).toMatchObject({
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/unknown exchange NSX/) },
      });
    });

    it('a missing required flag is bad usage', async () => {
      const r = await som(['order', 'place', 'NSE:SBIN', '--qty', '1', '--product', 'CNC']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/required option '--side <side>' not specified/);
      expect(r.connected).toBe(false);
    });
  });

  it("somd's refusal ends with its error's exit code and message", async () => {
    const refused = (error: SomError) =>
      som(['order', 'place', 'NSE:SBIN', '--side', 'BUY', '--qty', '1', '--product', 'CNC'], {
        'orders.place': () => {
          throw error;
        },
      });
    const broker = await refused(new SomError('BROKER_ERROR', 'Insufficient funds. Required margin is 960.00'));
    expect(broker).toMatchObject({ code: 5, stderr: 'som: Insufficient funds. Required margin is 960.00\n' });
    const unknown = await refused(new SomError('NOT_FOUND', 'no instrument NSE:SBIN'));
    expect(unknown.code).toBe(2);
  });

  it('somd not running: exit 3', async () => {
    const r = await som(
      ['order', 'place', 'NSE:SBIN', '--side', 'BUY', '--qty', '1', '--product', 'CNC'],
      {},
      {
        unreachable: true,
      },
    );
    expect(r).toMatchObject({ code: 3, stderr: expect.stringMatching(/^som: somd is not running/) });
  });
});
