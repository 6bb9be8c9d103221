import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Exchange, Instrument } from '../../../src/domain/instrument.js';
import type { Quote } from '../../../src/domain/quote.js';
import { percentBand } from '../../../src/paper/market/circuit.js';
import { MarketModel } from '../../../src/paper/market/model.js';
import { type InstrumentSpec, isMarketError, type MarketModelOptions } from '../../../src/paper/market/model-types.js';
import { blackScholes, smileVol } from '../../../src/paper/market/option-pricing.js';
import { TickGrid } from '../../../src/paper/market/tick.js';

function inst(o: Partial<Instrument> & Pick<Instrument, 'instrument_token' | 'tradingsymbol'>): Instrument {
  return {
    exchange_token: 0,
    name: '',
    last_price: 0,
    expiry: null,
    strike: 0,
    tick_size: 0.05,
    lot_size: 1,
    instrument_type: 'EQ',
    segment: 'NSE',
    exchange: 'NSE',
    ...o,
  };
}

function option(
  token: number,
  symbol: string,
  type: 'CE' | 'PE',
  strike: number,
  expiry: string,
  lot = 75,
  exchange: Exchange = 'NFO',
): Instrument {
  return inst({
    instrument_token: token,
    tradingsymbol: symbol,
    instrument_type: type,
    strike,
    expiry,
    lot_size: lot,
    exchange,
    segment: `${exchange}-OPT`,
    tick_size: exchange === 'MCX' ? 0.5 : 0.05,
  });
}

const T = {
  nifty: 256265,
  infy: 408065,
  tiny: 500001,
  fut: 9001,
  atmCe: 9002,
  atmPe: 9003,
  otmPe: 9004,
  otmCe: 9005,
  farCe: 9006,
  infyCe: 9007,
  crude: 9101,
  crudeCe: 9102,
} as const;

const instruments: Instrument[] = [
  inst({ instrument_token: T.nifty, tradingsymbol: 'NIFTY 50', segment: 'INDICES', tick_size: 0, lot_size: 0 }),
  inst({ instrument_token: T.infy, tradingsymbol: 'INFY' }),
  inst({ instrument_token: T.tiny, tradingsymbol: 'TINY' }),
  inst({
    instrument_token: T.fut,
    tradingsymbol: 'NIFTY25DECFUT',
    instrument_type: 'FUT',
    segment: 'NFO-FUT',
    exchange: 'NFO',
    expiry: '2025-12-30',
    lot_size: 75,
  }),
  option(T.atmCe, 'NIFTY25D0924000CE', 'CE', 24_000, '2025-12-09'),
  option(T.atmPe, 'NIFTY25D0924000PE', 'PE', 24_000, '2025-12-09'),
  option(T.otmPe, 'NIFTY25D0922500PE', 'PE', 22_500, '2025-12-09'),
  option(T.otmCe, 'NIFTY25D0925000CE', 'CE', 25_000, '2025-12-09'),
  option(T.farCe, 'NIFTY26JUN24000CE', 'CE', 24_000, '2026-06-30'),
  option(T.infyCe, 'INFY25DEC1400CE', 'CE', 1400, '2025-12-30', 400),
  inst({
    instrument_token: T.crude,
    tradingsymbol: 'CRUDEOIL25DECFUT',
    instrument_type: 'FUT',
    segment: 'MCX-FUT',
    exchange: 'MCX',
    expiry: '2025-12-18',
    lot_size: 100,
    tick_size: 1,
  }),
  option(T.crudeCe, 'CRUDEOIL25DEC6000CE', 'CE', 6000, '2025-12-16', 100, 'MCX'),
];

const specs: Record<number, InstrumentSpec> = {
  [T.nifty]: { referencePrice: 24_000, annualVol: 0.14 },
  [T.infy]: { referencePrice: 1389.65, annualVol: 0.25, circuitBandPct: 10, liquidity: 'high' },
  [T.tiny]: { referencePrice: 57.35, annualVol: 0.4, circuitBandPct: 5, liquidity: 'illiquid' },
  [T.fut]: { underlyingToken: T.nifty },
  [T.atmCe]: { underlyingToken: T.nifty },
  [T.atmPe]: { underlyingToken: T.nifty },
  [T.otmPe]: { underlyingToken: T.nifty },
  [T.otmCe]: { underlyingToken: T.nifty },
  [T.farCe]: { underlyingToken: T.nifty },
  [T.infyCe]: { underlyingToken: T.infy },
  [T.crude]: { referencePrice: 6000, annualVol: 0.35 },
  [T.crudeCe]: { underlyingToken: T.crude, annualVol: 0.38 },
};

