import { describe, expect, it } from 'vitest';
import {
  choiceList,
  defaultProduct,
  parseExchange,
  parseOrderType,
  parseProduct,
  parseTransactionType,
  parseVariety,
  TRADING_PRODUCTS,
} from '../../src/domain/values.js';

describe("Kite's values, read in any case", () => {
  it("folds to Kite's spelling: upper case, except varieties", () => {
    expect(parseExchange('nfo')).toBe('NFO');
    expect(parseTransactionType(' buy ')).toBe('BUY');
    expect(parseOrderType('sl-m')).toBe('SL-M');
    expect(parseVariety('AMO')).toBe('amo');
  });

  it('an unknown value names the choices', () => {
    expect(parseExchange('NSX', '--exchange')).toMatchObject({
      message: '--exchange must be NSE, BSE, NFO, BFO, MCX, CDS, BCD or NCO, not "NSX"',
    });
    expect(parseTransactionType('HOLD', 'side')).toMatchObject({ message: 'side must be BUY or SELL, not "HOLD"' });
    expect(parseProduct(undefined, 'product', TRADING_PRODUCTS)).toMatchObject({
      message: 'product is missing: give CNC, MIS or NRML',
    });
  });

  it('a narrower choice refuses what the full list has', () => {
    expect(parseProduct('MTF')).toBe('MTF');
    expect(parseProduct('mtf', 'product', TRADING_PRODUCTS)).toMatchObject({
      message: 'product must be CNC, MIS or NRML, not "mtf"',
    });
  });

  it('a leg without a product: CNC on a cash market, NRML on a derivatives exchange', () => {
    expect(defaultProduct('NSE')).toBe('CNC');
    expect(defaultProduct('BSE')).toBe('CNC');
    expect(defaultProduct('NFO')).toBe('NRML');
    expect(defaultProduct('MCX')).toBe('NRML');
  });

  it('lists read as a person writes them', () => {
    expect(choiceList(['A'])).toBe('A');
    expect(choiceList(['A', 'B'])).toBe('A or B');
    expect(choiceList(['NSE', 'BSE', 'NFO'], 'and')).toBe('NSE, BSE and NFO');
  });
});
