import { type Kysely, sql } from 'kysely';
import { EXCHANGES, type Exchange, type Instrument, type InstrumentType } from '../domain/instrument.js';
import { SomError } from '../protocol/errors.js';
import type { Database, InstrumentsTable } from './schema.js';

/** One download of the instrument master, as `instrument_downloads` records it. */
export interface InstrumentDownload {
  /** When it was stored (ISO-8601 UTC). */
  at: string;
  /** The IST trading day it was downloaded for, `YYYY-MM-DD`. */
  tradingDay: string;
  /** Rows stored. */
  count: number;
  /** Where it came from (`kite`, `paper`, a file path...). */
  source: string;
}

export interface ReplaceResult {
  download: InstrumentDownload;
  /**
   * Rows the table refused and left out: a second row with the same instrument_token or
   * exchange:tradingsymbol (the first wins), or a row failing a column check.
   */
  skipped: number;
}

/**
 * Rows per INSERT: 12 columns x 1000 = 12,000 bound values, well under SQLite's 32,766.
 * Measured on 100k rows: about 0.5 s for the whole replacement.
 */
const INSERT_CHUNK = 1000;

/**
 * Replace the whole instrument master with `rows` and record the download, in one
 * transaction: readers see the old master or the new one, never a mix or an empty table.
 * An empty list is refused (a failed download must not wipe a good master).
 */
export async function replaceInstruments(
  db: Kysely<Database>,
  rows: readonly Instrument[],
  meta: { at: Date; tradingDay: string; source: string },
): Promise<ReplaceResult> {
  if (rows.length === 0) {
    throw new SomError('INVALID_INPUT', 'refusing to replace the instrument master with an empty one', {
      source: meta.source,
    });
  }
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('instruments').execute();
    let stored = 0;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK).map(toRow);
      // OR IGNORE: a duplicate or a row the table's checks refuse is left out, not fatal, so
      // one odd row in Kite's 100k does not cost the whole master; `skipped` reports them.
      const result = await trx.insertInto('instruments').orIgnore().values(chunk).executeTakeFirst();
      stored += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    const download: InstrumentDownload = {
      at: meta.at.toISOString(),
      tradingDay: meta.tradingDay,
      count: stored,
      source: meta.source,
    };
    await trx
      .insertInto('instrument_downloads')
      .values({ at: download.at, trading_day: download.tradingDay, count: download.count, source: download.source })
      .execute();
    return { download, skipped: rows.length - stored };
  });
}

/** An instrument by exchange and exact trading symbol, or null. */
export async function getInstrument(
  db: Kysely<Database>,
  exchange: string,
  tradingsymbol: string,
): Promise<Instrument | null> {
  const row = await db
    .selectFrom('instruments')
    .selectAll()
    .where('exchange', '=', exchange)
    .where('tradingsymbol', '=', tradingsymbol)
    .executeTakeFirst();
  return row ? toInstrument(row) : null;
}

/**
 * Every row, on any exchange, whose trading symbol is one of `tradingsymbols` (exactly as
 * written): what a request's symbols need to be looked up and, for bare ones, placed on their
 * exchange. Naming every exchange lets SQLite use the (exchange, tradingsymbol) index.
 */
export async function instrumentsListing(
  db: Kysely<Database>,
  tradingsymbols: readonly string[],
): Promise<Instrument[]> {
  const wanted = [...new Set(tradingsymbols)];
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom('instruments')
    .selectAll()
    .where('exchange', 'in', [...EXCHANGES])
    .where('tradingsymbol', 'in', wanted)
    .execute();
  return rows.map(toInstrument);
}

/** An instrument by Kite's instrument_token (what ticks carry), or null. */
export async function getInstrumentByToken(db: Kysely<Database>, token: number): Promise<Instrument | null> {
  const row = await db.selectFrom('instruments').selectAll().where('instrument_token', '=', token).executeTakeFirst();
  return row ? toInstrument(row) : null;
}

export interface SearchOptions {
  exchange?: Exchange | undefined;
  limit: number;
}

/**
 * Instruments matching `text`, case-insensitively, best first:
 *   1. the trading symbol is the text (RELIANCE on NSE and BSE);
 *   2. contracts whose underlying (`name`) is the text (NIFTY's futures and options);
 *   3. other trading symbols that start with the text (NIFTY 50, NIFTYBEES);
 *   4. names that start with the text, then names that contain it (RELIANCE POWER).
 * Within a rank: shares and indices, then futures, then options; nearest expiry first, then
 * strike, calls before puts, NSE before BSE. `total` counts every match, not only those returned.
 */
export async function searchInstruments(
  db: Kysely<Database>,
  text: string,
  options: SearchOptions,
): Promise<{ instruments: Instrument[]; total: number }> {
  const needle = text.trim().toUpperCase();
  if (!needle) return { instruments: [], total: 0 };
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  const prefix = `${escaped}%`;
  const contains = `%${escaped}%`;
  // SQLite's LIKE ignores ASCII case; `=` does not, so compare upper() for the exact ranks.
  const matches = sql<boolean>`(tradingsymbol like ${prefix} escape '\\' or name like ${contains} escape '\\')`;
  const rank = sql<number>`case
    when upper(tradingsymbol) = ${needle} then 0
    when upper(name) = ${needle} then 1
    when tradingsymbol like ${prefix} escape '\\' then 2
    when name like ${prefix} escape '\\' then 3
    else 4 end`;
  const typeRank = sql<number>`case instrument_type when 'FUT' then 1 when 'CE' then 2 when 'PE' then 2 else 0 end`;
  const exchangeRank = sql<number>`case exchange
    when 'NSE' then 0 when 'BSE' then 1 when 'NFO' then 2 when 'BFO' then 3
    when 'MCX' then 4 when 'CDS' then 5 when 'BCD' then 6 else 7 end`;

  let base = db.selectFrom('instruments').where(matches);
  if (options.exchange) base = base.where('exchange', '=', options.exchange);
  const [rows, counted] = await Promise.all([
    base
      .selectAll()
      .orderBy(rank)
      .orderBy(typeRank)
      .orderBy('expiry')
      .orderBy('strike')
      .orderBy('instrument_type')
      .orderBy(exchangeRank)
      .orderBy('tradingsymbol')
      .limit(options.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { instruments: rows.map(toInstrument), total: Number(counted.n) };
}

/** The most recent download, or null before the first. */
export async function lastDownload(db: Kysely<Database>): Promise<InstrumentDownload | null> {
  const row = await db.selectFrom('instrument_downloads').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? { at: row.at, tradingDay: row.trading_day, count: row.count, source: row.source } : null;
}

/** Rows in the instrument master now. */
export async function instrumentCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('instruments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Only the table's columns: callers may pass richer objects (the paper exchange's rows). */
function toRow(i: Instrument): InstrumentsTable {
  return {
    instrument_token: i.instrument_token,
    exchange_token: i.exchange_token,
    tradingsymbol: i.tradingsymbol,
    name: i.name,
    last_price: i.last_price,
    expiry: i.expiry,
    strike: i.strike,
    tick_size: i.tick_size,
    lot_size: i.lot_size,
    instrument_type: i.instrument_type,
    segment: i.segment,
    exchange: i.exchange,
  };
}

function toInstrument(row: InstrumentsTable): Instrument {
  return { ...row, instrument_type: row.instrument_type as InstrumentType, exchange: row.exchange as Exchange };
}
