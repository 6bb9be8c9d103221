import type { Kysely } from 'kysely';
import { TERMINAL_STATUSES } from '../domain/order.js';
import { DEFAULT_STRATEGY } from '../domain/strategy.js';
import type { StrategySettings } from '../domain/strategy-settings.js';
import { type GttLegRole, type GttView, gttLegId } from '../housekeeping/gtt.js';
import type { HkOrder, HkPosition } from '../housekeeping/types.js';
import { orderWorks } from './open-orders.js';
import type { Database } from './schema.js';
import { rowToSettings } from './settings.js';

/** Symbols per query when looking up expiries (well under SQLite's bound-parameter limit). */
const EXPIRY_LOOKUP_CHUNK = 500;

/**
 * What a housekeeping pass reads, in a few queries: the open orders (with the finished legs
 * of open OCO groups), the active GTTs, the strategies' shares of the positions, the settings,
 * the instruments' expiries and the cleanup retry state. The rules that judge it are in
 * src/housekeeping.
 */

/** Limit a pass to one instrument (an order update looks only where something changed). */
export interface HkScope {
  exchange: string;
  tradingsymbol: string;
}

export interface LoadedHousekeeping {
  orders: HkOrder[];
  gtts: GttView[];
  positions: HkPosition[];
  settings: Map<number, StrategySettings>;
  defaultStrategyId: number;
  /** Expiry dates (YYYY-MM-DD or null) of the instruments the orders and GTTs are on, by `EXCHANGE:SYMBOL`. */
  expiries: Map<string, string | null>;
  /** Failed cleanup attempts and the next one's time, by order id or GTT leg id (only those with any). */
  retries: Map<string, { attempts: number; nextAt: string | null }>;
  /** Orders and GTTs marked orphaned and still live: the ones whose danger may have ended. */
  markedOrphans: Map<string, string>;
}

/** The order columns the housekeeping rules read (HkOrder). */
const HK_ORDER_COLUMNS = [
  'order_id',
  'strategy_id',
  'source',
  'exchange',
  'tradingsymbol',
  'instrument_token',
  'product',
  'transaction_type',
  'order_type',
  'variety',
  'status',
  'quantity',
  'filled_quantity',
  'pending_quantity',
  'price',
  'trigger_price',
  'average_price',
  'order_timestamp',
  'role',
  'oco_group_id',
  'parent_position_id',
  'broker_json',
  'cleanup_attempts',
  'cleanup_next_at',
  'is_orphaned',
  'orphaned_reason',
] as const;

