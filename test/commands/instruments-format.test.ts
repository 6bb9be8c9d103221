import { beforeAll, describe, expect, it, vi } from 'vitest';
import { renderInstrument, renderSearch } from '../../commands/ui/instruments.js';
import type { InstrumentDetail, InstrumentView } from '../../src/protocol/methods/instruments.js';

const fut: InstrumentView = {
  instrument_token: 13238786,
  exchange_token: 51714,
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
};
const call: InstrumentView = {
  ...fut,
  instrument_token: 13239042,
  exchange_token: 51715,
  tradingsymbol: 'NIFTY26D0126050CE',
  expiry: '2026-12-01',
  strike: 26050,
  tick_size: 0.05,
  instrument_type: 'CE',
  segment: 'NFO-OPT',
};
const share: InstrumentView = {
  ...fut,
  instrument_token: 738561,
  exchange_token: 2885,
  tradingsymbol: 'RELIANCE',
  name: 'RELIANCE INDUSTRIES',
  expiry: null,
  tick_size: 0.05,
  lot_size: 1,
  instrument_type: 'EQ',
  segment: 'NSE',
  exchange: 'NSE',
};
const index: InstrumentView = {
  ...share,
  instrument_token: 256265,
  exchange_token: 1001,
  tradingsymbol: 'NIFTY 50',
  name: 'NIFTY 50',
  tick_size: 0,
  lot_size: 0,
  segment: 'INDICES',
};

/** The cells of a rendered table's rows, header first, borders dropped. */
/** The table's cells: columns stand two spaces or more apart, and no cell holds two spaces. */
function cells(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => !line.startsWith('showing'))
    .map((line) => line.trim().split(/ {2,}/));
}

/** The label/value pairs of a rendered record. */
function record(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').map((line) => [line.slice(0, 16).trim(), line.slice(18)]));
}

beforeAll(() => {
  // Plain text whatever terminal runs the tests.
  vi.stubEnv('FORCE_COLOR', '0');
});

describe('som instruments search (human output)', () => {
  it('one row per instrument: key, name, type, expiry, strike only for options, lot, tick', () => {
    const out = renderSearch('nifty', [fut, call, share, index], 4);
    expect(cells(out)).toEqual([
      ['SYMBOL', 'NAME', 'TYPE', 'EXPIRY', 'STRIKE', 'LOT', 'TICK'],
      ['NFO:NIFTY26DECFUT', 'NIFTY', 'FUT', '2026-12-29', '-', '65', '0.1'],
      ['NFO:NIFTY26D0126050CE', 'NIFTY', 'CE', '2026-12-01', '26050', '65', '0.05'],
      ['NSE:RELIANCE', 'RELIANCE INDUSTRIES', 'EQ', '-', '-', '1', '0.05'],
      // Kite lists indices with lot 0 and tick 0: not tradable, shown as such.
      ['NSE:NIFTY 50', 'NIFTY 50', 'INDEX', '-', '-', '-', '-'],
    ]);
    expect(out).not.toMatch(/showing/);
  });

  it('says how many more matched than it shows and how to narrow', () => {
    const out = renderSearch('NIFTY', [fut, call], 1234);
    expect(out.split('\n').at(-1)).toBe(
      'showing 2 of 1234 matches; narrow the text, add --exchange, or raise --limit (up to 200)',
    );
  });

  it('says so when nothing matches', () => {
    expect(renderSearch('ZZZ', [], 0)).toBe('no instruments match "ZZZ"');
  });
});

describe('som instruments show (human output)', () => {
  it('a future: its facts and the freeze limit in units and whole lots', () => {
    const r = record(renderInstrument({ ...fut, freeze_quantity: 1800 }));
    expect(r).toEqual({
      instrument: 'NFO:NIFTY26DECFUT',
      name: 'NIFTY',
      type: 'FUT (segment NFO-FUT)',
      expiry: '2026-12-29',
      strike: '-',
      'lot size': '65',
      'tick size': '0.1',
      // 1800 / 65 = 27.69 -> 27 lots, 27 x 65 = 1755
      'freeze quantity': '1800 (at most 27 lots = 1755 per order)',
      'instrument token': '13238786',
      'exchange token': '51714',
    });
  });

  it('an option shows its strike; an unknown freeze limit says so', () => {
    const r = record(renderInstrument({ ...call, freeze_quantity: null } satisfies InstrumentDetail));
    expect(r.strike).toBe('26050');
    expect(r['freeze quantity']).toBe('unknown');
  });

  it('an index is marked not tradable', () => {
    const r = record(renderInstrument({ ...index, freeze_quantity: null }));
    expect(r.type).toBe('INDEX (segment INDICES)');
    expect(r['lot size']).toBe('- (not tradable)');
    expect(r['tick size']).toBe('-');
  });
});
