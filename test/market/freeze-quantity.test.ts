import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/domain/instrument.js';
import { FREEZE_LIMIT_REVISIONS, freezeQuantity, maxLotsPerOrder } from '../../src/market/freeze-quantity.js';

type Facts = Pick<Instrument, 'exchange' | 'segment' | 'name' | 'tradingsymbol'>;

const niftyFut: Facts = { exchange: 'NFO', segment: 'NFO-FUT', name: 'NIFTY', tradingsymbol: 'NIFTY26DECFUT' };
const bankniftyOpt: Facts = {
  exchange: 'NFO',
  segment: 'NFO-OPT',
  name: 'BANKNIFTY',
  tradingsymbol: 'BANKNIFTY26DEC52000CE',
};
const finniftyOpt: Facts = {
  exchange: 'NFO',
  segment: 'NFO-OPT',
  name: 'FINNIFTY',
  tradingsymbol: 'FINNIFTY26JAN25000PE',
};
const sensexOpt: Facts = { exchange: 'BFO', segment: 'BFO-OPT', name: 'SENSEX', tradingsymbol: 'SENSEX26D0385000CE' };

describe('freeze quantity of index derivatives', () => {
  it('NIFTY and BANKNIFTY on the test market day (2026-11-25): the latest known limits', () => {
    expect(freezeQuantity(niftyFut, '2026-11-25')).toBe(1800);
    expect(freezeQuantity(bankniftyOpt, '2026-11-25')).toBe(600);
    expect(freezeQuantity({ ...niftyFut, name: 'MIDCPNIFTY', tradingsymbol: 'MIDCPNIFTY26DECFUT' }, '2026-11-25')).toBe(
      2800,
    );
    expect(freezeQuantity({ ...niftyFut, name: 'NIFTYNXT50', tradingsymbol: 'NIFTYNXT5026DECFUT' }, '2026-11-25')).toBe(
      600,
    );
  });

  it('follows each revision from its effective date: BANKNIFTY 600 -> 900 on 2025-09-01 -> 600 on 2025-11-03', () => {
    expect(freezeQuantity(bankniftyOpt, '2025-08-29')).toBe(600);
    expect(freezeQuantity(bankniftyOpt, '2025-09-01')).toBe(900);
    expect(freezeQuantity(bankniftyOpt, '2025-10-31')).toBe(900);
    expect(freezeQuantity(bankniftyOpt, '2025-11-03')).toBe(600);
  });

  it('FINNIFTY 1200 through January 2026, 1800 again from 2026-02-01', () => {
    expect(freezeQuantity(finniftyOpt, '2025-11-28')).toBe(1800);
    expect(freezeQuantity(finniftyOpt, '2025-12-01')).toBe(1200);
    expect(freezeQuantity(finniftyOpt, '2026-01-30')).toBe(1200);
    expect(freezeQuantity(finniftyOpt, '2026-02-01')).toBe(1800);
  });

  it('an instant counts by its IST date, whatever the host zone', () => {
    // 2025-11-02T19:00Z is 2025-11-03 00:30 IST: the new limit (600) applies, though in UTC
    // (and in New York) it is still 2 November (900).
    expect(freezeQuantity(bankniftyOpt, new Date('2025-11-02T19:00:00Z'))).toBe(600);
    expect(freezeQuantity(bankniftyOpt, new Date('2025-11-02T18:00:00Z'))).toBe(900); // 23:30 IST on the 2nd
  });

  it('BSE index derivatives: SENSEX 1000, BANKEX 900; SENSEX50 unknown', () => {
    expect(freezeQuantity(sensexOpt, '2026-11-25')).toBe(1000);
    expect(
      freezeQuantity(
        { ...sensexOpt, name: 'BANKEX', tradingsymbol: 'BANKEX26DECFUT', segment: 'BFO-FUT' },
        '2026-11-25',
      ),
    ).toBe(900);
    expect(
      freezeQuantity(
        { ...sensexOpt, name: 'SENSEX50', tradingsymbol: 'SENSEX5026DECFUT', segment: 'BFO-FUT' },
        '2026-11-25',
      ),
    ).toBeNull();
  });

  it('reads the underlying off the symbol when the master leaves the name empty (as older Kite masters did)', () => {
    expect(freezeQuantity({ ...bankniftyOpt, name: '' }, '2026-11-25')).toBe(600);
    expect(
      freezeQuantity({ ...niftyFut, name: '', tradingsymbol: 'NIFTY26D0126000CE', segment: 'NFO-OPT' }, '2026-11-25'),
    ).toBe(1800);
  });

  it('is null where no limit is known: stocks, their derivatives, MCX, and dates before the table', () => {
    expect(
      freezeQuantity(
        { exchange: 'NSE', segment: 'NSE', name: 'RELIANCE INDUSTRIES', tradingsymbol: 'RELIANCE' },
        '2026-11-25',
      ),
    ).toBeNull();
    expect(
      freezeQuantity(
        { exchange: 'NFO', segment: 'NFO-FUT', name: 'RELIANCE', tradingsymbol: 'RELIANCE26DECFUT' },
        '2026-11-25',
      ),
    ).toBeNull();
    expect(
      freezeQuantity(
        { exchange: 'MCX', segment: 'MCX-FUT', name: 'CRUDEOIL', tradingsymbol: 'CRUDEOIL26DECFUT' },
        '2026-11-25',
      ),
    ).toBeNull();
    // An index row is not a derivative even though its name is NIFTY-like.
    expect(
      freezeQuantity({ exchange: 'NSE', segment: 'INDICES', name: 'NIFTY', tradingsymbol: 'NIFTY 50' }, '2026-11-25'),
    ).toBeNull();
    expect(freezeQuantity(niftyFut, '2025-06-30')).toBeNull();
    expect(freezeQuantity(sensexOpt, '2026-01-30')).toBeNull();
  });

  it('rejects a date that is not YYYY-MM-DD rather than guessing', () => {
    expect(() => freezeQuantity(niftyFut, '25-11-2026')).toThrow(RangeError);
  });

  it('every revision is dated, sourced and positive', () => {
    for (const r of FREEZE_LIMIT_REVISIONS) {
      expect(r.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.source.length).toBeGreaterThan(0);
      for (const v of Object.values(r.limits)) expect(Number.isInteger(v) && v > 0).toBe(true);
    }
  });
});

describe('lots per order under a freeze limit', () => {
  it('is the biggest whole number of lots within the limit', () => {
    // NIFTY: 1800 / 65 = 27.69 -> 27 lots (27 x 65 = 1755 <= 1800 < 28 x 65 = 1820)
    expect(maxLotsPerOrder(1800, 65)).toBe(27);
    // BANKNIFTY: 600 / 30 = 20 exactly
    expect(maxLotsPerOrder(600, 30)).toBe(20);
    // SENSEX: 1000 / 20 = 50
    expect(maxLotsPerOrder(1000, 20)).toBe(50);
    expect(maxLotsPerOrder(1800, 0)).toBe(0);
  });
});
