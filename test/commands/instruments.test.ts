import { describe, expect, it } from 'vitest';
import type { InstrumentDetail } from '../../src/protocol/methods/instruments.js';
import { som } from './fake-som.js';

const SBIN: InstrumentDetail = {
  instrument_token: 779521,
  exchange_token: 3045,
  tradingsymbol: 'SBIN',
  name: 'STATE BANK OF INDIA',
  last_price: 0,
  expiry: null,
  strike: 0,
  tick_size: 0.05,
  lot_size: 1,
  instrument_type: 'EQ',
  segment: 'NSE',
  exchange: 'NSE',
  freeze_quantity: null,
};

describe('som instruments', () => {
  it('search: the text, the exchange in any case, the limit', async () => {
    const r = await som(['--json', 'instruments', 'search', 'state', 'bank', '--exchange', 'nse', '--limit', '5'], {
      'instruments.search': () => ({ instruments: [SBIN], total: 1 }),
    });
    expect(r.calls).toEqual([
      { method: 'instruments.search', params: { text: 'state bank', limit: 5, exchange: 'NSE' } },
    ]);
    expect(JSON.parse(r.stdout)).toEqual({ instruments: [SBIN], total: 1 });
  });

  it('show: the symbol as written goes to somd, which places a bare one', async () => {
    const r = await som(['instruments', 'show', 'sbin'], { 'instruments.show': () => ({ instrument: SBIN }) });
    expect(r.calls[0]).toEqual({ method: 'instruments.show', params: { symbol: 'sbin' } });
    expect(r.stdout).toMatch(/^instrument +NSE:SBIN\n/);
  });

  describe('bad input is refused before somd is asked', () => {
    const cases: [string[], RegExp][] = [
      [['instruments', 'show', 'NSE:'], /symbol must be EXCHANGE:TRADINGSYMBOL/],
      [['instruments', 'show', 'NSX:RELIANCE'], /unknown exchange NSX/],
      [['instruments', 'search', 'NIFTY', '--limit', '500'], /--limit must be a whole number from 1 to 200/],
      [['instruments', 'search', 'NIFTY', '--exchange', 'XYZ'], /--exchange must be NSE, BSE/],
    ];
    for (const [args, message] of cases) {
      it(args.slice(1).join(' '), async () => {
        const r = await som(['--json', ...args]);
        expect(r.code).toBe(2);
        expect(r.connected).toBe(false);
        expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'INVALID_INPUT', message } });
        expect(r.stderr).toMatch(/^som: /);
      });
    }
  });
});
