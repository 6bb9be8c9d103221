import { describe, expect, it } from 'vitest';
import {
  breakevenPrice,
  type CostError,
  type CostEstimate,
  type CostEstimateDeps,
  type CostEstimateInput,
  type CostInstrument,
  estimateCosts,
} from '../../src/costs/estimate.js';
import type { Instrument } from '../../src/domain/instrument.js';

function row(
  partial: Partial<Instrument> & Pick<Instrument, 'exchange' | 'tradingsymbol' | 'instrument_type' | 'name'>,
): Instrument {
  return {
    instrument_token: 1,
    exchange_token: 1,
    last_price: 0,
    expiry: null,
    strike: 0,
    tick_size: 0.05,
    lot_size: 1,
    segment: partial.exchange,
    ...partial,
  };
}

const MASTER: CostInstrument[] = [
  row({ exchange: 'NSE', tradingsymbol: 'SBIN', name: 'STATE BANK OF INDIA', instrument_type: 'EQ' }),
  row({
    exchange: 'NFO',
    tradingsymbol: 'NIFTY26DEC26000CE',
    name: 'NIFTY',
    instrument_type: 'CE',
    lot_size: 65,
    strike: 26000,
  }),
  row({
    exchange: 'NFO',
    tradingsymbol: 'NIFTY26DEC26500CE',
    name: 'NIFTY',
    instrument_type: 'CE',
    lot_size: 65,
    strike: 26500,
  }),
  row({ exchange: 'NFO', tradingsymbol: 'NIFTY26DECFUT', name: 'NIFTY', instrument_type: 'FUT', lot_size: 65 }),
  row({ exchange: 'MCX', tradingsymbol: 'CRUDEOIL26DECFUT', name: 'CRUDEOIL', instrument_type: 'FUT', tick_size: 1 }),
];

const deps = (extra: Partial<CostEstimateDeps> = {}): CostEstimateDeps => ({
  today: '2026-11-25', // the 2026-04-01 schedule
  instrument: (exchange, symbol) => MASTER.find((i) => i.exchange === exchange && i.tradingsymbol === symbol) ?? null,
  ...extra,
});

function ok(r: CostEstimate | CostError): CostEstimate {
  if ('code' in r) throw new Error(r.message);
  return r;
}
function err(r: CostEstimate | CostError): CostError {
  if (!('code' in r)) throw new Error('expected an error');
  return r;
}

