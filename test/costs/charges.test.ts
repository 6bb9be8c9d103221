import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ChargeLeg, type KiteCharges, legCharges, turnoverOf } from '../../src/costs/charges.js';
import type {
  ChargeSchedule,
  ChargeSegment,
  ExchangeSegment,
  UserChargeSchedule,
} from '../../src/costs/schedule-schema.js';
import { isScheduleError, scheduleFor } from '../../src/costs/schedules.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/kite');
const basket = JSON.parse(readFileSync(join(FIXTURES, 'basket_margins.json'), 'utf8'));

function schedule(date: string, user: readonly UserChargeSchedule[] = []): ChargeSchedule {
  const s = scheduleFor(date, user);
  if (isScheduleError(s)) throw new Error(s.message);
  return s;
}

/** Hand-worked figures are decimals; the engine's are their binary floats: equal to 1e-9. */
function expectCharges(actual: KiteCharges, expected: Omit<KiteCharges, 'gst'> & { gst: number }) {
  const { gst, ...rest } = expected;
  for (const [k, v] of Object.entries(rest)) {
    if (typeof v === 'number') expect(actual[k as keyof typeof rest], k).toBeCloseTo(v, 9);
    else expect(actual[k as keyof typeof rest], k).toBe(v);
  }
  expect(actual.gst.igst, 'gst.igst').toBeCloseTo(gst, 9);
  expect(actual.gst.total, 'gst.total').toBe(actual.gst.igst);
  expect(actual.gst.cgst).toBe(0);
  expect(actual.gst.sgst).toBe(0);
}

describe("Kite's own charges: basket_margins.json (NIFTY options, July 2023)", () => {
  // The fixture is undated; its contracts are NIFTY's July 2023 series and its exposure margin
  // (2% of 75 x 19,434.15) puts NIFTY near 19,434, as in early July 2023. Kite's pre-trade
  // estimate there has no IPFT levy, while the contract notes of the period carry it in the
  // exchange charge (the built-in 2023-04-01 schedule does): a user schedule that leaves IPFT
  // out reproduces the sample, which checks every other figure and the order of the float
  // operations.
  const july2023 = schedule('2023-07-10', [{ effective_from: '2023-04-01', exchange: { ipft_included: false } }]);
  const [sell, buy] = basket.data.orders as { tradingsymbol: string; charges: KiteCharges }[];
  const nfoOption = { segment: 'equity_options', exchange_segment: 'NFO_OPT' } as const;

  it('reproduces the sold NIFTY23JUL20600CE leg bit for bit', () => {
    expect(sell!.tradingsymbol).toBe('NIFTY23JUL20600CE');
    // STT 1.67109375 = 0.0625% of the premium, so premium = 1.67109375 / 0.000625 = 2673.75
    // (75 x 35.65: its span leg and 2% exposure on 75 x 19,434.15 say the quantity is 75).
    const leg: ChargeLeg = { side: 'SELL', quantity: 75, price: 35.65 };
    expect(turnoverOf(leg)).toBe(2673.75);
    const c = legCharges(leg, nfoOption, july2023);
    // STT: 2673.75 x 0.000625 (0.0625%, sell) = 1.67109375
    expect(c.transaction_tax).toBe(1.67109375);
    expect(c.transaction_tax_type).toBe('stt');
    // exchange: 2673.75 x 0.0005 (NSE options 0.05%) = 1.336875; no IPFT in Kite's figure
    expect(c.exchange_turnover_charge).toBe(1.336875);
    // SEBI: 2673.75 x 0.000001 (10 per crore) = 0.00267375
    expect(c.sebi_turnover_charge).toBe(0.00267375);
    // brokerage: flat 20 per executed option order
    expect(c.brokerage).toBe(20);
    // stamp duty: none on the sell side
    expect(c.stamp_duty).toBe(0);
    // GST: 0.18 x (20 + 1.336875 + 0.00267375) = 0.18 x 21.33954875 = 3.841118775
    //      -> as a double 3.8411187749999995
    expect(c.gst).toEqual({ igst: 3.8411187749999995, cgst: 0, sgst: 0, total: 3.8411187749999995 });
    // total: 1.67109375 + 1.336875 + 0.00267375 + 20 + 0 + 3.841118775 = 26.851761275
    //      -> 26.851761274999998
    expect(c.total).toBe(26.851761274999998);
    expect(c).toEqual(sell!.charges);
  });

  it('reproduces the bought NIFTY23JUL20700CE leg bit for bit', () => {
    expect(buy!.tradingsymbol).toBe('NIFTY23JUL20700CE');
    // option_premium 521.25 = 75 x 6.95
    const leg: ChargeLeg = { side: 'BUY', quantity: 75, price: 6.95 };
    expect(turnoverOf(leg)).toBe(521.25);
    const c = legCharges(leg, nfoOption, july2023);
    // STT: none on an option buy, but Kite still names the tax "stt"
    expect(c.transaction_tax).toBe(0);
    expect(c.transaction_tax_type).toBe('stt');
    // exchange: 521.25 x 0.0005 = 0.260625
    expect(c.exchange_turnover_charge).toBe(0.260625);
    // SEBI: 521.25 x 0.000001 = 0.00052125
    expect(c.sebi_turnover_charge).toBe(0.00052125);
    expect(c.brokerage).toBe(20);
    // stamp duty: 521.25 x 0.00003 (0.003%) = 0.0156375, rounded to the rupee: 0
    expect(c.stamp_duty).toBe(0);
    // GST: 0.18 x (20 + 0.260625 + 0.00052125) = 0.18 x 20.26114625 = 3.647006325
    expect(c.gst.igst).toBe(3.6470063249999995);
    // total: 0 + 0.260625 + 0.00052125 + 20 + 0 + 3.647006325 = 23.908152575
    expect(c.total).toBe(23.908152575);
    expect(c).toEqual(buy!.charges);
  });
});

