import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../src/domain/quote.js';
import { checkQuantity, readBook } from '../../src/execution/book.js';
import { depthSnapshot, isStale } from '../../src/execution/depth.js';
import { isExecutionError } from '../../src/execution/errors.js';
import { instrumentClassOf } from '../../src/execution/instrument-class.js';
import { type TickGrid, tickGrid } from '../../src/execution/tick-grid.js';
import { AT, snap } from './books.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/kite/${name}`, import.meta.url), 'utf8'));

function code(x: unknown): string | undefined {
  return isExecutionError(x) ? x.code : undefined;
}

describe('reading a book', () => {
  it("reads Kite's sample full-mode tick: populated levels best first, touch and mid exact", () => {
    const tick = fixture('ticker_full.json');
    const s = depthSnapshot(
      tick,
      { tick_size: 0.05, lot_size: 1, multiplier: 1, instrument_class: 'equity' },
      new Date(tick.timestamp),
      'ticks',
    );
    const book = readBook(s);
    if (isExecutionError(book)) throw new Error(book.message);
    expect(book.bids.map((l) => l.price)).toEqual([1573.4, 1573, 1572.95, 1572.9, 1572.85]);
    expect(book.asks.map((l) => l.price)).toEqual([1573.7, 1573.75, 1573.85, 1573.9, 1573.95]);
    // 1573.40 is 31468 ticks of 0.05, 1573.70 is 31474; mid = (31468 + 31474) / 2 ticks = 1573.55.
    expect(book.bids[0]!.ticks).toBe(31468);
    expect(book.asks[0]!.ticks).toBe(31474);
    expect(book.mid).toBe(1573.55);
    expect(s.volume).toBe(1192471);
  });

  it("refuses Kite's sample quote, which has asks only, as one-sided", () => {
    const quote: Quote = fixture('quote.json').data['NSE:INFY'];
    const s = depthSnapshot(
      quote,
      { tick_size: 0.05, lot_size: 1, multiplier: 1, instrument_class: 'equity' },
      AT,
      'quote',
    );
    expect(s.upper_circuit_limit).toBe(1528.6);
    const r = readBook(s);
    expect(code(r)).toBe('BOOK_ONE_SIDED');
    expect(isExecutionError(r) && r.message).toMatch(/asks only/);
  });

  it('refuses an empty book, and a tick that carried no depth', () => {
    expect(code(readBook(snap([], [])))).toBe('BOOK_EMPTY');
    const noDepth = depthSnapshot(
      { depth: null, last_price: 100 },
      { tick_size: 0.05, lot_size: 1, multiplier: 1, instrument_class: 'equity' },
      AT,
      'ticks',
    );
    expect(code(readBook(noDepth))).toBe('BOOK_EMPTY');
  });

  it('refuses a crossed book and a locked one (bid = ask)', () => {
    expect(code(readBook(snap([[100.1, 10]], [[100.05, 10]])))).toBe('BOOK_CROSSED');
    expect(code(readBook(snap([[100, 10]], [[100, 10]])))).toBe('BOOK_CROSSED');
  });

  it('skips zero-quantity levels; a side of nothing but them is empty', () => {
    // The bid at 99.95 has no quantity: the best bid is 99.90.
    const book = readBook(
      snap(
        [
          [99.95, 0],
          [99.9, 10],
        ],
        [[100.05, 10]],
      ),
    );
    if (isExecutionError(book)) throw new Error(book.message);
    expect(book.bid).toBe(99.9);
    expect(book.bids).toHaveLength(1);
    expect(code(readBook(snap([[99.95, 0]], [[100.05, 10]])))).toBe('BOOK_ONE_SIDED');
    expect(code(readBook(snap([[99.95, 0]], [[100.05, 0]])))).toBe('BOOK_EMPTY');
  });

  it('refuses malformed levels, levels out of order and prices off the tick grid, never producing NaN', () => {
    expect(code(readBook(snap([[0, 10]], [[100.05, 10]])))).toBe('BOOK_INVALID_LEVEL');
    expect(code(readBook(snap([[99.95, -5]], [[100.05, 10]])))).toBe('BOOK_INVALID_LEVEL');
    expect(code(readBook(snap([[Number.NaN, 5]], [[100.05, 10]])))).toBe('BOOK_INVALID_LEVEL');
    expect(code(readBook(snap([[99.95, 2.5]], [[100.05, 10]])))).toBe('BOOK_INVALID_LEVEL');
    // Asks must rise: 100.10 before 100.05 is out of order.
    expect(
      code(
        readBook(
          snap(
            [[99.95, 10]],
            [
              [100.1, 10],
              [100.05, 10],
            ],
          ),
        ),
      ),
    ).toBe('BOOK_INVALID_LEVEL');
    // 100.03 is not a multiple of 0.05.
    expect(code(readBook(snap([[99.95, 10]], [[100.03, 10]])))).toBe('BOOK_OFF_TICK');
  });

  it('refuses a depth without a valid time and an instrument without a valid size', () => {
    expect(code(readBook(snap([[99.95, 10]], [[100.05, 10]], { at: new Date(Number.NaN) })))).toBe('BOOK_NO_TIME');
    expect(code(readBook(snap([[99.95, 10]], [[100.05, 10]], { tick_size: 0 })))).toBe('INVALID_INSTRUMENT');
    expect(code(readBook(snap([[99.95, 10]], [[100.05, 10]], { multiplier: -1 })))).toBe('INVALID_INSTRUMENT');
    expect(code(readBook(snap([[99.95, 10]], [[100.05, 10]], { lot_size: 0 })))).toBe('INVALID_INSTRUMENT');
  });

  it('takes quantities that are positive whole lots only', () => {
    expect(checkQuantity(150, 75)).toBeNull();
    expect(checkQuantity(100, 75)?.code).toBe('INVALID_ORDER');
    expect(checkQuantity(0, 1)?.code).toBe('INVALID_ORDER');
    expect(checkQuantity(1.5, 1)?.code).toBe('INVALID_ORDER');
  });
});

