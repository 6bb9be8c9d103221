import { describe, expect, it } from 'vitest';
import { type ChargeLeg, type KiteCharges, legCharges } from '../../src/costs/charges.js';
import type { ChargeSchedule, ChargeSegment, ExchangeSegment } from '../../src/costs/schedule-schema.js';
import { isScheduleError, scheduleFor } from '../../src/costs/schedules.js';

/**
 * Trades before 2024 on the built-in schedules: the reference's column "to 2023-03-31" and the
 * 2023-04-01 one with NSE's IPFT levy inside the exchange charge but outside GST's base.
 * Rates are the reference's (india-markets.md, section 1).
 */

function schedule(date: string): ChargeSchedule {
  const s = scheduleFor(date);
  if (isScheduleError(s)) throw new Error(s.message);
  return s;
}

type Expected = Omit<KiteCharges, 'gst' | 'transaction_tax_type'> & { gst: number };

/** Hand-worked figures are decimals; the engine's are their binary floats: equal to 1e-9. */
function expectCharges(actual: KiteCharges, expected: Expected) {
  const { gst, ...rest } = expected;
  for (const [k, v] of Object.entries(rest)) expect(actual[k as keyof typeof rest], k).toBeCloseTo(v, 9);
  expect(actual.gst.igst, 'gst').toBeCloseTo(gst, 9);
}

const seg = (segment: ChargeSegment, exchange_segment: ExchangeSegment) => ({ segment, exchange_segment });
const nfoOption = seg('equity_options', 'NFO_OPT');

describe('a 2023 trade after 2023-04-01: IPFT in the exchange charge, not in the GST base', () => {
  const july = schedule('2023-07-10');

  it('an NFO option sold: premium 75 x 35.65 = 2673.75', () => {
    const c = legCharges({ side: 'SELL', quantity: 75, price: 35.65 }, nfoOption, july);
    expectCharges(c, {
      transaction_tax: 1.67109375, // 2673.75 x 0.0625%
      // 2673.75 x 0.05% = 1.336875, + IPFT 2673.75 x 0.0005% = 0.01336875
      exchange_turnover_charge: 1.35024375,
      sebi_turnover_charge: 0.00267375, // 2673.75 x 0.0001%
      brokerage: 20, // flat per option order
      stamp_duty: 0, // sell side
      // 0.18 x (20 + 1.336875 + 0.00267375): the IPFT 0.01336875 is left out of the base
      gst: 3.841118775,
      // 1.67109375 + 1.35024375 + 0.00267375 + 20 + 0 + 3.841118775
      total: 26.865130025,
    });
    expect(c.transaction_tax_type).toBe('stt');
  });

  it('an NSE intraday buy: 100 x 2450 = 2,45,000', () => {
    const c = legCharges({ side: 'BUY', quantity: 100, price: 2450 }, seg('equity_intraday', 'NSE_EQ'), july);
    expectCharges(c, {
      transaction_tax: 0, // intraday STT is on the sell side
      // 245000 x 0.00325% = 7.9625, + IPFT 245000 x 0.0001% = 0.245
      exchange_turnover_charge: 8.2075,
      sebi_turnover_charge: 0.245, // 245000 x 0.0001%
      brokerage: 20, // min(245000 x 0.03% = 73.5, 20)
      stamp_duty: 7, // 245000 x 0.003% = 7.35, to the rupee
      gst: 5.07735, // 0.18 x (20 + 7.9625 + 0.245) = 0.18 x 28.2075
      total: 40.52985, // 8.2075 + 0.245 + 20 + 7 + 5.07735
    });
  });

  it('BSE and MCX charge no IPFT', () => {
    // BSE cash delivery sell of 10 x 1500 = 15000: 15000 x 0.00375% = 0.5625, nothing more.
    const bse = legCharges({ side: 'SELL', quantity: 10, price: 1500 }, seg('equity_delivery', 'BSE_EQ'), july);
    expect(bse.exchange_turnover_charge).toBeCloseTo(0.5625, 12);
    // MCX future buy of 1 x 60000 x 100 (multiplier) = 60,00,000: x 0.0026% = 156.
    const mcx = legCharges(
      { side: 'BUY', quantity: 1, price: 60000, multiplier: 100 },
      seg('commodity_futures', 'MCX_FUT'),
      july,
    );
    expect(mcx.exchange_turnover_charge).toBeCloseTo(156, 9);
  });
});

