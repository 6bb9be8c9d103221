import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertBook } from '../../../src/paper/alerts/book.js';
import { alertRoutes } from '../../../src/paper/server/routes/alerts.js';
import { shapeDifferences } from '../conformance/same-shape.js';
import { kiteFixture, type RouteServer, serveRoutes } from '../gtt/route-server.js';

const NIFTY = 256265;

describe("the alerts endpoints over HTTP (kiteconnect has no alerts calls: raw requests, as Kite's docs show)", () => {
  let server: RouteServer;
  let alerts: AlertBook;
  let now = new Date('2026-11-25T10:00:00+05:30');

  beforeAll(async () => {
    alerts = new AlertBook({
      userId: 'AB1234',
      resolve: (ex, sym) => (ex === 'INDICES' && sym === 'NIFTY 50' ? { instrument_token: NIFTY } : undefined),
    });
    server = await serveRoutes(alertRoutes({ alerts, now: () => now }));
  });
  afterAll(() => server.close());

  const form = {
    name: 'NIFTY 50',
    lhs_exchange: 'INDICES',
    lhs_tradingsymbol: 'NIFTY 50',
    lhs_attribute: 'LastTradedPrice',
    operator: '>=',
    rhs_type: 'constant',
    type: 'simple',
    rhs_constant: '27000',
  };

  it("create, list, get, modify, history and delete answer as Kite's samples", async () => {
    const created = await server.raw('/alerts', { method: 'POST', form });
    expect(created.status).toBe(200);
    expect(shapeDifferences(created.body, kiteFixture('alerts_create.json'))).toEqual([]);
    const uuid: string = created.body.data.uuid;

    expect(shapeDifferences(await server.raw('/alerts').then((r) => r.body), kiteFixture('alerts_get.json'))).toEqual(
      [],
    );
    expect(
      shapeDifferences(await server.raw(`/alerts/${uuid}`).then((r) => r.body), kiteFixture('alerts_get_one.json')),
    ).toEqual([]);

    now = new Date('2026-11-25T10:05:00+05:30');
    const modified = await server.raw(`/alerts/${uuid}`, { method: 'PUT', form: { ...form, rhs_constant: '27500' } });
    expect(shapeDifferences(modified.body, kiteFixture('alerts_modify.json'))).toEqual([]);
    expect(modified.body.data).toMatchObject({ rhs_constant: 27500, updated_at: '2026-11-25 10:05:00' });

    alerts.onPrice(NIFTY, 27500.5, now);
    const history = await server.raw(`/alerts/${uuid}/history`);
    expect(shapeDifferences(history.body, kiteFixture('alerts_history.json'))).toEqual([]);
    expect(history.body.data[0].condition).toBe('LastTradedPrice("INDICES:NIFTY 50") >= 27500');

    const deleted = await server.raw(`/alerts?uuid=${uuid}`, { method: 'DELETE' });
    expect(deleted).toEqual({ status: 200, body: kiteFixture('alerts_delete.json') });
    expect((await server.raw(`/alerts/${uuid}`)).status).toBe(404);
  });

  it("refuses a bad request with Kite's error envelope", async () => {
    const bad = await server.raw('/alerts', { method: 'POST', form: { ...form, operator: '~' } });
    expect(bad).toEqual({
      status: 400,
      body: { status: 'error', message: 'Invalid `operator`.', data: null, error_type: 'InputException' },
    });
    const noUuid = await server.raw('/alerts', { method: 'DELETE' });
    expect(noUuid.body.message).toBe('Missing or empty field `uuid`');
  });
});
