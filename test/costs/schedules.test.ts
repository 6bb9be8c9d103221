import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { legCharges } from '../../src/costs/charges.js';
import {
  type ChargeSchedule,
  fullChargeScheduleSchema,
  type UserChargeSchedule,
} from '../../src/costs/schedule-schema.js';
import {
  BUILT_IN_SCHEDULES,
  EARLIEST_SCHEDULE_DATE,
  isScheduleError,
  type ScheduleError,
  scheduleFor,
} from '../../src/costs/schedules.js';
import type { SomError } from '../../src/protocol/errors.js';

const ROOT = join(import.meta.dirname, '../..');

function schedule(date: string, user: readonly UserChargeSchedule[] = []): ChargeSchedule {
  const s = scheduleFor(date, user);
  if (isScheduleError(s)) throw new Error(s.message);
  return s;
}

function refused(date: string, user: readonly UserChargeSchedule[] = []): ScheduleError {
  const s = scheduleFor(date, user);
  if (!isScheduleError(s)) throw new Error(`expected no schedule for ${date}`);
  return s;
}

describe('built-in schedules', () => {
  it('are complete and valid, oldest first, from 2022-01-01', () => {
    expect(BUILT_IN_SCHEDULES.map((s) => s.effective_from)).toEqual([
      '2022-01-01',
      '2023-04-01',
      '2024-01-01',
      '2024-10-01',
      '2026-04-01',
    ]);
    for (const s of BUILT_IN_SCHEDULES) expect(fullChargeScheduleSchema.parse(s)).toEqual(s);
    expect(EARLIEST_SCHEDULE_DATE).toBe('2022-01-01');
  });

  it('mark the figures no public source confirms, until a later schedule gives them again', () => {
    const marks = (date: string) => [...(schedule(date).unconfirmed ?? [])].sort();
    // The reference's column "to 2023-03-31" has no start date and four unconfirmed rates.
    expect(marks('2022-01-01')).toEqual([
      'effective_from',
      'exchange.rates.BFO_OPT.rate',
      'exchange.rates.CDS_FUT.rate',
      'exchange.rates.CDS_OPT.rate',
      'exchange.rates.NFO_FUT.rate',
      'stamp_duty.rounding',
    ]);
    // 2023-04-01 has a date of its own; NSE futures' new rate is unconfirmed too.
    expect(marks('2023-04-01')).toEqual(marks('2022-01-01').filter((m) => m !== 'effective_from'));
    expect(marks('2024-01-01')).toContain('gst.base_includes_ipft');
    // 2024-10-01 gives every exchange rate again, from confirmed sources.
    expect(marks('2024-10-01')).toEqual(['gst.base_includes_ipft', 'stamp_duty.rounding']);
    expect(marks('2026-04-01')).toEqual(['gst.base_includes_ipft', 'stamp_duty.rounding']);
  });
});

describe('scheduleFor picks the schedule in force on the trade date', () => {
  // What tells the schedules apart: NSE options' exchange rate, options and futures STT, IPFT.
  const probe = (s: ChargeSchedule) => ({
    from: s.effective_from,
    nfo_opt: s.exchange.rates.NFO_OPT.rate,
    opt_stt: s.transaction_tax.equity_options.sell,
    fut_stt: s.transaction_tax.equity_futures.sell,
    ipft: s.exchange.ipft_included,
    gst_on_ipft: s.gst.base_includes_ipft,
  });

  it('refuses a date before the earliest schedule, naming it', () => {
    const e = refused('2021-12-31');
    expect(e.code).toBe('NO_SCHEDULE');
    expect(e.message).toMatch(/trade date 2021-12-31.*from 2022-01-01/);
  });

  it('at each boundary: the last day of one schedule and the first of the next', () => {
    const zeroth = { from: '2022-01-01', nfo_opt: 0.00053, opt_stt: 0.0005, fut_stt: 0.0001, ipft: false };
    const first = { from: '2023-04-01', nfo_opt: 0.0005, opt_stt: 0.000625, fut_stt: 0.000125, ipft: true };
    const second = { ...first, from: '2024-01-01', nfo_opt: 0.000495 };
    const third = { from: '2024-10-01', nfo_opt: 0.0003503, opt_stt: 0.001, fut_stt: 0.0002, ipft: true };
    const fourth = { ...third, from: '2026-04-01', opt_stt: 0.0015, fut_stt: 0.0005 };
    const gst = (on: boolean) => ({ gst_on_ipft: on });
    expect(probe(schedule('2022-01-01'))).toEqual({ ...zeroth, ...gst(false) });
    expect(probe(schedule('2023-03-31'))).toEqual({ ...zeroth, ...gst(false) });
    // IPFT in the exchange charge from 2023-04-01, in GST's base from 2024-01-01.
    expect(probe(schedule('2023-04-01'))).toEqual({ ...first, ...gst(false) });
    expect(probe(schedule('2023-12-31'))).toEqual({ ...first, ...gst(false) });
    expect(probe(schedule('2024-01-01'))).toEqual({ ...second, ...gst(true) });
    expect(probe(schedule('2024-09-30'))).toEqual({ ...second, ...gst(true) });
    expect(probe(schedule('2024-10-01'))).toEqual({ ...third, ...gst(true) });
    expect(probe(schedule('2026-03-31'))).toEqual({ ...third, ...gst(true) });
    expect(probe(schedule('2026-04-01'))).toEqual({ ...fourth, ...gst(true) });
    expect(probe(schedule('2030-01-01'))).toEqual({ ...fourth, ...gst(true) });
  });

  it('later schedules inherit what they do not change', () => {
    const s = schedule('2026-04-01');
    expect(s.transaction_tax.equity_delivery).toEqual({ type: 'stt', buy: 0.001, sell: 0.001 });
    expect(s.exchange.rates.NSE_EQ).toEqual({ rate: 0.0000297, ipft: 0.000001 });
    expect(s.stamp_duty.rates.equity_delivery).toBe(0.00015);
    expect(s.brokerage.equity_options).toEqual({ kind: 'flat', amount: 20 });
  });

  it('refuses what is not a date', () => {
    expect(refused('2026-02-30').code).toBe('INVALID_DATE');
    expect(refused('yesterday').message).toMatch(/"yesterday" is not a date/);
  });
});

