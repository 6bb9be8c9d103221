import type { Kysely } from 'kysely';
import { isResendableFailure } from '../broker/order-placement.js';
import type { TransactionType } from '../domain/values.js';
import type { BracketFacts, BracketPair, OrderFacts, TaggedOrder } from '../execution/bracket.js';
import { raiseAlertIn } from './alerts.js';
import { appendAudit } from './audit.js';
import { linkOcoPair } from './housekeeping.js';
import type { Database } from './schema.js';

/**
 * Brackets: an entry (by its tag) with a stop and a target som places as it fills, and each OCO
 * pair placed for it (`bracket_pairs`, both legs by tag). A pair and its tags are stored before
 * either leg is sent, so after a restart the order book says which were sent.
 */

export interface NewBracket {
  strategyId: number;
  entryTag: string;
  exchange: string;
  tradingsymbol: string;
  product: string;
  side: TransactionType;
  quantity: number;
  stop: number;
  target: number;
}

/** An open bracket: what its legs are placed at, and the facts the plan reads. */
export interface OpenBracket {
  id: number;
  strategy_id: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number;
  stop: number;
  target: number;
  facts: BracketFacts;
}

/** Record a bracket before its entry is sent; audited. Returns its id. */
export function createBracket(db: Kysely<Database>, b: NewBracket, now: Date): Promise<number> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('brackets')
      .values({
        created_at: at,
        strategy_id: b.strategyId,
        entry_tag: b.entryTag,
        exchange: b.exchange,
        tradingsymbol: b.tradingsymbol,
        product: b.product,
        side: b.side,
        quantity: b.quantity,
        stop: b.stop,
        target: b.target,
        state: 'open',
        closed_reason: null,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      {
        type: 'BRACKET_OPENED',
        strategyId: b.strategyId,
        payload: {
          bracket_id: id,
          entry_tag: b.entryTag,
          side: b.side,
          quantity: b.quantity,
          stop: b.stop,
          target: b.target,
        },
      },
      now,
    );
    return id;
  });
}

/** Every open bracket with its entry's and legs' intents and orders as stored. */
export async function loadOpenBrackets(db: Kysely<Database>): Promise<OpenBracket[]> {
  const brackets = await db.selectFrom('brackets').selectAll().where('state', '=', 'open').orderBy('id').execute();
  if (brackets.length === 0) return [];
  const pairs = await db
    .selectFrom('bracket_pairs')
    .selectAll()
    .where(
      'bracket_id',
      'in',
      brackets.map((b) => b.id),
    )
    .orderBy('id')
    .execute();
  const tags = [...brackets.map((b) => b.entry_tag), ...pairs.flatMap((p) => [p.stop_tag, p.target_tag])];
  const intents = await db
    .selectFrom('order_intents')
    .select(['tag', 'state', 'order_id', 'error'])
    .where('tag', 'in', tags)
    .execute();
  const intentOf = new Map(intents.map((i) => [i.tag, i]));
  const orders = await db
    .selectFrom('orders')
    .select(['order_id', 'tag', 'status', 'status_message', 'quantity', 'filled_quantity', 'pending_quantity'])
    .where('tag', 'in', tags)
    .execute();
  const byId = new Map(orders.map((o) => [o.order_id, o]));
  const byTag = new Map(orders.map((o) => [o.tag, o]));
  const tagged = (tag: string): TaggedOrder => {
    const intent = intentOf.get(tag);
    const row = (intent?.order_id ? byId.get(intent.order_id) : undefined) ?? byTag.get(tag);
    const order: OrderFacts | null = row
      ? {
          order_id: row.order_id,
          status: row.status,
          quantity: row.quantity,
          filled_quantity: row.filled_quantity,
          pending_quantity: row.pending_quantity,
        }
      : null;
    const failure =
      intent?.state === 'failed' && intent.error
        ? (JSON.parse(intent.error) as { code?: string; message?: string })
        : null;
    const error = failure?.message ?? (row?.status === 'REJECTED' ? row.status_message : null) ?? null;
    const resendable = failure !== null && isResendableFailure(failure.code ?? '');
    return { tag, intent: intent?.state ?? null, in_flight: false, order, error, resendable };
  };
  return brackets.map((b) => {
    const own: BracketPair[] = pairs
      .filter((p) => p.bracket_id === b.id)
      .map((p) => ({
        id: p.id,
        quantity: p.quantity,
        stop: tagged(p.stop_tag),
        target: tagged(p.target_tag),
        oco_group_id: p.oco_group_id,
        grows: p.grows,
        alerted: p.alerted === 1,
      }));
    return {
      id: b.id,
      strategy_id: b.strategy_id,
      exchange: b.exchange,
      tradingsymbol: b.tradingsymbol,
      product: b.product,
      quantity: b.quantity,
      stop: b.stop,
      target: b.target,
      facts: { id: b.id, side: b.side, entry: tagged(b.entry_tag), pairs: own },
    };
  });
}