const ALL = instruments.map((i) => i.instrument_token);
/** Monday 2025-12-08 09:15 IST. */
const START = new Date('2025-12-08T03:45:00Z');
const MIN = 60_000;

function model(over: Partial<MarketModelOptions> = {}): MarketModel {
  return new MarketModel({ seed: 42, instruments, specs, start: START, ...over });
}

function at(ms: number): Date {
  return new Date(START.getTime() + ms);
}

function quotes(m: MarketModel, tokens: readonly number[] = ALL): Quote[] {
  return tokens.map((t) => m.quote(t)!);
}

function gridOf(token: number): TickGrid {
  const i = instruments.find((x) => x.instrument_token === token)!;
  return new TickGrid(i.tick_size > 0 ? i.tick_size : 0.01);
}

function relSpread(q: Quote): number {
  const bid = q.depth.buy[0]!.price;
  const ask = q.depth.sell[0]!.price;
  return (ask - bid) / ((ask + bid) / 2);
}

function shownQuantity(q: Quote): number {
  return [...q.depth.buy, ...q.depth.sell].reduce((s, l) => s + l.quantity, 0);
}

/** NSE-style sessions for tests: NSE/NFO 09:15-15:30 IST on weekdays, MCX 09:00-23:30. */
function sessions(exchange: Exchange, when: Date): boolean {
  const ist = new Date(when.getTime() + 5.5 * 3_600_000);
  const dow = ist.getUTCDay();
  if (dow === 0 || dow === 6) return false;
  const minutes = ist.getUTCHours() * 60 + ist.getUTCMinutes();
  return exchange === 'MCX' ? minutes >= 540 && minutes < 1410 : minutes >= 555 && minutes < 930;
}

describe('MarketModel set-up', () => {
  it('returns errors as values for a bad set-up', () => {
    const noPrice = MarketModel.create({
      seed: 1,
      instruments: [inst({ instrument_token: 1, tradingsymbol: 'X' })],
      start: START,
    });
    expect(isMarketError(noPrice) && noPrice.code).toBe('INVALID_SPEC');

    const orphan = MarketModel.create({
      seed: 1,
      instruments,
      specs: { ...specs, [T.fut]: { underlyingToken: 123 } },
      start: START,
    });
    expect(isMarketError(orphan) && orphan.code).toBe('UNKNOWN_UNDERLYING');

    const noUnderlying = MarketModel.create({ seed: 1, instruments, specs: { ...specs, [T.atmCe]: {} }, start: START });
    expect(isMarketError(noUnderlying) && noUnderlying.code).toBe('INVALID_SPEC');

    const futA = inst({
      instrument_token: 1,
      tradingsymbol: 'A',
      instrument_type: 'FUT',
      exchange: 'NFO',
      segment: 'NFO-FUT',
      expiry: '2025-12-30',
    });
    const futB = inst({
      instrument_token: 2,
      tradingsymbol: 'B',
      instrument_type: 'FUT',
      exchange: 'NFO',
      segment: 'NFO-FUT',
      expiry: '2025-12-30',
    });
    const cycle = MarketModel.create({
      seed: 1,
      instruments: [futA, futB],
      specs: { 1: { underlyingToken: 2 }, 2: { underlyingToken: 1 } },
      start: START,
    });
    expect(isMarketError(cycle) && cycle.code).toBe('UNDERLYING_CYCLE');

    expect(isMarketError(MarketModel.create({ seed: 1, instruments, specs, start: START }))).toBe(false);
    expect(model().quote(777)).toBeUndefined();
  });
});

