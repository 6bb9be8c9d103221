/**
 * Zerodha's charges on one executed order, as dated schedules, and the choice of the schedule
 * in force on a trade date.
 *
 * Source of every figure: the project's reference (india-markets.md, section 1: "Charges on
 * one executed order"), which gathers exchange circulars, Finance Acts and Zerodha's pages;
 * each row below names the table cell it comes from. Figures the reference marks
 * "unconfirmed" are listed in each schedule's `unconfirmed`. A user corrects or extends them
 * in config (`[[costs.schedules]]`, see `chargeScheduleSchema`) without a release.
 *
 * The earliest schedule is the reference's column "to 2023-03-31". The reference gives it no
 * start date; som applies it from 2022-01-01 so that any trade since 2022 is costed (its
 * `effective_from` is marked unconfirmed). Earlier trades need a user schedule.
 *
 * Choices made where the evidence is thin:
 * - IPFT: NSE levies it from 2023-04-01 and Zerodha's contract notes show it inside
 *   `exchange_turnover_charge` from then on, but left it out of the GST base until at least
 *   mid-2023; by 2025 Kite's API taxes the whole exchange charge. The 2023-04-01 schedule
 *   charges IPFT without GST on it; from 2024-01-01 GST is levied on the whole charge (when
 *   exactly the base changed is unconfirmed). Kite's pre-trade basket-margin sample of July
 *   2023 contracts (basket_margins.json) has no IPFT at all; som costs fills as the contract
 *   note does, and a user schedule with `exchange.ipft_included = false` reproduces the
 *   sample (test/costs/charges.test.ts).
 * - Stamp duty is rounded to the rupee per order: Kite's July 2023 basket charges show 0 for
 *   an exact 0.0156375, and the reference reports the contract note showing 0 below 0.5 rupee.
 *   (Kite's older order-margin sample showed 0.22 for 0.2247, i.e. paise; a user schedule can
 *   say `rounding = "paise"` or `"none"`.) Unconfirmed.
 */

import { isIsoDate } from '../market/ist.js';
import {
  type BrokerageRule,
  CHARGE_SEGMENTS,
  type ChargeSchedule,
  type ChargeSegment,
  EXCHANGE_SEGMENTS,
  type ScheduleFigure,
  type UserChargeSchedule,
} from './schedule-schema.js';

/**
 * Zerodha's brokerage per executed order (reference, "Brokerage (Zerodha)"), unchanged over
 * 2022-2026: delivery free; intraday and every kind of future 0.03% or 20 whichever is lower;
 * every kind of option a flat 20.
 */
const ZERODHA_BROKERAGE: Record<ChargeSegment, BrokerageRule> = {
  equity_delivery: { kind: 'flat', amount: 0 },
  equity_intraday: { kind: 'rate_capped', rate: 0.0003, cap: 20 }, // 0.03%
  equity_futures: { kind: 'rate_capped', rate: 0.0003, cap: 20 }, // 0.03%
  equity_options: { kind: 'flat', amount: 20 },
  commodity_futures: { kind: 'rate_capped', rate: 0.0003, cap: 20 }, // 0.03%
  commodity_options: { kind: 'flat', amount: 20 },
  currency_futures: { kind: 'rate_capped', rate: 0.0003, cap: 20 }, // 0.03%
  currency_options: { kind: 'flat', amount: 20 },
};

/**
 * The first schedule, the reference's column "to 2023-03-31"; later ones list only what
 * changed (merged as a user schedule is).
 */
