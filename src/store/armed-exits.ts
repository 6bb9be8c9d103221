import type { Kysely, Transaction } from 'kysely';
import type { PlaceOrderRequest } from '../domain/order.js';
import type { InstrumentProduct } from '../domain/position-shares.js';
import { appendAudit } from './audit.js';
import { orderCreatedEvent } from './intents.js';
import { openSquareOff } from './risk.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * An armed exit: the tag an open position's first exit will carry if its strategy's loss limit
 * squares it off. It is on disk before any breach, so the breach sends that exit without
 * writing first (the intent of an armed exit is this row); the breach's own record, the exit's
 * among it, is written once the exit has left. Only the tag and the position are armed: side,
 * quantity and price are planned when the exit is sent, from the store and the quote of then.
 */
export interface ArmedExit extends InstrumentProduct {
  tag: string;
  strategy_id: number;
  armed_at: string;
}

export async function loadArmedExits(db: Db): Promise<ArmedExit[]> {
  return db.selectFrom('armed_exits').selectAll().execute();
}

/** Arm these positions and disarm these tags, in one transaction. */
export async function writeArms(
  db: Kysely<Database>,
  arm: readonly ArmedExit[],
  disarmTags: readonly string[],
): Promise<void> {
  if (arm.length === 0 && disarmTags.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await disarm(trx, disarmTags);
    if (arm.length > 0)
      await trx
        .insertInto('armed_exits')
        .values([...arm])
        .execute();
  });
}

/** These tags are no longer armed: recorded as exits (in the caller's transaction), or their position closed. */
export async function disarm(db: Db, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .deleteFrom('armed_exits')
    .where('tag', 'in', [...tags])
    .execute();
}

/** What became of the armed exits a crash left behind. */
export interface ArmedSettlement {
  /** Sent before the crash: each now an exit of a running loss-limit square-off. */
  adopted: { tag: string; order_id: string; run_id: number; strategy_id: number }[];
  /** Never sent: disarmed (the position is armed afresh under a new tag). */
  dropped: string[];
}

/**
 * Armed exits after a restart, against the orders the broker listed (read into the store just
 * before): an armed tag found there is an exit a breach sent just before somd stopped, before
 * the breach's record was written. It is adopted as it would have been recorded: a loss-limit
 * square-off of its strategy (opened, or the running one), the exit in it as sent, its intent
 * placed, audited ORDER_CREATED, ORDER_RECOVERED and SQUARE_OFF_EXIT. Planning then counts that
 * order as the exit it is, and never sends a second. A tag not found is disarmed: it never left.
 * One transaction. `skip`: tags with a send of this process still on its way.
 */
export async function settleArmedExits(
  db: Kysely<Database>,
  options: { escalate_at: Date; skip: ReadonlySet<string> },
  now: Date,
): Promise<ArmedSettlement> {
  return db.transaction().execute(async (trx) => {
    const out: ArmedSettlement = { adopted: [], dropped: [] };
    const armed = (await loadArmedExits(trx)).filter((a) => !options.skip.has(a.tag));
    if (armed.length === 0) return out;
    const orders = await trx
      .selectFrom('orders')
      .selectAll()
      .where(
        'tag',
        'in',
        armed.map((a) => a.tag),
      )
      .execute();
    const at = now.toISOString();
    for (const a of armed) {
      const o = orders.find((r) => r.tag === a.tag);
      if (!o) {
        out.dropped.push(a.tag);
        continue;
      }
      const runId = await openSquareOff(
        trx,
        {
          strategy_id: a.strategy_id,
          cause: 'loss_limit',
          products: null,
          exchanges: null,
          escalate_at: options.escalate_at,
        },
        now,
      );
      const request = {
        variety: o.variety,
        exchange: o.exchange,
        tradingsymbol: o.tradingsymbol,
        transaction_type: o.transaction_type,
        order_type: o.order_type,
        product: o.product,
        quantity: o.quantity,
        validity: o.validity,
        ...(o.price > 0 ? { price: o.price } : {}),
        tag: a.tag,
      } as PlaceOrderRequest;
      await trx
        .insertInto('square_off_exits')
        .values({
          tag: a.tag,
          run_id: runId,
          strategy_id: a.strategy_id,
          exchange: o.exchange,
          tradingsymbol: o.tradingsymbol,
          product: o.product,
          transaction_type: o.transaction_type,
          order_type: o.order_type,
          quantity: o.quantity,
          price: o.price > 0 ? o.price : null,
          state: 'sent',
          order_id: o.order_id,
          error: null,
          created_at: o.order_timestamp ?? at,
          updated_at: at,
        })
        .onConflict((oc) => oc.column('tag').doNothing())
        .execute();
      await trx
        .insertInto('order_intents')
        .values({
          tag: a.tag,
          strategy_id: a.strategy_id,
          request: JSON.stringify(request),
          state: 'placed',
          order_id: o.order_id,
          error: null,
          attempts: 1,
          created_at: o.order_timestamp ?? at,
          updated_at: at,
        })
        .onConflict((oc) => oc.column('tag').doNothing())
        .execute();
      await appendAudit(trx, orderCreatedEvent({ strategyId: a.strategy_id, tag: a.tag, request }), now);
      await appendAudit(
        trx,
        {
          type: 'ORDER_RECOVERED',
          strategyId: a.strategy_id,
          orderId: o.order_id,
          payload: {
            tag: a.tag,
            note: 'a loss-limit exit sent just before somd stopped, found in the order book by its armed tag; adopted by the square-off, not resent',
          },
        },
        now,
      );
      await appendAudit(
        trx,
        {
          type: 'SQUARE_OFF_EXIT',
          strategyId: a.strategy_id,
          orderId: o.order_id,
          payload: {
            run_id: runId,
            action: 'adopted',
            tag: a.tag,
            exchange: o.exchange,
            tradingsymbol: o.tradingsymbol,
            product: o.product,
            transaction_type: o.transaction_type,
            quantity: o.quantity,
            result: 'sent',
          },
        },
        now,
      );
      out.adopted.push({ tag: a.tag, order_id: o.order_id, run_id: runId, strategy_id: a.strategy_id });
    }
    await disarm(trx, [...out.dropped, ...out.adopted.map((a) => a.tag)]);
    return out;
  });
}
