import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CostLegInput, estimateCosts } from '../../src/costs/estimate.js';
import type { Instrument } from '../../src/domain/instrument.js';
import { type Kite, login, onTick } from '../paper/conformance/paper-session.js';
import { cleanEnv, ROOT, type RunningSomd, som, somJson, startSomd, type TempHome, tempHome } from './harness.js';

/**
 * `som costs`, `som margin` and `som funds` against a real somd in paper mode. The paper
 * clock stands still for the test (10:00 IST on Wednesday 2026-11-25, at a thousandth of real
 * speed: the market moves in whole seconds, so it does not move at all here), which lets the
 * test ask the paper exchange the same basket itself and expect the very same margin.
 */
const TODAY = '2026-11-25';

interface Ctx {
  t: TempHome;
  somd: RunningSomd;
  kc: Kite;
  /** A trading session of its own on the same paper account (Kite web, as it were). */
  restRoot: string;
  instruments: Map<string, Instrument>;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** som with a basket on standard input. */
function somStdin(
  t: TempHome,
  args: string[],
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/som'), '--socket', t.socket, ...args], {
      env: cleanEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** What the charges engine itself says for these legs, with the instruments somd has. */
function expected(c: Ctx, legs: CostLegInput[], date?: string) {
  const r = estimateCosts(
    { legs, ...(date ? { date } : {}) },
    { today: TODAY, instrument: (ex, ts) => c.instruments.get(`${ex}:${ts}`) ?? null, userSchedules: [] },
  );
  if ('code' in r) throw new Error(r.message);
  return r;
}

/** The paper exchange's own basket margin for the legs, as a Kite app would ask it. */
async function paperBasket(c: Ctx, legs: CostLegInput[], considerPositions = true) {
  const orders = legs.map((l) => ({
    exchange: l.symbol.split(':')[0]!,
    tradingsymbol: l.symbol.split(':')[1]!,
    transaction_type: l.side,
    variety: 'regular',
    product: l.product,
    order_type: l.price ? 'LIMIT' : 'MARKET',
    quantity: l.quantity,
    price: l.price ?? 0,
    trigger_price: 0,
  }));
  return c.kc.orderBasketMargins(orders as never, considerPositions);
}

/** The paper exchange holds quotes to Kite's 1 request a second (wall clock). */
let lastQuoteAt = 0;

async function ltp(c: Ctx, symbol: string): Promise<number> {
  await new Promise((r) => setTimeout(r, Math.max(0, lastQuoteAt + 1100 - Date.now())));
  lastQuoteAt = Date.now();
  const q = await c.kc.getLTP([symbol]);
  const tick = c.instruments.get(symbol)!.tick_size;
  return onTick(q[symbol]!.last_price, tick);
}

async function remember(c: Ctx, symbol: string): Promise<Instrument> {
  const { code, doc } = await somJson(c.t, ['instruments', 'show', symbol]);
  expect(code).toBe(0);
  const { freeze_quantity: _f, ...instrument } = doc.instrument;
  c.instruments.set(symbol, instrument as Instrument);
  return instrument as Instrument;
}

function basketFile(c: Ctx, name: string, legs: unknown[]): string {
  const path = join(c.t.dir, name);
  writeFileSync(path, JSON.stringify({ instruments: legs }));
  return path;
}

/** The result minus what depends on the broker: charges, totals and the engine's warnings. */
function expectCharges(doc: any, want: ReturnType<typeof expected>) {
  expect(doc.date).toBe(want.date);
  expect(doc.legs).toEqual(want.legs);
  expect(doc.total_entry_cost).toBe(want.total_entry_cost);
  expect(doc.total_exit_cost).toBe(want.total_exit_cost);
  expect(doc.breakdown).toEqual(want.breakdown);
  expect(doc.round_trip_charges).toBe(want.round_trip_charges);
  for (const w of want.warnings) expect(doc.warnings).toContainEqual(w);
}

describe('som costs, som margin and som funds against somd --paper', () => {
  const c = { instruments: new Map() } as Ctx;
  /** A NIFTY iron condor on the nearest weekly expiry, around the future's price. */
  let condor: CostLegInput[];

  beforeAll(async () => {
    c.t = tempHome();
    const config = join(c.t.dir, 'config.toml');
    writeFileSync(config, ['[paper]', `clock = "${TODAY}T10:00:00+05:30"`, 'speed = 0.001', ''].join('\n'));
    c.somd = await startSomd(c.t, ['--config', config, '--paper']);
    const status = await until('broker connected with instruments', async () => {
      const doc = (await somJson(c.t, ['status'])).doc;
      return doc.broker.state === 'connected' && doc.instruments.count > 0 ? doc : null;
    });
    c.restRoot = status.paper.restRoot;
    c.kc = (await login(c.restRoot, 'e2e-costs')).kc;

    // Real symbols from the master somd downloaded.
    const found = (await somJson(c.t, ['instruments', 'search', 'NIFTY', '--exchange', 'NFO', '--limit', '200'])).doc
      .instruments as Instrument[];
    const options = found.filter(
      (i) => i.name === 'NIFTY' && (i.instrument_type === 'CE' || i.instrument_type === 'PE'),
    );
    const expiry = options.map((i) => i.expiry!).sort()[0]!;
    const future = found.find((i) => i.name === 'NIFTY' && i.instrument_type === 'FUT')!;
    await remember(c, `NFO:${future.tradingsymbol}`);
    const spot = await ltp(c, `NFO:${future.tradingsymbol}`);
    const strikes = [...new Set(options.filter((i) => i.expiry === expiry).map((i) => i.strike))].sort((a, b) => a - b);
    const atmIndex = strikes.reduce(
      (best, s, i) => (Math.abs(s - spot) < Math.abs(strikes[best]! - spot) ? i : best),
      0,
    );
    const pick = (offset: number, type: 'CE' | 'PE') =>
      options.find(
        (i) =>
          i.expiry === expiry &&
          i.instrument_type === type &&
          i.strike === strikes[Math.min(strikes.length - 1, Math.max(0, atmIndex + offset))],
      )!;
    const legsSpec: [Instrument, 'BUY' | 'SELL'][] = [
      [pick(0, 'CE'), 'SELL'],
      [pick(4, 'CE'), 'BUY'],
      [pick(0, 'PE'), 'SELL'],
      [pick(-4, 'PE'), 'BUY'],
    ];
    condor = [];
    for (const [i, side] of legsSpec) {
      const symbol = `NFO:${i.tradingsymbol}`;
      await remember(c, symbol);
      condor.push({ symbol, quantity: i.lot_size, price: await ltp(c, symbol), side, product: 'NRML' });
    }
    // Expect the long wings to be closed at half their price: an exit price of its own.
    condor[1]!.exit_price = onTick(condor[1]!.price! / 2, 0.05);
  }, 60_000);

  afterAll(async () => {
    await c.somd?.stop();
    c.t?.cleanup();
  });

  it("a multi-leg NFO options strategy: every charge as the engine computes it, margin as the paper exchange's basket", async () => {
    const { code, doc } = await somJson(c.t, ['costs', '--file', basketFile(c, 'condor.json', condor)]);
    expect(code).toBe(0);
    expectCharges(doc, expected(c, condor));
    expect(doc.legs).toHaveLength(4);
    expect(doc.legs[1].exit.price).toBe(condor[1]!.exit_price);

    const basket = await paperBasket(c, condor);
    const funds = await c.kc.getMargins();
    expect(doc.margin.required).toBe(basket.final.total);
    expect(doc.margin.initial).toBe(basket.initial.total);
    // The hedge pays: the condor held together needs less than its legs alone.
    expect(doc.margin.required).toBeLessThan(doc.margin.initial);
    expect(doc.margin.available).toBe(funds.equity!.net);
    expect(doc.margin.remaining).toBe(funds.equity!.net - basket.final.total);
    // default strategy: 10% buffer
    expect(doc.margin.required_with_buffer).toBeCloseTo(basket.final.total * 1.1, 6);
    expect(doc.margin.can_execute).toBe(basket.final.total * 1.1 <= funds.equity!.net);
    expect(doc.margin.strategy).toBe('default');
    expect(doc.margin.segments.map((s: any) => s.segment)).toEqual(['equity']);
  });

  it('the human output is the confirmation box: each charge, totals, margin with an ok mark, Indian grouping', async () => {
    const r = await som(c.t, ['costs', '--file', basketFile(c, 'condor.json', condor)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^┌─ Pre-trade costs, trade date 2026-11-25/);
    for (const label of [
      'Brokerage',
      'STT/CTT',
      'Exchange transaction charges',
      'SEBI turnover fee',
      'Stamp duty',
      'GST',
      'Total charges',
      'Entry cost',
      'Exit cost',
      'Margin required',
      'Margin available',
      'Margin remaining',
    ]) {
      expect(r.stdout).toContain(label);
    }
    // 10,00,000.00 opening balance less what is blocked: lakh grouping
    expect(r.stdout).toMatch(/Margin available\s+\d{1,2},\d\d,\d{3}\.\d\d/);
    expect(r.stdout).toMatch(/✓ OK|✗ NOT OK/);
  });

  it('equity delivery and intraday from flags: charges per segment, margin from the paper exchange', async () => {
    const symbol = 'NSE:SBIN';
    await remember(c, symbol);
    const price = await ltp(c, symbol);
    // Delivery buy: full value as margin.
    const cnc: CostLegInput = { symbol, quantity: 10, price, side: 'BUY', product: 'CNC' };
    const a = await somJson(c.t, [
      'costs',
      symbol,
      '--qty',
      '10',
      '--price',
      String(price),
      '--side',
      'BUY',
      '--product',
      'CNC',
    ]);
    expect(a.code).toBe(0);
    expectCharges(a.doc, expected(c, [cnc]));
    expect(a.doc.legs[0].segment).not.toBe(expected(c, [{ ...cnc, product: 'MIS' }]).legs[0]!.segment);
    expect(a.doc.legs[0].charges.brokerage).toBe(0); // delivery is free at Zerodha
    expect(a.doc.legs[0].charges.stamp_duty).toBeGreaterThan(0); // stamp duty on the buy
    expect(a.doc.margin.required).toBe((await paperBasket(c, [cnc])).final.total);

    // Intraday sell with an exit (buy back) price given: brokerage on both sides.
    const exit = onTick(price * 0.99, 0.05);
    const mis: CostLegInput = { symbol, quantity: 100, price, side: 'SELL', product: 'MIS', exit_price: exit };
    const b = await somJson(c.t, [
      'costs',
      symbol,
      '--qty',
      '100',
      '--price',
      String(price),
      '--side',
      'SELL',
      '--product',
      'MIS',
      '--exit-price',
      String(exit),
    ]);
    expect(b.code).toBe(0);
    expectCharges(b.doc, expected(c, [mis]));
    expect(b.doc.legs[0].charges.stamp_duty).toBe(0); // no stamp duty on a sell
    expect(b.doc.legs[0].exit.side).toBe('BUY');
    expect(b.doc.margin.required).toBe((await paperBasket(c, [mis])).final.total);
    // MIS needs a fraction of the value (leverage), so far less than the order value
    expect(b.doc.margin.required).toBeLessThan(b.doc.legs[0].order_value);
  });

  it('a futures leg and an MCX leg: each against its own fund segment, alone and in one basket', async () => {
    const fut = [...c.instruments.keys()].find((k) => k.endsWith('FUT'))!;
    const crude = (
      await somJson(c.t, ['instruments', 'search', 'CRUDEOIL', '--exchange', 'MCX', '--limit', '50'])
    ).doc.instruments.find((i: Instrument) => i.instrument_type === 'FUT');
    const mcx = `MCX:${crude.tradingsymbol}`;
    await remember(c, mcx);
    const futLeg: CostLegInput = {
      symbol: fut,
      quantity: c.instruments.get(fut)!.lot_size,
      price: await ltp(c, fut),
      side: 'BUY',
      product: 'NRML',
    };
    const mcxLeg: CostLegInput = { symbol: mcx, quantity: 1, price: await ltp(c, mcx), side: 'SELL', product: 'NRML' };
    const funds = await c.kc.getMargins();

    const f = await somJson(c.t, ['costs', '--file', basketFile(c, 'fut.json', [futLeg])]);
    expect(f.code).toBe(0);
    expectCharges(f.doc, expected(c, [futLeg]));
    expect(f.doc.margin.required).toBe((await paperBasket(c, [futLeg])).final.total);

    const m = await somJson(c.t, ['costs', '--file', basketFile(c, 'mcx.json', [mcxLeg])]);
    expect(m.code).toBe(0);
    expectCharges(m.doc, expected(c, [mcxLeg]));
    expect(m.doc.legs[0].charges.transaction_tax_type).toBe('ctt'); // commodities pay CTT, not STT
    const mcxBasket = await paperBasket(c, [mcxLeg]);
    expect(m.doc.margin.required).toBe(mcxBasket.final.total);
    expect(m.doc.margin.available).toBe(funds.commodity!.net); // commodity funds, not equity
    expect(m.doc.margin.segments.map((s: any) => s.segment)).toEqual(['commodity']);

    // Both in one basket: checked segment by segment, each against its own funds.
    const both = await somJson(c.t, ['costs', '--file', basketFile(c, 'both.json', [futLeg, mcxLeg])]);
    expect(both.code).toBe(0);
    expectCharges(both.doc, expected(c, [futLeg, mcxLeg]));
    const [eq, co] = both.doc.margin.segments;
    expect(eq).toMatchObject({ segment: 'equity', required: f.doc.margin.required, available: funds.equity!.net });
    expect(co).toMatchObject({
      segment: 'commodity',
      required: m.doc.margin.required,
      available: funds.commodity!.net,
    });
    expect(both.doc.margin.required).toBe(eq.required + co.required);
    expect(both.doc.margin.can_execute).toBe(eq.can_execute && co.can_execute);
    expect(co.can_execute).toBe(co.required * 1.1 <= co.available);
  });

  it('--no-margin costs charges only; a basket on standard input works the same as a file', async () => {
    const r = await somStdin(c.t, ['--json', 'costs', '-', '--no-margin'], JSON.stringify({ instruments: condor }));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.margin).toBeNull();
    expectCharges(doc, expected(c, condor));
  });

  it("--date picks the schedule of that day; margin is today's figure and is then left out with a warning", async () => {
    const leg: CostLegInput = { symbol: 'NSE:SBIN', quantity: 10, price: 500, side: 'BUY', product: 'CNC' };
    const { code, doc } = await somJson(c.t, [
      'costs',
      'NSE:SBIN',
      '--qty',
      '10',
      '--price',
      '500',
      '--side',
      'BUY',
      '--product',
      'CNC',
      '--date',
      '2024-10-01',
    ]);
    expect(code).toBe(0);
    expectCharges(doc, expected(c, [leg], '2024-10-01'));
    expect(doc.margin).toBeNull();
    expect(doc.warnings.map((w: any) => w.code)).toContain('MARGIN_SKIPPED');

    // An expired contract is not in today's master: costed from its symbol, and the broker cannot margin it.
    const expired: CostLegInput = {
      symbol: 'NFO:NIFTY23JUL20600CE',
      quantity: 50,
      price: 53.45,
      side: 'SELL',
      product: 'NRML',
    };
    const old = await somJson(c.t, [
      'costs',
      '--file',
      basketFile(c, 'expired.json', [expired]),
      '--date',
      '2023-07-20',
    ]);
    expect(old.code).toBe(0);
    expectCharges(old.doc, expected(c, [expired], '2023-07-20'));
    expect(old.doc.margin).toBeNull();
    expect(old.doc.warnings.map((w: any) => w.code)).toEqual(
      expect.arrayContaining(['NOT_IN_MASTER', 'MARGIN_SKIPPED']),
    );
  });

  it("a strategy's margin settings decide the verdict: a 100% buffer against the same figures", async () => {
    expect((await som(c.t, ['strategies', 'create', 'tight'])).code).toBe(0);
    expect((await som(c.t, ['settings', 'set', 'margin_buffer_pct=100', '--strategy', 'tight'])).code).toBe(0);
    const { doc } = await somJson(c.t, [
      'costs',
      '--file',
      basketFile(c, 'condor.json', condor),
      '--strategy',
      'tight',
    ]);
    expect(doc.margin.strategy).toBe('tight');
    expect(doc.margin.margin_buffer_pct).toBe(100);
    expect(doc.margin.required_with_buffer).toBeCloseTo(doc.margin.required * 2, 6);
    expect(doc.margin.can_execute).toBe(doc.margin.required * 2 <= doc.margin.available);
  });

  describe('bad input ends with exit 2 and names the problem', () => {
    it('an unknown symbol', async () => {
      const r = await somJson(c.t, [
        'costs',
        'NSE:NOSUCHSTOCK',
        '--qty',
        '1',
        '--price',
        '10',
        '--side',
        'BUY',
        '--product',
        'CNC',
      ]);
      expect(r.code).toBe(2);
      expect(r.doc.error.code).toBe('NOT_FOUND');
      expect(r.doc.error.message).toContain('NSE:NOSUCHSTOCK');
      expect(r.stderr).toMatch(/som instruments search/);
    });

    it('a zero or negative quantity, from a file or from flags', async () => {
      const zero = await somJson(c.t, [
        'costs',
        '--file',
        basketFile(c, 'zero.json', [{ ...condor[0], quantity: 0 }, condor[1]]),
      ]);
      expect(zero.code).toBe(2);
      expect(zero.doc.error.message).toMatch(/leg 1 .*quantity 0/);
      const negative = await somJson(c.t, [
        'costs',
        '--file',
        basketFile(c, 'neg.json', [condor[0], { ...condor[1], quantity: -65 }]),
      ]);
      expect(negative.code).toBe(2);
      expect(negative.doc.error.message).toMatch(/leg 2 .*quantity -65/);
      const flag = await som(c.t, [
        'costs',
        'NSE:SBIN',
        '--qty',
        '-5',
        '--price',
        '500',
        '--side',
        'BUY',
        '--product',
        'CNC',
      ]);
      expect(flag.code).toBe(2);
      expect(flag.stderr).toMatch(/--qty must be a whole number greater than 0, not "-5"/);
    });

    it('a missing price', async () => {
      const { price: _p, ...noPrice } = condor[2]!;
      const file = await somJson(c.t, [
        'costs',
        '--file',
        basketFile(c, 'noprice.json', [condor[0], condor[1], noPrice]),
      ]);
      expect(file.code).toBe(2);
      expect(file.doc.error.message).toMatch(/leg 3 .*price is missing/);
      const flags = await som(c.t, ['costs', 'NSE:SBIN', '--qty', '5', '--side', 'BUY', '--product', 'CNC']);
      expect(flags.code).toBe(2);
      expect(flags.stderr).toMatch(/price is missing/);
    });

    it('a date before the earliest charge schedule', async () => {
      const r = await somJson(c.t, [
        'costs',
        'NSE:SBIN',
        '--qty',
        '5',
        '--price',
        '500',
        '--side',
        'BUY',
        '--product',
        'CNC',
        '--date',
        '2019-06-03',
      ]);
      expect(r.code).toBe(2);
      expect(r.doc.error.message).toMatch(/2019-06-03/);
      expect(r.doc.error.message).toMatch(/earliest/);
    });

    it('an unknown strategy, and a file that is not a basket', async () => {
      const s = await somJson(c.t, ['costs', '--file', basketFile(c, 'condor.json', condor), '--strategy', 'nosuch']);
      expect(s.code).toBe(2);
      expect(s.doc.error.message).toMatch(/no strategy "nosuch"/);
      const path = join(c.t.dir, 'bad.json');
      writeFileSync(path, '{"legs": []}');
      const f = await som(c.t, ['costs', '--file', path]);
      expect(f.code).toBe(2);
      expect(f.stderr).toMatch(/expected \{"instruments"/);
    });
  });

  it('a broker failure while margining is a broker error (exit 5); --no-margin still costs the basket', async () => {
    const faults = (body: unknown) =>
      fetch(`${c.restRoot}/paper/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await faults({ errors: [{ path: '/margins/basket', kind: '500' }] });
    try {
      const file = basketFile(c, 'condor.json', condor);
      const failed = await somJson(c.t, ['costs', '--file', file]);
      expect(failed.code).toBe(5);
      expect(failed.doc.error.code).toBe('BROKER_ERROR');
      expect(failed.doc.error.message).toMatch(/Internal server error/);
      const chargesOnly = await somJson(c.t, ['costs', '--file', file, '--no-margin']);
      expect(chargesOnly.code).toBe(0);
      expect(chargesOnly.doc.margin).toBeNull();
    } finally {
      await fetch(`${c.restRoot}/paper/admin/faults`, { method: 'DELETE' });
    }
  });

  it('som funds: free and used margin per segment, as the broker reports them', async () => {
    const { code, doc } = await somJson(c.t, ['funds']);
    expect(code).toBe(0);
    const funds = await c.kc.getMargins();
    expect(doc.equity).toMatchObject({
      enabled: true,
      net: funds.equity!.net,
      cash: funds.equity!.available.cash,
      used: funds.equity!.utilised.debits,
    });
    expect(doc.commodity).toMatchObject({
      net: funds.commodity!.net,
      opening_balance: funds.commodity!.available.opening_balance,
    });
    const human = await som(c.t, ['funds']);
    expect(human.stdout).toMatch(/available \(net\)/);
  });

  it("som margin: a strategy's open legs from its fills, plus proposed legs, against the paper exchange", async () => {
    expect((await som(c.t, ['strategies', 'create', 'condor'])).code).toBe(0);
    // The short call of the condor, sold at the market for the strategy.
    const short = condor[0]!;
    const placed = await somJson(c.t, [
      'order',
      'place',
      short.symbol,
      '--side',
      'SELL',
      '--qty',
      String(short.quantity),
      '--type',
      'MARKET',
      '--product',
      'NRML',
      '--strategy',
      'condor',
    ]);
    expect(placed.code).toBe(0);
    const open = await until("the strategy's position", async () => {
      const { doc } = await somJson(c.t, ['margin', '--strategy', 'condor']);
      return doc.legs?.length === 1 ? doc : null;
    });
    expect(open.strategy).toBe('condor');
    expect(open.legs[0]).toMatchObject({
      source: 'position',
      exchange: 'NFO',
      tradingsymbol: short.symbol.split(':')[1],
      side: 'SELL',
      quantity: short.quantity,
    });
    const alone = await paperBasket(c, [{ ...short, price: undefined }], false);
    expect(open.open).toEqual({ initial: alone.initial.total, final: alone.final.total });
    expect(open.margin).toBeNull();

    // Propose the long call wing: the strategy's legs held together, and what the account needs more.
    const wing = condor[1]!;
    const { code, doc } = await somJson(c.t, [
      'margin',
      '--strategy',
      'condor',
      '--file',
      basketFile(c, 'wing.json', [wing]),
    ]);
    expect(code).toBe(0);
    expect(doc.legs.map((l: any) => l.source)).toEqual(['position', 'proposed']);
    const together = await paperBasket(c, [{ ...short, price: undefined }, wing], false);
    expect(doc.with_proposed).toEqual({ initial: together.initial.total, final: together.final.total });
    const extra = await paperBasket(c, [wing], true);
    expect(doc.margin.required).toBe(extra.final.total);
    // A long wing against a short call: the account needs less than the wing's premium alone would suggest.
    expect(doc.margin.required).toBeLessThan(extra.initial.total);

    // Another strategy has no legs; the account has the position.
    expect((await somJson(c.t, ['margin', '--strategy', 'default'])).doc.legs).toEqual([]);
    expect((await somJson(c.t, ['margin'])).doc.legs).toHaveLength(1);
  });
});
