import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src/domain/quote.js';
import { encodeFrame } from '../../../src/paper/ticks/frame.js';
import { encodeTick, type TickInput, tickFromQuote } from '../../../src/paper/ticks/packet.js';
import { type FixtureTick, fixtureJson, fixturePacket, officialDecode, tickFromFixture } from './helpers.js';

/**
 * What matters is that kiteconnect's own client (what a som user's code or any Kite app runs)
 * reads our frames as Kite's. Expected values below are written out by hand; `change` is the
 * JS client's percent formula, (last - close) * 100 / close, which it computes itself.
 */

const level = (price: number, quantity: number, orders: number) => ({ price, quantity, orders });
const EMPTY = level(0, 0, 0);
const pct = (last: number, close: number) => ((last - close) * 100) / close;

describe("the official decoder reads Kite's fixture packets as the fixture JSON says", () => {
  it('decodes ticker_full.packet (sanity check of the decoder harness)', () => {
    const [tick] = officialDecode(encodeFrame([fixturePacket('ticker_full.packet')]));
    const json = fixtureJson<FixtureTick>('ticker_full.json');
    expect(tick).toMatchObject({
      tradable: true,
      mode: 'full',
      instrument_token: json.instrument_token,
      last_price: json.last_price,
      last_traded_quantity: json.last_quantity,
      average_traded_price: json.average_price,
      volume_traded: json.volume,
      total_buy_quantity: json.buy_quantity,
      total_sell_quantity: json.sell_quantity,
      ohlc: json.ohlc,
      oi: 0,
      last_trade_time: new Date('2021-07-05T10:41:27+05:30'),
      exchange_timestamp: new Date('2021-07-05T10:41:27+05:30'),
      depth: json.depth,
    });
  });
});