/**
 * Every segment and side on the 2024-10-01 schedule (trade date 2025-06-02) and the 2026-04-01
 * one (trade date 2026-11-25). Rates (reference, section 1): SEBI 0.0001%; GST 18% of
 * brokerage + exchange charge (IPFT included) + SEBI; stamp duty buy side, rounded to the rupee.
 */
interface Case {
  what: string;
  segment: ChargeSegment;
  exchange_segment: ExchangeSegment;
  leg: ChargeLeg;
  /** Expected on 2024-10 and, where it differs, on 2026-04. */
  expected: Omit<KiteCharges, 'gst'> & { gst: number };
  expected2026?: Partial<Omit<KiteCharges, 'gst'>>;
}

const CASES: Case[] = [
  {
    // turnover 10 x 800 = 8000
    what: 'equity delivery buy (NSE, CNC)',
    segment: 'equity_delivery',
    exchange_segment: 'NSE_EQ',
    leg: { side: 'BUY', quantity: 10, price: 800 },
    expected: {
      transaction_tax: 8, // 8000 x 0.1%
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 0.2456, // 8000 x 0.00297% = 0.2376, + IPFT 8000 x 0.0001% = 0.008
      sebi_turnover_charge: 0.008, // 8000 x 0.0001%
      brokerage: 0, // delivery is free
      stamp_duty: 1, // 8000 x 0.015% = 1.2 -> 1
      gst: 0.045648, // 0.18 x (0 + 0.2456 + 0.008) = 0.18 x 0.2536
      total: 9.299248, // 8 + 0.2456 + 0.008 + 0 + 1 + 0.045648
    },
  },
  {
    what: 'equity delivery sell (NSE, CNC)',
    segment: 'equity_delivery',
    exchange_segment: 'NSE_EQ',
    leg: { side: 'SELL', quantity: 10, price: 800 },
    expected: {
      transaction_tax: 8, // 8000 x 0.1%, both sides
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 0.2456,
      sebi_turnover_charge: 0.008,
      brokerage: 0,
      stamp_duty: 0, // sell side
      gst: 0.045648,
      total: 8.299248, // 8 + 0.2456 + 0.008 + 0.045648
    },
  },
  {
    // turnover 100 x 800 = 80000
    what: 'equity intraday buy (NSE, MIS): brokerage at its cap',
    segment: 'equity_intraday',
    exchange_segment: 'NSE_EQ',
    leg: { side: 'BUY', quantity: 100, price: 800 },
    expected: {
      transaction_tax: 0, // intraday STT is on the sell side only
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 2.456, // 80000 x 0.00297% = 2.376, + 80000 x 0.0001% = 0.08
      sebi_turnover_charge: 0.08,
      brokerage: 20, // min(80000 x 0.03% = 24, 20)
      stamp_duty: 2, // 80000 x 0.003% = 2.4 -> 2
      gst: 4.05648, // 0.18 x (20 + 2.456 + 0.08) = 0.18 x 22.536
      total: 28.59248, // 0 + 2.456 + 0.08 + 20 + 2 + 4.05648
    },
  },
  {
    what: 'equity intraday sell (NSE, MIS)',
    segment: 'equity_intraday',
    exchange_segment: 'NSE_EQ',
    leg: { side: 'SELL', quantity: 100, price: 800 },
    expected: {
      transaction_tax: 20, // 80000 x 0.025%
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 2.456,
      sebi_turnover_charge: 0.08,
      brokerage: 20,
      stamp_duty: 0,
      gst: 4.05648,
      total: 46.59248, // 20 + 2.456 + 0.08 + 20 + 4.05648
    },
  },
  {
    // turnover 10 x 800 = 8000
    what: 'equity intraday buy (BSE, MIS): brokerage under its cap, no IPFT',
    segment: 'equity_intraday',
    exchange_segment: 'BSE_EQ',
    leg: { side: 'BUY', quantity: 10, price: 800 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 0.3, // 8000 x 0.00375%
      sebi_turnover_charge: 0.008,
      brokerage: 2.4, // min(8000 x 0.03% = 2.4, 20)
      stamp_duty: 0, // 8000 x 0.003% = 0.24 -> 0
      gst: 0.48744, // 0.18 x (2.4 + 0.3 + 0.008) = 0.18 x 2.708
      total: 3.19544, // 0.3 + 0.008 + 2.4 + 0.48744
    },
  },
  {
    what: 'equity intraday sell (BSE, MIS)',
    segment: 'equity_intraday',
    exchange_segment: 'BSE_EQ',
    leg: { side: 'SELL', quantity: 10, price: 800 },
    expected: {
      transaction_tax: 2, // 8000 x 0.025%
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 0.3,
      sebi_turnover_charge: 0.008,
      brokerage: 2.4,
      stamp_duty: 0,
      gst: 0.48744,
      total: 5.19544, // 2 + 0.3 + 0.008 + 2.4 + 0.48744
    },
  },
  {
    // turnover 75 x 24000 = 18,00,000
    what: 'NFO future buy',
    segment: 'equity_futures',
    exchange_segment: 'NFO_FUT',
    leg: { side: 'BUY', quantity: 75, price: 24000 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 32.94, // 1800000 x 0.00173% = 31.14, + IPFT 0.0001% = 1.8
      sebi_turnover_charge: 1.8, // 1800000 x 0.0001%
      brokerage: 20, // min(540, 20)
      stamp_duty: 36, // 1800000 x 0.002%
      gst: 9.8532, // 0.18 x (20 + 32.94 + 1.8) = 0.18 x 54.74
      total: 100.5932, // 32.94 + 1.8 + 20 + 36 + 9.8532
    },
  },
  {
    what: 'NFO future sell',
    segment: 'equity_futures',
    exchange_segment: 'NFO_FUT',
    leg: { side: 'SELL', quantity: 75, price: 24000 },
    expected: {
      transaction_tax: 360, // 1800000 x 0.02%
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 32.94,
      sebi_turnover_charge: 1.8,
      brokerage: 20,
      stamp_duty: 0,
      gst: 9.8532,
      total: 424.5932, // 360 + 32.94 + 1.8 + 20 + 9.8532
    },
    // 2026-04: STT 1800000 x 0.05% = 900; total 900 + 32.94 + 1.8 + 20 + 9.8532
    expected2026: { transaction_tax: 900, total: 964.5932 },
  },
  {
    // premium 75 x 150 = 11250
    what: 'NFO option buy',
    segment: 'equity_options',
    exchange_segment: 'NFO_OPT',
    leg: { side: 'BUY', quantity: 75, price: 150 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 3.997125, // 11250 x 0.03503% = 3.940875, + IPFT 0.0005% = 0.05625
      sebi_turnover_charge: 0.01125,
      brokerage: 20, // flat
      stamp_duty: 0, // 11250 x 0.003% = 0.3375 -> 0
      gst: 4.3215075, // 0.18 x (20 + 3.997125 + 0.01125) = 0.18 x 24.008375
      total: 28.3298825, // 3.997125 + 0.01125 + 20 + 4.3215075
    },
  },
  {
    what: 'NFO option sell',
    segment: 'equity_options',
    exchange_segment: 'NFO_OPT',
    leg: { side: 'SELL', quantity: 75, price: 150 },
    expected: {
      transaction_tax: 11.25, // 11250 x 0.1%
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 3.997125,
      sebi_turnover_charge: 0.01125,
      brokerage: 20,
      stamp_duty: 0,
      gst: 4.3215075,
      total: 39.5798825, // 11.25 + 3.997125 + 0.01125 + 20 + 4.3215075
    },
    // 2026-04: STT 11250 x 0.15% = 16.875; total 16.875 + 3.997125 + 0.01125 + 20 + 4.3215075
    expected2026: { transaction_tax: 16.875, total: 45.2048825 },
  },
  {
    // premium 20 x 300 = 6000
    what: 'BFO option buy (SENSEX)',
    segment: 'equity_options',
    exchange_segment: 'BFO_OPT',
    leg: { side: 'BUY', quantity: 20, price: 300 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 1.95, // 6000 x 0.0325%, no IPFT on BSE
      sebi_turnover_charge: 0.006,
      brokerage: 20,
      stamp_duty: 0, // 6000 x 0.003% = 0.18 -> 0
      gst: 3.95208, // 0.18 x (20 + 1.95 + 0.006) = 0.18 x 21.956
      total: 25.90808, // 1.95 + 0.006 + 20 + 3.95208
    },
  },
  {
    what: 'BFO option sell (SENSEX)',
    segment: 'equity_options',
    exchange_segment: 'BFO_OPT',
    leg: { side: 'SELL', quantity: 20, price: 300 },
    expected: {
      transaction_tax: 6, // 6000 x 0.1%
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 1.95,
      sebi_turnover_charge: 0.006,
      brokerage: 20,
      stamp_duty: 0,
      gst: 3.95208,
      total: 31.90808, // 6 + 1.95 + 0.006 + 20 + 3.95208
    },
    // 2026-04: STT 6000 x 0.15% = 9; total 34.90808
    expected2026: { transaction_tax: 9, total: 34.90808 },
  },
  {
    // 20 x 80000 = 16,00,000
    what: 'BFO future buy (SENSEX): no exchange charge',
    segment: 'equity_futures',
    exchange_segment: 'BFO_FUT',
    leg: { side: 'BUY', quantity: 20, price: 80000 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 0, // BSE futures: 0
      sebi_turnover_charge: 1.6,
      brokerage: 20,
      stamp_duty: 32, // 1600000 x 0.002%
      gst: 3.888, // 0.18 x (20 + 0 + 1.6)
      total: 57.488, // 1.6 + 20 + 32 + 3.888
    },
  },
  {
    what: 'BFO future sell (SENSEX)',
    segment: 'equity_futures',
    exchange_segment: 'BFO_FUT',
    leg: { side: 'SELL', quantity: 20, price: 80000 },
    expected: {
      transaction_tax: 320, // 1600000 x 0.02%
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 0,
      sebi_turnover_charge: 1.6,
      brokerage: 20,
      stamp_duty: 0,
      gst: 3.888,
      total: 345.488,
    },
    // 2026-04: STT 1600000 x 0.05% = 800; total 825.488
    expected2026: { transaction_tax: 800, total: 825.488 },
  },
  {
    // 2 lots x 6000 x 100 barrels = 12,00,000
    what: 'MCX future buy (CRUDEOIL, 2 lots of 100)',
    segment: 'commodity_futures',
    exchange_segment: 'MCX_FUT',
    leg: { side: 'BUY', quantity: 2, price: 6000, multiplier: 100 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: 'ctt',
      exchange_turnover_charge: 25.2, // 1200000 x 0.0021%
      sebi_turnover_charge: 1.2,
      brokerage: 20, // min(360, 20)
      stamp_duty: 24, // 1200000 x 0.002%
      gst: 8.352, // 0.18 x (20 + 25.2 + 1.2) = 0.18 x 46.4
      total: 78.752, // 25.2 + 1.2 + 20 + 24 + 8.352
    },
  },
  {
    what: 'MCX future sell (CRUDEOIL)',
    segment: 'commodity_futures',
    exchange_segment: 'MCX_FUT',
    leg: { side: 'SELL', quantity: 2, price: 6000, multiplier: 100 },
    expected: {
      transaction_tax: 120, // CTT 1200000 x 0.01%
      transaction_tax_type: 'ctt',
      exchange_turnover_charge: 25.2,
      sebi_turnover_charge: 1.2,
      brokerage: 20,
      stamp_duty: 0,
      gst: 8.352,
      total: 174.752, // 120 + 25.2 + 1.2 + 20 + 8.352
    },
  },
  {
    // 1 lot x 200 x 100 = 20000 of premium
    what: 'MCX option buy (CRUDEOIL)',
    segment: 'commodity_options',
    exchange_segment: 'MCX_OPT',
    leg: { side: 'BUY', quantity: 1, price: 200, multiplier: 100 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: 'ctt',
      exchange_turnover_charge: 8.36, // 20000 x 0.0418%
      sebi_turnover_charge: 0.02,
      brokerage: 20,
      stamp_duty: 1, // 20000 x 0.003% = 0.6 -> 1
      gst: 5.1084, // 0.18 x (20 + 8.36 + 0.02) = 0.18 x 28.38
      total: 34.4884, // 8.36 + 0.02 + 20 + 1 + 5.1084
    },
  },
  {
    what: 'MCX option sell (CRUDEOIL)',
    segment: 'commodity_options',
    exchange_segment: 'MCX_OPT',
    leg: { side: 'SELL', quantity: 1, price: 200, multiplier: 100 },
    expected: {
      transaction_tax: 10, // CTT 20000 x 0.05%
      transaction_tax_type: 'ctt',
      exchange_turnover_charge: 8.36,
      sebi_turnover_charge: 0.02,
      brokerage: 20,
      stamp_duty: 0,
      gst: 5.1084,
      total: 43.4884, // 10 + 8.36 + 0.02 + 20 + 5.1084
    },
  },
  {
    // 10 lots x 84 x 1000 USD = 8,40,000
    what: 'CDS future buy (USDINR, 10 lots of 1000)',
    segment: 'currency_futures',
    exchange_segment: 'CDS_FUT',
    leg: { side: 'BUY', quantity: 10, price: 84, multiplier: 1000 },
    expected: {
      transaction_tax: 0, // no STT on currency
      transaction_tax_type: '',
      exchange_turnover_charge: 2.94, // 840000 x 0.00035%
      sebi_turnover_charge: 0.84,
      brokerage: 20, // min(252, 20)
      stamp_duty: 1, // 840000 x 0.0001% = 0.84 -> 1
      gst: 4.2804, // 0.18 x (20 + 2.94 + 0.84) = 0.18 x 23.78
      total: 29.0604, // 2.94 + 0.84 + 20 + 1 + 4.2804
    },
  },
  {
    what: 'CDS future sell (USDINR)',
    segment: 'currency_futures',
    exchange_segment: 'CDS_FUT',
    leg: { side: 'SELL', quantity: 10, price: 84, multiplier: 1000 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: '',
      exchange_turnover_charge: 2.94,
      sebi_turnover_charge: 0.84,
      brokerage: 20,
      stamp_duty: 0,
      gst: 4.2804,
      total: 28.0604,
    },
  },
  {
    // 10 lots x 0.25 x 1000 = 2500 of premium
    what: 'CDS option buy (USDINR)',
    segment: 'currency_options',
    exchange_segment: 'CDS_OPT',
    leg: { side: 'BUY', quantity: 10, price: 0.25, multiplier: 1000 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: '',
      exchange_turnover_charge: 0.7775, // 2500 x 0.0311%
      sebi_turnover_charge: 0.0025,
      brokerage: 20,
      stamp_duty: 0, // 2500 x 0.0001% = 0.0025 -> 0
      gst: 3.7404, // 0.18 x (20 + 0.7775 + 0.0025) = 0.18 x 20.78
      total: 24.5204, // 0.7775 + 0.0025 + 20 + 3.7404
    },
  },
  {
    what: 'CDS option sell (USDINR)',
    segment: 'currency_options',
    exchange_segment: 'CDS_OPT',
    leg: { side: 'SELL', quantity: 10, price: 0.25, multiplier: 1000 },
    expected: {
      transaction_tax: 0,
      transaction_tax_type: '',
      exchange_turnover_charge: 0.7775,
      sebi_turnover_charge: 0.0025,
      brokerage: 20,
      stamp_duty: 0,
      gst: 3.7404,
      total: 24.5204,
    },
  },
];