export async function loadHousekeeping(db: Kysely<Database>, scope?: HkScope): Promise<LoadedHousekeeping> {
  const terminal = [...TERMINAL_STATUSES];
  let open = db.selectFrom('orders').select(HK_ORDER_COLUMNS).where(orderWorks).where('archived_at', 'is', null);
  // The finished legs of OCO groups still open: a filled partner is what the OCO rule looks for.
  let ocoLegs = db
    .selectFrom('orders as o')
    .innerJoin('oco_groups as g', 'g.id', 'o.oco_group_id')
    .select(HK_ORDER_COLUMNS.map((c) => `o.${c}` as const))
    .where('g.closed_at', 'is', null)
    .where('o.status', 'in', terminal);
  let gtts = db.selectFrom('gtts').selectAll().where('status', '=', 'active');
  let shares = db
    .selectFrom('strategy_positions as s')
    .leftJoin('positions as p', (join) =>
      join
        .onRef('p.exchange', '=', 's.exchange')
        .onRef('p.tradingsymbol', '=', 's.tradingsymbol')
        .onRef('p.product', '=', 's.product'),
    )
    .select(['s.strategy_id', 's.exchange', 's.tradingsymbol', 's.product', 's.quantity', 'p.id as position_id']);
  if (scope) {
    open = open.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
    ocoLegs = ocoLegs.where('o.exchange', '=', scope.exchange).where('o.tradingsymbol', '=', scope.tradingsymbol);
    gtts = gtts.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
    shares = shares.where('s.exchange', '=', scope.exchange).where('s.tradingsymbol', '=', scope.tradingsymbol);
  }
  const [openRows, legRows, gttRows, shareRows, settingsRows, strategies] = await Promise.all([
    open.execute(),
    ocoLegs.execute(),
    gtts.execute(),
    shares.execute(),
    db.selectFrom('strategy_settings').selectAll().execute(),
    db.selectFrom('strategies').select(['id', 'name']).execute(),
  ]);
  const retries = new Map<string, { attempts: number; nextAt: string | null }>();
  const markedOrphans = new Map<string, string>();
  const orders: HkOrder[] = [...openRows, ...legRows].map((r) => {
    if (r.cleanup_attempts > 0) retries.set(r.order_id, { attempts: r.cleanup_attempts, nextAt: r.cleanup_next_at });
    if (r.is_orphaned === 1 && !TERMINAL_STATUSES.has(r.status)) markedOrphans.set(r.order_id, r.orphaned_reason ?? '');
    const broker = JSON.parse(r.broker_json) as { tags?: unknown };
    return {
      order_id: r.order_id,
      strategy_id: r.strategy_id,
      source: r.source,
      exchange: r.exchange,
      tradingsymbol: r.tradingsymbol,
      instrument_token: r.instrument_token,
      product: r.product,
      transaction_type: r.transaction_type,
      order_type: r.order_type,
      variety: r.variety,
      status: r.status,
      quantity: r.quantity,
      filled_quantity: r.filled_quantity,
      pending_quantity: r.pending_quantity,
      price: r.price,
      trigger_price: r.trigger_price,
      average_price: r.average_price,
      order_timestamp: r.order_timestamp,
      role: r.role,
      oco_group_id: r.oco_group_id,
      parent_position_id: r.parent_position_id,
      tags: Array.isArray(broker.tags) ? broker.tags.filter((t): t is string => typeof t === 'string') : [],
      gtt: null,
    };
  });
  const gttViews: GttView[] = gttRows.map((r) => {
    const view: GttView = {
      gtt_id: r.gtt_id,
      strategy_id: r.strategy_id,
      type: r.type,
      exchange: r.exchange,
      tradingsymbol: r.tradingsymbol,
      instrument_token: r.instrument_token,
      product: r.product,
      transaction_type: r.transaction_type,
      quantity: r.quantity,
      trigger_values: JSON.parse(r.trigger_values) as number[],
      last_price: r.last_price,
      roles: JSON.parse(r.roles) as GttLegRole[],
      updated_at: r.updated_at,
    };
    view.trigger_values.forEach((_, leg) => {
      const id = gttLegId(r.gtt_id, leg);
      if (r.cleanup_attempts > 0) retries.set(id, { attempts: r.cleanup_attempts, nextAt: r.cleanup_next_at });
      if (r.is_orphaned === 1) markedOrphans.set(id, r.orphaned_reason ?? '');
    });
    return view;
  });
  const symbols = new Set([...orders, ...gttViews].map((o) => `${o.exchange}:${o.tradingsymbol}`));
  const expiries = new Map<string, string | null>();
  // One IN list per exchange, in chunks: an OR per symbol overflows SQLite's expression depth
  // (1000) once a book spans a few hundred instruments.
  const byExchange = new Map<string, string[]>();
  for (const k of symbols) {
    const i = k.indexOf(':');
    const list = byExchange.get(k.slice(0, i)) ?? [];
    list.push(k.slice(i + 1));
    byExchange.set(k.slice(0, i), list);
  }
  for (const [exchange, tradingsymbols] of byExchange) {
    for (let at = 0; at < tradingsymbols.length; at += EXPIRY_LOOKUP_CHUNK) {
      const rows = await db
        .selectFrom('instruments')
        .select(['exchange', 'tradingsymbol', 'expiry'])
        .where('exchange', '=', exchange)
        .where('tradingsymbol', 'in', tradingsymbols.slice(at, at + EXPIRY_LOOKUP_CHUNK))
        .execute();
      for (const r of rows) expiries.set(`${r.exchange}:${r.tradingsymbol}`, r.expiry);
    }
  }
  return {
    orders,
    gtts: gttViews,
    positions: shareRows.map((r) => ({ ...r, position_id: r.position_id ?? null })),
    settings: new Map(settingsRows.map((r) => [r.strategy_id, rowToSettings(r)])),
    defaultStrategyId: strategies.find((s) => s.name === DEFAULT_STRATEGY)?.id ?? strategies[0]?.id ?? 1,
    expiries,
    retries,
    markedOrphans,
  };
}