describe('quotes in Kite shape', () => {
  it("has exactly quote.json's fields, with IST timestamps", () => {
    const fixture = JSON.parse(readFileSync(new URL('../../fixtures/kite/quote.json', import.meta.url), 'utf8')) as {
      data: Record<string, Record<string, unknown>>;
    };
    const sample = fixture.data['NSE:INFY']!;
    const m = model();
    m.advanceTo(at(10 * MIN));
    const q = m.quote(T.infy)!;
    expect(Object.keys(q).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(q.ohlc).sort()).toEqual(Object.keys(sample.ohlc as object).sort());
    expect(Object.keys(q.depth.buy[0]!).sort()).toEqual(['orders', 'price', 'quantity']);
    // 03:55Z is 09:25 IST.
    expect(q.timestamp).toBe('2025-12-08 09:25:00');
    expect(q.last_trade_time).toMatch(/^2025-12-08 09:2[45]:\d\d$/);
    expect(q.ohlc.close).toBe(1389.65);
    expect(q.net_change).toBe(q.last_price - 1389.65);
    expect(q.lower_circuit_limit).toBe(1250.7);
    expect(q.upper_circuit_limit).toBe(1528.6);
    expect(q.volume).toBeGreaterThan(0);
    expect(q.average_price).toBeGreaterThan(q.ohlc.low);
    expect(q.average_price).toBeLessThan(q.ohlc.high);
    expect(q.buy_quantity).toBeGreaterThan(0);
  });

  it('gives an index a value but no depth, volume or circuit', () => {
    const m = model();
    m.advanceTo(at(MIN));
    const q = m.quote(T.nifty)!;
    expect(q.last_price).not.toBe(24_000);
    expect(q.volume).toBe(0);
    expect(q.buy_quantity + q.sell_quantity).toBe(0);
    expect([...q.depth.buy, ...q.depth.sell].every((l) => l.price === 0 && l.quantity === 0 && l.orders === 0)).toBe(
      true,
    );
    expect(q.lower_circuit_limit).toBe(0);
    expect(q.upper_circuit_limit).toBe(0);
    expect(q.ohlc.open).toBeGreaterThan(0);
  });
});

