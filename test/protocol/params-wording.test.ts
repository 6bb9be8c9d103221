import { describe, expect, it } from 'vitest';
import type { DaemonContext } from '../../daemon/context.js';
import { dispatchLine } from '../../daemon/dispatch.js';
import type { Handlers } from '../../daemon/methods/index.js';
import { describeIssues } from '../../src/protocol/issues.js';
import { METHODS, type MethodName } from '../../src/protocol/methods.js';

/** What somd answers a request whose params its schema refuses (the handler never runs). */
function refusal(method: MethodName, params: unknown): string {
  const parsed = METHODS[method].params.safeParse(params, { reportInput: true });
  if (parsed.success) throw new Error(`${method} accepted ${JSON.stringify(params)}`);
  return describeIssues(parsed.error.issues, params);
}

const leg = { symbol: 'NFO:NIFTY25DEC24500CE', quantity: 75, price: 150.5, side: 'BUY', product: 'NRML' };

describe('costs.calculate takes a basket as a person writes it', () => {
  it('a bare symbol and no product pass the schema as written; somd fills them in', () => {
    const body = { instruments: [{ symbol: 'NIFTY25DEC24500CE', quantity: 100, price: 150.5, side: 'BUY' }] };
    expect(METHODS['costs.calculate'].params.parse(body)).toEqual({
      instruments: [{ symbol: 'NIFTY25DEC24500CE', quantity: 100, price: 150.5, side: 'BUY' }],
      margin: true,
    });
  });

  it('fields are read as the command line reads its flags: any case, numbers as text', () => {
    const parsed = METHODS['costs.calculate'].params.parse({
      instruments: [{ ...leg, side: 'sell', product: 'mis', quantity: '75', price: '150.50' }],
      date: '2026-11-25',
    });
    expect(parsed.instruments[0]).toMatchObject({ side: 'SELL', product: 'MIS', quantity: 75, price: 150.5 });
  });
});

describe("a refused request names the leg (from 1) and the field in words, never the schema library's", () => {
  it('one message per problem, each naming its leg by symbol', () => {
    expect(refusal('costs.calculate', { instruments: [leg, { ...leg, quantity: 1.5 }] })).toBe(
      'leg 2 (NFO:NIFTY25DEC24500CE): quantity 1.5 must be a whole number greater than 0',
    );
    expect(refusal('costs.calculate', { instruments: [{ ...leg, product: 'XYZ', price: 'abc' }] })).toBe(
      'leg 1 (NFO:NIFTY25DEC24500CE): price "abc" must be a number greater than 0; ' +
        'leg 1 (NFO:NIFTY25DEC24500CE): product "XYZ" must be CNC, MIS or NRML',
    );
  });

  it('missing fields say what to give', () => {
    const { side: _side, ...noSide } = leg;
    expect(refusal('costs.calculate', { instruments: [noSide] })).toBe(
      'leg 1 (NFO:NIFTY25DEC24500CE): side is missing: give BUY or SELL',
    );
    const { symbol: _symbol, ...noSymbol } = leg;
    expect(refusal('costs.calculate', { instruments: [noSymbol] })).toBe(
      'leg 1: symbol is missing: give EXCHANGE:TRADINGSYMBOL, as NSE:SBIN or NFO:NIFTY25DEC24500CE',
    );
  });

  it('unknown fields, a leg that is not an object, an empty basket, a date that does not exist', () => {
    expect(refusal('costs.calculate', { instruments: [{ ...leg, qty: 5 }] })).toBe(
      'unknown field "qty" in leg 1 (NFO:NIFTY25DEC24500CE)',
    );
    expect(refusal('costs.calculate', { instruments: [5] })).toBe('leg 1: expected object, got 5');
    expect(refusal('costs.calculate', { instruments: [] })).toBe('instruments: give at least one instrument');
    expect(refusal('costs.calculate', { instruments: [leg], date: '2026-02-31' })).toBe(
      'date "2026-02-31" must be a real date (February 2026 has 28 days)',
    );
  });

  it('other methods: the setting by name, what it expected and what came', () => {
    expect(refusal('settings.update', { settings: { max_order_spread_pct: 'abc' } })).toBe(
      'settings.max_order_spread_pct: expected number, got "abc"',
    );
    expect(refusal('settings.update', { settings: { max_orders_per_minute: 2.5 } })).toBe(
      'settings.max_orders_per_minute: expected a whole number (integer), got 2.5',
    );
    expect(refusal('settings.update', { settings: { margin_buffer_pct: 101 } })).toBe(
      'settings.margin_buffer_pct must be at most 100, got 101',
    );
    expect(refusal('strategies.create', { name: 'x1', profile: 'nope' })).toBe(
      'profile must be "default", "conservative" or "aggressive", got "nope"',
    );
    expect(refusal('orders.place', { exchange: 'NSE', tradingsymbol: 'SBIN' })).toMatch(
      /^transaction_type is missing: give BUY or SELL; order_type is missing: give MARKET, LIMIT, SL or SL-M; product is missing/,
    );
  });
});

describe('INVALID_PARAMS on the wire', () => {
  it('carries the worded message, the method and each issue', async () => {
    const line = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'costs.calculate',
      params: { instruments: [{ ...leg, quantity: 0 }] },
    });
    // A refused request never reaches a handler or the daemon's state.
    const answer = JSON.parse((await dispatchLine(line, {} as Handlers, {} as DaemonContext))!);
    expect(answer).toEqual({
      jsonrpc: '2.0',
      id: 7,
      error: {
        code: -32602,
        message: 'leg 1 (NFO:NIFTY25DEC24500CE): quantity 0 must be a whole number greater than 0',
        data: {
          code: 'INVALID_PARAMS',
          method: 'costs.calculate',
          issues: [
            {
              path: 'instruments.0.quantity',
              message: 'leg 1 (NFO:NIFTY25DEC24500CE): quantity 0 must be a whole number greater than 0',
            },
          ],
        },
      },
    });
  });
});
