import { describe, expect, it } from 'vitest';
import { classifyLeg, type LegClass } from '../../src/costs/classify.js';
import type { CostError } from '../../src/costs/types.js';
import type { Instrument } from '../../src/domain/instrument.js';

function row(
  partial: Partial<Instrument> & Pick<Instrument, 'exchange' | 'tradingsymbol' | 'instrument_type' | 'name'>,
): Instrument {
  return {
    instrument_token: 1,
    exchange_token: 1,
    last_price: 0,
    expiry: null,
    strike: 0,
    tick_size: 0.05,
    lot_size: 1,
    segment: partial.exchange,
    ...partial,
  };
}

const SBIN = row({ exchange: 'NSE', tradingsymbol: 'SBIN', name: 'STATE BANK OF INDIA', instrument_type: 'EQ' });
const NIFTY_INDEX = row({
  exchange: 'NSE',
  tradingsymbol: 'NIFTY 50',
  name: 'NIFTY 50',
  instrument_type: 'EQ',
  segment: 'INDICES',
});
const NIFTY_CE = row({
  exchange: 'NFO',
  tradingsymbol: 'NIFTY25DEC24500CE',
  name: 'NIFTY',
  instrument_type: 'CE',
  segment: 'NFO-OPT',
  lot_size: 75,
});
const NIFTY_FUT = row({
  exchange: 'NFO',
  tradingsymbol: 'NIFTY25DECFUT',
  name: 'NIFTY',
  instrument_type: 'FUT',
  segment: 'NFO-FUT',
  lot_size: 75,
});
const CRUDE_FUT = row({
  exchange: 'MCX',
  tradingsymbol: 'CRUDEOIL26JANFUT',
  name: 'CRUDEOIL',
  instrument_type: 'FUT',
  segment: 'MCX-FUT',
  tick_size: 1,
});

function ok(r: LegClass | CostError): LegClass {
  if ('code' in r) throw new Error(r.message);
  return r;
}
function err(r: LegClass | CostError): CostError {
  if (!('code' in r)) throw new Error(`expected an error, got ${r.segment}`);
  return r;
}
const shape = (c: LegClass) => ({
  segment: c.segment,
  exchange_segment: c.exchange_segment,
  multiplier: c.multiplier,
  source: c.source,
});

describe('classification from the instrument master', () => {
  it('equity by product: CNC is delivery, MIS intraday', () => {
    expect(shape(ok(classifyLeg('NSE', 'SBIN', 'CNC', SBIN)))).toEqual({
      segment: 'equity_delivery',
      exchange_segment: 'NSE_EQ',
      multiplier: 1,
      source: 'master',
    });
    expect(ok(classifyLeg('NSE', 'SBIN', 'MIS', SBIN)).segment).toBe('equity_intraday');
    const bse = row({ ...SBIN, exchange: 'BSE' });
    expect(ok(classifyLeg('BSE', 'SBIN', 'CNC', bse)).exchange_segment).toBe('BSE_EQ');
  });

  it('derivatives by instrument type, NRML or MIS alike, with no warning', () => {
    const ce = ok(classifyLeg('NFO', 'NIFTY25DEC24500CE', 'NRML', NIFTY_CE));
    expect(shape(ce)).toEqual({
      segment: 'equity_options',
      exchange_segment: 'NFO_OPT',
      multiplier: 1,
      source: 'master',
    });
    expect(ce.warnings).toEqual([]);
    expect(ok(classifyLeg('NFO', 'NIFTY25DECFUT', 'MIS', NIFTY_FUT)).segment).toBe('equity_futures');
  });

  it('MCX quantities are lots: the multiplier comes from the table, or from the caller', () => {
    expect(shape(ok(classifyLeg('MCX', 'CRUDEOIL26JANFUT', 'NRML', CRUDE_FUT)))).toEqual({
      segment: 'commodity_futures',
      exchange_segment: 'MCX_FUT',
      multiplier: 100,
      source: 'master',
    });
    expect(ok(classifyLeg('MCX', 'CRUDEOIL26JANFUT', 'NRML', { ...CRUDE_FUT, multiplier: 10 })).multiplier).toBe(10);
  });
});