describe('determinism', () => {
  it('gives the same quotes for the same seed and different ones for another seed', () => {
    const a = model();
    const b = model();
    const c = model({ seed: 43 });
    for (const m of [a, b, c]) m.advanceTo(at(5 * MIN));
    expect(quotes(a)).toEqual(quotes(b));
    const qa = quotes(a);
    const qc = quotes(c);
    expect(qc[0]!.last_price).not.toBe(qa[0]!.last_price);
    const differing = qa.filter((q, i) => JSON.stringify(q) !== JSON.stringify(qc[i]));
    expect(differing.length).toBe(ALL.length);
  });

  it('does not depend on how often the caller advances or asks', () => {
    const steady = model();
    steady.watch(ALL);
    for (let ms = 250; ms <= 10 * MIN; ms += 250) {
      steady.advanceTo(at(ms));
      if (ms % 7_000 === 0) steady.quote(T.otmPe);
    }
    const jump = model();
    jump.advanceTo(at(10 * MIN));
    expect(quotes(jump)).toEqual(quotes(steady));
  });

  it('does not depend on cadence across days either', () => {
    const hourly = model();
    for (let h = 1; h <= 40; h++) {
      hourly.advanceTo(at(h * 60 * MIN));
      if (h % 3 === 0) quotes(hourly, [T.atmCe, T.farCe, T.infyCe, T.crudeCe]);
    }
    const once = model();
    once.advanceTo(at(40 * 60 * MIN));
    expect(quotes(once)).toEqual(quotes(hourly));
  });

  it('reads the same in any host time zone', () => {
    const saved = process.env.TZ;
    const run = (tz: string) => {
      process.env.TZ = tz;
      const m = model({ isTrading: sessions });
      m.advanceTo(new Date('2025-12-09T04:00:00Z'));
      return quotes(m);
    };
    try {
      const kolkata = run('Asia/Kolkata');
      const newYork = run('America/New_York');
      const tokyo = run('Asia/Tokyo');
      expect(newYork).toEqual(kolkata);
      expect(tokyo).toEqual(kolkata);
      expect(newYork[1]!.timestamp).toBe('2025-12-09 09:30:00');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('prices, ticks and circuits', () => {
  it('keeps every price on the tick and inside the circuit, pinning at the limit', () => {
    const wild: Record<number, InstrumentSpec> = {
      ...specs,
      [T.tiny]: { referencePrice: 57.35, annualVol: 3, circuitBandPct: 2, liquidity: 'illiquid' },
      [T.infy]: { referencePrice: 1389.65, annualVol: 1.5, circuitBandPct: 5, liquidity: 'high' },
    };
    const m = new MarketModel({ seed: 7, instruments, specs: wild, start: START });
    const band = percentBand(57.35, 2, new TickGrid(0.05));
    // 57.35 x 0.98 = 56.203 -> 56.25; 57.35 x 1.02 = 58.497 -> 58.45
    expect(band).toEqual({ lower: 56.25, upper: 58.45 });
    let hitLimit = false;
    for (let s = 5; s <= 40 * 60; s += 5) {
      m.advanceTo(at(s * 1000));
      for (const q of quotes(m)) {
        const grid = gridOf(q.instrument_token);
        const lo = q.lower_circuit_limit;
        const hi = q.upper_circuit_limit;
        const prices = [q.last_price, ...[q.ohlc.open, q.ohlc.high, q.ohlc.low].filter((p) => p > 0)];
        prices.push(...[...q.depth.buy, ...q.depth.sell].filter((l) => l.quantity > 0).map((l) => l.price));
        for (const p of prices) {
          expect(grid.isOnTick(p)).toBe(true);
          if (hi > 0) {
            expect(p).toBeGreaterThanOrEqual(lo);
            expect(p).toBeLessThanOrEqual(hi);
          }
        }
        if (q.instrument_token === T.tiny) {
          expect([lo, hi]).toEqual([56.25, 58.45]);
          if (q.last_price === lo || q.last_price === hi) hitLimit = true;
        }
      }
    }
    expect(hitLimit).toBe(true);
  });

  it('sets futures bands at 10% of the base and option bands by revaluation', () => {
    const m = model();
    const fut = m.quote(T.fut)!;
    const base = fut.ohlc.close;
    expect(fut.lower_circuit_limit).toBe(percentBand(base, 10, new TickGrid(0.05)).lower);
    expect(fut.upper_circuit_limit).toBe(percentBand(base, 10, new TickGrid(0.05)).upper);
    const ce = m.quote(T.atmCe)!;
    // With NIFTY 10% up (26400) the weekly 24000 call is worth about 2,400.
    expect(ce.upper_circuit_limit).toBeGreaterThan(2_400);
    expect(ce.upper_circuit_limit).toBeLessThan(2_500);
    expect(ce.lower_circuit_limit).toBe(0.05);
  });

  it('prices futures with carry and options with Black-76 on the smile', () => {
    const m = model();
    // At 09:15 on 8 Dec: the weekly expires 9 Dec 15:30, 30.25 hours later; the future 30 Dec 15:30.
    const tWeekly = 30.25 / 24 / 365;
    const tMonthly = (22 * 24 + 6.25) / 24 / 365;
    expect(m.fairValue(T.fut)).toBeCloseTo(24_000 * Math.exp(0.07 * tMonthly), 6);
    const forward = 24_000 * Math.exp(0.07 * tWeekly);
    const vol = smileVol(0.14, forward, 24_000, tWeekly, { curvature: 0.04, putSkew: 0.04 });
    // Black-Scholes on the spot with dividend yield r - carry is the same as Black-76 on the forward.
    const bs = blackScholes({
      kind: 'CE',
      spot: 24_000,
      strike: 24_000,
      t: tWeekly,
      rate: 0.065,
      vol,
      dividendYield: 0.065 - 0.07,
    });
    expect(m.fairValue(T.atmCe)).toBeCloseTo(bs.price, 8);
    // The opening previous close of a derivative is its value at the start, on the tick.
    expect(m.quote(T.atmCe)!.ohlc.close).toBe(new TickGrid(0.05).snap(bs.price));
  });
});

describe('depth and liquidity', () => {
  it('shows five ordered levels a side, best bid below best ask, whole lots', () => {
    const m = model();
    for (const minutes of [1, 7, 33]) {
      m.advanceTo(at(minutes * MIN));
      for (const q of quotes(m)) {
        if (q.instrument_token === T.nifty) continue;
        const lot = instruments.find((i) => i.instrument_token === q.instrument_token)!.lot_size;
        const unit = q.instrument_token === T.infy || q.instrument_token === T.tiny ? 1 : lot;
        expect(q.depth.buy).toHaveLength(5);
        expect(q.depth.sell).toHaveLength(5);
        const bids = q.depth.buy.filter((l) => l.quantity > 0);
        const asks = q.depth.sell.filter((l) => l.quantity > 0);
        expect(asks.length).toBeGreaterThan(0);
        expect(bids.length).toBeGreaterThan(0);
        expect(bids[0]!.price).toBeLessThan(asks[0]!.price);
        for (let i = 1; i < bids.length; i++) expect(bids[i]!.price).toBeLessThan(bids[i - 1]!.price);
        for (let i = 1; i < asks.length; i++) expect(asks[i]!.price).toBeGreaterThan(asks[i - 1]!.price);
        for (const l of [...bids, ...asks]) expect(l.quantity % unit).toBe(0);
        expect(q.buy_quantity).toBeGreaterThanOrEqual(bids.reduce((s, l) => s + l.quantity, 0));
      }
    }
  });

  it('quotes deep out-of-the-money and far expiries wider and thinner than at the money near expiry', () => {
    const m = model();
    m.advanceTo(at(2 * MIN));
    const atm = m.quote(T.atmCe)!;
    const otm = m.quote(T.otmCe)!;
    const far = m.quote(T.farCe)!;
    const stock = m.quote(T.infyCe)!;
    expect(relSpread(otm)).toBeGreaterThan(10 * relSpread(atm));
    expect(relSpread(far)).toBeGreaterThan(2 * relSpread(atm));
    expect(shownQuantity(otm)).toBeLessThan(shownQuantity(atm));
    expect(shownQuantity(far)).toBeLessThan(shownQuantity(atm));
    // A stock option is wider than the index option at the money.
    expect(relSpread(stock)).toBeGreaterThan(5 * relSpread(atm));
    // An illiquid cash stock is wider than a liquid one.
    expect(relSpread(m.quote(T.tiny)!)).toBeGreaterThan(5 * relSpread(m.quote(T.infy)!));
  });

  it('keeps open interest larger at the money, with a day range, moving only as contracts trade', () => {
    const m = model();
    m.advanceTo(at(MIN));
    const before = m.quote(T.atmCe)!;
    m.advanceTo(at(2 * MIN));
    const after = m.quote(T.atmCe)!;
    expect(after.oi).toBeGreaterThan(m.quote(T.otmPe)!.oi);
    expect(after.oi_day_high).toBeGreaterThanOrEqual(after.oi);
    expect(after.oi_day_low).toBeLessThanOrEqual(after.oi);
    expect(Math.abs(after.oi - before.oi)).toBeLessThanOrEqual(after.volume - before.volume);
    expect(after.oi % 75).toBe(0);
    expect(m.quote(T.infy)!.oi).toBe(0);
  });
});

describe('hooks for the matching engine', () => {
  const still = {
    ...specs,
    [T.infy]: { referencePrice: 1389.65, annualVol: 0, circuitBandPct: 10, liquidity: 'high' as const },
  };

  it('empties the top of the book when an order eats it, and refills it over the next seconds', () => {
    const m = new MarketModel({ seed: 3, instruments, specs: still, start: START });
    m.advanceTo(at(10_000));
    const before = m.quote(T.infy)!;
    const top = before.depth.sell[0]!;
    expect(m.consumeDepth(T.infy, 'BUY', top.quantity)).toBeNull();
    const eaten = m.quote(T.infy)!;
    expect(eaten.depth.sell[0]!.price).toBe(before.depth.sell[1]!.price);
    expect(eaten.sell_quantity).toBe(before.sell_quantity - top.quantity);
    expect(eaten.depth.buy).toEqual(before.depth.buy);
    // Refill time for 'high' is 2 s: after 30 s, e^-15 of it is left, which rounds to nothing.
    m.advanceTo(at(40_000));
    const refilled = m.quote(T.infy)!;
    expect(refilled.depth.sell[0]!.price).toBe(top.price);
    // The matching engine's report names the book side: a SELL order took from the bids.
    const bid = refilled.depth.buy[0]!;
    expect(
      m.depthConsumed({ instrument_token: T.infy, side: 'buy', price: bid.price, quantity: bid.quantity }),
    ).toBeNull();
    expect(m.quote(T.infy)!.depth.buy[0]!.price).toBe(refilled.depth.buy[1]!.price);
    expect(m.consumeDepth(T.nifty, 'BUY', 10)?.code).toBe('INVALID_ARGUMENT');
    expect(m.consumeDepth(T.infy, 'SELL', -1)?.code).toBe('INVALID_ARGUMENT');
  });

  it('prints a paper fill on the tape and refuses prices off the tick or outside the circuit', () => {
    const m = model();
    m.advanceTo(at(MIN));
    const before = m.quote(T.infy)!;
    expect(m.recordTrade(T.infy, 1390, 100)).toBeNull();
    const after = m.quote(T.infy)!;
    expect(after.last_price).toBe(1390);
    expect(after.last_quantity).toBe(100);
    expect(after.volume).toBe(before.volume + 100);
    expect(m.recordTrade(T.infy, 1390.03, 1)?.code).toBe('INVALID_ARGUMENT');
    expect(m.recordTrade(T.infy, 2000, 1)?.code).toBe('OUTSIDE_CIRCUIT');
    expect(m.recordTrade(T.nifty, 24_000, 1)?.code).toBe('INVALID_ARGUMENT');
    expect(m.recordTrade(1, 10, 1)?.code).toBe('UNKNOWN_INSTRUMENT');
  });
});

describe('scenarios', () => {
  it('drives an underlying along a price path and reprices its derivatives', () => {
    const m = model();
    m.advanceTo(at(MIN));
    const putBefore = m.fairValue(T.atmPe)!;
    expect(
      m.setPricePath(T.nifty, [
        { at: 30_000, price: 23_500 },
        { at: at(2 * MIN), price: 23_000 },
      ]),
    ).toBeNull();
    m.advanceTo(at(MIN + 15_000));
    const halfway = m.ltp(T.nifty)!;
    expect(halfway).toBeLessThan(24_000);
    expect(halfway).toBeGreaterThan(23_500);
    m.advanceTo(at(MIN + 30_000));
    expect(m.ltp(T.nifty)).toBe(23_500);
    m.advanceTo(at(2 * MIN));
    expect(m.ltp(T.nifty)).toBe(23_000);
    // The put is worth about K - F more; the future follows with carry.
    expect(m.fairValue(T.atmPe)!).toBeGreaterThan(putBefore + 800);
    expect(m.quote(T.atmPe)!.depth.buy[0]!.price).toBeGreaterThan(900);
    expect(m.fairValue(T.fut)).toBeCloseTo(23_000 * Math.exp((0.07 * (22 * 24 + 6.25 - 2 / 60)) / 24 / 365), 4);
    // The walk resumes after the last point.
    m.advanceTo(at(3 * MIN));
    expect(m.ltp(T.nifty)).not.toBe(23_000);
  });

  it('holds a path inside the circuit and refuses paths on derivatives or in the past', () => {
    const m = model();
    expect(m.setPricePath(T.infy, [{ at: 10_000, price: 1000 }])).toBeNull();
    m.advanceTo(at(10_000));
    expect(m.ltp(T.infy)).toBe(1250.7);
    expect(m.setPricePath(T.atmCe, [{ at: 10_000, price: 1 }])?.code).toBe('NOT_AN_UNDERLYING');
    expect(m.setPricePath(T.nifty, [{ at: at(0), price: 1 }])?.code).toBe('INVALID_PATH');
    expect(m.setPricePath(T.nifty, [])?.code).toBe('INVALID_PATH');
    expect(m.setPricePath(T.nifty, [{ at: 5_000, price: 0 }])?.code).toBe('INVALID_PATH');
  });

  it('widens spreads and dries up depth until reset', () => {
    const m = model();
    m.advanceTo(at(MIN));
    const normal = m.quote(T.atmCe)!;
    expect(m.widenSpread(T.atmCe, 6)).toBeNull();
    const wide = m.quote(T.atmCe)!;
    const width = (q: Quote) => q.depth.sell[0]!.price - q.depth.buy[0]!.price;
    expect(width(wide)).toBeGreaterThanOrEqual(6 * width(normal) - 1e-9);
    expect(m.dryUpDepth(T.atmCe, 20)).toBeNull();
    const dry = m.quote(T.atmCe)!;
    expect(shownQuantity(dry)).toBeLessThan(shownQuantity(normal) / 5);
    expect(m.resetScenario(T.atmCe)).toBeNull();
    expect(m.quote(T.atmCe)).toEqual(normal);
    expect(m.widenSpread(T.atmCe, 0)?.code).toBe('INVALID_ARGUMENT');
    m.widenSpread(T.infy, 3);
    m.resetAllScenarios();
    expect(relSpread(m.quote(T.infy)!)).toBeLessThan(0.001);
  });
});

describe('change feed', () => {
  it('reports the watched instruments that moved', () => {
    const m = model();
    m.watch([T.nifty, T.infy]);
    const start = m.changedSince(0);
    expect(start.tokens.sort()).toEqual([T.nifty, T.infy].sort());
    const moved = m.advanceTo(at(1000));
    expect(moved).toContain(T.nifty);
    expect(moved).not.toContain(T.atmCe);
    const feed = m.changedSince(start.cursor);
    expect(feed.tokens).toContain(T.nifty);
    expect(m.changedSince(feed.cursor).tokens).toEqual([]);
    m.recordTrade(T.infy, 1389.65, 1);
    expect(m.changedSince(feed.cursor).tokens).toEqual([T.infy]);
    m.unwatch([T.nifty]);
    expect(m.advanceTo(at(5000))).not.toContain(T.nifty);
    // Time only moves forward.
    expect(m.advanceTo(at(1000))).toEqual([]);
    expect(m.now().getTime()).toBe(at(5000).getTime());
  });
});

describe('sessions, days and expiry', () => {
  it('stands still outside trading hours and rolls the day at the next open', () => {
    const m = model({ isTrading: sessions });
    m.advanceTo(new Date('2025-12-08T10:01:00Z')); // 15:31 IST, after the close
    const close = quotes(m);
    m.advanceTo(new Date('2025-12-09T03:44:00Z')); // 09:14 IST next day, before the open
    const preOpen = quotes(m);
    const nse = (q: Quote) => q.instrument_token !== T.crude && q.instrument_token !== T.crudeCe;
    for (const [i, q] of preOpen.entries()) {
      if (!nse(q)) continue;
      expect(q.last_price).toBe(close[i]!.last_price);
      expect(q.volume).toBe(close[i]!.volume);
    }
    m.advanceTo(new Date('2025-12-09T03:46:00Z')); // 09:16 IST
    const infy = m.quote(T.infy)!;
    const infyClose = close[ALL.indexOf(T.infy)]!;
    expect(infy.ohlc.close).toBe(infyClose.last_price);
    expect(infy.volume).toBeLessThan(infyClose.volume);
    expect(infy.ohlc.open).toBeGreaterThan(0);
    const band = percentBand(infyClose.last_price, 10, new TickGrid(0.05));
    expect([infy.lower_circuit_limit, infy.upper_circuit_limit]).toEqual([band.lower, band.upper]);
    // A derivative settles at the model's value at the last second of the day before.
    const fut = m.quote(T.fut)!;
    expect(fut.ohlc.close).toBeGreaterThan(0);
    expect(fut.oi_day_high).toBeGreaterThanOrEqual(fut.oi);
    // MCX was still open at 15:31 IST: crude kept trading after NSE closed.
    expect(m.quote(T.crude)!.last_trade_time).not.toBe(close[ALL.indexOf(T.crude)]!.last_trade_time);
  });

  it('skips weekends without stepping through them', () => {
    const m = model({ isTrading: sessions });
    m.advanceTo(new Date('2025-12-12T10:00:00Z')); // Friday 15:30 IST
    const friday = m.ltp(T.nifty);
    m.advanceTo(new Date('2025-12-15T03:44:00Z')); // Monday 09:14 IST
    expect(m.ltp(T.nifty)).toBe(friday);
    m.advanceTo(new Date('2025-12-15T03:50:00Z'));
    expect(m.ltp(T.nifty)).not.toBe(friday);
  });

  it('stops trading an option at expiry, where it is worth its intrinsic value', () => {
    const m = model();
    m.advanceTo(new Date('2025-12-09T10:30:00Z')); // 16:00 IST on expiry day
    const q = m.quote(T.atmCe)!;
    expect(q.depth.buy.every((l) => l.quantity === 0)).toBe(true);
    expect(q.depth.sell.every((l) => l.quantity === 0)).toBe(true);
    const spot = m.fairValue(T.nifty)!;
    expect(m.fairValue(T.atmCe)).toBe(Math.max(0, spot - 24_000));
    expect(m.fairValue(T.atmPe)).toBe(Math.max(0, 24_000 - spot));
    m.advanceTo(new Date('2025-12-09T11:30:00Z'));
    expect(m.quote(T.atmCe)!.volume).toBe(q.volume);
    expect(new Date(`${q.last_trade_time.replace(' ', 'T')}+05:30`).getTime()).toBeLessThan(
      new Date('2025-12-09T10:00:00Z').getTime(),
    );
  });
});