describe('a frame of mixed packets round-trips through kiteconnect parseBinary', () => {
  const infyFull = tickFromFixture(fixtureJson<FixtureTick>('ticker_full.json'));

  const nifty: TickInput = {
    ...infyFull,
    instrument_token: 256265, // NIFTY 50, segment byte 9
    last_price: 24141.95,
    ohlc: { open: 24100.5, high: 24200, low: 24050.25, close: 24080.1 },
    exchange_timestamp: new Date('2025-01-15T10:30:00+05:30'),
  };
  const sensex: TickInput = {
    ...infyFull,
    instrument_token: 265, // SENSEX, 0x109
    last_price: 80000.55,
    ohlc: { open: 79500, high: 80100.1, low: 79450.45, close: 79600.2 },
    exchange_timestamp: new Date('2025-01-15T10:30:05+05:30'),
  };
  const bankNifty: TickInput = { ...nifty, instrument_token: 260105, last_price: 51234.6 };
  const usdinrCds: TickInput = {
    instrument_token: 268035, // segment byte 3: prices in 1e-7 rupee
    last_price: 83.4525,
    last_quantity: 3,
    average_price: 83.4412,
    volume: 152_340,
    buy_quantity: 9_000,
    sell_quantity: 8_500,
    ohlc: { open: 83.42, high: 83.47, low: 83.4, close: 83.41 },
    last_trade_time: new Date('2025-01-15T11:02:03+05:30'),
    oi: 1_234_567,
    oi_day_high: 1_300_000,
    oi_day_low: 1_200_000,
    exchange_timestamp: new Date('2025-01-15T11:02:04+05:30'),
    depth: {
      buy: [level(83.45, 100, 2), level(83.4475, 250, 5)],
      sell: [level(83.455, 120, 3), level(83.4575, 80, 1), level(83.46, 40, 1)],
    },
  };
  const usdinrBcd: TickInput = { ...usdinrCds, instrument_token: 256006, last_price: 83.455 }; // segment 6
  const niftyOption: TickInput = { ...usdinrCds, instrument_token: 10101762, last_price: 125.35 }; // NFO, 2
  const crudeMcx: TickInput = {
    ...usdinrCds,
    instrument_token: (50000 << 8) | 7,
    last_price: 6543,
    average_price: 6531.25,
    ohlc: { open: 6500, high: 6560, low: 6490, close: 6512 },
  };
  const untraded: TickInput = {
    ...crudeMcx,
    instrument_token: (50001 << 8) | 7,
    last_trade_time: null,
    volume: 0,
    depth: { buy: [], sell: [level(6600, 1, 1)] },
  };

  const frame = encodeFrame([
    encodeTick(infyFull, 'full'),
    encodeTick(nifty, 'quote'),
    encodeTick(sensex, 'full'),
    encodeTick(bankNifty, 'ltp'),
    encodeTick(usdinrCds, 'full'),
    encodeTick(usdinrBcd, 'quote'),
    encodeTick(niftyOption, 'ltp'),
    encodeTick(crudeMcx, 'quote'),
    encodeTick(untraded, 'full'),
  ]);
  const ticks = officialDecode(frame);

  it('yields one tick per packet, in order', () => {
    expect(ticks.map((t) => t.instrument_token)).toEqual([
      408065, 256265, 265, 260105, 268035, 256006, 10101762, 12800007, 12800263,
    ]);
  });

  it('tradable full packet: every field', () => {
    const json = fixtureJson<FixtureTick>('ticker_full.json');
    expect(ticks[0]).toEqual({
      tradable: true,
      mode: 'full',
      instrument_token: 408065,
      last_price: 1573.7,
      last_traded_quantity: 7,
      average_traded_price: 1570.37,
      volume_traded: 1192471,
      total_buy_quantity: 256443,
      total_sell_quantity: 363009,
      ohlc: { open: 1569.15, high: 1575, low: 1561.05, close: 1567.8 },
      // The mock JSON's change (5.9) is the absolute move; the JS client reports percent.
      change: pct(1573.7, 1567.8),
      last_trade_time: new Date('2021-07-05T10:41:27+05:30'),
      exchange_timestamp: new Date('2021-07-05T10:41:27+05:30'),
      oi: 0,
      oi_day_high: 0,
      oi_day_low: 0,
      depth: json.depth,
    });
  });

  it('index quote packet: not tradable, H/L/O/C read back in the right places', () => {
    expect(ticks[1]).toEqual({
      tradable: false,
      mode: 'quote',
      instrument_token: 256265,
      last_price: 24141.95,
      ohlc: { open: 24100.5, high: 24200, low: 24050.25, close: 24080.1 },
      change: pct(24141.95, 24080.1),
    });
  });

  it('index full packet: adds the exchange timestamp', () => {
    expect(ticks[2]).toEqual({
      tradable: false,
      mode: 'full',
      instrument_token: 265,
      last_price: 80000.55,
      ohlc: { open: 79500, high: 80100.1, low: 79450.45, close: 79600.2 },
      change: pct(80000.55, 79600.2),
      exchange_timestamp: new Date('2025-01-15T10:30:05+05:30'),
    });
  });

  it('index ltp packet', () => {
    expect(ticks[3]).toEqual({ tradable: false, mode: 'ltp', instrument_token: 260105, last_price: 51234.6 });
  });

  it('CDS full packet: four-decimal prices survive the 10^7 scaling, depth padded', () => {
    expect(ticks[4]).toEqual({
      tradable: true,
      mode: 'full',
      instrument_token: 268035,
      last_price: 83.4525,
      last_traded_quantity: 3,
      average_traded_price: 83.4412,
      volume_traded: 152_340,
      total_buy_quantity: 9_000,
      total_sell_quantity: 8_500,
      ohlc: { open: 83.42, high: 83.47, low: 83.4, close: 83.41 },
      change: pct(83.4525, 83.41),
      last_trade_time: new Date('2025-01-15T11:02:03+05:30'),
      exchange_timestamp: new Date('2025-01-15T11:02:04+05:30'),
      oi: 1_234_567,
      oi_day_high: 1_300_000,
      oi_day_low: 1_200_000,
      depth: {
        buy: [level(83.45, 100, 2), level(83.4475, 250, 5), EMPTY, EMPTY, EMPTY],
        sell: [level(83.455, 120, 3), level(83.4575, 80, 1), level(83.46, 40, 1), EMPTY, EMPTY],
      },
    });
  });

  it('BCD quote packet: 10^4 scaling', () => {
    expect(ticks[5]).toMatchObject({
      tradable: true,
      mode: 'quote',
      instrument_token: 256006,
      last_price: 83.455,
      average_traded_price: 83.4412,
      ohlc: { open: 83.42, high: 83.47, low: 83.4, close: 83.41 },
    });
    expect(Object.keys(ticks[5]!)).not.toContain('depth');
  });

  it('tradable ltp and quote packets', () => {
    expect(ticks[6]).toEqual({ tradable: true, mode: 'ltp', instrument_token: 10101762, last_price: 125.35 });
    expect(ticks[7]).toEqual({
      tradable: true,
      mode: 'quote',
      instrument_token: 12800007,
      last_price: 6543,
      last_traded_quantity: 3,
      average_traded_price: 6531.25,
      volume_traded: 152_340,
      total_buy_quantity: 9_000,
      total_sell_quantity: 8_500,
      ohlc: { open: 6500, high: 6560, low: 6490, close: 6512 },
      change: pct(6543, 6512),
    });
  });

  it('a missing last trade time decodes as null', () => {
    expect(ticks[8]).toMatchObject({
      mode: 'full',
      last_trade_time: null,
      volume_traded: 0,
      depth: { buy: [EMPTY, EMPTY, EMPTY, EMPTY, EMPTY], sell: [level(6600, 1, 1), EMPTY, EMPTY, EMPTY, EMPTY] },
    });
  });

  it('an index without a close decodes with change 0, as the Python client reports it', () => {
    const [tick] = officialDecode(
      encodeFrame([encodeTick({ ...nifty, ohlc: { open: 0, high: 0, low: 0, close: 0 } }, 'quote')]),
    );
    expect(tick).toMatchObject({ last_price: 24141.95, change: 0 });
  });
});

describe('a quote from GET /quote streams as the same values', () => {
  it('full mode carries quote.json through tickFromQuote', () => {
    const quote = fixtureJson<{ data: Record<string, Quote> }>('quote.json').data['NSE:INFY']!;
    const ts = new Date('2021-06-08T15:45:56+05:30');
    const ltt = new Date('2021-06-08T15:45:52+05:30');
    const [tick] = officialDecode(encodeFrame([encodeTick(tickFromQuote(quote, ts, ltt), 'full')]));
    expect(tick).toEqual({
      tradable: true,
      mode: 'full',
      instrument_token: 408065,
      last_price: 1412.95,
      last_traded_quantity: 5,
      average_traded_price: 1412.47,
      volume_traded: 7360198,
      total_buy_quantity: 0,
      total_sell_quantity: 5191,
      ohlc: { open: 1396, high: 1421.75, low: 1395.55, close: 1389.65 },
      change: pct(1412.95, 1389.65),
      last_trade_time: ltt,
      exchange_timestamp: ts,
      oi: 0,
      oi_day_high: 0,
      oi_day_low: 0,
      depth: quote.depth,
    });
  });
});
