import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKiteCsv } from '../../../src/paper/instruments/csv.js';
import {
  instrumentToken,
  MINTED_EXCHANGE_TOKEN_MAX,
  MINTED_EXCHANGE_TOKEN_MIN,
  mintExchangeTokens,
  SEGMENT_ID,
  segmentIdFor,
} from '../../../src/paper/instruments/tokens.js';

describe('segment ids', () => {
  it('match the constants the official kiteconnect ticker decodes with', () => {
    const ticker = readFileSync(
      new URL('../../../node_modules/kiteconnect/dist/lib/ticker.js', import.meta.url),
      'utf8',
    );
    const line =
      /const NseCM = (\d+), NseFO = (\d+), NseCD = (\d+), BseCM = (\d+), BseFO = (\d+), BseCD = (\d+), McxFO = (\d+), McxSX = (\d+), Indices = (\d+);/.exec(
        ticker,
      );
    expect(line).not.toBeNull();
    const [, nse, nfo, cds, bse, bfo, bcd, mcx, , indices] = (line ?? []).map(Number);
    expect(SEGMENT_ID).toMatchObject({ NSE: nse, NFO: nfo, CDS: cds, BSE: bse, BFO: bfo, BCD: bcd, MCX: mcx });
    expect(segmentIdFor('NSE', 'INDICES')).toBe(indices);
    expect(segmentIdFor('BSE', 'INDICES')).toBe(indices);
  });

  it('are the low byte of every token in Kite\u2019s instrument fixture, above the exchange token', () => {
    const rows = parseKiteCsv(
      readFileSync(new URL('../../fixtures/kite/instruments_all.csv', import.meta.url), 'utf8'),
    );
    if (!Array.isArray(rows)) throw new Error(rows.message);
    for (const r of rows) {
      expect(r.instrument_token & 0xff, r.tradingsymbol).toBe(segmentIdFor(r.exchange, r.segment));
      expect(instrumentToken(r.exchange_token, segmentIdFor(r.exchange, r.segment) ?? -1), r.tradingsymbol).toBe(
        r.instrument_token,
      );
    }
    // BANKNIFTY18JAN23500CE: exchange token 47164 in NFO -> 47164 * 256 + 2.
    expect(instrumentToken(47164, 2)).toBe(12073986);
  });
});

describe('minted tokens', () => {
  const keys = ['NFO:NIFTY26DECFUT', 'NFO:NIFTY26D0125800CE', 'MCX:CRUDEOIL26DECFUT', 'BFO:SENSEX26NOV84400PE'];

  it('are deterministic, unique and inside the reserved range', () => {
    const a = mintExchangeTokens(keys);
    const b = mintExchangeTokens([...keys].reverse());
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(new Set(a.values()).size).toBe(keys.length);
    for (const t of a.values()) {
      expect(t).toBeGreaterThanOrEqual(MINTED_EXCHANGE_TOKEN_MIN);
      expect(t).toBeLessThanOrEqual(MINTED_EXCHANGE_TOKEN_MAX);
      // The instrument token stays below 2^31 for the official decoder's signed shifts.
      expect(instrumentToken(t, 9)).toBeLessThan(2 ** 31);
    }
  });

  it('move a key to the next free slot when its own is taken', () => {
    const first = mintExchangeTokens(['NFO:NIFTY26DECFUT']).get('NFO:NIFTY26DECFUT') ?? 0;
    const moved = mintExchangeTokens(['NFO:NIFTY26DECFUT'], new Set([first])).get('NFO:NIFTY26DECFUT');
    expect(moved).toBe(first === MINTED_EXCHANGE_TOKEN_MAX ? MINTED_EXCHANGE_TOKEN_MIN : first + 1);
  });
});