describe('user schedules from config', () => {
  const config = (text: string) => parseConfigText(text, 'test.toml');

  it('a newer schedule overrides the built-in one from its date and inherits the rest', () => {
    const c = config(`
[[costs.schedules]]
effective_from = 2027-04-01
source = "Finance Act 2027"
transaction_tax.equity_options.sell = 0.002
exchange.rates.NFO_OPT = { rate = 0.0003 }
`);
    expect(c.costs.schedules).toEqual([
      {
        effective_from: '2027-04-01',
        source: 'Finance Act 2027',
        transaction_tax: { equity_options: { sell: 0.002 } },
        exchange: { rates: { NFO_OPT: { rate: 0.0003 } } },
      },
    ]);
    expect(schedule('2027-03-31', c.costs.schedules).effective_from).toBe('2026-04-01');
    const s = schedule('2027-04-01', c.costs.schedules);
    expect(s.effective_from).toBe('2027-04-01');
    expect(s.transaction_tax.equity_options).toEqual({ type: 'stt', buy: 0, sell: 0.002 });
    expect(s.exchange.rates.NFO_OPT).toEqual({ rate: 0.0003, ipft: 0.000005 });
    expect(s.transaction_tax.equity_futures.sell).toBe(0.0005); // inherited from 2026-04-01
    // An NFO option sold for 11250 of premium under it:
    // STT 11250 x 0.2% = 22.5; exchange 11250 x 0.03% = 3.375 + IPFT 0.05625 = 3.43125;
    // SEBI 0.01125; brokerage 20; GST 0.18 x (20 + 3.43125 + 0.01125) = 4.21965;
    // total 22.5 + 3.43125 + 0.01125 + 20 + 4.21965 = 50.16215
    const charges = legCharges(
      { side: 'SELL', quantity: 75, price: 150 },
      { segment: 'equity_options', exchange_segment: 'NFO_OPT' },
      s,
    );
    expect(charges.transaction_tax).toBeCloseTo(22.5, 9);
    expect(charges.total).toBeCloseTo(50.16215, 9);
  });

  it("a user schedule's unconfirmed marks join the inherited ones", () => {
    const c = config(`
[[costs.schedules]]
effective_from = 2027-04-01
unconfirmed = ["transaction_tax.equity_options.sell"]
transaction_tax.equity_options.sell = 0.002
stamp_duty.rounding = "paise"
`);
    // stamp_duty.rounding is given again, so its inherited mark goes; the new STT is marked.
    expect(schedule('2027-04-01', c.costs.schedules).unconfirmed).toEqual([
      'gst.base_includes_ipft',
      'transaction_tax.equity_options.sell',
    ]);
  });

  it('on the same date as a built-in one, the user schedule wins; a later built-in one takes over at its date', () => {
    const user: UserChargeSchedule[] = [
      { effective_from: '2026-04-01', transaction_tax: { equity_options: { sell: 0.0012 } } },
      { effective_from: '2025-01-01', brokerage: { equity_options: { kind: 'flat', amount: 15 } } },
    ];
    expect(schedule('2026-04-01', user).transaction_tax.equity_options.sell).toBe(0.0012);
    // The 2026-04-01 user schedule lands on the built-in one of that date, which replaced the
    // user's 2025 brokerage: a built-in schedule dated later takes over.
    expect(schedule('2026-04-01', user).brokerage.equity_options).toEqual({ kind: 'flat', amount: 20 });
    expect(schedule('2025-06-02', user).brokerage.equity_options).toEqual({ kind: 'flat', amount: 15 });
    expect(schedule('2024-12-31', user).brokerage.equity_options).toEqual({ kind: 'flat', amount: 20 });
  });

  it('a schedule for earlier trades extends the covered dates; it reproduces Kite order-margin sample for INFY', () => {
    // Kite's order-margin sample (kiteconnect-mocks order_margins.json): INFY, 1 share CNC at
    // 1498: transaction_tax 1.498, exchange 0.051681, SEBI 0.001498, brokerage 0.01, stamp
    // 0.22, GST 0.011372219999999999, total 1.79255122. NSE cash was 0.00345% before
    // 2023-04-01 (reference), the token brokerage 0.01 shows in order-margin estimates, and
    // the sample rounds stamp duty (1498 x 0.015% = 0.2247) to the paisa.
    const c = config(`
[[costs.schedules]]
effective_from = "2021-04-01"
brokerage.equity_delivery = { kind = "flat", amount = 0.01 }
exchange.rates.NSE_EQ = { rate = 0.0000345, ipft = 0 }
stamp_duty.rounding = "paise"
`);
    const s = schedule('2021-12-01', c.costs.schedules);
    const infy = legCharges(
      { side: 'BUY', quantity: 1, price: 1498 },
      { segment: 'equity_delivery', exchange_segment: 'NSE_EQ' },
      s,
    );
    // STT 1498 x 0.1% = 1.498; exchange 1498 x 0.00345% = 0.051681; SEBI 0.001498;
    // GST 0.18 x (0.01 + 0.051681 + 0.001498) = 0.18 x 0.063179 = 0.01137222
    expect(infy).toEqual({
      transaction_tax: 1.498,
      transaction_tax_type: 'stt',
      exchange_turnover_charge: 0.051681,
      sebi_turnover_charge: 0.001498,
      brokerage: 0.01,
      stamp_duty: 0.22,
      gst: { igst: 0.011372219999999999, cgst: 0, sgst: 0, total: 0.011372219999999999 },
      total: 1.79255122,
    });
    const e = refused('2021-03-31', c.costs.schedules);
    expect(e.message).toMatch(/from 2021-04-01/);
  });

  it('refuses a percentage written as a number and an unknown segment, naming the key', () => {
    const err = (text: string) => {
      try {
        config(text);
      } catch (e) {
        return (e as SomError).message;
      }
      throw new Error('expected the config to be refused');
    };
    expect(
      err('[[costs.schedules]]\neffective_from = "2027-04-01"\ntransaction_tax.equity_options.sell = 0.15'),
    ).toMatch(/costs\.schedules\.0\.transaction_tax\.equity_options\.sell: .*fraction of turnover/);
    expect(err('[[costs.schedules]]\neffective_from = "2027-04-01"\nstamp_duty.rates.crypto = 0.0001')).toMatch(
      /costs\.schedules\.0\.stamp_duty\.rates/,
    );
    expect(err('[[costs.schedules]]\neffective_from = "2027-02-30"')).toMatch(
      /costs\.schedules\.0\.effective_from: must be a date/,
    );
    expect(err('[[costs.schedules]]\nsebi_rate = 0.000001')).toMatch(/costs\.schedules\.0\.effective_from/);
    expect(
      err('[[costs.schedules]]\neffective_from = "2027-04-01"\nunconfirmed = ["exchange.rates.NSE_EQ.rat"]'),
    ).toMatch(/costs\.schedules\.0\.unconfirmed\.0/);
    expect(err('[costs]\ncharges_warning_pct = -1')).toMatch(/costs\.charges_warning_pct/);
  });

  it('the example in config.example.toml is a valid schedule', () => {
    const text = readFileSync(join(ROOT, 'config.example.toml'), 'utf8');
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.trim() === '#   [[costs.schedules]]');
    expect(start).toBeGreaterThan(0);
    const example: string[] = [];
    for (const l of lines.slice(start)) {
      if (!l.startsWith('#   ')) break;
      example.push(l.slice(4));
    }
    const c = config(example.join('\n'));
    expect(c.costs.schedules).toHaveLength(1);
    expect(schedule('2027-04-01', c.costs.schedules).transaction_tax.equity_options.sell).toBe(0.002);
  });
});