describe('estimateCosts: a two-leg options spread (2026-04 schedule)', () => {
  // Sell 65 NIFTY26DEC26000CE at 150 (premium 9750), buy 65 NIFTY26DEC26500CE at 10 (650).
  // Rates: STT 0.15% sell; exchange 0.03503% + IPFT 0.0005%; SEBI 0.0001%; brokerage 20;
  // GST 18% of brokerage + exchange + SEBI; stamp 0.003% buy, rounded to the rupee.
  const input: CostEstimateInput = {
    legs: [
      { symbol: 'NFO:NIFTY26DEC26000CE', quantity: 65, price: 150, side: 'SELL', product: 'NRML' },
      { symbol: 'nfo:nifty26dec26500ce', quantity: 65, price: 10, side: 'BUY', product: 'nrml' },
    ],
  };
  const r = ok(estimateCosts(input, deps()));
  const [short, long] = r.legs;

  it('legs: identity, segment, order value', () => {
    expect(r.date).toBe('2026-11-25');
    expect(short).toMatchObject({
      symbol: 'NFO:NIFTY26DEC26000CE',
      exchange: 'NFO',
      tradingsymbol: 'NIFTY26DEC26000CE',
      side: 'SELL',
      quantity: 65,
      price: 150,
      product: 'NRML',
      segment: 'equity_options',
      order_value: 9750,
    });
    expect(long).toMatchObject({ symbol: 'NFO:NIFTY26DEC26500CE', side: 'BUY', product: 'NRML', order_value: 650 });
  });

  it('entry and exit charges of the short leg', () => {
    // STT 9750 x 0.15% = 14.625; exchange 9750 x 0.03503% = 3.415425 + IPFT 0.04875 = 3.464175;
    // SEBI 0.00975; GST 0.18 x (20 + 3.464175 + 0.00975) = 4.2253065;
    // total 14.625 + 3.464175 + 0.00975 + 20 + 4.2253065 = 42.3242315
    expect(short!.charges.transaction_tax).toBeCloseTo(14.625, 9);
    expect(short!.charges.exchange_turnover_charge).toBeCloseTo(3.464175, 9);
    expect(short!.charges.gst.total).toBeCloseTo(4.2253065, 9);
    expect(short!.charges.total).toBeCloseTo(42.3242315, 9);
    // exit: buy back at the entry price 150: no STT; stamp 9750 x 0.003% = 0.2925 -> 0;
    // total 3.464175 + 0.00975 + 20 + 4.2253065 = 27.6992315
    expect(short!.exit).toMatchObject({ price: 150, side: 'BUY', order_value: 9750 });
    expect(short!.exit.charges.transaction_tax).toBe(0);
    expect(short!.exit.charges.total).toBeCloseTo(27.6992315, 9);
  });

  it('entry and exit charges of the long leg', () => {
    // exchange 650 x 0.03503% = 0.227695 + IPFT 0.00325 = 0.230945; SEBI 0.00065;
    // stamp 650 x 0.003% = 0.0195 -> 0; GST 0.18 x (20 + 0.230945 + 0.00065) = 3.6416871;
    // total 0.230945 + 0.00065 + 20 + 3.6416871 = 23.8732821
    expect(long!.charges.total).toBeCloseTo(23.8732821, 9);
    // exit: sell at 10: STT 650 x 0.15% = 0.975; total 23.8732821 + 0.975 = 24.8482821
    expect(long!.exit.charges.transaction_tax).toBeCloseTo(0.975, 9);
    expect(long!.exit.charges.total).toBeCloseTo(24.8482821, 9);
  });

  it('totals and breakdown (entry orders)', () => {
    // entry 42.3242315 + 23.8732821 = 66.1975136; exit 27.6992315 + 24.8482821 = 52.5475136
    expect(r.total_entry_cost).toBeCloseTo(66.1975136, 9);
    expect(r.total_exit_cost).toBeCloseTo(52.5475136, 9);
    expect(r.round_trip_charges).toBeCloseTo(118.7450272, 9);
    expect(r.breakdown.order_value).toBe(10400); // 9750 + 650
    expect(r.breakdown.brokerage).toBe(40);
    expect(r.breakdown.stt).toBeCloseTo(14.625, 9);
    expect(r.breakdown.exchange_charges).toBeCloseTo(3.69512, 9); // 3.464175 + 0.230945
    expect(r.breakdown.gst).toBeCloseTo(7.8669936, 9); // 4.2253065 + 3.6416871
    expect(r.breakdown.sebi_charges).toBeCloseTo(0.0104, 12); // 0.00975 + 0.00065
    expect(r.breakdown.stamp_duty).toBe(0);
    expect(r.breakdown.total_charges).toBe(r.total_entry_cost);
  });

  it('breakeven of each leg after its round-trip charges', () => {
    // Short: (150 - x) x 65 = 42.3242315 + exit(x), exit(x) = 20 + 65x x (0.0003553 + 0.000001)
    //   + 0.18 x (20 + 65x x 0.0003563) = 23.6 + 65x x 0.000420434 (stamp rounds to 0 here)
    //   -> 65x x 1.000420434 = 9750 - 42.3242315 - 23.6 -> x = 148.92316869...
    expect(short!.breakeven).toBeCloseTo(148.923168690341, 9);
    // Long: (x - 10) x 65 = 23.8732821 + exit(x), exit(x) = 23.6 + 65x x (0.0015 + 0.0003563
    //   + 0.18 x 0.0003563) = 23.6 + 65x x 0.001920434
    //   -> 65x x 0.998079566 = 650 + 23.8732821 + 23.6 -> x = 10.7510047...
    expect(long!.breakeven).toBeCloseTo(10.75100478126996, 9);
  });

  it('CHARGES_HIGH on the cheap long leg only: 48.72 of round trip on 650 of premium is 7.50% > 5%', () => {
    expect(r.warnings).toEqual([
      {
        code: 'CHARGES_HIGH',
        leg: 1,
        message: 'NFO:NIFTY26DEC26500CE: round-trip charges 48.72 are 7.50% of the order value 650.00, above 5%',
      },
    ]);
    // A 10% threshold (config costs.charges_warning_pct) lets it pass.
    expect(ok(estimateCosts(input, deps({ chargesWarningPct: 10 }))).warnings).toEqual([]);
  });
});

