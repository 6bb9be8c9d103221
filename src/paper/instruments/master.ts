/**
 * The paper exchange's instrument master: a current-dated list of instruments generated from
 * the data in `./specs.ts` and the market rules in `src/market/`, as Kite's GET /instruments
 * would list them on `asOf`.
 *
 * Listed: about 45 NSE shares (some also on BSE), the NIFTY 50, NIFTY BANK, INDIA VIX and
 * SENSEX indices; NIFTY options on the next 4 weekly and 3 monthly expiries, BANKNIFTY options
 * on 3 monthlies, SENSEX options on the next 4 weekly-cycle (Thursday) expiries; NIFTY,
 * BANKNIFTY and SENSEX futures on 3 monthlies; stock futures on 3 monthlies and options on a
 * few stocks (2 monthlies); MCX futures (CRUDEOIL, NATURALGAS, GOLD, GOLDM, SILVER, SILVERM,
 * next 3 contracts each) and CRUDEOIL options (next 2). Contracts that expired before `asOf`
 * are left out; one expiring on `asOf` is listed (it trades that day).
 *
 * Strike ladders centre on the spot passed in (`options.spots`, else the defaults): the
 * at-the-money strike is the spot rounded to the strike step, with STRIKES_EACH_SIDE strikes
 * each side (more for expiries within NEAR_EXPIRY_DAYS).
 *
 * `last_price` is 0 as in Kite's current dumps; the simulation seed is `paper.referencePrice`.
 */
import type { Exchange, InstrumentType } from '../../domain/instrument.js';
import { defaultCalendar, type TradingCalendar } from '../../market/calendar.js';
import { type MonthlyContract, monthlyExpiries, weeklyExpiries } from '../../market/expiry.js';
import { diffDays, isIsoDate } from '../../market/ist.js';
import { derivativeSymbol, formatTradingSymbol, type SymbolKind } from '../../market/tradingsymbol.js';
import { carriedFuturesPrice, seedOptionPremium } from './seed-prices.js';
import {
  DEFAULT_REFERENCE_PRICES,
  EQUITIES,
  FNO_PRICE_BAND_PCT,
  FUTURES_CARRY_RATE,
  INDEX_DERIVATIVES,
  INDICES,
  MCX_COMMODITIES,
  NEAR_EXPIRY_DAYS,
  NON_FNO_PRICE_BAND_PCT,
  STOCK_FREEZE_LOTS,
  STOCK_FUTURES_EXPIRIES,
  STOCK_IMPLIED_VOL,
  STOCK_OPTION_EXPIRIES,
  STRIKES_EACH_SIDE,
} from './specs.js';
import {
  BSE_EQUITY_TICK_BANDS,
  BSE_INDEX_FUTURES_TICK,
  EQUITY_OPTION_TICK,
  NSE_EQUITY_TICK_BANDS,
  NSE_INDEX_FUTURES_TICK_BANDS,
  snapToTick,
  tickFor,
} from './tick-size.js';
import { instrumentToken, mintExchangeTokens, segmentIdFor } from './tokens.js';
import type { PaperFacts, PaperInstrument } from './types.js';

export interface InstrumentMasterOptions {
  /**
   * Reference (spot) price per underlying, keyed as in DEFAULT_REFERENCE_PRICES: index
   * derivative underlyings (NIFTY, BANKNIFTY, SENSEX), share symbols, MCX symbols (a futures
   * price), 'INDIA VIX'. Keys left out take the defaults.
   */
  spots?: Readonly<Record<string, number>>;
  calendar?: TradingCalendar;
}

/** A derivative before its token is minted. */
interface Draft {
  exchange: Exchange;
  tradingsymbol: string;
  name: string;
  expiry: string;
  strike: number;
  tickSize: number;
  lotSize: number;
  type: InstrumentType;
  segment: string;
  paper: PaperFacts;
  /** For MCX options: the key of the future whose token is the underlying token. */
  underlyingKey?: string;
}

const keyOf = (exchange: Exchange, tradingsymbol: string): string => `${exchange}:${tradingsymbol}`;

function symbolOrThrow(s: string | { message: string }): string {
  if (typeof s !== 'string') throw new RangeError(s.message);
  return s;
}

function strikeLadder(spot: number, step: number, eachSide: number): number[] {
  const atm = Math.round(spot / step) * step;
  const out: number[] = [];
  for (let i = -eachSide; i <= eachSide; i++) {
    const k = Number((atm + i * step).toFixed(6));
    if (k > 0) out.push(k);
  }
  return out;
}