/** Record a new pair and its two tags before either leg is sent; audited. Returns its id. */
export function addBracketPair(
  db: Kysely<Database>,
  p: { bracketId: number; strategyId: number; quantity: number; stopTag: string; targetTag: string },
  now: Date,
): Promise<number> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('bracket_pairs')
      .values({
        bracket_id: p.bracketId,
        quantity: p.quantity,
        stop_tag: p.stopTag,
        target_tag: p.targetTag,
        oco_group_id: null,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      {
        type: 'BRACKET_PROTECTED',
        strategyId: p.strategyId,
        payload: {
          bracket_id: p.bracketId,
          pair_id: id,
          quantity: p.quantity,
          stop_tag: p.stopTag,
          target_tag: p.targetTag,
        },
      },
      now,
    );
    return id;
  });
}

/**
 * Record a pair's new quantity before its legs are modified to it (`grew`: one more grow), or
 * after its legs were found to protect less (settled); audited.
 */
export function setPairQuantity(
  db: Kysely<Database>,
  p: { pairId: number; bracketId: number; strategyId: number; quantity: number; grew: boolean; why: string },
  now: Date,
): Promise<void> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('bracket_pairs')
      .set((eb) => ({
        quantity: p.quantity,
        ...(p.grew ? { grows: eb('grows', '+', 1) } : {}),
        updated_at: now.toISOString(),
      }))
      .where('id', '=', p.pairId)
      .execute();
    await appendAudit(
      trx,
      {
        type: 'BRACKET_PROTECTED',
        strategyId: p.strategyId,
        payload: { bracket_id: p.bracketId, pair_id: p.pairId, quantity: p.quantity, why: p.why },
      },
      now,
    );
  });
}

/** Link a pair's legs as an OCO group (som placed them) and record the group on the pair, in one transaction. */
export function linkBracketPair(
  db: Kysely<Database>,
  p: { pairId: number; strategyId: number; stop: string; target: string },
  now: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const group = await linkOcoPair(trx, { strategyId: p.strategyId, stop: p.stop, target: p.target, by: 'som' }, now);
    await trx
      .updateTable('bracket_pairs')
      .set({ oco_group_id: group, updated_at: now.toISOString() })
      .where('id', '=', p.pairId)
      .execute();
    return group;
  });
}

/** Tell the user once that a pair's leg was refused (part of the fill is not protected by som). */
export function alertBracketPair(
  db: Kysely<Database>,
  p: { pairId: number; bracketId: number; strategyId: number; title: string; message: string },
  now: Date,
): Promise<void> {
  return db.transaction().execute(async (trx) => {
    await raiseAlertIn(
      trx,
      {
        type: 'BRACKET_UNPROTECTED',
        priority: 'critical',
        title: p.title,
        message: p.message,
        strategyId: p.strategyId,
        payload: { bracket_id: p.bracketId, pair_id: p.pairId },
        dedupeKey: `bracket-pair:${p.pairId}`,
      },
      now,
    );
    await trx.updateTable('bracket_pairs').set({ alerted: 1 }).where('id', '=', p.pairId).execute();
  });
}

/** The bracket has nothing more to do; audited. */
export function closeBracket(
  db: Kysely<Database>,
  b: { id: number; strategyId: number; reason: string },
  now: Date,
): Promise<void> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('brackets')
      .set({ state: 'done', closed_reason: b.reason, updated_at: now.toISOString() })
      .where('id', '=', b.id)
      .execute();
    await appendAudit(
      trx,
      { type: 'BRACKET_CLOSED', strategyId: b.strategyId, payload: { bracket_id: b.id, reason: b.reason } },
      now,
    );
  });
}

/** A bracket by its entry's tag (`som trade` reports it). */
export async function bracketByEntryTag(
  db: Kysely<Database>,
  tag: string,
): Promise<{ id: number; state: string } | undefined> {
  return db.selectFrom('brackets').select(['id', 'state']).where('entry_tag', '=', tag).executeTakeFirst();
}
