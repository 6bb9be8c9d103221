import type { Kysely, Selectable } from 'kysely';
import type { BrokerPosition } from '../domain/order.js';
import type { Database, PositionsTable } from './schema.js';

/** A net position as stored: the broker's description, with som's row id and write time. */
export type StoredPosition = BrokerPosition & { id: number; updated_at: string };

/** The trading facts of a position; price ticks and P&L moves are not changes to audit. */
export interface PositionTerms {
  quantity: number;
  average_price: number;
  overnight_quantity: number;
  buy_quantity: number;
  sell_quantity: number;
}

/**
 * What a sync did to one position: opened (new, or non-zero again after being flat),
 * changed (still open, its terms differ), closed (now flat, or gone from the broker's list).
 */
export interface PositionChange {
  kind: 'opened' | 'changed' | 'closed';
  id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  /** null for a position som has never stored. */
  from: PositionTerms | null;
  to: PositionTerms;
}

/**
 * Make the positions table match the broker's net positions: upsert each one (by exchange,
 * tradingsymbol and product), and set quantity 0 on stored positions the broker no longer
 * lists (the row and its id stay: orders name the position they protected). All in one
 * transaction. Returns what changed in trading terms, for the caller to audit; a refresh
 * that only moves prices and P&L updates the rows and returns nothing.
 */
export async function syncPositions(
  db: Kysely<Database>,
  net: readonly BrokerPosition[],
  now: Date,
): Promise<PositionChange[]> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const stored = await trx.selectFrom('positions').selectAll().execute();
    const byKey = new Map(stored.map((r) => [positionKey(r), r]));
    const seen = new Set<string>();
    const changes: PositionChange[] = [];

    for (const p of net) {
      const key = positionKey(p);
      seen.add(key);
      const before = byKey.get(key);
      const columns = positionColumns(p, at);
      let id: number;
      if (before) {
        await trx.updateTable('positions').set(columns).where('id', '=', before.id).execute();
        id = before.id;
      } else {
        const row = await trx
          .insertInto('positions')
          .values({ ...columns, exchange: p.exchange, tradingsymbol: p.tradingsymbol, product: p.product })
          .returning('id')
          .executeTakeFirstOrThrow();
        id = row.id;
      }
      const from = before ? termsOf(before) : null;
      const kind = changeKind(from, termsOf(p));
      if (kind)
        changes.push({
          kind,
          id,
          exchange: p.exchange,
          tradingsymbol: p.tradingsymbol,
          product: p.product,
          from,
          to: termsOf(p),
        });
    }

    for (const row of stored) {
      if (seen.has(positionKey(row)) || row.quantity === 0) continue;
      await trx.updateTable('positions').set({ quantity: 0, updated_at: at }).where('id', '=', row.id).execute();
      const from = termsOf(row);
      changes.push({
        kind: 'closed',
        id: row.id,
        exchange: row.exchange,
        tradingsymbol: row.tradingsymbol,
        product: row.product,
        from,
        to: { ...from, quantity: 0 },
      });
    }
    return changes;
  });
}

/**
 * Write the broker's description of one position (insert or replace, by exchange,
 * tradingsymbol and product) inside the caller's transaction; returns the row's id.
 */
export async function upsertPositionRow(trx: Kysely<Database>, p: BrokerPosition, at: Date): Promise<number> {
  const columns = positionColumns(p, at.toISOString());
  const before = await trx
    .selectFrom('positions')
    .select('id')
    .where('exchange', '=', p.exchange)
    .where('tradingsymbol', '=', p.tradingsymbol)
    .where('product', '=', p.product)
    .executeTakeFirst();
  if (before) {
    await trx.updateTable('positions').set(columns).where('id', '=', before.id).execute();
    return before.id;
  }
  const row = await trx
    .insertInto('positions')
    .values({ ...columns, exchange: p.exchange, tradingsymbol: p.tradingsymbol, product: p.product })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function changeKind(from: PositionTerms | null, to: PositionTerms): PositionChange['kind'] | null {
  const wasOpen = from !== null && from.quantity !== 0;
  const isOpen = to.quantity !== 0;
  if (!wasOpen) return isOpen ? 'opened' : null;
  if (!isOpen) return 'closed';
  const same =
    from.quantity === to.quantity &&
    from.average_price === to.average_price &&
    from.overnight_quantity === to.overnight_quantity &&
    from.buy_quantity === to.buy_quantity &&
    from.sell_quantity === to.sell_quantity;
  return same ? null : 'changed';
}

function positionColumns(p: BrokerPosition, at: string) {
  return {
    instrument_token: p.instrument_token,
    quantity: p.quantity,
    overnight_quantity: p.overnight_quantity,
    multiplier: p.multiplier,
    average_price: p.average_price,
    last_price: p.last_price,
    pnl: p.pnl,
    realised: p.realised,
    unrealised: p.unrealised,
    m2m: p.m2m,
    buy_quantity: p.buy_quantity,
    sell_quantity: p.sell_quantity,
    broker_json: JSON.stringify(p),
    updated_at: at,
  } satisfies Partial<PositionsTable>;
}

function termsOf(p: PositionTerms): PositionTerms {
  return {
    quantity: p.quantity,
    average_price: p.average_price,
    overnight_quantity: p.overnight_quantity,
    buy_quantity: p.buy_quantity,
    sell_quantity: p.sell_quantity,
  };
}

function positionKey(p: { exchange: string; tradingsymbol: string; product: string }): string {
  return `${p.exchange}:${p.tradingsymbol}:${p.product}`;
}

export interface PositionFilter {
  /** Only positions with a non-zero quantity. */
  openOnly?: boolean | undefined;
}

/** By exchange, tradingsymbol, product. */
export async function listPositions(db: Kysely<Database>, filter: PositionFilter = {}): Promise<StoredPosition[]> {
  let q = db.selectFrom('positions').selectAll();
  if (filter.openOnly) q = q.where('quantity', '!=', 0);
  const rows = await q.orderBy('exchange').orderBy('tradingsymbol').orderBy('product').execute();
  return rows.map(toStoredPosition);
}

/** The id of a stored position (for orders.parent_position_id), or undefined. */
export async function getPositionId(
  db: Kysely<Database>,
  exchange: string,
  tradingsymbol: string,
  product: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('positions')
    .select('id')
    .where('exchange', '=', exchange)
    .where('tradingsymbol', '=', tradingsymbol)
    .where('product', '=', product)
    .executeTakeFirst();
  return row?.id;
}

function toStoredPosition(row: Selectable<PositionsTable>): StoredPosition {
  // broker_json holds the broker's last description; the quantity column is som's word for
  // a position the broker stopped listing (set to 0), so it overrides.
  const broker = JSON.parse(row.broker_json) as BrokerPosition;
  return { ...broker, quantity: row.quantity, id: row.id, updated_at: row.updated_at };
}