/** Years to expiry counted to the expiry day's close (a quarter day on the day itself). */
function yearsTo(days: number): number {
  return (Math.max(0, days) + 0.25) / 365;
}

/**
 * Generate the instrument master for the trading date `asOf` (`YYYY-MM-DD`, IST).
 * Throws RangeError for a malformed date or a spot that is not a positive number (caller bugs).
 */
export function buildInstrumentMaster(asOf: string, options: InstrumentMasterOptions = {}): PaperInstrument[] {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a YYYY-MM-DD date, got ${JSON.stringify(asOf)}`);
  const calendar = options.calendar ?? defaultCalendar;
  const price = (key: string): number => {
    const p = options.spots?.[key] ?? DEFAULT_REFERENCE_PRICES[key];
    if (p === undefined || !Number.isFinite(p) || p <= 0) {
      throw new RangeError(`no positive reference price for ${key}: ${String(p)}`);
    }
    return p;
  };

  const out: PaperInstrument[] = [];

  // Indices: real tokens, not tradable (lot 0, tick 0, as Kite lists them).
  const indexToken = new Map<string, number>();
  for (const ix of INDICES) {
    indexToken.set(ix.tradingsymbol, ix.instrumentToken);
    out.push({
      instrument_token: ix.instrumentToken,
      exchange_token: Math.floor(ix.instrumentToken / 256),
      tradingsymbol: ix.tradingsymbol,
      name: ix.name,
      last_price: 0,
      expiry: null,
      strike: 0,
      tick_size: 0,
      lot_size: 0,
      instrument_type: 'EQ',
      segment: 'INDICES',
      exchange: ix.exchange,
      paper: {
        referencePrice: price(ix.priceKey),
        freezeQuantity: null,
        circuitBandPct: null,
        underlying: null,
        underlyingToken: null,
        multiplier: 1,
      },
    });
  }

  // Shares: NSE exchange tokens and BSE scrip codes.
  const shareToken = new Map<string, number>();
  for (const eq of EQUITIES) {
    const p = price(eq.symbol);
    const listings: Array<{ exchange: 'NSE' | 'BSE'; exchangeToken: number; tick: number }> = [
      { exchange: 'NSE', exchangeToken: eq.nseToken, tick: tickFor(NSE_EQUITY_TICK_BANDS, p) },
    ];
    if (eq.bseScripCode !== undefined) {
      listings.push({ exchange: 'BSE', exchangeToken: eq.bseScripCode, tick: tickFor(BSE_EQUITY_TICK_BANDS, p) });
    }
    for (const l of listings) {
      const token = instrumentToken(l.exchangeToken, segmentIdFor(l.exchange, l.exchange) ?? 0);
      if (l.exchange === 'NSE') shareToken.set(eq.symbol, token);
      out.push({
        instrument_token: token,
        exchange_token: l.exchangeToken,
        tradingsymbol: eq.symbol,
        name: eq.name,
        last_price: 0,
        expiry: null,
        strike: 0,
        tick_size: l.tick,
        lot_size: 1,
        instrument_type: 'EQ',
        segment: l.exchange,
        exchange: l.exchange,
        paper: {
          referencePrice: snapToTick(p, l.tick),
          freezeQuantity: null,
          circuitBandPct: eq.fno ? FNO_PRICE_BAND_PCT : NON_FNO_PRICE_BAND_PCT,
          underlying: null,
          underlyingToken: null,
          multiplier: 1,
        },
      });
    }
  }

  const drafts: Draft[] = [];
  const symbol = (u: string, kind: SymbolKind, expiry: string, strike: number): string =>
    symbolOrThrow(derivativeSymbol(u, kind, expiry, strike, calendar));

  /** One expiry's calls and puts over a strike ladder, premiums from Black-76 on `forward`. */
  const addChain = (c: {
    exchange: Exchange;
    name: string;
    expiry: string;
    lotSize: number;
    segment: string;
    facts: Pick<PaperFacts, 'underlying' | 'underlyingToken' | 'freezeQuantity' | 'multiplier'>;
    forward: number;
    strikes: number[];
    days: number;
    vol: number;
    tick: number;
    symbolFor: (kind: 'CE' | 'PE', strike: number) => string;
    /** MCX: the future whose minted token becomes the underlying token. */
    underlyingKey?: string | undefined;
  }): void => {
    for (const strike of c.strikes) {
      for (const kind of ['CE', 'PE'] as const) {
        drafts.push({
          exchange: c.exchange,
          tradingsymbol: c.symbolFor(kind, strike),
          name: c.name,
          expiry: c.expiry,
          strike,
          tickSize: c.tick,
          lotSize: c.lotSize,
          type: kind,
          segment: c.segment,
          paper: {
            ...c.facts,
            referencePrice: snapToTick(seedOptionPremium(kind, c.forward, strike, yearsTo(c.days), c.vol), c.tick),
            circuitBandPct: null,
          },
          ...(c.underlyingKey ? { underlyingKey: c.underlyingKey } : {}),
        });
      }
    }
  };

  // Index futures and options.
  for (const spec of INDEX_DERIVATIVES) {
    const spot = price(spec.underlying);
    const ixToken = indexToken.get(spec.index) ?? null;
    const futTick = spec.exchange === 'NFO' ? tickFor(NSE_INDEX_FUTURES_TICK_BANDS, spot) : BSE_INDEX_FUTURES_TICK;
    for (const c of monthlyExpiries(spec.underlying, asOf, spec.futuresExpiries, 'FUT', calendar)) {
      const days = diffDays(asOf, c.expiry);
      drafts.push({
        exchange: spec.exchange,
        tradingsymbol: symbol(spec.underlying, 'FUT', c.expiry, 0),
        name: spec.underlying,
        expiry: c.expiry,
        strike: 0,
        tickSize: futTick,
        lotSize: spec.lotSize,
        type: 'FUT',
        segment: `${spec.exchange}-FUT`,
        paper: {
          referencePrice: snapToTick(carriedFuturesPrice(spot, days, FUTURES_CARRY_RATE), futTick),
          freezeQuantity: spec.freezeQuantity,
          circuitBandPct: FNO_PRICE_BAND_PCT,
          underlying: spec.underlying,
          underlyingToken: ixToken,
          multiplier: 1,
        },
      });
    }
    const expiries = new Set([
      ...weeklyExpiries(spec.underlying, asOf, spec.weeklyOptionExpiries, calendar),
      ...monthlyExpiries(spec.underlying, asOf, spec.monthlyOptionExpiries, 'OPT', calendar).map((c) => c.expiry),
    ]);
    for (const expiry of [...expiries].sort()) {
      const days = diffDays(asOf, expiry);
      const eachSide = days <= NEAR_EXPIRY_DAYS ? STRIKES_EACH_SIDE.near : STRIKES_EACH_SIDE.far;
      addChain({
        exchange: spec.exchange,
        name: spec.underlying,
        expiry,
        lotSize: spec.lotSize,
        segment: `${spec.exchange}-OPT`,
        facts: {
          underlying: spec.underlying,
          underlyingToken: ixToken,
          freezeQuantity: spec.freezeQuantity,
          multiplier: 1,
        },
        forward: carriedFuturesPrice(spot, days, FUTURES_CARRY_RATE),
        strikes: strikeLadder(spot, spec.strikeStep, eachSide),
        days,
        vol: spec.impliedVol,
        tick: EQUITY_OPTION_TICK,
        symbolFor: (kind, strike) => symbol(spec.underlying, kind, expiry, strike),
      });
    }
  }

  // Stock futures and options (NFO).
  for (const eq of EQUITIES) {
    if (!eq.fno) continue;
    const spot = price(eq.symbol);
    const underlyingToken = shareToken.get(eq.symbol) ?? null;
    const freezeQuantity = eq.fno.lotSize * STOCK_FREEZE_LOTS;
    const futTick = tickFor(NSE_EQUITY_TICK_BANDS, spot);
    for (const c of monthlyExpiries(eq.symbol, asOf, STOCK_FUTURES_EXPIRIES, 'FUT', calendar)) {
      const days = diffDays(asOf, c.expiry);
      drafts.push({
        exchange: 'NFO',
        tradingsymbol: symbol(eq.symbol, 'FUT', c.expiry, 0),
        name: eq.symbol,
        expiry: c.expiry,
        strike: 0,
        tickSize: futTick,
        lotSize: eq.fno.lotSize,
        type: 'FUT',
        segment: 'NFO-FUT',
        paper: {
          referencePrice: snapToTick(carriedFuturesPrice(spot, days, FUTURES_CARRY_RATE), futTick),
          freezeQuantity,
          circuitBandPct: FNO_PRICE_BAND_PCT,
          underlying: eq.symbol,
          underlyingToken,
          multiplier: 1,
        },
      });
    }
    const step = eq.fno.strikeStep;
    if (step === undefined) continue;
    for (const c of monthlyExpiries(eq.symbol, asOf, STOCK_OPTION_EXPIRIES, 'OPT', calendar)) {
      const days = diffDays(asOf, c.expiry);
      addChain({
        exchange: 'NFO',
        name: eq.symbol,
        expiry: c.expiry,
        lotSize: eq.fno.lotSize,
        segment: 'NFO-OPT',
        facts: { underlying: eq.symbol, underlyingToken, freezeQuantity, multiplier: 1 },
        forward: carriedFuturesPrice(spot, days, FUTURES_CARRY_RATE),
        strikes: strikeLadder(spot, step, STRIKES_EACH_SIDE.stock),
        days,
        vol: STOCK_IMPLIED_VOL,
        tick: EQUITY_OPTION_TICK,
        symbolFor: (kind, strike) => symbol(eq.symbol, kind, c.expiry, strike),
      });
    }
  }

  // MCX futures and options: quantity in lots (lot_size 1), the lot's size as `multiplier`.
  const monthlySymbol = (u: string, kind: SymbolKind, c: MonthlyContract, strike: number): string =>
    symbolOrThrow(
      formatTradingSymbol({
        underlying: u,
        kind,
        form: 'monthly',
        expiry: { year: c.year, month: c.month, day: null },
        strike,
      }),
    );
  for (const m of MCX_COMMODITIES) {
    const spot = price(m.symbol);
    const futureKeyByMonth = new Map<string, string>();
    for (const c of monthlyExpiries(m.symbol, asOf, m.futuresExpiries, 'FUT', calendar)) {
      const tradingsymbol = monthlySymbol(m.symbol, 'FUT', c, 0);
      futureKeyByMonth.set(`${c.year}-${c.month}`, keyOf('MCX', tradingsymbol));
      drafts.push({
        exchange: 'MCX',
        tradingsymbol,
        name: m.symbol,
        expiry: c.expiry,
        strike: 0,
        tickSize: m.tickSize,
        lotSize: 1,
        type: 'FUT',
        segment: 'MCX-FUT',
        paper: {
          referencePrice: snapToTick(spot, m.tickSize),
          freezeQuantity: m.freezeLots,
          circuitBandPct: m.circuitBandPct,
          underlying: m.symbol,
          underlyingToken: null,
          multiplier: m.multiplier,
        },
      });
    }
    const opt = m.options;
    if (!opt) continue;
    for (const c of monthlyExpiries(m.symbol, asOf, opt.expiries, 'OPT', calendar)) {
      const days = diffDays(asOf, c.expiry);
      addChain({
        exchange: 'MCX',
        name: m.symbol,
        expiry: c.expiry,
        lotSize: 1,
        segment: 'MCX-OPT',
        facts: { underlying: m.symbol, underlyingToken: null, freezeQuantity: m.freezeLots, multiplier: m.multiplier },
        forward: spot,
        strikes: strikeLadder(spot, opt.strikeStep, STRIKES_EACH_SIDE.commodity),
        days,
        vol: opt.impliedVol,
        tick: opt.tickSize,
        symbolFor: (kind, strike) => monthlySymbol(m.symbol, kind, c, strike),
        underlyingKey: futureKeyByMonth.get(`${c.year}-${c.month}`),
      });
    }
  }

  // Mint tokens for the derivatives, then link MCX options to their futures.
  const tokens = mintExchangeTokens(drafts.map((d) => keyOf(d.exchange, d.tradingsymbol)));
  const tokenOfKey = new Map<string, number>();
  for (const d of drafts) {
    const key = keyOf(d.exchange, d.tradingsymbol);
    const exchangeToken = tokens.get(key) ?? 0;
    tokenOfKey.set(key, instrumentToken(exchangeToken, segmentIdFor(d.exchange, d.segment) ?? 0));
  }
  for (const d of drafts) {
    const key = keyOf(d.exchange, d.tradingsymbol);
    const token = tokenOfKey.get(key) ?? 0;
    const underlyingToken = d.underlyingKey ? (tokenOfKey.get(d.underlyingKey) ?? null) : d.paper.underlyingToken;
    out.push({
      instrument_token: token,
      exchange_token: Math.floor(token / 256),
      tradingsymbol: d.tradingsymbol,
      name: d.name,
      last_price: 0,
      expiry: d.expiry,
      strike: d.strike,
      tick_size: d.tickSize,
      lot_size: d.lotSize,
      instrument_type: d.type,
      segment: d.segment,
      exchange: d.exchange,
      paper: { ...d.paper, underlyingToken },
    });
  }
  return out;
}
