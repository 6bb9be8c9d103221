import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src/domain/quote.js';
import { encodeTick, PACKET_SIZE, type TickInput, tickFromQuote } from '../../../src/paper/ticks/packet.js';
import { type FixtureTick, fixtureJson, fixturePacket, tickFromFixture } from './helpers.js';

const INFY = 408065; // 0x00063a01: segment byte 1, NSE
const NIFTY_50 = 256265; // 0x0003e909: segment byte 9, INDICES
const CDS_TOKEN = 268035; // 0x00041703: segment byte 3, CDS
const BCD_TOKEN = 256006; // 0x0003e806: segment byte 6, BCD

function baseTick(overrides: Partial<TickInput> = {}): TickInput {
  return {
    instrument_token: INFY,
    last_price: 1500,
    last_quantity: 1,
    average_price: 1500,
    volume: 100,
    buy_quantity: 10,
    sell_quantity: 20,
    ohlc: { open: 1490, high: 1510, low: 1480, close: 1495 },
    last_trade_time: new Date('2025-01-15T10:30:00+05:30'),
    oi: 0,
    oi_day_high: 0,
    oi_day_low: 0,
    exchange_timestamp: new Date('2025-01-15T10:30:01+05:30'),
    depth: { buy: [], sell: [] },
    ...overrides,
  };
}

describe('encodeTick matches Kite byte for byte', () => {
  it('reproduces ticker_quote.packet from ticker_quote.json', () => {
    const tick = tickFromFixture(fixtureJson<FixtureTick>('ticker_quote.json'));
    const expected = fixturePacket('ticker_quote.packet');
    expect(expected.length).toBe(44);
    expect(encodeTick(tick, 'quote').toString('hex')).toBe(expected.toString('hex'));
  });

  it('reproduces ticker_full.packet from ticker_full.json', () => {
    const tick = tickFromFixture(fixtureJson<FixtureTick>('ticker_full.json'));
    const expected = fixturePacket('ticker_full.packet');
    expect(expected.length).toBe(184);
    expect(encodeTick(tick, 'full').toString('hex')).toBe(expected.toString('hex'));
  });

  it('encodes ticker_ltp.json as token then price in paise', () => {
    const tick = tickFromFixture(fixtureJson<FixtureTick>('ticker_ltp.json'));
    // 408065 = 0x00063a01; 1573.15 rupees = 157315 paise = 0x00026683.
    expect(encodeTick(tick, 'ltp').toString('hex')).toBe('00063a0100026683');
    // The same price opens the quote fixture, captured from Kite.
    expect(fixturePacket('ticker_quote.packet').subarray(0, 8).toString('hex')).toBe('00063a0100026683');
  });
});

describe('prices', () => {
  it('rounds the float product to the paisa it stands for instead of truncating it', () => {
    expect(2513.45 * 100).toBe(251344.99999999997); // why truncation would be wrong
    expect(encodeTick(baseTick({ last_price: 2513.45 }), 'ltp').readInt32BE(4)).toBe(251_345);
    expect(145.7 * 100).toBe(14569.999999999998);
    expect(encodeTick(baseTick({ last_price: 145.7 }), 'ltp').readInt32BE(4)).toBe(14_570);
    // CDS: 83.46 * 10^7 is 834599999.9999999 in binary floating point.
    expect(encodeTick(baseTick({ instrument_token: CDS_TOKEN, last_price: 83.46 }), 'ltp').readInt32BE(4)).toBe(
      834_600_000,
    );
  });

  it('scales CDS prices by 10^7 and BCD prices by 10^4', () => {
    // 83.4525 rupees per dollar: 834,525,000 units of 1e-7 on CDS, 834,525 units of 1e-4 on BCD.
    expect(encodeTick(baseTick({ instrument_token: CDS_TOKEN, last_price: 83.4525 }), 'ltp').readInt32BE(4)).toBe(
      834_525_000,
    );
    expect(encodeTick(baseTick({ instrument_token: BCD_TOKEN, last_price: 83.4525 }), 'ltp').readInt32BE(4)).toBe(
      834_525,
    );
  });

  it('refuses a price that overflows int32 once scaled', () => {
    // 300 rupees on CDS is 3,000,000,000 units, above 2,147,483,647.
    expect(() => encodeTick(baseTick({ instrument_token: CDS_TOKEN, last_price: 300 }), 'ltp')).toThrow(RangeError);
    expect(() => encodeTick(baseTick({ last_price: Number.NaN }), 'ltp')).toThrow(/last_price/);
  });

  it('keeps negative prices (MCX crude traded below zero in April 2020)', () => {
    const packet = encodeTick(baseTick({ instrument_token: (1000 << 8) | 7, last_price: -25.5 }), 'ltp');
    expect(packet.readInt32BE(4)).toBe(-2550);
  });
});