describe('estimateCosts: equity, futures and MCX legs', () => {
  it('equity delivery with an exit price: exit charges at that price, breakeven', () => {
    const r = ok(
      estimateCosts(
        { legs: [{ symbol: 'NSE:SBIN', quantity: 10, price: 800, side: 'BUY', product: 'CNC', exit_price: 820 }] },
        deps(),
      ),
    );
    const leg = r.legs[0]!;
    expect(leg.segment).toBe('equity_delivery');
    // entry: STT 8 + exchange 0.2456 + SEBI 0.008 + stamp 1 + GST 0.045648 = 9.299248
    expect(leg.charges.total).toBeCloseTo(9.299248, 9);
    // exit: sell 10 at 820 = 8200: STT 8.2; exchange 8200 x 0.00297% = 0.24354 + IPFT 0.0082 =
    // 0.25174; SEBI 0.0082; GST 0.18 x (0.25174 + 0.0082) = 0.0467892; total 8.5067292
    expect(leg.exit).toMatchObject({ price: 820, side: 'SELL', order_value: 8200 });
    expect(leg.exit.charges.total).toBeCloseTo(8.5067292, 9);
    // breakeven: 10(x - 800) = 9.299248 + 10x x 0.001037406 (STT 0.1% + exchange 0.00297%
    // + IPFT 0.0001% + SEBI 0.0001% + GST 18% of the last three) -> x = 800.9299248 / 0.998962594
    expect(leg.breakeven).toBeCloseTo(801.7616771744708, 9);
    expect(r.warnings).toEqual([]);
  });

  it('equity intraday short: brokerage capped both ways', () => {
    const r = ok(
      estimateCosts(
        { legs: [{ symbol: 'NSE:SBIN', quantity: 100, price: 800, side: 'SELL', product: 'MIS' }] },
        deps(),
      ),
    );
    // entry (sell 80000): 20 + 2.456 + 0.08 + 20 + 4.05648 = 46.59248; exit (buy): 28.59248
    expect(r.legs[0]!.segment).toBe('equity_intraday');
    expect(r.total_entry_cost).toBeCloseTo(46.59248, 9);
    expect(r.total_exit_cost).toBeCloseTo(28.59248, 9);
  });

  it('MCX future: order value in lots x multiplier', () => {
    const r = ok(
      estimateCosts(
        { legs: [{ symbol: 'MCX:CRUDEOIL26DECFUT', quantity: 2, price: 6000, side: 'SELL', product: 'NRML' }] },
        deps(),
      ),
    );
    const leg = r.legs[0]!;
    // 2 lots x 6000 x 100 barrels = 12,00,000
    expect(leg.order_value).toBe(1_200_000);
    expect(leg.segment).toBe('commodity_futures');
    // sell: CTT 120 + exchange 25.2 + SEBI 1.2 + brokerage 20 + GST 8.352 = 174.752
    expect(leg.charges.total).toBeCloseTo(174.752, 9);
    expect(leg.charges.transaction_tax_type).toBe('ctt');
    // buy back: 25.2 + 1.2 + 20 + stamp 24 + 8.352 = 78.752
    expect(leg.exit.charges.total).toBeCloseTo(78.752, 9);
    // breakeven: (6000 - x) x 200 = 174.752 + exit(x), exit(x) = brokerage 20 + stamp 24
    // (200x x 0.002% = 23.99... rounds to 24 near x = 5999) + GST 0.18 x 20 = 3.6
    // + 200x x (0.000021 + 0.000001 + 0.18 x 0.000022) = 47.6 + 200x x 0.00002596
    // -> 200x x 1.00002596 = 1200000 - 222.352 -> x = 1199777.648 / 200.005192 = 5998.73251...
    expect(leg.breakeven).toBeCloseTo(5998.7325129039655, 9);
  });

  it('warns LOT_MULTIPLE and OFF_TICK for a known instrument, NOT_IN_MASTER for an expired contract', () => {
    const r = ok(
      estimateCosts(
        {
          legs: [
            {
              symbol: 'NFO:NIFTY26DECFUT',
              quantity: 70,
              price: 24000.03,
              side: 'BUY',
              product: 'NRML',
              exit_price: 24100.01,
            },
            { symbol: 'NFO:NIFTY2371317900PE', quantity: 50, price: 12.5, side: 'BUY', product: 'NRML' },
          ],
        },
        deps(),
      ),
    );
    expect(r.warnings).toEqual([
      { code: 'LOT_MULTIPLE', leg: 0, message: 'NFO:NIFTY26DECFUT: quantity 70 is not a multiple of the lot size 65' },
      {
        code: 'OFF_TICK',
        leg: 0,
        message:
          'NFO:NIFTY26DECFUT: price 24000.03 must be on the tick grid of 0.05 (nearest valid: 24000.00 or 24000.05)',
      },
      {
        code: 'OFF_TICK',
        leg: 0,
        message:
          'NFO:NIFTY26DECFUT: exit_price 24100.01 must be on the tick grid of 0.05 (nearest valid: 24100.00 or 24100.05)',
      },
      {
        code: 'NOT_IN_MASTER',
        leg: 1,
        message:
          'NFO:NIFTY2371317900PE is not in the instrument master (expired or not listed); costed as an option on NIFTY from its symbol',
      },
      expect.objectContaining({ code: 'CHARGES_HIGH', leg: 1 }),
    ]);
    expect(r.legs[1]!.segment).toBe('equity_options');
  });

  it('a sell that cannot cover its charges has no breakeven', () => {
    // 65 x 0.05 = 3.25 of premium against at least 2 x 20 of brokerage: no exit price helps.
    const r = ok(
      estimateCosts(
        { legs: [{ symbol: 'NFO:NIFTY26DEC26000CE', quantity: 65, price: 0.05, side: 'SELL', product: 'NRML' }] },
        deps(),
      ),
    );
    expect(r.legs[0]!.breakeven).toBeNull();
  });
});

