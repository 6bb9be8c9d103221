import type { Kysely, Selectable, Transaction } from 'kysely';
import type { IntentLedger } from '../broker/order-placement.js';
import type { NewAuditEvent } from '../domain/audit.js';
import type { PlaceOrderRequest } from '../domain/order.js';
import type { Clock } from '../market/clock.js';
import { SomError } from '../protocol/errors.js';
import { appendAudit } from './audit.js';
import type { Database, OrderIntentsTable } from './schema.js';
import { inTransaction } from './transaction.js';

type Db = Kysely<Database> | Transaction<Database>;

export type IntentState = OrderIntentsTable['state'];
export const INTENT_STATES: readonly IntentState[] = ['pending', 'placed', 'failed', 'unknown'];

export interface IntentError {
  code: string;
  message: string;
}

/** The order intent ledger, as order placement uses it: record the intent before the order leaves, then its fate. */
export type { IntentLedger };

/** An intent as stored. */
export interface OrderIntent {
  tag: string;
  strategy_id: number;
  request: PlaceOrderRequest;
  state: IntentState;
  order_id: string | null;
  /** The last failure reported for the tag (kept after a later success, for the record). */
  error: IntentError | null;
  /** How many times the intent was recorded, i.e. sent. */
  attempts: number;
  created_at: string;
  updated_at: string;
}

/**
 * The ledger on the som database. Each call is a single statement outside any transaction,
 * so it is on disk (synchronous=FULL) when the promise resolves: an intent recorded before a
 * crash is found again after it.
 *
 * - record: a new tag starts `pending` with attempts 1. Recording a tag again (a resend after
 *   a failure or an unknown outcome) counts another attempt and returns it to `pending`, but
 *   only for the same strategy and request, and never once the tag is `placed`: otherwise
 *   ALREADY_EXISTS, so one tag never names two different orders.
 * - placed: the broker has the order (from the place call, or found by tag afterwards).
 *   Idempotent; a second, different order id for the tag is ALREADY_EXISTS (a double
 *   placement the caller must raise).
 * - failed / unknown: the attempt's outcome with its error. Ignored once the tag is placed:
 *   the broker's order book outranks a late report of a timed-out call.
 * An unknown tag is NOT_FOUND.
 */
export function createIntentLedger(db: Kysely<Database>, clock: Clock): IntentLedger {
  const now = (): string => clock.now().toISOString();
  return {
    async record({ tag, strategyId, request }) {
      const at = now();
      const written = await db
        .insertInto('order_intents')
        .values(newIntentRow({ tag, strategyId, request }, at))
        .onConflict((oc) =>
          oc
            .column('tag')
            .doUpdateSet((eb) => ({ attempts: eb('order_intents.attempts', '+', 1), state: 'pending', updated_at: at }))
            .where('order_intents.state', '!=', 'placed')
            .whereRef('order_intents.strategy_id', '=', 'excluded.strategy_id')
            .whereRef('order_intents.request', '=', 'excluded.request'),
        )
        .returning('tag')
        .executeTakeFirst();
      if (written) return;
      const existing = await getIntent(db, tag);
      throw new SomError(
        'ALREADY_EXISTS',
        existing?.state === 'placed'
          ? `intent ${tag} was already placed as order ${existing.order_id ?? '?'}`
          : `intent ${tag} already exists for another strategy or request`,
        { tag },
      );
    },

    async placed(tag, orderId) {
      const written = await db
        .updateTable('order_intents')
        .set({ state: 'placed', order_id: orderId, updated_at: now() })
        .where('tag', '=', tag)
        .where((eb) => eb.or([eb('order_id', 'is', null), eb('order_id', '=', orderId)]))
        .returning('tag')
        .executeTakeFirst();
      if (written) return;
      const existing = await getIntent(db, tag);
      if (!existing) throw notFound(tag);
      throw new SomError('ALREADY_EXISTS', `intent ${tag} is order ${existing.order_id ?? '?'}, not ${orderId}`, {
        tag,
        orderId: existing.order_id,
        otherOrderId: orderId,
      });
    },

    failed: (tag, error) => settle(tag, 'failed', error),
    unknown: (tag, error) => settle(tag, 'unknown', error),
  };

  async function settle(tag: string, state: 'failed' | 'unknown', error: IntentError): Promise<void> {
    const written = await db
      .updateTable('order_intents')
      .set({ state, error: JSON.stringify({ code: error.code, message: error.message }), updated_at: now() })
      .where('tag', '=', tag)
      .where('state', '!=', 'placed')
      .returning('tag')
      .executeTakeFirst();
    if (!written && !(await getIntent(db, tag))) throw notFound(tag);
  }
}

