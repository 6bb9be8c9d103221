import { describe, expect, it } from 'vitest';
import type { PlaceParams } from '../../../src/paper/matching/index.js';
import { REJECTIONS } from '../../../src/paper/matching/index.js';
import { EXPIRED_FUT, NIFTY_CE, quote, SBIN, sbin, world } from './harness.js';

const T = SBIN.instrument.instrument_token;
const N = NIFTY_CE.instrument.instrument_token;

function nifty(p: Partial<PlaceParams>): PlaceParams {
  return {
    exchange: 'NFO',
    tradingsymbol: 'NIFTY2631024400CE',
    product: 'NRML',
    transaction_type: 'BUY',
    order_type: 'LIMIT',
    quantity: 75,
    price: 120,
    ...p,
  };
}

/** Place on a fresh open market with SBIN at 500 (band 450-550) and the option at 120. */
function refusal(variety: string, params: PlaceParams, opts: Parameters<typeof world>[0] = {}) {
  const w = world(opts);
  w.engine.onQuote(T, quote(T, 500, { asks: [[500.05, 10]] }));
  w.engine.onQuote(N, quote(N, 120, { asks: [[120.05, 750]] }, { lower: 0.05, upper: 480 }));
  const r = w.engine.place(variety, params);
  if (r.ok) throw new Error('expected a refusal');
  expect(w.engine.orders()).toEqual([]); // a refused request leaves no order behind
  return [r.error.code, r.error.error_type, r.error.message, r.error.http_status];
}

