import type { Kysely, Transaction } from 'kysely';
import type { NewAuditEvent } from '../domain/audit.js';
import {
  applyAllocations,
  type InstrumentProduct,
  type PositionShare,
  type ShareAllocation,
  type StrategyExposure,
  shareKey,
} from '../domain/position-shares.js';
import { appendAudit } from './audit.js';
import { orderWorks } from './open-orders.js';
import type { Database } from './schema.js';

/**
 * The strategies' shares of the account's positions (src/domain/position-shares.ts has the
 * rules): read them, and apply allocations with their record, in the caller's transaction.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** Every share, or those in one instrument (all products) or one instrument and product. */
export async function loadShares(
  db: Db,
  scope?: { exchange: string; tradingsymbol: string; product?: string },
): Promise<PositionShare[]> {
  let q = db
    .selectFrom('strategy_positions')
    .select(['strategy_id', 'exchange', 'tradingsymbol', 'product', 'quantity', 'entry_seq']);
  if (scope) {
    q = q.where('exchange', '=', scope.exchange).where('tradingsymbol', '=', scope.tradingsymbol);
    if (scope.product !== undefined) q = q.where('product', '=', scope.product);
  }
  return q.orderBy('strategy_id').orderBy('exchange').orderBy('tradingsymbol').orderBy('product').execute();
}

/**
 * What each strategy holds and is entering in one instrument and product: its share, and the
 * pending quantity of its open entries on each side (orders judged `entry`, or not judged yet).
 */
export async function loadExposures(db: Db, where: InstrumentProduct): Promise<StrategyExposure[]> {
  const shares = await loadShares(db, where);
  const working = await db
    .selectFrom('orders')
    .select(['strategy_id', 'transaction_type', 'pending_quantity'])
    .where('exchange', '=', where.exchange)
    .where('tradingsymbol', '=', where.tradingsymbol)
    .where('product', '=', where.product)
    .where(orderWorks)
    .where((eb) => eb.or([eb('role', 'is', null), eb('role', '=', 'entry')]))
    .execute();
  const byStrategy = new Map<number, StrategyExposure>();
  const of = (id: number): StrategyExposure => {
    let e = byStrategy.get(id);
    if (!e) {
      e = { strategy_id: id, quantity: 0, entry_seq: 0, working: { BUY: 0, SELL: 0 } };
      byStrategy.set(id, e);
    }
    return e;
  };
  for (const s of shares) Object.assign(of(s.strategy_id), { quantity: s.quantity, entry_seq: s.entry_seq });
  for (const w of working) of(w.strategy_id).working[w.transaction_type] += w.pending_quantity;
  return [...byStrategy.values()];
}

/**
 * Apply allocations: move the shares (a share that grows takes the next entry sequence) and
 * record each move. `fill` names the order and price behind them (null for an adoption).
 */
export async function applyShareAllocations(
  trx: Db,
  allocations: readonly ShareAllocation[],
  fill: { orderId: string; price: number | null } | null,
  now: Date,
): Promise<PositionShare[]> {
  if (allocations.length === 0) return [];
  const at = now.toISOString();
  const keys = new Map(allocations.map((a) => [`${a.exchange}|${a.tradingsymbol}|${a.product}`, a]));
  const current: PositionShare[] = [];
  for (const a of keys.values()) current.push(...(await loadShares(trx, a)));
  const top = await trx
    .selectFrom('strategy_positions')
    .select((eb) => eb.fn.max('entry_seq').as('seq'))
    .executeTakeFirst();
  let seq = Number(top?.seq ?? 0);
  const changed = applyAllocations(current, allocations, () => ++seq);
  for (const s of changed) {
    await trx
      .insertInto('strategy_positions')
      .values({ ...s, updated_at: at })
      .onConflict((oc) =>
        oc
          .columns(['strategy_id', 'exchange', 'tradingsymbol', 'product'])
          .doUpdateSet({ quantity: s.quantity, entry_seq: s.entry_seq, updated_at: at }),
      )
      .execute();
  }
  for (const a of allocations) {
    await trx
      .insertInto('position_allocations')
      .values({
        at,
        strategy_id: a.strategy_id,
        exchange: a.exchange,
        tradingsymbol: a.tradingsymbol,
        product: a.product,
        quantity: a.quantity,
        price: fill?.price ?? null,
        order_id: fill?.orderId ?? null,
        reason: a.reason,
        explanation: a.explanation,
      })
      .execute();
  }
  return changed;
}

/**
 * Adopt what the broker reports and no fill explains: the shares move, each move audited, in
 * one transaction. `asHeal`: a reconciliation round is healing, and each move is also its
 * RECONCILE_HEALED entry (the share before and after).
 */
export async function adoptIntoShares(
  db: Kysely<Database>,
  allocations: readonly ShareAllocation[],
  now: Date,
  options: { asHeal?: boolean } = {},
): Promise<void> {
  if (allocations.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const before = new Map((await loadShares(trx)).map((s) => [shareKey(s), s.quantity]));
    await applyShareAllocations(trx, allocations, null, now);
    const running = new Map(before);
    for (const a of allocations) {
      const event: NewAuditEvent = {
        type: 'POSITION_ADOPTED',
        strategyId: a.strategy_id,
        payload: {
          exchange: a.exchange,
          tradingsymbol: a.tradingsymbol,
          product: a.product,
          quantity: a.quantity,
          reason: a.reason,
          explanation: a.explanation,
        },
      };
      await appendAudit(trx, event, now);
      if (!options.asHeal) continue;
      const key = shareKey(a);
      const from = running.get(key) ?? 0;
      running.set(key, from + a.quantity);
      await appendAudit(
        trx,
        {
          type: 'RECONCILE_HEALED',
          strategyId: a.strategy_id,
          payload: {
            record: 'shares',
            key: `${a.exchange}:${a.tradingsymbol}:${a.product}`,
            action: 'adopt',
            before: { quantity: from },
            after: { quantity: from + a.quantity },
            resolves: [],
            explanation: a.explanation,
          },
        },
        now,
      );
    }
  });
}
