import type { Kysely, Transaction } from 'kysely';
import { instrumentKey } from '../domain/instrument.js';
import type { BrokerPosition } from '../domain/order.js';
import type { StrategySettings } from '../domain/strategy-settings.js';
import type { ShareMove } from '../pnl/day-position.js';
import { instrumentsListing } from './instruments.js';
import { orderWorks } from './open-orders.js';
import type { Database } from './schema.js';
import { rowToSettings } from './settings.js';

/**
 * What the risk monitor and the P&L snapshots value: each strategy's share of each position
 * with the fills that moved it today (their prices from `position_allocations`), the broker's
 * description of the position (previous close, multiplier, last price, average), the charges
 * of today's fills, and every strategy's settings.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** One strategy's share in one instrument and product, with what today's P&L needs. */
export interface ShareForPnl {
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  /** The share now (signed). */
  quantity: number;
  /** Today's moves of the share, oldest first. */
  moves: ShareMove[];
  /** From the broker's position, or the instrument master when the broker lists none. */
  instrument_token: number | null;
  multiplier: number;
  /** The broker's previous close of the instrument (0 when unknown). */
  close_price: number;
  /** The broker's average price of the position (0 when unknown). */
  average_price: number;
  /** The broker's last price (0 when unknown). */
  last_price: number;
}

/**
 * Every share that is open or moved today (`since`: the day's start, ISO), or those in one
 * instrument. Shares flat all day are left out.
 */
export async function loadSharesForPnl(
  db: Db,
  since: string,
  scope?: { exchange: string; tradingsymbol: string },
): Promise<ShareForPnl[]> {
  let shares = db
    .selectFrom('strategy_positions')
    .select(['strategy_id', 'exchange', 'tradingsymbol', 'product', 'quantity']);
  let moves = db
    .selectFrom('position_allocations')
    .select(['id', 'strategy_id', 'exchange', 'tradingsymbol', 'product', 'quantity', 'price'])
    .where('at', '>=', since);
  let positions = db
    .selectFrom('positions')
    .select(['exchange', 'tradingsymbol', 'product', 'instrument_token', 'multiplier', 'broker_json']);
  if (scope) {
    shares = shares.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
    moves = moves.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
    positions = positions.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
  }
  const key = (r: { exchange: string; tradingsymbol: string; product: string }) =>
    `${r.exchange}:${r.tradingsymbol}:${r.product}`;
  const movesByShare = new Map<string, ShareMove[]>();
  // Sorted here, not by the query: an ORDER BY id would have SQLite walk the whole table in id
  // order rather than find the day's moves by their time.
  for (const m of (await moves.execute()).sort((a, b) => a.id - b.id)) {
    const k = `${m.strategy_id}|${key(m)}`;
    const list = movesByShare.get(k) ?? [];
    list.push({ quantity: m.quantity, price: m.price });
    movesByShare.set(k, list);
  }
  const brokerByKey = new Map((await positions.execute()).map((p) => [key(p), p]));
  const rows = (await shares.execute()).filter(
    (s) => s.quantity !== 0 || movesByShare.has(`${s.strategy_id}|${key(s)}`),
  );
  const missing = [...new Set(rows.filter((s) => !brokerByKey.has(key(s))).map((s) => s.tradingsymbol))];
  const tokens = new Map<string, number>();
  if (missing.length > 0) {
    for (const i of await instrumentsListing(db, missing)) tokens.set(instrumentKey(i), i.instrument_token);
  }
  return rows.map((s) => {
    const p = brokerByKey.get(key(s));
    const broker = p ? (JSON.parse(p.broker_json) as Partial<BrokerPosition>) : null;
    return {
      strategy_id: s.strategy_id,
      exchange: s.exchange,
      tradingsymbol: s.tradingsymbol,
      product: s.product,
      quantity: s.quantity,
      moves: movesByShare.get(`${s.strategy_id}|${key(s)}`) ?? [],
      instrument_token: p?.instrument_token ?? tokens.get(`${s.exchange}:${s.tradingsymbol}`) ?? null,
      multiplier: p?.multiplier && p.multiplier > 0 ? p.multiplier : 1,
      close_price: broker?.close_price ?? 0,
      average_price: broker?.average_price ?? 0,
      last_price: broker?.last_price ?? 0,
    };
  });
}

/** Charges of the fills on `tradeDate` (the cost ledger's actual charges), by strategy. */
export async function chargesByStrategy(db: Db, tradeDate: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('order_cost_breakdown')
    .select(['strategy_id', (eb) => eb.fn.sum<number>('total').as('total')])
    .where('kind', '=', 'actual')
    .where('trade_date', '=', tradeDate)
    .groupBy('strategy_id')
    .execute();
  return new Map(rows.map((r) => [r.strategy_id, Number(r.total ?? 0)]));
}

export interface RiskStrategy {
  id: number;
  name: string;
  settings: StrategySettings;
}

/** Every strategy with its settings, by id. */
export async function loadRiskStrategies(db: Db): Promise<RiskStrategy[]> {
  const rows = await db
    .selectFrom('strategies as s')
    .innerJoin('strategy_settings as t', 't.strategy_id', 's.id')
    .selectAll('t')
    .select('s.name as name')
    .orderBy('s.id')
    .execute();
  return rows.map(({ name, ...settings }) => ({ id: settings.strategy_id, name, settings: rowToSettings(settings) }));
}

/** Open orders per strategy (not yet complete, cancelled or rejected). */
export async function openOrderCounts(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('orders')
    .select(['strategy_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(orderWorks)
    .where('archived_at', 'is', null)
    .groupBy('strategy_id')
    .execute();
  return new Map(rows.map((r) => [r.strategy_id, Number(r.n)]));
}

/** A derivative's facts from the instrument master, by `EXCHANGE:SYMBOL`. */
export interface DerivativeRow {
  exchange: string;
  tradingsymbol: string;
  name: string;
  instrument_type: string;
  strike: number;
  expiry: string | null;
  lot_size: number;
  tick_size: number;
  segment: string;
  instrument_token: number;
}

/** Instruments by `EXCHANGE:SYMBOL` keys. */
export async function instrumentsByKey(db: Db, keys: readonly string[]): Promise<Map<string, DerivativeRow>> {
  const symbols = [...new Set(keys.map((k) => k.slice(k.indexOf(':') + 1)))];
  if (symbols.length === 0) return new Map();
  const wanted = new Set(keys);
  return new Map(
    (await instrumentsListing(db, symbols))
      .filter((i) => wanted.has(instrumentKey(i)))
      .map((i) => [instrumentKey(i), i]),
  );
}

/** The futures of these underlyings (by exchange and name), every expiry. */
export async function futuresOf(
  db: Db,
  underlyings: readonly { exchange: string; name: string }[],
): Promise<DerivativeRow[]> {
  const names = [...new Set(underlyings.map((u) => u.name))];
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('instruments')
    .select([
      'exchange',
      'tradingsymbol',
      'name',
      'instrument_type',
      'strike',
      'expiry',
      'lot_size',
      'tick_size',
      'segment',
      'instrument_token',
    ])
    .where('instrument_type', '=', 'FUT')
    .where('name', 'in', names)
    .execute();
  const wanted = new Set(underlyings.map((u) => `${u.exchange}|${u.name}`));
  return rows.filter((r) => wanted.has(`${r.exchange}|${r.name}`));
}