describe('packet shapes', () => {
  it('has the documented size for every mode and instrument kind', () => {
    expect(encodeTick(baseTick(), 'ltp').length).toBe(8);
    expect(encodeTick(baseTick(), 'quote').length).toBe(44);
    expect(encodeTick(baseTick(), 'full').length).toBe(184);
    const index = baseTick({ instrument_token: NIFTY_50 });
    expect(encodeTick(index, 'ltp').length).toBe(8);
    expect(encodeTick(index, 'quote').length).toBe(28);
    expect(encodeTick(index, 'full').length).toBe(32);
    expect(PACKET_SIZE.index.full).toBe(32);
  });

  it('orders index prices high, low, open, close and then the change in paise', () => {
    const tick = baseTick({
      instrument_token: NIFTY_50,
      last_price: 24141.95,
      ohlc: { open: 24100.5, high: 24200, low: 24050.25, close: 24080.1 },
      exchange_timestamp: new Date('2025-01-15T10:30:00+05:30'),
    });
    const p = encodeTick(tick, 'full');
    expect(p.readUInt32BE(0)).toBe(NIFTY_50);
    expect(p.readInt32BE(4)).toBe(2_414_195); // last
    expect(p.readInt32BE(8)).toBe(2_420_000); // high
    expect(p.readInt32BE(12)).toBe(2_405_025); // low
    expect(p.readInt32BE(16)).toBe(2_410_050); // open
    expect(p.readInt32BE(20)).toBe(2_408_010); // close
    expect(p.readInt32BE(24)).toBe(6_185); // 24141.95 - 24080.10 = 61.85
    // 2025-01-15 10:30:00 IST = 05:00:00 UTC = 1736917200.
    expect(p.readInt32BE(28)).toBe(1_736_917_200);
  });

  it('writes a zero change for an index with no close', () => {
    const tick = baseTick({ instrument_token: NIFTY_50, ohlc: { open: 0, high: 0, low: 0, close: 0 } });
    expect(encodeTick(tick, 'quote').readInt32BE(24)).toBe(0);
  });

  it('pads missing depth levels with zeros and sends only the best five', () => {
    const level = (price: number, quantity: number, orders: number) => ({ price, quantity, orders });
    const tick = baseTick({
      depth: {
        buy: [level(1499.95, 10, 1), level(1499.9, 20, 2)],
        sell: [1, 2, 3, 4, 5, 6, 7].map((i) => level(1500 + i * 0.05, i, i)),
      },
    });
    const p = encodeTick(tick, 'full');
    // Buy entries start at byte 64, 12 bytes each: quantity, price, orders, 2 bytes padding.
    expect(p.readInt32BE(64)).toBe(10);
    expect(p.readInt32BE(68)).toBe(149_995);
    expect(p.readUInt16BE(72)).toBe(1);
    expect(p.readUInt16BE(74)).toBe(0);
    expect(p.readInt32BE(76 + 4)).toBe(149_990);
    expect(p.subarray(88, 124).every((b) => b === 0)).toBe(true); // levels 3..5 of buy
    // Sell entries start at 124; the fifth is 1500.25 (i = 5); the sixth and seventh are dropped.
    expect(p.readInt32BE(124 + 4 * 12 + 4)).toBe(150_025);
    expect(p.length).toBe(184);
  });

  it('writes times as unix seconds, dropping milliseconds, and a missing time as 0', () => {
    const tick = baseTick({
      last_trade_time: null,
      exchange_timestamp: new Date('2021-07-05T10:41:27.900+05:30'),
    });
    const p = encodeTick(tick, 'full');
    expect(p.readInt32BE(44)).toBe(0);
    expect(p.readInt32BE(60)).toBe(1_625_461_887); // as in ticker_full.packet
  });
});

describe('values the wire cannot carry', () => {
  it('names the field that does not fit', () => {
    expect(() => encodeTick(baseTick({ volume: 2 ** 31 }), 'quote')).toThrow(/volume/);
    expect(() => encodeTick(baseTick({ last_quantity: 1.5 }), 'quote')).toThrow(/last_quantity/);
    const tooManyOrders = baseTick({ depth: { buy: [{ price: 1, quantity: 1, orders: 70_000 }], sell: [] } });
    expect(() => encodeTick(tooManyOrders, 'full')).toThrow(/depth\.buy\[0\]\.orders/);
    expect(() => encodeTick(baseTick({ exchange_timestamp: new Date('nonsense') }), 'full')).toThrow(RangeError);
    expect(() => encodeTick(baseTick({ instrument_token: -1 }), 'ltp')).toThrow(/instrument_token/);
  });

  it('does not check fields the mode leaves out', () => {
    expect(encodeTick(baseTick({ volume: 2 ** 31 }), 'ltp').length).toBe(8);
  });
});

describe('tickFromQuote', () => {
  const quote = fixtureJson<{ data: Record<string, Quote> }>('quote.json').data['NSE:INFY']!;

  it('carries the quote fields and the given instants', () => {
    const ts = new Date('2021-06-08T15:45:56+05:30');
    const ltt = new Date('2021-06-08T15:45:52+05:30');
    const tick = tickFromQuote(quote, ts, ltt);
    expect(tick).toEqual({
      instrument_token: 408065,
      last_price: 1412.95,
      last_quantity: 5,
      average_price: 1412.47,
      volume: 7360198,
      buy_quantity: 0,
      sell_quantity: 5191,
      ohlc: { open: 1396, high: 1421.75, low: 1395.55, close: 1389.65 },
      last_trade_time: ltt,
      oi: 0,
      oi_day_high: 0,
      oi_day_low: 0,
      exchange_timestamp: ts,
      depth: quote.depth,
    });
  });

  it('copies depth so later changes to the quote do not leak into the tick', () => {
    const copy = structuredClone(quote);
    const tick = tickFromQuote(copy, null, null);
    copy.depth.sell[0]!.price = 1;
    copy.ohlc.close = 1;
    expect(tick.depth.sell[0]!.price).toBe(1412.95);
    expect(tick.ohlc.close).toBe(1389.65);
  });
});