const newIntentRow = (intent: { tag: string; strategyId: number; request: PlaceOrderRequest }, at: string) => ({
  tag: intent.tag,
  strategy_id: intent.strategyId,
  request: JSON.stringify(intent.request),
  state: 'pending' as const,
  order_id: null,
  error: null,
  attempts: 1,
  created_at: at,
  updated_at: at,
});

/** The ORDER_CREATED audit event of an order som is about to send: its tag, its request and what was worked out for it. */
export function orderCreatedEvent(input: {
  strategyId: number;
  tag: string;
  request: PlaceOrderRequest;
  costBreakdownId?: number | null;
  analysisId?: number | null;
}): NewAuditEvent {
  return {
    type: 'ORDER_CREATED',
    strategyId: input.strategyId,
    payload: {
      source: 'som',
      tag: input.tag,
      request: input.request,
      cost_breakdown_id: input.costBreakdownId ?? null,
      execution_analysis_id: input.analysisId ?? null,
    },
  };
}

/**
 * Intents written with the caller's own record, in one transaction (the caller's, or one of
 * their own): each new tag `pending` with attempts 1, and audited ORDER_CREATED, as the ledger's
 * `record` and the order desk would before the send. For orders whose intent must reach the disk
 * in the same commit as what decided them (a square-off's exits); the desk then only sends them.
 */
export async function recordNewIntents(
  db: Db,
  intents: readonly { tag: string; strategyId: number; request: PlaceOrderRequest }[],
  now: Date,
): Promise<void> {
  if (intents.length === 0) return;
  const write = async (trx: Transaction<Database>) => {
    const at = now.toISOString();
    for (const i of intents) {
      await trx.insertInto('order_intents').values(newIntentRow(i, at)).execute();
      await appendAudit(trx, orderCreatedEvent(i), now);
    }
  };
  await inTransaction(db, write);
}

function notFound(tag: string): SomError {
  return new SomError('NOT_FOUND', `no order intent with tag ${tag}`, { tag });
}

export async function getIntent(db: Kysely<Database>, tag: string): Promise<OrderIntent | undefined> {
  const row = await db.selectFrom('order_intents').selectAll().where('tag', '=', tag).executeTakeFirst();
  return row && toIntent(row);
}

export interface IntentFilter {
  /** Only intents in these states (all when omitted). */
  states?: readonly IntentState[] | undefined;
}

/** Oldest first: the order a reconciliation after a crash should walk them in. */
export async function listIntents(db: Kysely<Database>, filter: IntentFilter = {}): Promise<OrderIntent[]> {
  let q = db.selectFrom('order_intents').selectAll();
  if (filter.states !== undefined) {
    if (filter.states.length === 0) return [];
    q = q.where('state', 'in', filter.states);
  }
  const rows = await q.orderBy('created_at').orderBy('tag').execute();
  return rows.map(toIntent);
}

function toIntent(row: Selectable<OrderIntentsTable>): OrderIntent {
  return {
    tag: row.tag,
    strategy_id: row.strategy_id,
    request: JSON.parse(row.request) as PlaceOrderRequest,
    state: row.state,
    order_id: row.order_id,
    error: row.error === null ? null : (JSON.parse(row.error) as IntentError),
    attempts: row.attempts,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