const FROM_2022_01_01: ChargeSchedule = {
  effective_from: '2022-01-01',
  source: 'india-markets.md section 1, columns "to 2023-03-31"',
  unconfirmed: [
    'effective_from', // the column has no start date: som applies it from 2022
    'exchange.rates.NFO_FUT.rate',
    'exchange.rates.BFO_OPT.rate',
    'exchange.rates.CDS_FUT.rate',
    'exchange.rates.CDS_OPT.rate',
    'stamp_duty.rounding',
  ],
  brokerage: ZERODHA_BROKERAGE,
  // STT/CTT table, column "to 2023-03-31".
  transaction_tax: {
    equity_delivery: { type: 'stt', buy: 0.001, sell: 0.001 }, // 0.1% both sides
    equity_intraday: { type: 'stt', buy: 0, sell: 0.00025 }, // 0.025% sell
    equity_futures: { type: 'stt', buy: 0, sell: 0.0001 }, // 0.01% sell
    equity_options: { type: 'stt', buy: 0, sell: 0.0005 }, // 0.05% of premium, sell
    commodity_futures: { type: 'ctt', buy: 0, sell: 0.0001 }, // CTT 0.01% sell (non-agri)
    commodity_options: { type: 'ctt', buy: 0, sell: 0.0005 }, // CTT 0.05% sell
    currency_futures: { type: '', buy: 0, sell: 0 }, // none on currency
    currency_options: { type: '', buy: 0, sell: 0 },
  },
  // Exchange table, column "to 2023-03-31"; no IPFT before 2023-04-01.
  exchange: {
    ipft_included: false,
    rates: {
      NSE_EQ: { rate: 0.0000345, ipft: 0 }, // 0.00345%
      BSE_EQ: { rate: 0.0000375, ipft: 0 }, // 0.00375% (A/B groups)
      NFO_FUT: { rate: 0.00002, ipft: 0 }, // 0.002% (unconfirmed)
      NFO_OPT: { rate: 0.00053, ipft: 0 }, // 0.053% of premium
      BFO_FUT: { rate: 0, ipft: 0 }, // 0
      BFO_OPT: { rate: 0.00005, ipft: 0 }, // 0.005% (unconfirmed)
      MCX_FUT: { rate: 0.000026, ipft: 0 }, // 0.0026%
      MCX_OPT: { rate: 0.0005, ipft: 0 }, // 0.05% of premium
      CDS_FUT: { rate: 0.000009, ipft: 0 }, // 0.0009% (unconfirmed)
      CDS_OPT: { rate: 0.00035, ipft: 0 }, // 0.035% (unconfirmed)
    },
  },
  sebi_rate: 0.000001, // 10 rupees per crore = 0.0001%
  gst: { rate: 0.18, base_includes_ipft: false }, // 18% of brokerage + exchange charge + SEBI fee
  // Stamp duty, buy side only, uniform since 2020-07-01.
  stamp_duty: {
    rates: {
      equity_delivery: 0.00015, // 0.015%
      equity_intraday: 0.00003, // 0.003%
      equity_futures: 0.00002, // 0.002%
      equity_options: 0.00003, // 0.003% of premium
      commodity_futures: 0.00002, // 0.002%
      commodity_options: 0.00003, // 0.003%
      currency_futures: 0.000001, // 0.0001%
      currency_options: 0.000001, // 0.0001%
    },
    rounding: 'rupee', // see the module comment
  },
};

/**
 * STT column "from 2023-04-01" (Finance Act 2023 raised F&O STT) and exchange column
 * "2023-04-01 .. 2023-12-31": NSE's new charges and its IPFT levy, 0.0001% on cash and
 * futures and 0.0005% on options, shown in the exchange charge but outside GST's base.
 * (IPFT on currency derivatives is unconfirmed: none charged.)
 */
const FROM_2023_04_01: UserChargeSchedule = {
  effective_from: '2023-04-01',
  source: 'india-markets.md section 1, columns "from 2023-04-01" / "2023-04-01 .. 2023-12-31"',
  unconfirmed: ['exchange.rates.NFO_FUT.rate'],
  transaction_tax: {
    equity_futures: { sell: 0.000125 }, // 0.0125% sell
    equity_options: { sell: 0.000625 }, // 0.0625% of premium, sell
  },
  exchange: {
    ipft_included: true,
    rates: {
      NSE_EQ: { rate: 0.0000325, ipft: 0.000001 }, // 0.00325% + IPFT 0.0001%
      NFO_FUT: { rate: 0.000019, ipft: 0.000001 }, // 0.0019% + IPFT 0.0001% (rate unconfirmed)
      NFO_OPT: { rate: 0.0005, ipft: 0.000005 }, // 0.05% of premium + IPFT 0.0005%
    },
  },
  gst: { base_includes_ipft: false }, // Zerodha's contract notes until at least mid-2023
};