describe('classification from the trading-symbol grammar (not in the master)', () => {
  const cases: [string, string, Pick<LegClass, 'segment' | 'exchange_segment' | 'multiplier'>][] = [
    ['NFO', 'NIFTY23JUL17900CE', { segment: 'equity_options', exchange_segment: 'NFO_OPT', multiplier: 1 }], // monthly option
    ['NFO', 'NIFTY2371317900PE', { segment: 'equity_options', exchange_segment: 'NFO_OPT', multiplier: 1 }], // weekly, 2023-07-13
    ['NFO', 'BANKNIFTY23JULFUT', { segment: 'equity_futures', exchange_segment: 'NFO_FUT', multiplier: 1 }],
    ['BFO', 'SENSEX23JUL66000CE', { segment: 'equity_options', exchange_segment: 'BFO_OPT', multiplier: 1 }],
    ['MCX', 'CRUDEOIL23AUGFUT', { segment: 'commodity_futures', exchange_segment: 'MCX_FUT', multiplier: 100 }],
    ['MCX', 'GOLDM23AUG60000CE', { segment: 'commodity_options', exchange_segment: 'MCX_OPT', multiplier: 10 }],
    ['CDS', 'USDINR23JULFUT', { segment: 'currency_futures', exchange_segment: 'CDS_FUT', multiplier: 1000 }],
    ['CDS', 'USDINR23JUL83.5CE', { segment: 'currency_options', exchange_segment: 'CDS_OPT', multiplier: 1000 }],
  ];
  for (const [exchange, symbol, expected] of cases) {
    it(`${exchange}:${symbol}`, () => {
      const c = ok(classifyLeg(exchange, symbol, 'NRML', null));
      expect(c).toMatchObject({ ...expected, source: 'symbol' });
      expect(c.warnings).toHaveLength(1);
      expect(c.warnings[0]!.code).toBe('NOT_IN_MASTER');
      expect(c.warnings[0]!.message).toContain(`${exchange}:${symbol} is not in the instrument master`);
    });
  }
});

describe('classification errors', () => {
  it('an equity not in the master is NOT_FOUND', () => {
    const e = err(classifyLeg('NSE', 'NOSUCHSHARE', 'CNC', null));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/no instrument NSE:NOSUCHSHARE in the instrument master/);
  });

  it('a derivative symbol on a cash exchange points to the derivatives exchange', () => {
    expect(err(classifyLeg('NSE', 'NIFTY25DECFUT', 'NRML', null)).message).toMatch(
      /trades on NFO \(NFO:NIFTY25DECFUT\)/,
    );
    expect(err(classifyLeg('BSE', 'SENSEX25DEC85000CE', 'NRML', null)).message).toMatch(/trades on BFO/);
  });

  it('an unknown or uncosted exchange is INVALID_INPUT naming it', () => {
    expect(err(classifyLeg('NYSE', 'IBM', 'CNC', null))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/unknown exchange "NYSE"/),
    });
    expect(err(classifyLeg('BCD', 'USDINR23JULFUT', 'NRML', null)).message).toMatch(
      /unknown exchange "BCD"; charges are known for NSE, BSE, NFO, BFO, MCX, CDS/,
    );
  });

  it('an unparseable derivative symbol is INVALID_INPUT with the reason', () => {
    expect(err(classifyLeg('NFO', 'NIFTY', 'NRML', null))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        /NFO:NIFTY is not in the instrument master and cannot be read as a contract: NFO trades futures and options only/,
      ),
    });
    // "XYZ" is no month, and the digits after it are too few for YY + M + DD + strike.
    expect(err(classifyLeg('NFO', 'NIFTY23XYZ17900CE', 'NRML', null)).message).toMatch(
      /cannot be read as a contract: "NIFTY23XYZ17900CE" is not a valid Kite derivative symbol: expected YYMMM \+ strike/,
    );
  });

  it('products must fit: NRML only for derivatives, CNC only for equity; MTF is not costed', () => {
    expect(err(classifyLeg('NSE', 'SBIN', 'NRML', SBIN)).message).toMatch(/NRML is for derivatives/);
    expect(err(classifyLeg('NFO', 'NIFTY25DEC24500CE', 'CNC', NIFTY_CE)).message).toMatch(/CNC is for equity delivery/);
    expect(err(classifyLeg('NFO', 'NIFTY23JUL17900CE', 'CNC', null)).code).toBe('INVALID_INPUT');
    expect(err(classifyLeg('NSE', 'SBIN', 'MTF', SBIN)).message).toMatch(/product "MTF" is not costed/);
  });

  it('an index cannot be traded', () => {
    expect(err(classifyLeg('NSE', 'NIFTY 50', 'CNC', NIFTY_INDEX)).message).toMatch(/NSE:NIFTY 50 is an index/);
  });

  it('a commodity whose lot multiplier is not known is NOT_FOUND rather than costed wrong', () => {
    const e = err(classifyLeg('MCX', 'COTTONCNDY23AUGFUT', 'NRML', null));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/no contract multiplier known for MCX COTTONCNDY/);
    expect(err(classifyLeg('CDS', 'JPYINR23JULFUT', 'NRML', null)).code).toBe('NOT_FOUND');
  });
});
