import { describe, expect, it } from 'vitest';
import {
  firingLeg,
  gttExpiry,
  minimumTriggerDistance,
  parseGttRequest,
  validateGtt,
} from '../../../src/paper/gtt/rules.js';
import type { GttSpec } from '../../../src/paper/gtt/types.js';

function spec(type: 'single' | 'two-leg', triggers: number[], over: Partial<GttSpec['orders'][number]> = {}): GttSpec {
  const order = {
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    transaction_type: 'SELL',
    quantity: 1,
    order_type: 'LIMIT',
    product: 'CNC',
    price: 900,
    ...over,
  };
  return {
    type,
    condition: { exchange: 'NSE', tradingsymbol: 'INFY', trigger_values: triggers, last_price: 1000 },
    orders: triggers.map(() => ({ ...order })),
  };
}

describe('how far a trigger must be from the price', () => {
  it('is 0.25% of the price from Rs 50 up, 9 paise below', () => {
    // 1000 x 0.25% = 2.5; 50 x 0.25% = 0.125; under 50 a flat 0.09.
    expect(minimumTriggerDistance(1000)).toBeCloseTo(2.5, 12);
    expect(minimumTriggerDistance(50)).toBeCloseTo(0.125, 12);
    expect(minimumTriggerDistance(49.95)).toBe(0.09);
  });

  it('refuses a trigger closer than that and accepts one exactly that far', () => {
    expect(validateGtt(spec('single', [998]), 1000)?.message).toBe(
      'Trigger price should be at least 0.25% away from the last traded price.',
    );
    expect(validateGtt(spec('single', [997.5]), 1000)).toBeNull();
    expect(validateGtt(spec('single', [1002.5]), 1000)).toBeNull();
    // Below Rs 50: 40 - 39.95 = 0.05 < 0.09, 40 - 39.91 = 0.09.
    expect(validateGtt(spec('single', [39.95], { price: 39 }), 40)?.message).toBe(
      'Trigger price should be at least Rs 0.09 away from the last traded price.',
    );
    expect(validateGtt(spec('single', [39.91], { price: 39 }), 40)).toBeNull();
  });
});

describe('validating a GTT', () => {
  it('wants a two-leg trigger to straddle the price: stoploss below, target above', () => {
    expect(validateGtt(spec('two-leg', [950, 1050]), 1000)).toBeNull();
    expect(validateGtt(spec('two-leg', [1010, 1050]), 1000)?.code).toBe('OCO_NOT_AROUND_LTP');
    expect(validateGtt(spec('two-leg', [1050, 950]), 1000)?.code).toBe('OCO_NOT_AROUND_LTP');
    // Straddling but the stoploss only 1 away (needs 2.5).
    expect(validateGtt(spec('two-leg', [999, 1050]), 1000)?.code).toBe('TRIGGER_TOO_CLOSE');
  });

  it('matches the number of trigger values and orders to the type', () => {
    expect(validateGtt(spec('single', [950, 1050]), 1000)?.message).toBe(
      'Invalid `trigger_values`. A single trigger takes one value.',
    );
    const oneOrder = { ...spec('two-leg', [950, 1050]) };
    oneOrder.orders = oneOrder.orders.slice(0, 1);
    expect(validateGtt(oneOrder, 1000)?.message).toBe('Invalid `orders`. A two-leg trigger takes two orders.');
  });

  it('takes LIMIT orders in CNC or NRML for the watched instrument only', () => {
    expect(validateGtt(spec('single', [950], { order_type: 'MARKET' }), 1000)?.message).toBe(
      'Order type MARKET is not allowed for GTT. Use LIMIT.',
    );
    expect(validateGtt(spec('single', [950], { product: 'MIS' }), 1000)?.message).toBe(
      'Product MIS is not allowed for GTT.',
    );
    expect(validateGtt(spec('single', [950], { tradingsymbol: 'TCS' }), 1000)?.code).toBe('INSTRUMENT_MISMATCH');
    expect(validateGtt(spec('single', [950], { quantity: 0 }), 1000)?.message).toBe('Invalid `quantity`.');
    expect(validateGtt(spec('single', [950], { price: 0 }), 1000)?.message).toBe('Invalid `price`.');
  });

  it('reads the JSON text kiteconnect sends and names what is missing or broken', () => {
    const ok = parseGttRequest({
      type: 'single',
      condition: '{"exchange":"NSE","tradingsymbol":"INFY","trigger_values":[702.0],"last_price":798.0}',
      orders:
        '[{"exchange":"NSE","tradingsymbol":"INFY","transaction_type":"BUY","quantity":1,"order_type":"LIMIT","product":"CNC","price":702.5}]',
    });
    expect(ok.ok && ok.spec.condition.trigger_values).toEqual([702]);
    expect(ok.ok && ok.spec.orders[0]?.price).toBe(702.5);
    const bad = (r: ReturnType<typeof parseGttRequest>) => (r.ok ? null : r.error.message);
    expect(bad(parseGttRequest({ type: undefined, condition: '{}', orders: '[]' }))).toBe(
      'Missing or empty field `type`',
    );
    expect(bad(parseGttRequest({ type: 'oco', condition: '{}', orders: '[]' }))).toBe('Invalid `type`.');
    expect(bad(parseGttRequest({ type: 'single', condition: '{not json', orders: '[]' }))).toBe('Invalid `condition`.');
    expect(
      bad(
        parseGttRequest({
          type: 'single',
          condition: '{"exchange":"NSE","tradingsymbol":"INFY","trigger_values":[1],"last_price":0}',
          orders: '[]',
        }),
      ),
    ).toBe('Invalid `last_price`.');
  });
});

describe('when a trigger fires', () => {
  it('single: from the side the placement price was on, at or through the trigger', () => {
    // Placed at 1000 with a trigger of 950: a stop below, fires at or under 950.
    expect(firingLeg('single', [950], 1000, 951)).toBeNull();
    expect(firingLeg('single', [950], 1000, 950)).toBe(0);
    expect(firingLeg('single', [950], 1000, 930)).toBe(0);
    // A trigger of 1050 over a 1000 placement fires at or above 1050, never below.
    expect(firingLeg('single', [1050], 1000, 1049.95)).toBeNull();
    expect(firingLeg('single', [1050], 1000, 1050)).toBe(0);
    expect(firingLeg('single', [1050], 1000, 900)).toBeNull();
  });

  it('two-leg: the lower value fires the first order, the upper the second, nothing between', () => {
    expect(firingLeg('two-leg', [950, 1050], 1000, 1000)).toBeNull();
    expect(firingLeg('two-leg', [950, 1050], 1000, 949.5)).toBe(0);
    expect(firingLeg('two-leg', [950, 1050], 1000, 1050)).toBe(1);
  });
});

describe('how long a GTT lives', () => {
  it('one year from placement, or until its contract expires', () => {
    const placed = new Date('2026-11-25T10:00:00+05:30');
    expect(gttExpiry(placed, null).toISOString()).toBe(new Date('2027-11-25T10:00:00+05:30').toISOString());
    expect(gttExpiry(placed, '2026-12-29').toISOString()).toBe(new Date('2026-12-29T15:30:00+05:30').toISOString());
    expect(gttExpiry(placed, '2028-12-26').toISOString()).toBe(new Date('2027-11-25T10:00:00+05:30').toISOString());
  });
});
