import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src/domain/instrument.js';
import {
  type AuctionInstrument,
  holdingsRequestId,
  miscRoutes,
  triggerRange,
} from '../../../src/paper/server/routes/misc.js';
import { shapeDifferences } from '../conformance/same-shape.js';
import { kiteFixture, type RouteServer, serveRoutes } from '../gtt/route-server.js';

function share(tradingsymbol: string, token: number): Instrument {
  return {
    instrument_token: token,
    exchange_token: Math.floor(token / 256),
    tradingsymbol,
    name: tradingsymbol,
    last_price: 0,
    expiry: null,
    strike: 0,
    tick_size: 0.05,
    lot_size: 1,
    instrument_type: 'EQ',
    segment: 'NSE',
    exchange: 'NSE',
  };
}

const SHARES = new Map([
  ['NSE:INFY', share('INFY', 408065)],
  ['NSE:RELIANCE', share('RELIANCE', 738561)],
]);
const LTP = new Map([
  [408065, 1138.2],
  [738561, 902.15],
]);

describe('trigger ranges', () => {
  it("reproduce Kite's sample: 3.5% under RELIANCE's 902.15 for a buy", () => {
    // 902.15 x (1 - 0.035) = 870.57475, the fixture's lower bound; upper is the price itself.
    const r = triggerRange('BUY', 902.15, 3.5);
    expect(r.lower).toBeCloseTo(870.57475, 9);
    expect(r.upper).toBe(902.15);
    const s = triggerRange('SELL', 1000, 3.5);
    expect([s.lower, s.upper]).toEqual([1000, 1035]);
  });
});

describe('the misc endpoints over HTTP', () => {
  let server: RouteServer;
  let auctions: AuctionInstrument[] = [];
  const authorised: { requestId: string; items: { isin: string; quantity: number }[] }[] = [];

  beforeAll(async () => {
    server = await serveRoutes(
      miscRoutes({
        resolve: (key) => SHARES.get(key),
        ltp: (token) => LTP.get(token),
        auctions: () => auctions,
        holdingsAuthorised: (requestId, items) => authorised.push({ requestId, items }),
        triggerRangePercent: (i) => (i.tradingsymbol === 'INFY' ? 5.5 : 3.5),
      }),
    );
  });
  afterAll(() => server.close());

  it('GET /instruments/trigger_range/buy: trigger_range.json', async () => {
    const r = await server.raw('/instruments/trigger_range/buy?i=NSE:INFY&i=NSE:RELIANCE&i=NSE:NOSUCH');
    expect(shapeDifferences(r.body, kiteFixture('trigger_range.json'))).toEqual([]);
    expect(Object.keys(r.body.data)).toEqual(['NSE:INFY', 'NSE:RELIANCE']);
    expect(r.body.data['NSE:INFY'].lower).toBeCloseTo(1075.599, 9);
    const bad = await server.raw('/instruments/trigger_range/hold?i=NSE:INFY');
    expect([bad.status, bad.body.message]).toEqual([400, 'Invalid `transaction_type`.']);
  });

  it('GET /portfolio/holdings/auctions: empty, or what was seeded, as auctions_list.json', async () => {
    expect((await server.raw('/portfolio/holdings/auctions')).body).toEqual({ status: 'success', data: [] });
    auctions = kiteFixture('auctions_list.json').data;
    // In kiteconnect's runtime, not in its type declarations.
    const seeded = await (
      server.kc as unknown as { getAuctionInstruments(): Promise<unknown> }
    ).getAuctionInstruments();
    expect(seeded).toEqual(auctions);
    expect(
      shapeDifferences(
        await server.raw('/portfolio/holdings/auctions').then((r) => r.body),
        kiteFixture('auctions_list.json'),
      ),
    ).toEqual([]);
  });

  it('POST /portfolio/holdings/authorise: holdings_auth.json, with a fresh request id each time', async () => {
    const first = await server.raw('/portfolio/holdings/authorise', {
      method: 'POST',
      form: { isin: ['INE009A01021', 'INE002A01018'], quantity: ['5', '2'] },
    });
    expect(shapeDifferences(first.body, kiteFixture('holdings_auth.json'))).toEqual([]);
    expect(first.body.data.request_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(first.body.data.request_id).toBe(holdingsRequestId(0));
    const second = await server.raw('/portfolio/holdings/authorise', { method: 'POST' });
    expect(second.body.data.request_id).not.toBe(first.body.data.request_id);
    expect(authorised.map((a) => a.items)).toEqual([
      [
        { isin: 'INE009A01021', quantity: 5 },
        { isin: 'INE002A01018', quantity: 2 },
      ],
      [],
    ]);
    const uneven = await server.raw('/portfolio/holdings/authorise', {
      method: 'POST',
      form: { isin: ['INE009A01021'], quantity: [] },
    });
    expect(uneven.status).toBe(400);
  });
});