describe('the tick grid', () => {
  function grid(tick: number): TickGrid {
    const g = tickGrid(tick);
    if (isExecutionError(g)) throw new Error(g.message);
    return g;
  }

  it('turns tick counts back into the decimal prices people write, with no float noise', () => {
    const g = grid(0.05);
    // 0.1 + 0.2 is 0.30000000000000004 in floating point; six ticks of 0.05 are 0.3.
    expect(g.price(6)).toBe(0.3);
    expect(String(g.price(31477))).toBe('1573.85');
    expect(g.price(31468 + 31474, 2)).toBe(1573.55);
    // Currency futures tick by 0.0025: 83.1225 is 33249 ticks.
    const cds = grid(0.0025);
    expect(cds.onGrid(83.1225)).toBe(33249);
    expect(String(cds.price(33249))).toBe('83.1225');
  });

  it('rounds into bounds on the grid: floor for a ceiling, ceil for a floor', () => {
    const g = grid(0.05);
    // 100.55025 / 0.05 = 2011.005 ticks: floor 2011 (100.55), ceil 2012 (100.60).
    expect(g.floor(100.55025)).toBe(2011);
    expect(g.ceil(100.55025)).toBe(2012);
    // A price already on the grid stays put either way, whatever its last bit.
    expect(g.floor(0.1 + 0.2)).toBe(6);
    expect(g.ceil(0.1 + 0.2)).toBe(6);
  });

  it('refuses tick sizes that are not positive decimals', () => {
    expect(code(tickGrid(0))).toBe('INVALID_INSTRUMENT');
    expect(code(tickGrid(Number.POSITIVE_INFINITY))).toBe('INVALID_INSTRUMENT');
    expect(code(tickGrid(Math.PI))).toBe('INVALID_INSTRUMENT');
  });
});

describe('staleness', () => {
  const at = new Date('2026-11-25T10:00:00+05:30');
  const plus = (ms: number) => new Date(at.getTime() + ms);

  it('is fresh up to and including the maximum age, stale after', () => {
    expect(isStale(at, plus(2000), 2000)).toBe(false);
    expect(isStale(at, plus(2001), 2000)).toBe(true);
  });

  it('is stale when stamped further in the future than the maximum age, or with no valid time', () => {
    expect(isStale(plus(1500), at, 2000)).toBe(false);
    expect(isStale(plus(2500), at, 2000)).toBe(true);
    expect(isStale(new Date(Number.NaN), at, 2000)).toBe(true);
  });
});

describe('instrument classes', () => {
  it('tells index options from stock options, and futures, equity and commodities apart', () => {
    const c = (exchange: string, instrument_type: string, name: string) =>
      instrumentClassOf({ exchange, instrument_type, name } as Parameters<typeof instrumentClassOf>[0]);
    expect(c('NFO', 'CE', 'NIFTY')).toBe('index_options');
    expect(c('BFO', 'PE', 'SENSEX')).toBe('index_options');
    expect(c('NFO', 'CE', 'RELIANCE')).toBe('stock_options');
    expect(c('NFO', 'FUT', 'NIFTY')).toBe('futures');
    expect(c('NFO', 'FUT', 'SBIN')).toBe('futures');
    expect(c('NSE', 'EQ', 'SBIN')).toBe('equity');
    expect(c('MCX', 'FUT', 'CRUDEOIL')).toBe('commodity');
    expect(c('MCX', 'CE', 'CRUDEOIL')).toBe('commodity_options');
    expect(c('CDS', 'FUT', 'USDINR')).toBe('futures');
    expect(c('CDS', 'CE', 'USDINR')).toBe('index_options');
  });
});