/** Exchange table, column "2024-01-01 .. 2024-09-30": NSE's revised charges. */
const FROM_2024_01_01: UserChargeSchedule = {
  effective_from: '2024-01-01',
  source: 'india-markets.md section 1, column "2024-01-01 .. 2024-09-30"',
  unconfirmed: ['exchange.rates.NFO_FUT.rate', 'gst.base_includes_ipft'],
  exchange: {
    rates: {
      NSE_EQ: { rate: 0.0000322 }, // 0.00322% + IPFT
      NFO_FUT: { rate: 0.0000183 }, // 0.00183% + IPFT (unconfirmed)
      NFO_OPT: { rate: 0.000495 }, // 0.0495% + IPFT
    },
  },
  gst: { base_includes_ipft: true }, // confirmed by 2025; from when is unconfirmed
};

/** STT column "from 2024-10-01" (Finance (No. 2) Act 2024) and exchange column "from 2024-10-01". */
const FROM_2024_10_01: UserChargeSchedule = {
  effective_from: '2024-10-01',
  source: 'india-markets.md section 1, columns "from 2024-10-01"',
  transaction_tax: {
    equity_futures: { sell: 0.0002 }, // 0.02% sell
    equity_options: { sell: 0.001 }, // 0.1% of premium, sell
  },
  exchange: {
    rates: {
      NSE_EQ: { rate: 0.0000297 }, // 0.00297% + IPFT
      BSE_EQ: { rate: 0.0000375 }, // 0.00375%
      NFO_FUT: { rate: 0.0000173 }, // 0.00173% + IPFT
      NFO_OPT: { rate: 0.0003503 }, // 0.03503% + IPFT
      BFO_FUT: { rate: 0 }, // 0
      BFO_OPT: { rate: 0.000325 }, // 0.0325% (SENSEX/BANKEX options)
      MCX_FUT: { rate: 0.000021 }, // 0.0021%
      MCX_OPT: { rate: 0.000418 }, // 0.0418% of premium
      CDS_FUT: { rate: 0.0000035 }, // 0.00035%
      CDS_OPT: { rate: 0.000311 }, // 0.0311% of premium
    },
  },
};

/** STT column "from 2026-04-01" (Finance Act 2026). Exchange charges as from 2024-10-01. */
const FROM_2026_04_01: UserChargeSchedule = {
  effective_from: '2026-04-01',
  source: 'india-markets.md section 1, column "from 2026-04-01"',
  transaction_tax: {
    equity_futures: { sell: 0.0005 }, // 0.05% sell
    equity_options: { sell: 0.0015 }, // 0.15% of premium, sell
    // MCX options CTT stays 0.05% ("no 2026 change found").
  },
};

/** The figures a change gives, as paths; a brokerage rule is one figure (it is replaced whole). */
function figuresGiven(change: UserChargeSchedule): Set<string> {
  const given = new Set<string>();
  const walk = (prefix: string, value: unknown, depth: number) => {
    if (depth === 0 || value === null || typeof value !== 'object') {
      given.add(prefix);
      return;
    }
    for (const [k, v] of Object.entries(value)) if (v !== undefined) walk(`${prefix}.${k}`, v, depth - 1);
  };
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined || k === 'effective_from' || k === 'source' || k === 'unconfirmed') continue;
    // brokerage.<segment> is a whole rule; every other object nests down to its figures.
    walk(k, v, k === 'brokerage' ? 1 : Number.POSITIVE_INFINITY);
  }
  return given;
}

/**
 * The unconfirmed marks after `change`: the base's, less those on figures the change gives
 * again (and less the base's own start date), plus the change's.
 */
function mergeUnconfirmed(base: ChargeSchedule, change: UserChargeSchedule): ScheduleFigure[] {
  const given = figuresGiven(change);
  const kept = (base.unconfirmed ?? []).filter((f) => f !== 'effective_from' && !given.has(f));
  return [...new Set([...kept, ...(change.unconfirmed ?? [])])];
}

/**
 * A schedule with `change` applied on top of `base`: every figure `change` gives replaces the
 * base's, everything else is inherited. `effective_from` and `source` are the change's; a
 * figure marked unconfirmed stays so until a change gives it again.
 */
