import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandleInstrument } from '../../../src/paper/historical/candles.js';
import { historicalRoutes } from '../../../src/paper/server/routes/historical.js';
import { kiteFixture, type RouteServer, serveRoutes } from '../gtt/route-server.js';

const INSTRUMENTS = new Map<number, CandleInstrument>([
  [
    408065,
    { instrument_token: 408065, exchange: 'NSE', segment: 'NSE', instrument_type: 'EQ', tick_size: 0.05, lot_size: 1 },
  ],
  [
    13_000_002,
    {
      instrument_token: 13_000_002,
      exchange: 'NFO',
      segment: 'NFO-FUT',
      instrument_type: 'FUT',
      tick_size: 0.1,
      lot_size: 65,
    },
  ],
]);

/**
 * A candle is a tuple, which the shared shape helper cannot check (it compares every array
 * element with the first): compare the envelope's keys and each candle's types by position.
 */
function candleShapeDifferences(body: any, fixture: any): string[] {
  const keys = (o: unknown) => JSON.stringify(Object.keys(o as object).sort());
  const out: string[] = [];
  if (keys(body) !== keys(fixture)) out.push(`envelope keys ${keys(body)}`);
  if (keys(body.data) !== keys(fixture.data)) out.push(`data keys ${keys(body.data)}`);
  const want = (fixture.data.candles[0] as unknown[]).map((v) => typeof v).join(',');
  (body.data.candles as unknown[][]).forEach((c, i) => {
    const got = c.map((v) => typeof v).join(',');
    if (got !== want) out.push(`candle ${i}: ${got}, fixture has ${want}`);
  });
  return out;
}

describe('GET /instruments/historical, driven by the kiteconnect client', () => {
  let server: RouteServer;

  beforeAll(async () => {
    server = await serveRoutes(
      historicalRoutes({
        instrument: (token) => INSTRUMENTS.get(token),
        priceAt: (token, at) => (token === 408065 ? 1700 : 26000) + ((at.getTime() / 60_000) % 7),
        isTrading: () => true,
        now: () => new Date('2026-11-27T12:00:00+05:30'),
      }),
    );
  });
  afterAll(() => server.close());

  it("answers in historical_minute.json's shape, and with oi=1 in historical_oi.json's", async () => {
    const minute = await server.raw(
      '/instruments/historical/408065/minute?from=2026-11-25+09:15:00&to=2026-11-25+09:20:00',
    );
    expect(minute.status).toBe(200);
    expect(minute.body.data.candles).toHaveLength(6);
    expect(candleShapeDifferences(minute.body, kiteFixture('historical_minute.json'))).toEqual([]);
    const oi = await server.raw(
      '/instruments/historical/13000002/minute?from=2026-11-25+09:15:00&to=2026-11-25+09:20:00&oi=1',
    );
    expect(candleShapeDifferences(oi.body, kiteFixture('historical_oi.json'))).toEqual([]);
    // The shapes differ: without oi a candle has six values, so this is a real check.
    expect(candleShapeDifferences(minute.body, kiteFixture('historical_oi.json'))).not.toEqual([]);
  });

  it('kiteconnect parses the candles into dates, OHLC, volume and OI', async () => {
    const candles = (await server.kc.getHistoricalData(
      13_000_002,
      '5minute',
      '2026-11-25 09:15:00',
      '2026-11-25 10:00:00',
      false,
      true,
    )) as {
      date: Date;
      open: number;
      volume: number;
      oi?: number;
    }[];
    expect(candles).toHaveLength(10);
    expect(candles[0]!.date.toISOString()).toBe('2026-11-25T03:45:00.000Z');
    expect(candles.every((c) => typeof c.open === 'number' && c.volume > 0 && (c.oi ?? 0) > 0)).toBe(true);
  });

  it('refuses a range longer than the interval allows, and unknown tokens, as Kite does', async () => {
    const long = await server.raw(
      '/instruments/historical/408065/minute?from=2026-01-01+09:15:00&to=2026-11-25+15:30:00',
    );
    expect(long).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'interval exceeds max limit: 60 days',
        data: null,
        error_type: 'InputException',
      },
    });
    const unknown = await server.raw('/instruments/historical/1/day?from=2026-11-01&to=2026-11-25');
    expect(unknown.body.message).toBe('Invalid `instrument_token`.');
    await expect(
      server.kc.getHistoricalData(408065, 'week' as never, '2026-11-01 00:00:00', '2026-11-25 00:00:00'),
    ).rejects.toMatchObject({
      message: 'Invalid `interval`.',
    });
  });

  it('serves the longest day range in good time', async () => {
    const started = Date.now();
    const days = await server.raw('/instruments/historical/408065/day?from=2021-06-06&to=2026-11-26');
    expect(days.status).toBe(200);
    expect(days.body.data.candles.length).toBeGreaterThan(1000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
