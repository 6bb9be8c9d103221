import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaperSession, paperSession } from './paper-session.js';
import { shapeDifferences } from './same-shape.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/kite');
const basketFixture = JSON.parse(readFileSync(join(FIXTURES, 'basket_margins.json'), 'utf8'));

/**
 * POST /charges/orders (Kite's virtual contract note) and the charges inside the margin
 * endpoints, served by the paper exchange on its clock's date: 2026-11-25, the 2026-04-01
 * schedule (STT 0.15% on option premium sold, NSE options 0.03503% + IPFT 0.0005%, ...).
 */
describe('paper exchange charges', () => {
  let s: PaperSession;
  let option: { tradingsymbol: string; lot_size: number };

  beforeAll(async () => {
    s = await paperSession({ rateLimits: false });
    const nfo = await s.kc.getInstruments('NFO');
    const ce = nfo.find((i) => i.name === 'NIFTY' && i.instrument_type === 'CE')!;
    option = { tradingsymbol: ce.tradingsymbol, lot_size: ce.lot_size };
  });
  afterAll(async () => s?.ex.close());

  const noteOrder = (o: Record<string, unknown>) => ({ order_id: 'x1', variety: 'regular', order_type: 'LIMIT', ...o });

  it('the virtual contract note: one row per order, in order, with Kite charges', async () => {
    const orders = [
      noteOrder({
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        transaction_type: 'BUY',
        product: 'CNC',
        quantity: 10,
        average_price: 800,
      }),
      noteOrder({
        exchange: 'NFO',
        tradingsymbol: option.tradingsymbol,
        transaction_type: 'SELL',
        product: 'NRML',
        quantity: 65,
        average_price: 150,
      }),
    ];
    const r = await s.raw('/charges/orders', { method: 'POST', json: orders });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('success');
    const [sbin, ce] = r.body.data;
    expect(sbin).toMatchObject({
      transaction_type: 'BUY',
      tradingsymbol: 'SBIN',
      exchange: 'NSE',
      variety: 'regular',
      product: 'CNC',
      order_type: 'LIMIT',
      quantity: 10,
      price: 800,
    });
    expect(sbin).not.toHaveProperty('order_id'); // Kite's answer has none (forum, 2025)
    expect(shapeDifferences(sbin.charges, basketFixture.data.orders[0].charges)).toEqual([]);
    // SBIN delivery buy of 8000: STT 8; exchange 8000 x 0.00297% + IPFT 0.0001% = 0.2456;
    // SEBI 0.008; brokerage 0; stamp 8000 x 0.015% = 1.2 -> 1; GST 0.18 x 0.2536 = 0.045648;
    // total 9.299248
    expect(sbin.charges.transaction_tax).toBe(8);
    expect(sbin.charges.stamp_duty).toBe(1);
    expect(sbin.charges.total).toBeCloseTo(9.299248, 9);
    // NIFTY option sold, 65 x 150 = 9750: STT 14.625; exchange 3.464175; SEBI 0.00975;
    // brokerage 20; GST 0.18 x 23.473925 = 4.2253065; total 42.3242315
    expect(ce).toMatchObject({ transaction_type: 'SELL', exchange: 'NFO', price: 150, quantity: 65 });
    expect(ce.charges.transaction_tax).toBeCloseTo(14.625, 9);
    expect(ce.charges.transaction_tax_type).toBe('stt');
    expect(ce.charges.total).toBeCloseTo(42.3242315, 9);
  });

  it('the official client reads it (getvirtualContractNote)', async () => {
    const rows = await (
      s.kc as unknown as { getvirtualContractNote(o: unknown[]): Promise<{ charges: { total: number } }[]> }
    ).getvirtualContractNote([
      noteOrder({
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        transaction_type: 'SELL',
        product: 'MIS',
        quantity: 100,
        average_price: 800,
      }),
    ]);
    // SBIN intraday sell of 80000: 20 + 2.456 + 0.08 + 20 + 4.05648 = 46.59248
    expect(rows[0]!.charges.total).toBeCloseTo(46.59248, 9);
  });

  it('an expired contract is costed from its symbol; an unknown share or a zero price is an InputException', async () => {
    const expired = await s.raw('/charges/orders', {
      method: 'POST',
      json: [
        noteOrder({
          exchange: 'NFO',
          tradingsymbol: 'NIFTY2371317900PE',
          transaction_type: 'BUY',
          product: 'NRML',
          quantity: 50,
          average_price: 10,
        }),
      ],
    });
    expect(expired.status).toBe(200);
    expect(expired.body.data[0].charges.brokerage).toBe(20);
    const unknown = await s.raw('/charges/orders', {
      method: 'POST',
      json: [
        noteOrder({
          exchange: 'NSE',
          tradingsymbol: 'NOSUCHSHARE',
          transaction_type: 'BUY',
          product: 'CNC',
          quantity: 1,
          average_price: 10,
        }),
      ],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      status: 'error',
      error_type: 'InputException',
      message: expect.stringMatching(/NSE:NOSUCHSHARE/),
    });
    const zero = await s.raw('/charges/orders', {
      method: 'POST',
      json: [
        noteOrder({
          exchange: 'NSE',
          tradingsymbol: 'SBIN',
          transaction_type: 'BUY',
          product: 'CNC',
          quantity: 1,
          average_price: 0,
        }),
      ],
    });
    expect(zero.status).toBe(400);
    expect(zero.body.message).toMatch(/0\.average_price/);
  });

  it('margin endpoints carry the same per-leg charges, and the basket adds them up', async () => {
    const legs = [
      {
        exchange: 'NFO',
        tradingsymbol: option.tradingsymbol,
        transaction_type: 'SELL',
        variety: 'regular',
        product: 'NRML',
        order_type: 'LIMIT',
        quantity: 65,
        price: 150,
        trigger_price: 0,
      },
      {
        exchange: 'NSE',
        tradingsymbol: 'SBIN',
        transaction_type: 'BUY',
        variety: 'regular',
        product: 'CNC',
        order_type: 'LIMIT',
        quantity: 10,
        price: 800,
        trigger_price: 0,
      },
    ];
    const orders = await s.raw('/margins/orders?mode=full', { method: 'POST', json: legs });
    expect(orders.body.data[0].charges.total).toBeCloseTo(42.3242315, 9);
    expect(orders.body.data[1].charges.total).toBeCloseTo(9.299248, 9);
    const basket = await s.raw('/margins/basket?consider_positions=true&mode=full', { method: 'POST', json: legs });
    expect(basket.body.data.orders.map((o: { charges: unknown }) => o.charges)).toEqual(
      orders.body.data.map((o: { charges: unknown }) => o.charges),
    );
    // 42.3242315 + 9.299248 = 51.6234795; brokerage 20 + 0
    expect(basket.body.data.charges.total).toBeCloseTo(51.6234795, 9);
    expect(basket.body.data.charges.brokerage).toBe(20);
  });
});