describe('refusals at placement carry Kite error_type and message', () => {
  it('price below the lower circuit limit', () => {
    expect(
      refusal('regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 449.95 })),
    ).toEqual([
      'PRICE_BELOW_LOWER_CIRCUIT',
      'InputException',
      'Your order price is lower than the current lower circuit limit of 450. Place an order within the daily range.',
      400,
    ]);
  });

  it('price above the upper circuit limit', () => {
    expect(
      refusal('regular', sbin({ transaction_type: 'SELL', order_type: 'LIMIT', quantity: 1, price: 550.05 })),
    ).toEqual([
      'PRICE_ABOVE_UPPER_CIRCUIT',
      'InputException',
      'Your order price is higher than the current upper circuit limit of 550. Place an order within the daily range.',
      400,
    ]);
  });

  it('price off the tick grid, and trigger off the grid', () => {
    expect(
      refusal('regular', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500.03 })),
    ).toEqual([
      'PRICE_NOT_ON_TICK',
      'InputException',
      'Tick size for this script is 0.05. Kindly enter price in the multiple of tick size for this script',
      400,
    ]);
    expect(
      refusal(
        'regular',
        sbin({
          transaction_type: 'SELL',
          order_type: 'SL-M',
          quantity: 1,
          trigger_price: 495.02,
          market_protection: -1,
        }),
      )[2],
    ).toBe(
      'Tick size for this script is 0.05. Kindly enter trigger price in the multiple of tick size for this script',
    );
  });

  it('quantity not a multiple of the lot size', () => {
    expect(refusal('regular', nifty({ quantity: 100 }))).toEqual([
      'QUANTITY_NOT_LOT_MULTIPLE',
      'InputException',
      'Quantity must be in multiples of lot size 75.',
      400,
    ]);
  });

  it('quantity above the freeze limit (1800 = 24 lots of 75)', () => {
    expect(refusal('regular', nifty({ quantity: 1875 }))).toEqual([
      'QUANTITY_ABOVE_FREEZE',
      'InputException',
      // 1875 / 75 = 25 lots; 1800 / 75 = 24 lots
      'The order quantity 1875 (25 lots) is higher than the maximum quantity of 1800 (24 lots) allowed by the exchanges. Please reduce the order quantity or use iceberg orders.',
      400,
    ]);
  });

  it('a regular order while the market is closed; an AMO is taken instead', () => {
    const params = sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500 });
    expect(refusal('regular', params, { session: 'closed' })).toEqual([
      'MARKET_CLOSED',
      'InputException',
      'Markets are closed right now. Use GTT for placing long standing orders instead. [Read more.](https://support.zerodha.com/category/trading-and-markets/gtt/articles/what-is-the-good-till-triggered-gtt-feature)',
      400,
    ]);
    const w = world({ session: 'closed' });
    expect(w.engine.place('amo', params).ok).toBe(true);
  });

  it('an AMO during market hours', () => {
    expect(refusal('amo', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500 }))[0]).toBe(
      'AMO_DURING_MARKET_HOURS',
    );
  });

  it('an expired contract (expiry 2026-02-24, today 2026-03-02 IST)', () => {
    const p: PlaceParams = {
      exchange: 'NFO',
      tradingsymbol: EXPIRED_FUT.instrument.tradingsymbol,
      product: 'NRML',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      quantity: 75,
      price: 24400,
    };
    expect(refusal('regular', p)).toEqual([
      'INSTRUMENT_EXPIRED',
      'InputException',
      'The instrument has expired. Place an order in an active contract.',
      400,
    ]);
  });

  it('an unknown tradingsymbol', () => {
    expect(
      refusal('regular', {
        ...sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500 }),
        tradingsymbol: 'SBIIN',
      }),
    ).toEqual(['INVALID_TRADINGSYMBOL', 'InputException', 'Invalid `tradingsymbol`.', 400]);
  });

  it('a buy stop at or below the last price, a sell stop at or above it', () => {
    expect(
      refusal(
        'regular',
        sbin({ transaction_type: 'BUY', order_type: 'SL', quantity: 1, trigger_price: 500, price: 501 }),
      ),
    ).toEqual([
      'TRIGGER_NOT_ABOVE_LTP',
      'InputException',
      'Trigger price for stoploss buy orders should be higher than the last traded price (500). Try limit order to buy at a lower price.',
      400,
    ]);
    expect(
      refusal(
        'regular',
        sbin({
          transaction_type: 'SELL',
          order_type: 'SL-M',
          quantity: 1,
          trigger_price: 500.5,
          market_protection: -1,
        }),
      ),
    ).toEqual([
      'TRIGGER_NOT_BELOW_LTP',
      'InputException',
      'Trigger price for stoploss sell orders should be lower than the last traded price (500). Try limit order to sell at a higher price.',
      400,
    ]);
  });

  it('a stop-limit whose limit is on the wrong side of its trigger', () => {
    expect(
      refusal(
        'regular',
        sbin({ transaction_type: 'BUY', order_type: 'SL', quantity: 1, trigger_price: 505, price: 504 }),
      )[0],
    ).toBe('TRIGGER_ABOVE_PRICE');
  });

  it('a market order without market protection (Kite since 2026-04-01)', () => {
    expect(refusal('regular', sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 1 }))).toEqual([
      'MARKET_PROTECTION_REQUIRED',
      'InputException',
      'Market orders without market protection are not allowed via API. Please set market protection or use a Limit order.',
      400,
    ]);
    expect(
      refusal(
        'regular',
        sbin({ transaction_type: 'BUY', order_type: 'MARKET', quantity: 1, market_protection: 101 }),
      )[0],
    ).toBe('INVALID_MARKET_PROTECTION');
  });

  it('a tag longer than 20 characters is refused, not truncated', () => {
    expect(
      refusal(
        'regular',
        sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500, tag: 'a'.repeat(21) }),
      )[0],
    ).toBe('TAG_TOO_LONG');
    const w = world();
    expect(
      w.engine.place(
        'regular',
        sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500, tag: 'strat_1:leg-a' }),
      ).ok,
    ).toBe(true);
  });

  it('missing fields, bad enums, products and varieties', () => {
    expect(
      refusal('regular', {
        ...sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500 }),
        product: '',
      })[2],
    ).toBe('Missing or empty field `product`');
    expect(refusal('regular', sbin({ transaction_type: 'BUY', order_type: 'STOP', quantity: 1 }))[2]).toBe(
      'Invalid `order_type`.',
    );
    expect(refusal('regular', nifty({ product: 'CNC' }))[0]).toBe('PRODUCT_NOT_ALLOWED');
    expect(refusal('iceberg', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500 }))[0]).toBe(
      'UNSUPPORTED_VARIETY',
    );
    expect(refusal('bo', sbin({ transaction_type: 'BUY', order_type: 'LIMIT', quantity: 1, price: 500 }))[2]).toBe(
      'Invalid `variety`.',
    );
  });
});

describe('the rejection table', () => {
  it('names a source for every entry', () => {
    for (const [code, s] of Object.entries(REJECTIONS)) {
      expect(s.source.length, code).toBeGreaterThan(10);
    }
  });
});