describe('estimateCosts: the trade date picks the schedule', () => {
  const leg = { symbol: 'NFO:NIFTY26DEC26000CE', quantity: 65, price: 150, side: 'SELL' as const, product: 'NRML' };

  it('defaults to deps.today; an explicit date uses that date schedule', () => {
    expect(ok(estimateCosts({ legs: [leg] }, deps())).date).toBe('2026-11-25');
    // 2025-06-02: STT 0.1% -> 9750 x 0.001 = 9.75 instead of 14.625
    const r = ok(estimateCosts({ date: '2025-06-02', legs: [leg] }, deps()));
    expect(r.date).toBe('2025-06-02');
    expect(r.legs[0]!.charges.transaction_tax).toBeCloseTo(9.75, 9);
  });

  it('a user schedule passed in deps applies from its date', () => {
    const r = ok(
      estimateCosts(
        { date: '2027-04-01', legs: [leg] },
        deps({
          userSchedules: [{ effective_from: '2027-04-01', transaction_tax: { equity_options: { sell: 0.002 } } }],
        }),
      ),
    );
    // STT 9750 x 0.2% = 19.5
    expect(r.legs[0]!.charges.transaction_tax).toBeCloseTo(19.5, 9);
  });

  it('a date before the earliest schedule is INVALID_INPUT naming the earliest date', () => {
    const e = err(estimateCosts({ date: '2021-12-31', legs: [leg] }, deps()));
    expect(e).toEqual({
      code: 'INVALID_INPUT',
      message:
        'no charge schedule for trade date 2021-12-31: the earliest covers trades from 2022-01-01 (add a [[costs.schedules]] entry to cost earlier trades)',
    });
    expect(err(estimateCosts({ date: '25-11-2026', legs: [leg] }, deps())).message).toMatch(
      /date "25-11-2026" must be a date written YYYY-MM-DD/,
    );
  });
});

