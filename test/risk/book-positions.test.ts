import { describe, expect, it } from 'vitest';
import { bookPositions, type ShareFacts } from '../../src/risk/book-positions.js';

const share = (p: Partial<ShareFacts>): ShareFacts => ({
  strategy_id: 2,
  exchange: 'NSE',
  tradingsymbol: 'SBIN',
  product: 'MIS',
  quantity: 100,
  moves: [{ quantity: 100, price: 960 }],
  instrument_token: 779521,
  multiplier: 1,
  close_price: 955,
  average_price: 960,
  last_price: 958,
  ...p,
});

describe("the risk book's positions from the shares", () => {
  it("today's fills make the average; the feed's last price values it, else the broker's", () => {
    const [live] = bookPositions([share({})], () => 962);
    expect(live).toMatchObject({ quantity: 100, average_price: 960, last_price: 962, realised: 0 });
    const [quiet] = bookPositions([share({})], () => undefined);
    expect(quiet!.last_price).toBe(958);
  });

  it('a carried NRML position opens at the previous close; an unknown instrument is left out', () => {
    const [carried] = bookPositions([share({ product: 'NRML', moves: [], close_price: 955 })], () => 950);
    // 100 carried in at 955, last 950: its day P&L will be 100 x (950 - 955) = -500.
    expect(carried).toMatchObject({ quantity: 100, average_price: 955, last_price: 950 });
    expect(bookPositions([share({ instrument_token: null })], () => 1)).toEqual([]);
  });
});
