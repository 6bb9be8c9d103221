import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBasket } from '../../commands/costs/basket.js';
import { renderCostBox } from '../../commands/ui/cost-box.js';
import { renderFunds, renderMarginCalculation } from '../../commands/ui/costs.js';
import type { CostsResult } from '../../src/protocol/methods/costs.js';

// the box may be coloured when the test runs on a colour terminal.
const plain = (s: string) => s.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
/** The box's text with its frame taken off and wrapped lines joined. */
const inside = (box: string) =>
  box
    .split('\n')
    .map((l) => l.slice(2, -2).trim())
    .join(' ');

/** Charges in Kite's shape; gst is igst only, as Kite's margin APIs show it. */
function charges(c: { stt: number; exchange: number; sebi: number; brokerage: number; stamp: number; gst: number }) {
  return {
    transaction_tax: c.stt,
    transaction_tax_type: 'stt',
    exchange_turnover_charge: c.exchange,
    sebi_turnover_charge: c.sebi,
    brokerage: c.brokerage,
    stamp_duty: c.stamp,
    gst: { igst: c.gst, cgst: 0, sgst: 0, total: c.gst },
    total: c.stt + c.exchange + c.sebi + c.brokerage + c.stamp + c.gst,
  };
}

/**
 * Two legs: a delivery buy of 250 RELIANCE at 500.342 (value 125085.5) and a NIFTY call bought
 * and sold back. Figures are made up but add up: the box must show them, summed, to the paisa.
 */
function sample(over: Partial<CostsResult> = {}): CostsResult {
  const eqEntry = charges({ stt: 125.0855, exchange: 3.7, sebi: 0.125, brokerage: 0, stamp: 18.76, gst: 0.69 });
  const eqExit = charges({ stt: 125.0855, exchange: 3.7, sebi: 0.125, brokerage: 0, stamp: 0, gst: 0.69 });
  const optEntry = charges({ stt: 0, exchange: 5.5, sebi: 0.0112, brokerage: 20, stamp: 0.34, gst: 4.59 });
  const optExit = charges({ stt: 11.29, exchange: 5.5, sebi: 0.0112, brokerage: 20, stamp: 0, gst: 4.59 });
  return {
    date: '2026-11-25',
    legs: [
      {
        symbol: 'NSE:RELIANCE',
        exchange: 'NSE',
        tradingsymbol: 'RELIANCE',
        side: 'BUY',
        quantity: 250,
        price: 500.342,
        product: 'CNC',
        segment: 'equity_delivery',
        order_value: 125085.5,
        charges: eqEntry,
        exit: { price: 500.342, side: 'SELL', order_value: 125085.5, charges: eqExit },
        breakeven: 501.5,
      },
      {
        symbol: 'NFO:NIFTY26DEC24500CE',
        exchange: 'NFO',
        tradingsymbol: 'NIFTY26DEC24500CE',
        side: 'BUY',
        quantity: 75,
        price: 150.5,
        product: 'NRML',
        segment: 'nfo_options',
        order_value: 11287.5,
        charges: optEntry,
        exit: { price: 150.5, side: 'SELL', order_value: 11287.5, charges: optExit },
        breakeven: 151.4,
      },
    ],
    total_entry_cost: eqEntry.total + optEntry.total,
    total_exit_cost: eqExit.total + optExit.total,
    breakdown: {
      order_value: 136373,
      brokerage: 40,
      stt: 261.461,
      exchange_charges: 18.4,
      gst: 10.56,
      sebi_charges: 0.2724,
      stamp_duty: 19.1,
      total_charges: 0,
    },
    round_trip_charges: eqEntry.total + optEntry.total + eqExit.total + optExit.total,
    margin: {
      required: 136373,
      initial: 140000,
      available: 1000000,
      remaining: 863627,
      can_execute: true,
      required_with_buffer: 150010.3,
      utilization_pct: 13.6373,
      strategy: 'default',
      margin_buffer_pct: 10,
      max_margin_utilization_pct: 90,
      segments: [
        {
          segment: 'equity',
          required: 136373,
          initial: 140000,
          available: 1000000,
          used: 0,
          remaining: 863627,
          required_with_buffer: 150010.3,
          utilization_pct: 13.6373,
          can_execute: true,
        },
      ],
    },
    warnings: [],
    ...over,
  };
}