describe('estimateCosts: bad input names the leg and the problem', () => {
  const base = { symbol: 'NSE:SBIN', quantity: 10, price: 800, side: 'BUY' as const, product: 'CNC' };
  const bad = (leg: Record<string, unknown>) =>
    err(estimateCosts({ legs: [base, { ...base, ...leg } as never] }, deps()));

  it('quantity must be a positive whole number', () => {
    expect(bad({ quantity: 0 })).toEqual({
      code: 'INVALID_INPUT',
      leg: 1,
      message: 'leg 2 (NSE:SBIN): quantity 0 must be a whole number greater than 0',
    });
    expect(bad({ quantity: -5 }).message).toMatch(/quantity -5 must be a whole number greater than 0/);
    expect(bad({ quantity: 1.5 }).message).toMatch(/quantity 1.5 must be/);
  });

  it('price must be given and above 0; exit_price too when given', () => {
    expect(bad({ price: undefined })).toEqual({
      code: 'INVALID_INPUT',
      leg: 1,
      message: 'leg 2 (NSE:SBIN): price is missing: give a number greater than 0',
    });
    expect(bad({ price: 0 }).message).toBe('leg 2 (NSE:SBIN): price 0 must be a number greater than 0');
    expect(bad({ exit_price: -1 }).message).toMatch(/exit_price -1 must be a number greater than 0/);
  });

  it('symbol, side, exchange, unknown equity, product', () => {
    // Without the master's listing, nothing in "SBIN" says NSE rather than BSE.
    expect(bad({ symbol: 'SBIN' }).message).toBe(
      'leg 2 (SBIN): symbol "SBIN" must be EXCHANGE:TRADINGSYMBOL (it could be on NSE or BSE: write NSE:SBIN or BSE:SBIN)',
    );
    expect(bad({ side: 'HOLD' }).message).toMatch(/leg 2 \(NSE:SBIN\): side "HOLD" must be BUY or SELL/);
    expect(bad({ symbol: 'LSE:VOD' }).message).toMatch(/leg 2 \(LSE:VOD\): symbol "LSE:VOD" .*unknown exchange LSE/);
    expect(bad({ product: 'BO' }).message).toBe('leg 2 (NSE:SBIN): product "BO" must be CNC, MIS or NRML');
    expect(bad({ symbol: 'NSE:NOSUCH' })).toEqual({
      code: 'NOT_FOUND',
      leg: 1,
      message: 'leg 2: no instrument NSE:NOSUCH in the instrument master; an equity must be listed there to be costed',
    });
    expect(bad({ product: 'NRML' }).message).toMatch(/NRML is for derivatives/);
    expect(bad({ symbol: 'NFO:NIFTY23XYZCE', product: 'NRML' }).code).toBe('INVALID_INPUT');
  });

  it('no legs', () => {
    expect(err(estimateCosts({ legs: [] }, deps())).message).toMatch(/no legs/);
  });
});