describe('hand-checked charges for every segment and side', () => {
  for (const [label, date] of [
    ['2024-10 schedule', '2025-06-02'],
    ['2026-04 schedule', '2026-11-25'],
  ] as const) {
    describe(label, () => {
      const s = schedule(date);
      for (const c of CASES) {
        it(c.what, () => {
          const expected = date === '2026-11-25' ? { ...c.expected, ...c.expected2026 } : c.expected;
          expectCharges(legCharges(c.leg, c, s), expected);
        });
      }
    });
  }

  it('the 2026 STT rise is the only change between the two schedules', () => {
    const changed = CASES.filter((c) => c.expected2026).map((c) => c.what);
    expect(changed).toEqual([
      'NFO future sell',
      'NFO option sell',
      'BFO option sell (SENSEX)',
      'BFO future sell (SENSEX)',
    ]);
  });

  it('stamp duty follows the schedule rounding: none, paise, rupee', () => {
    const base = schedule('2025-06-02');
    // NFO option buy, premium 11250: exact stamp 11250 x 0.003% = 0.3375
    const leg: ChargeLeg = { side: 'BUY', quantity: 75, price: 150 };
    const seg = { segment: 'equity_options', exchange_segment: 'NFO_OPT' } as const;
    const withRounding = (rounding: 'none' | 'paise' | 'rupee') =>
      legCharges(leg, seg, { ...base, stamp_duty: { ...base.stamp_duty, rounding } }).stamp_duty;
    expect(withRounding('none')).toBeCloseTo(0.3375, 12);
    expect(withRounding('paise')).toBe(0.34);
    expect(withRounding('rupee')).toBe(0);
  });
});