describe('the pre-trade confirmation box', () => {
  it('shows each leg with Indian digit grouping, every charge at entry, exit and round trip, and the totals', () => {
    const box = plain(renderCostBox(sample()));
    expect(box).toContain('Pre-trade costs, trade date 2026-11-25');
    expect(box).toMatch(/BUY\s+250\s+NSE:RELIANCE\s+CNC\s+@ 500\.34/);
    expect(box).toMatch(/value 1,25,085\.50, exit @ 500\.34/);
    expect(box).toMatch(/breakeven 501\.50/);
    // STT: entry 125.0855 + 0 = 125.09; exit 125.0855 + 11.29 = 136.3755 -> 136.38; round trip 261.461 -> 261.46
    expect(box).toMatch(/STT\/CTT\s+125\.09\s+136\.38\s+261\.46/);
    // Brokerage: entry 0 + 20, exit 0 + 20, round trip 40
    expect(box).toMatch(/Brokerage\s+20\.00\s+20\.00\s+40\.00/);
    // Stamp duty is a buy-side charge: entry 18.76 + 0.34 = 19.10, exit 0
    expect(box).toMatch(/Stamp duty\s+19\.10\s+0\.00\s+19\.10/);
    // Exchange: 3.7 + 5.5 = 9.20 each way; SEBI 0.125 + 0.0112 = 0.1362 -> 0.14 each way, 0.2724 -> 0.27
    expect(box).toMatch(/Exchange transaction charges\s+9\.20\s+9\.20\s+18\.40/);
    expect(box).toMatch(/SEBI turnover fee\s+0\.14\s+0\.14\s+0\.27/);
    // GST 0.69 + 4.59 = 5.28 each way
    expect(box).toMatch(/GST\s+5\.28\s+5\.28\s+10\.56/);
    // Totals: entry (125.0855 + 3.7 + 0.125 + 18.76 + 0.69 = 148.3605) + (5.5 + 0.0112 + 20 + 0.34 + 4.59 = 30.4412)
    // = 178.8017; exit (125.0855 + 3.7 + 0.125 + 0.69 = 129.6005) + (11.29 + 5.5 + 0.0112 + 20 + 4.59 = 41.3912)
    // = 170.9917; round trip 349.7934
    expect(box).toMatch(/Total charges\s+178\.80\s+170\.99\s+349\.79/);
    expect(box).toMatch(/Entry cost\s+178\.80/);
    expect(box).toMatch(/Exit cost\s+170\.99/);
    expect(box).toMatch(/Order value\s+1,36,373\.00/);
  });

  it('shows margin required, available and remaining with an OK mark when the account can carry the trade', () => {
    const box = plain(renderCostBox(sample()));
    expect(box).toMatch(/Margin required\s+1,36,373\.00\s+legs alone 1,40,000\.00/);
    expect(box).toMatch(/Margin available\s+10,00,000\.00/);
    expect(box).toMatch(/Margin remaining\s+8,63,627\.00/);
    expect(box).toMatch(/Required \+ 10% buffer\s+1,50,010\.30/);
    expect(box).toContain('✓ OK');
    expect(box).not.toContain('NOT OK');
  });

  it('marks NOT OK and lists every warning when the margin falls short', () => {
    const r = sample({
      warnings: [
        {
          code: 'LOT_MULTIPLE',
          message: 'NFO:NIFTY26DEC24500CE: quantity 70 is not a multiple of the lot size 75',
          leg: 1,
        },
        {
          code: 'INSUFFICIENT_MARGIN',
          message: 'required margin 136373.00 exceeds the available 100000.00 by 36373.00',
        },
      ],
    });
    r.margin = { ...r.margin!, available: 100000, remaining: -36373, can_execute: false };
    const box = plain(renderCostBox(r));
    expect(box).toContain('✗ NOT OK');
    expect(box).not.toContain('✓ OK');
    expect(box).toMatch(/Margin remaining\s+-36,373\.00/);
    expect(inside(box)).toContain(
      '! LOT_MULTIPLE: NFO:NIFTY26DEC24500CE: quantity 70 is not a multiple of the lot size 75',
    );
    expect(inside(box)).toContain(
      '! INSUFFICIENT_MARGIN: required margin 136373.00 exceeds the available 100000.00 by 36373.00',
    );
  });

  it('says the margin was not calculated when it was skipped', () => {
    const box = plain(renderCostBox(sample({ margin: null })));
    expect(box).toContain('Margin: not calculated');
    expect(box).not.toMatch(/✓|✗/);
  });

  it('draws a closed box: every line the same width, long warnings wrapped inside it', () => {
    const long = 'a long message '.repeat(20).trim();
    const lines = plain(renderCostBox(sample({ warnings: [{ code: 'OFF_TICK', message: long }] }))).split('\n');
    const widths = new Set(lines.map((l) => l.length));
    expect(widths.size).toBe(1);
    expect(lines[0]!.startsWith('┌')).toBe(true);
    expect(lines.at(-1)!.startsWith('└')).toBe(true);
    // The warning does not widen the box: same width as without it.
    const bare = plain(renderCostBox(sample())).split('\n')[0]!.length;
    expect([...widths][0]).toBe(bare);
    // Every word of it is still there, over several lines.
    expect(inside(lines.join('\n'))).toContain(`! OFF_TICK: ${long}`);
  });

  it('with equity and commodity legs, shows each segment ok or not ok', () => {
    const r = sample();
    r.margin = {
      ...r.margin!,
      can_execute: false,
      segments: [
        {
          segment: 'equity',
          required: 50000,
          initial: 50000,
          available: 900000,
          used: 0,
          remaining: 850000,
          required_with_buffer: 55000,
          utilization_pct: 5.5,
          can_execute: true,
        },
        {
          segment: 'commodity',
          required: 86373,
          initial: 90000,
          available: 100000,
          used: 0,
          remaining: 13627,
          required_with_buffer: 95010.3,
          utilization_pct: 86.4,
          can_execute: false,
        },
      ],
    };
    const box = plain(renderCostBox(r));
    expect(box).toMatch(/equity: required 50,000\.00, available 9,00,000\.00, ok/);
    expect(box).toMatch(/commodity: required 86,373\.00, available 1,00,000\.00, not ok/);
  });
});