export function mergeSchedule(base: ChargeSchedule, change: UserChargeSchedule): ChargeSchedule {
  const transaction_tax = { ...base.transaction_tax };
  const stampRates = { ...base.stamp_duty.rates };
  for (const s of CHARGE_SEGMENTS) {
    const t = change.transaction_tax?.[s];
    if (t) transaction_tax[s] = { ...transaction_tax[s], ...t };
    const r = change.stamp_duty?.rates?.[s];
    if (r !== undefined) stampRates[s] = r;
  }
  const exchangeRates = { ...base.exchange.rates };
  for (const x of EXCHANGE_SEGMENTS) {
    const r = change.exchange?.rates?.[x];
    if (r) exchangeRates[x] = { ...exchangeRates[x], ...r };
  }
  const unconfirmed = mergeUnconfirmed(base, change);
  return {
    effective_from: change.effective_from,
    ...(change.source !== undefined ? { source: change.source } : {}),
    ...(unconfirmed.length > 0 ? { unconfirmed } : {}),
    // A brokerage rule is replaced whole: a flat rule and a capped rate do not mix.
    brokerage: { ...base.brokerage, ...change.brokerage },
    transaction_tax,
    exchange: { ipft_included: change.exchange?.ipft_included ?? base.exchange.ipft_included, rates: exchangeRates },
    sebi_rate: change.sebi_rate ?? base.sebi_rate,
    gst: { ...base.gst, ...change.gst },
    stamp_duty: { rates: stampRates, rounding: change.stamp_duty?.rounding ?? base.stamp_duty.rounding },
  };
}

function chain(first: ChargeSchedule, changes: readonly UserChargeSchedule[]): ChargeSchedule[] {
  const out = [first];
  for (const c of changes) out.push(mergeSchedule(out[out.length - 1]!, c));
  return out;
}

/** The built-in schedules, oldest first. */
export const BUILT_IN_SCHEDULES: readonly ChargeSchedule[] = chain(FROM_2022_01_01, [
  FROM_2023_04_01,
  FROM_2024_01_01,
  FROM_2024_10_01,
  FROM_2026_04_01,
]);

/** The first trade date the built-in schedules cover. */
export const EARLIEST_SCHEDULE_DATE = FROM_2022_01_01.effective_from;

export interface ScheduleError {
  code: 'NO_SCHEDULE' | 'INVALID_DATE';
  message: string;
}

export function isScheduleError(x: ChargeSchedule | ScheduleError): x is ScheduleError {
  return 'code' in x;
}

/**
 * The schedule in force on `date` (IST `YYYY-MM-DD`): the one with the latest
 * `effective_from` on or before it. User schedules take effect from their own date, over the
 * built-in one of the same date, each inheriting what it leaves out from the schedule in force
 * the day before (the earliest built-in one, when it is earlier than all). A built-in schedule
 * dated after a user one takes over from its own date: to keep a correction past it, give it
 * again from that date.
 */
export function scheduleFor(
  date: string,
  userSchedules: readonly UserChargeSchedule[] = [],
): ChargeSchedule | ScheduleError {
  if (!isIsoDate(date))
    return { code: 'INVALID_DATE', message: `trade date ${JSON.stringify(date)} is not a date written YYYY-MM-DD` };
  type Entry = { from: string; user: boolean; order: number; apply: (prev: ChargeSchedule | null) => ChargeSchedule };
  const entries: Entry[] = [
    ...BUILT_IN_SCHEDULES.map((s, order) => ({ from: s.effective_from, user: false, order, apply: () => s })),
    ...userSchedules.map((u, order) => ({
      from: u.effective_from,
      user: true,
      order,
      apply: (prev: ChargeSchedule | null) => mergeSchedule(prev ?? BUILT_IN_SCHEDULES[0]!, u),
    })),
  ];
  // Oldest first; on the same date the built-in one first, so that the user's lands on top.
  entries.sort((a, b) =>
    a.from < b.from ? -1 : a.from > b.from ? 1 : Number(a.user) - Number(b.user) || a.order - b.order,
  );
  let current: ChargeSchedule | null = null;
  for (const e of entries) {
    if (e.from > date) break;
    current = e.apply(current);
  }
  if (current) return current;
  const earliest = entries[0]?.from ?? EARLIEST_SCHEDULE_DATE;
  return {
    code: 'NO_SCHEDULE',
    message: `no charge schedule for trade date ${date}: the earliest covers trades from ${earliest} (add a [[costs.schedules]] entry to cost earlier trades)`,
  };
}
