/**
 * Quantity freeze limits: the most one order may ask for in an index derivative before the
 * exchange freezes (rejects) it. Kite publishes no API for them (kite.trade forum: "Kite
 * Connect doesn't have a separate API for freeze quantity"), so they live here as dated data.
 *
 * Units: the exchange's own figure, in units of the underlying (NIFTY 1800), not lots. The
 * largest order that passes is the biggest whole number of lots within it: with NIFTY's lot of
 * 65 that is 27 lots = 1755 (ICICI Direct's note on the NSE circular; Kite's rejection says
 * "higher than the maximum quantity of 900 (36 lots)"). See `maxLotsPerOrder`.
 *
 * Sources, per revision below. NSE revises index limits about monthly by a formula
 * (F&O consolidated circular NSE/FAOP/67775, 2025-04-30, chapter 1.8):
 * - 2025-07-01: the limits in force before 2025-09-01, as Moneycontrol and Business Upturn
 *   (2025-08-29) quote the circular effective July 1.
 * - 2025-09-01: NSE circular of 2025-08-29 (BANKNIFTY 600 -> 900).
 * - 2025-11-03: NSE circular of 2025-10-31 (BANKNIFTY 900 -> 600).
 * - 2025-12-01: ICICI Direct's table of the NSE revisions (FINNIFTY 1800 -> 1200).
 * - 2026-02-01: NSE circular of 2026-01-30 (FINNIFTY back to 1800).
 * - A revision effective 2026-03-02 exists (NSE circular, by its title) but its figures were
 *   not found. A broker's contract file of 2026-07-22 quoted in public code (NIFTY 1756 =
 *   27 x 65 + 1, BANKNIFTY 601 = 20 x 30 + 1) agrees with NIFTY 1800 and BANKNIFTY 600 still in
 *   force, so the 2026-02-01 figures are the latest known and apply from then on. Unconfirmed
 *   after 2026-02; add a revision here when NSE publishes one.
 * - BSE: SENSEX 1000 (50 lots of 20), BANKEX 900 (30 lots of 30), from ICICI Direct's table
 *   current in Feb 2026; BSE's start date was not found, so they apply from 2026-02-01, the
 *   earliest date we can vouch for. SENSEX50: not found (null).
 * Stock derivatives have one limit per stock, published daily by NSE; none is kept (null).
 */
import type { Exchange, Instrument } from '../domain/instrument.js';
import { isIsoDate, istDate } from './ist.js';
import { isTradingSymbolError, parseTradingSymbol } from './tradingsymbol.js';

/** One published revision of an exchange's index-derivative freeze limits. */
export interface FreezeLimitRevision {
  exchange: Extract<Exchange, 'NFO' | 'BFO'>;
  /** First IST trading date the limits apply to, `YYYY-MM-DD`. */
  from: string;
  /** Underlying (Kite's `name` of the contracts) -> limit in units. */
  limits: Readonly<Record<string, number>>;
  source: string;
}

/** Every known revision, oldest first per exchange. */
export const FREEZE_LIMIT_REVISIONS: readonly FreezeLimitRevision[] = [
  {
    exchange: 'NFO',
    from: '2025-07-01',
    limits: { BANKNIFTY: 600, NIFTY: 1800, FINNIFTY: 1800, MIDCPNIFTY: 2800, NIFTYNXT50: 600 },
    source: 'NSE circular effective 2025-07-01 (as quoted by Moneycontrol, 2025-08-29)',
  },
  {
    exchange: 'NFO',
    from: '2025-09-01',
    limits: { BANKNIFTY: 900, NIFTY: 1800, FINNIFTY: 1800, MIDCPNIFTY: 2800, NIFTYNXT50: 600 },
    source: 'NSE circular 2025-08-29',
  },
  {
    exchange: 'NFO',
    from: '2025-11-03',
    limits: { BANKNIFTY: 600, NIFTY: 1800, FINNIFTY: 1800, MIDCPNIFTY: 2800, NIFTYNXT50: 600 },
    source: 'NSE circular 2025-10-31',
  },
  {
    exchange: 'NFO',
    from: '2025-12-01',
    limits: { BANKNIFTY: 600, NIFTY: 1800, FINNIFTY: 1200, MIDCPNIFTY: 2800, NIFTYNXT50: 600 },
    source: 'ICICI Direct table of NSE revisions (w.e.f. 2025-12-01)',
  },
  {
    exchange: 'NFO',
    from: '2026-02-01',
    limits: { BANKNIFTY: 600, NIFTY: 1800, FINNIFTY: 1800, MIDCPNIFTY: 2800, NIFTYNXT50: 600 },
    source: 'NSE circular 2026-01-30; latest known (a 2026-03-02 revision was not found)',
  },
  {
    exchange: 'BFO',
    from: '2026-02-01',
    limits: { SENSEX: 1000, BANKEX: 900 },
    source: 'ICICI Direct table (Feb 2026); BSE start date unknown',
  },
];

const DERIVATIVE_SEGMENTS: ReadonlySet<string> = new Set(['NFO-FUT', 'NFO-OPT', 'BFO-FUT', 'BFO-OPT']);

/**
 * The freeze limit (units) of an index future or option on a date, or null where none is
 * known: stock derivatives, other exchanges, underlyings not in the table, or dates before
 * the first known revision. `onDate` is an instant (its IST date is used) or `YYYY-MM-DD`.
 */
export function freezeQuantity(
  instrument: Pick<Instrument, 'exchange' | 'segment' | 'name' | 'tradingsymbol'>,
  onDate: Date | string,
): number | null {
  if (!DERIVATIVE_SEGMENTS.has(instrument.segment)) return null;
  const date = typeof onDate === 'string' ? onDate : istDate(onDate);
  if (!isIsoDate(date)) throw new RangeError(`freezeQuantity: not a YYYY-MM-DD date: ${JSON.stringify(onDate)}`);
  const underlying = underlyingOf(instrument);
  if (underlying === null) return null;
  let inForce: FreezeLimitRevision | undefined;
  for (const r of FREEZE_LIMIT_REVISIONS) {
    if (r.exchange === instrument.exchange && r.from <= date && (!inForce || r.from > inForce.from)) inForce = r;
  }
  return inForce?.limits[underlying] ?? null;
}

/** How many whole lots one order may carry under a freeze limit (0 when no lot fits). */
export function maxLotsPerOrder(freeze: number, lotSize: number): number {
  return lotSize > 0 ? Math.floor(freeze / lotSize) : 0;
}

/**
 * Kite names a derivative's underlying in `name` (NIFTY, BANKNIFTY); older masters left it
 * empty, so fall back to reading it off the trading symbol.
 */
function underlyingOf(instrument: Pick<Instrument, 'name' | 'tradingsymbol'>): string | null {
  const name = instrument.name.trim().toUpperCase();
  if (name) return name;
  const parsed = parseTradingSymbol(instrument.tradingsymbol.toUpperCase());
  return isTradingSymbolError(parsed) ? null : parsed.underlying;
}