describe('som margin and som funds output', () => {
  it("margin: the legs, the strategy's totals and what the proposed legs need, marked", () => {
    const text = plain(
      renderMarginCalculation({
        strategy: 'hedged',
        legs: [
          {
            source: 'position',
            exchange: 'NFO',
            tradingsymbol: 'NIFTY26DEC24500CE',
            side: 'SELL',
            quantity: 75,
            product: 'NRML',
            price: null,
          },
          {
            source: 'proposed',
            exchange: 'NFO',
            tradingsymbol: 'NIFTY26DEC24700CE',
            side: 'BUY',
            quantity: 75,
            product: 'NRML',
            price: 80,
          },
        ],
        open: { initial: 150000, final: 150000 },
        with_proposed: { initial: 156000, final: 40000 },
        margin: { ...sample().margin!, required: -110000, remaining: 1110000 },
        warnings: [],
      }),
    );
    expect(text).toMatch(/open\s+│?\s*NFO:NIFTY26DEC24500CE/);
    expect(text).toMatch(/open legs \(strategy hedged\)\s+1,50,000\.00/);
    expect(text).toMatch(/open \+ proposed\s+40,000\.00\s+\(legs alone 1,56,000\.00\)/);
    expect(text).toMatch(/proposed needs\s+-1,10,000\.00/);
    expect(text).toContain('✓ OK');
  });

  it("funds: each segment's free and used margin with Indian grouping", () => {
    const seg = (net: number) => ({
      enabled: true,
      net,
      cash: 245431.6,
      opening_balance: 245431.6,
      live_balance: net,
      collateral: 0,
      intraday_payin: 0,
      used: 145706.55,
      utilised: { debits: 145706.55 },
    });
    const text = plain(renderFunds({ equity: seg(99725.05), commodity: null }));
    expect(text).toMatch(/available \(net\)\s*│?\s*99,725\.05/);
    expect(text).toMatch(/used\s*│?\s*1,45,706\.55/);
    expect(text).not.toContain('commodity');
  });
});

describe('reading a basket file', () => {
  const from = (stdin: string) => ({ readStdin: () => stdin, readFile: (path: string) => readFileSync(path, 'utf8') });

  it('takes the body from standard input', () => {
    const legs = readBasket(
      '-',
      from('{"instruments": [{"symbol": "NSE:SBIN", "quantity": 10, "price": 560, "side": "BUY", "product": "CNC"}]}'),
    );
    expect(legs).toEqual([{ symbol: 'NSE:SBIN', quantity: 10, price: 560, side: 'BUY', product: 'CNC' }]);
  });

  it('names the problem: not JSON, no instruments list, a missing file', () => {
    expect(() => readBasket('-', from('{"instruments": ['))).toThrow(/standard input is not JSON/);
    expect(() => readBasket('-', from('{"legs": []}'))).toThrow(/expected \{"instruments"/);
    expect(() => readBasket('/nonexistent/basket.json', from(''))).toThrow(
      /cannot read \/nonexistent\/basket\.json: ENOENT/,
    );
  });
});
