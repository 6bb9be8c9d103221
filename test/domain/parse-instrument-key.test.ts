import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/domain/instrument.js';
import { masterSlice } from '../../src/domain/master-slice.js';
import { parseInstrumentKey } from '../../src/domain/parse/instrument-key.js';
import { splitInstrumentKey } from '../../src/domain/parse/instrument-key-syntax.js';

const row = (exchange: Instrument['exchange'], tradingsymbol: string): Instrument => ({
  instrument_token: 1,
  exchange_token: 1,
  tradingsymbol,
  name: tradingsymbol,
  last_price: 0,
  expiry: null,
  strike: 0,
  tick_size: 0.05,
  lot_size: 1,
  instrument_type: 'EQ',
  segment: exchange,
  exchange,
});

describe('EXCHANGE:TRADINGSYMBOL', () => {
  it('reads the exchange in any case and upper-cases a symbol, keeping an index name as written', () => {
    expect(parseInstrumentKey('nse:sbin')).toEqual({ exchange: 'NSE', tradingsymbol: 'SBIN' });
    expect(parseInstrumentKey(' NFO : nifty25dec24500ce ')).toEqual({
      exchange: 'NFO',
      tradingsymbol: 'NIFTY25DEC24500CE',
    });
    expect(parseInstrumentKey('NSE:NIFTY 50')).toEqual({ exchange: 'NSE', tradingsymbol: 'NIFTY 50' });
    // Kite writes some index names in mixed case: a name with a space is kept as written.
    expect(parseInstrumentKey('NSE:NIFTY50 EQL Wgt')).toEqual({ exchange: 'NSE', tradingsymbol: 'NIFTY50 EQL Wgt' });
  });

  it('refuses a missing part, a second colon and an unknown exchange, saying how to write it', () => {
    for (const text of ['NSE:', ':SBIN', 'NSE:SBIN:EQ']) {
      expect(parseInstrumentKey(text)).toMatchObject({
        message: `instrument must be EXCHANGE:TRADINGSYMBOL, as NSE:SBIN or NFO:NIFTY25DEC24500CE, not ${JSON.stringify(text)}`,
      });
    }
    expect(parseInstrumentKey('LSE:VOD')).toMatchObject({
      hint: 'unknown exchange LSE: one of NSE, BSE, NFO, BFO, MCX, CDS, BCD or NCO',
    });
    expect(parseInstrumentKey('', { field: 'symbol' })).toMatchObject({
      message: 'symbol is missing: give EXCHANGE:TRADINGSYMBOL, as NSE:SBIN or NFO:NIFTY25DEC24500CE',
    });
  });

  it('splitting alone leaves a bare symbol unplaced', () => {
    expect(splitInstrumentKey('sbin')).toEqual({ exchange: null, tradingsymbol: 'SBIN' });
  });
});

describe('a bare symbol, placed on its exchange when only one fits', () => {
  it('the instrument master decides when exactly one exchange lists it', () => {
    const listing = masterSlice([row('NSE', 'IRCTC')]);
    expect(parseInstrumentKey('irctc', { listing })).toEqual({ exchange: 'NSE', tradingsymbol: 'IRCTC' });
  });

  it("listed on several: says where, in Kite's order, and how to write each", () => {
    const listing = masterSlice([row('BSE', 'SBIN'), row('NSE', 'SBIN')]);
    expect(parseInstrumentKey('SBIN', { listing })).toMatchObject({
      hint: 'listed on NSE and BSE: write NSE:SBIN or BSE:SBIN',
    });
  });

  it('without the master, the grammar places index, BSE index and commodity derivatives', () => {
    expect(parseInstrumentKey('NIFTY25DEC24500CE')).toEqual({ exchange: 'NFO', tradingsymbol: 'NIFTY25DEC24500CE' });
    expect(parseInstrumentKey('BANKNIFTY26JANFUT')).toEqual({ exchange: 'NFO', tradingsymbol: 'BANKNIFTY26JANFUT' });
    // Weekly SENSEX option expiring 2026-12-03 (a Thursday).
    expect(parseInstrumentKey('SENSEX26D0385000PE')).toEqual({ exchange: 'BFO', tradingsymbol: 'SENSEX26D0385000PE' });
    expect(parseInstrumentKey('CRUDEOIL26JANFUT')).toEqual({ exchange: 'MCX', tradingsymbol: 'CRUDEOIL26JANFUT' });
    expect(parseInstrumentKey('GOLDM26FEBFUT')).toEqual({ exchange: 'MCX', tradingsymbol: 'GOLDM26FEBFUT' });
  });

  it('the master wins over the grammar when it lists the symbol', () => {
    const listing = masterSlice([row('BFO', 'NIFTY25DEC24500CE')]);
    expect(parseInstrumentKey('NIFTY25DEC24500CE', { listing })).toMatchObject({ exchange: 'BFO' });
  });

  it('ambiguous or unknown: the exchanges it could be on', () => {
    expect(parseInstrumentKey('SBIN')).toMatchObject({ hint: 'it could be on NSE or BSE: write NSE:SBIN or BSE:SBIN' });
    expect(parseInstrumentKey('USDINR26JANFUT')).toMatchObject({
      hint: 'a future on USDINR could be on CDS or BCD: write CDS:USDINR26JANFUT or BCD:USDINR26JANFUT',
    });
    expect(parseInstrumentKey('RELIANCE26JAN1300CE')).toMatchObject({
      hint: expect.stringMatching(
        /^an option on RELIANCE could be on NFO, BFO, MCX or CDS: write NFO:RELIANCE26JAN1300CE/,
      ),
    });
  });

  it('a symbol that looks like a derivative but is malformed says what is wrong with it', () => {
    // 31 November does not exist.
    expect(parseInstrumentKey('NIFTY26N3124500CE')).toMatchObject({
      hint: expect.stringMatching(/day 31 does not exist in 2026-11/),
    });
  });
});