describe('estimateCosts: a leg as a person writes it', () => {
  const listing = {
    exchangesListing: (symbol: string) => MASTER.filter((i) => i.tradingsymbol === symbol).map((i) => i.exchange),
  };

  it('a bare symbol is placed on the one exchange the master lists it on, or by its grammar', () => {
    const r = ok(
      estimateCosts(
        {
          legs: [
            { symbol: 'sbin', quantity: 10, price: 800, side: 'buy', product: 'cnc' },
            // Expired, so not in the master: NIFTY's options are NFO's.
            { symbol: 'NIFTY25DEC24500CE', quantity: 75, price: 150.5, side: 'BUY', product: 'NRML' },
          ],
        },
        deps(listing),
      ),
    );
    expect(r.legs.map((l) => [l.symbol, l.side, l.product])).toEqual([
      ['NSE:SBIN', 'BUY', 'CNC'],
      ['NFO:NIFTY25DEC24500CE', 'BUY', 'NRML'],
    ]);
  });

  it('a leg without a product gets NRML for a derivative and CNC for an equity, each with a warning', () => {
    const r = ok(
      estimateCosts(
        {
          legs: [
            { symbol: 'NFO:NIFTY26DEC26000CE', quantity: 65, price: 150, side: 'SELL' },
            { symbol: 'NSE:SBIN', quantity: 10, price: 800, side: 'BUY' },
          ],
        },
        deps(),
      ),
    );
    expect(r.legs.map((l) => l.product)).toEqual(['NRML', 'CNC']);
    expect(r.warnings.filter((w) => w.code === 'PRODUCT_DEFAULTED')).toEqual([
      {
        code: 'PRODUCT_DEFAULTED',
        leg: 0,
        message:
          'leg 1 (NFO:NIFTY26DEC26000CE): no product given, so NRML is assumed (carried overnight, as for a future or an option); give "product" to choose CNC, MIS or NRML',
      },
      {
        code: 'PRODUCT_DEFAULTED',
        leg: 1,
        message:
          'leg 2 (NSE:SBIN): no product given, so CNC is assumed (delivery, as for an equity); give "product" to choose CNC, MIS or NRML',
      },
    ]);
    // Defaulted or given, the same charges: the default is the product Kite would use.
    const given = ok(
      estimateCosts(
        { legs: [{ symbol: 'NFO:NIFTY26DEC26000CE', quantity: 65, price: 150, side: 'SELL', product: 'NRML' }] },
        deps(),
      ),
    );
    expect(r.legs[0]!.charges).toEqual(given.legs[0]!.charges);
  });
});

describe('breakevenPrice', () => {
  it('buy with flat charges: entry + charges / quantity exactly', () => {
    // 20 in, 20 out, 10 units: breakeven 100 + 40 / 10 = 104
    expect(breakevenPrice({ side: 'BUY', price: 100, quantity: 10, multiplier: 1 }, 20, () => 20)).toBe(104);
    expect(breakevenPrice({ side: 'SELL', price: 100, quantity: 10, multiplier: 1 }, 20, () => 20)).toBe(96);
  });

  it('with no charges the entry price itself', () => {
    expect(breakevenPrice({ side: 'BUY', price: 100, quantity: 10, multiplier: 1 }, 0, () => 0)).toBe(100);
  });

  it('a step in the exit charges (rounded stamp duty): the first price at which the P&L is not negative', () => {
    // Entry charges 1; exit charges 0 below the step, 10 from it on; 10 units bought at 100.
    // Step at 100.25: below it P&L = 10(x - 100) - 1 is 0 at x = 100.1, before the step.
    const at = (step: number) => (x: number) => (x >= step ? 10 : 0);
    expect(breakevenPrice({ side: 'BUY', price: 100, quantity: 10, multiplier: 1 }, 1, at(100.25))).toBeCloseTo(
      100.1,
      9,
    );
    // Step at 100.05: the P&L jumps from -0.5 to -10.5 there and reaches 0 at 10(x - 100) = 11,
    // x = 101.1.
    expect(breakevenPrice({ side: 'BUY', price: 100, quantity: 10, multiplier: 1 }, 1, at(100.05))).toBeCloseTo(
      101.1,
      9,
    );
  });
});