describe('a January 2023 trade: the schedule before 2023-04-01', () => {
  const january = schedule('2023-01-16');

  it('an NFO option sold: premium 50 x 120 = 6000', () => {
    expectCharges(legCharges({ side: 'SELL', quantity: 50, price: 120 }, nfoOption, january), {
      transaction_tax: 3, // 6000 x 0.05%
      exchange_turnover_charge: 3.18, // 6000 x 0.053%, no IPFT yet
      sebi_turnover_charge: 0.006,
      brokerage: 20,
      stamp_duty: 0,
      gst: 4.17348, // 0.18 x (20 + 3.18 + 0.006) = 0.18 x 23.186
      total: 30.35948, // 3 + 3.18 + 0.006 + 20 + 4.17348
    });
  });

  it('an NFO future sold: 50 x 18000 = 9,00,000', () => {
    expectCharges(legCharges({ side: 'SELL', quantity: 50, price: 18000 }, seg('equity_futures', 'NFO_FUT'), january), {
      transaction_tax: 90, // 900000 x 0.01%
      exchange_turnover_charge: 18, // 900000 x 0.002% (unconfirmed rate)
      sebi_turnover_charge: 0.9,
      brokerage: 20, // min(900000 x 0.03% = 270, 20)
      stamp_duty: 0,
      gst: 7.002, // 0.18 x (20 + 18 + 0.9) = 0.18 x 38.9
      total: 135.902, // 90 + 18 + 0.9 + 20 + 7.002
    });
  });

  it('an NSE delivery buy: 10 x 1500 = 15000', () => {
    expectCharges(legCharges({ side: 'BUY', quantity: 10, price: 1500 }, seg('equity_delivery', 'NSE_EQ'), january), {
      transaction_tax: 15, // 15000 x 0.1%
      exchange_turnover_charge: 0.5175, // 15000 x 0.00345%
      sebi_turnover_charge: 0.015,
      brokerage: 0,
      stamp_duty: 2, // 15000 x 0.015% = 2.25, to the rupee
      gst: 0.09585, // 0.18 x (0 + 0.5175 + 0.015) = 0.18 x 0.5325
      total: 17.62835, // 15 + 0.5175 + 0.015 + 0 + 2 + 0.09585
    });
  });
});

describe('the boundary days', () => {
  // The same NFO option sale, premium 50 x 120 = 6000, on each side of each change.
  const leg: ChargeLeg = { side: 'SELL', quantity: 50, price: 120 };
  const total = (date: string) => legCharges(leg, nfoOption, schedule(date)).total;

  it('2021-12-31 has no schedule; 2022-01-01 is the first day costed', () => {
    const before = scheduleFor('2021-12-31');
    expect(isScheduleError(before) && before.code).toBe('NO_SCHEDULE');
    expect(total('2022-01-01')).toBeCloseTo(30.35948, 9); // as in January 2023 above
  });

  it('2023-03-31 is the old schedule, 2023-04-01 the new one with IPFT', () => {
    expect(total('2023-03-31')).toBeCloseTo(30.35948, 9);
    // STT 6000 x 0.0625% = 3.75; exchange 6000 x 0.05% = 3 + IPFT 6000 x 0.0005% = 0.03;
    // SEBI 0.006; GST 0.18 x (20 + 3 + 0.006) = 4.14108 (IPFT outside the base);
    // total 3.75 + 3.03 + 0.006 + 20 + 4.14108 = 30.92708
    expect(total('2023-04-01')).toBeCloseTo(30.92708, 9);
  });

  it('from 2024-01-01 GST is levied on the IPFT too', () => {
    const dec = legCharges(leg, nfoOption, schedule('2023-12-31'));
    const jan = legCharges(leg, nfoOption, schedule('2024-01-01'));
    expect(dec.total).toBeCloseTo(30.92708, 9);
    // exchange 6000 x 0.0495% = 2.97 + IPFT 0.03 = 3; GST 0.18 x (20 + 3 + 0.006) = 4.14108,
    // the IPFT now inside the base; total 3.75 + 3 + 0.006 + 20 + 4.14108 = 30.89708
    expect(jan.exchange_turnover_charge).toBeCloseTo(3, 12);
    expect(jan.gst.igst).toBeCloseTo(4.14108, 12);
    expect(jan.total).toBeCloseTo(30.89708, 9);
    // On 2023-12-31 the base is 20 + 3 + 0.006 as well, but its 3 is the exchange's own
    // 0.05%: the IPFT 0.03 on top is not taxed (0.18 x 0.03 = 0.0054 less GST than if it were).
    expect(dec.exchange_turnover_charge).toBeCloseTo(3.03, 12);
    expect(dec.gst.igst).toBeCloseTo(0.18 * (20 + 3 + 0.006), 12);
  });
});
