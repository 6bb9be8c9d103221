import type { Kysely } from 'kysely';
import { TERMINAL_STATUSES } from '../../src/domain/order.js';
import type { StrategySettings } from '../../src/domain/strategy-settings.js';
import { strategyPositions } from '../../src/housekeeping/strategy-positions.js';
import type { HkOrder, HkPosition } from '../../src/housekeeping/types.js';
import { istDate, istDayStart } from '../../src/market/ist.js';
import { isTradingSymbolError, parseTradingSymbol } from '../../src/market/tradingsymbol.js';
import type { Database } from '../../src/store/schema.js';
import { rowToSettings } from '../../src/store/settings.js';

/** Everything the housekeeping rules look at, read from the store in a few queries. */
export interface HkState {
  openOrders: HkOrder[];
  positions: HkPosition[];
  settings: Map<number, StrategySettings>;
  defaultStrategyId: number;
  today: string;
  isExpired(exchange: string, tradingsymbol: string): boolean;
}

/** Limit the state to one instrument (event-driven runs look only where something changed). */
export interface HkScope {
  exchange: string;
  tradingsymbol: string;
}

/** The order columns the housekeeping rules read (HkOrder). */
export const HK_ORDER_COLUMNS = [
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
] as const;

export async function loadHkState(db: Kysely<Database>, now: Date, scope?: HkScope): Promise<HkState> {
  const today = istDate(now);
  const dayStart = istDayStart(now).toISOString();
  let open = db
    .selectFrom('orders')
    .select(HK_ORDER_COLUMNS)
    .where('status', 'not in', [...TERMINAL_STATUSES])
    .where('archived_at', 'is', null);
  // A strategy's position is what its orders filled today; the account's overnight position
  // (carried from earlier days) belongs to `default`.
  let filled = db
    .selectFrom('orders')
    .select(['strategy_id', 'exchange', 'tradingsymbol', 'product', 'transaction_type', 'filled_quantity'])
    .where('filled_quantity', '>', 0)
    .where('order_timestamp', '>=', dayStart);
  // Only the overnight part of the broker's position is not explained by today's orders: the
  // day part is already in the fills, which arrive before the broker's position refresh does.
  let net = db
    .selectFrom('positions')
    .select(['exchange', 'tradingsymbol', 'product', 'overnight_quantity as quantity', 'id as position_id']);
  if (scope) {
    open = open.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
    filled = filled.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
    net = net.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
  }
  const [openRows, fills, accountNet, settingsRows, strategies] = await Promise.all([
    open.execute(),
    filled.execute(),
    net.execute(),
    db.selectFrom('strategy_settings').selectAll().execute(),
    db.selectFrom('strategies').select(['id', 'name']).execute(),
  ]);
  const defaultStrategyId = strategies.find((s) => s.name === 'default')?.id ?? 1;
  const settings = new Map(settingsRows.map((r) => [r.strategy_id, rowToSettings(r)]));
  const expiries = new Map<string, string | null>();
  const symbols = [...new Set(openRows.map((o) => `${o.exchange}:${o.tradingsymbol}`))];
  if (symbols.length > 0) {
    const rows = await db
      .selectFrom('instruments')
      .select(['exchange', 'tradingsymbol', 'expiry'])
      .where((eb) =>
        eb.or(
          symbols.map((k) => {
            const [ex, sym] = split(k);
            return eb.and([eb('exchange', '=', ex), eb('tradingsymbol', '=', sym)]);
          }),
        ),
      )
      .execute();
    for (const r of rows) expiries.set(`${r.exchange}:${r.tradingsymbol}`, r.expiry);
  }
  return {
    openOrders: openRows.map((o) => ({ ...o, order_timestamp: o.order_timestamp, source: o.source })),
    positions: strategyPositions(fills, withDayFills(accountNet, fills), defaultStrategyId),
    settings,
    defaultStrategyId,
    today,
    isExpired: (exchange, tradingsymbol) => {
      const key = `${exchange}:${tradingsymbol}`;
      if (expiries.has(key)) {
        const expiry = expiries.get(key);
        return expiry !== null && expiry !== undefined && expiry < today;
      }
      return expiredBySymbol(tradingsymbol, today);
    },
  };
}

/**
 * The account as today's fills plus what was carried overnight. The broker's own net position
 * lags the fills (it is refreshed after them), so only its overnight part is taken from it:
 * that, and nothing else, is what `default` holds beyond its own orders.
 */
function withDayFills(
  overnight: readonly {
    exchange: string;
    tradingsymbol: string;
    product: string;
    quantity: number;
    position_id: number | null;
  }[],
  fills: readonly {
    exchange: string;
    tradingsymbol: string;
    product: string;
    transaction_type: 'BUY' | 'SELL';
    filled_quantity: number;
  }[],
) {
  const key = (x: { exchange: string; tradingsymbol: string; product: string }) =>
    `${x.exchange}|${x.tradingsymbol}|${x.product}`;
  const rows = new Map(overnight.map((o) => [key(o), { ...o }]));
  for (const f of fills) {
    const k = key(f);
    const row = rows.get(k) ?? {
      exchange: f.exchange,
      tradingsymbol: f.tradingsymbol,
      product: f.product,
      quantity: 0,
      position_id: null,
    };
    row.quantity += f.transaction_type === 'BUY' ? f.filled_quantity : -f.filled_quantity;
    rows.set(k, row);
  }
  return [...rows.values()];
}

function split(key: string): [string, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}

/**
 * An instrument missing from today's master: Kite drops contracts the day after they expire,
 * so read the expiry from the symbol. Weekly symbols carry the date; a monthly contract whose
 * month is over has expired.
 */
export function expiredBySymbol(tradingsymbol: string, today: string): boolean {
  const parsed = parseTradingSymbol(tradingsymbol);
  if (isTradingSymbolError(parsed)) return false;
  const { year, month, day } = parsed.expiry;
  const ym = `${year}-${String(month).padStart(2, '0')}`;
  if (day !== null) return `${ym}-${String(day).padStart(2, '0')}` < today;
  return ym < today.slice(0, 7);
}
