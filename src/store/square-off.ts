import type { Kysely, Transaction } from 'kysely';
import type { Instrument } from '../domain/instrument.js';
import { type PlaceOrderRequest, TERMINAL_STATUSES } from '../domain/order.js';
import type { InstrumentProduct } from '../domain/position-shares.js';
import type { LiveOrder, RunExit } from '../risk/square-off-position.js';
import type { Side } from '../risk/types.js';
import { appendAudit } from './audit.js';
import { recordHousekeepingEvent } from './housekeeping.js';
import { getInstrument } from './instruments.js';
import { recordNewIntents } from './intents.js';
import { orderWorks } from './open-orders.js';
import type { Database, SquareOffRunsTable } from './schema.js';
import { inTransaction } from './transaction.js';

/**
 * Square-off runs and their exits. An exit is recorded here (state `intent`, with the tag its
 * order will carry) together with the order desk's intent for it, before it is sent, so a run
 * always knows its exits, a restart included: an `intent` exit with no intent at the desk was
 * never sent; one whose desk intent is pending or unknown may be at the broker, and is found by
 * tag (a pending one never sent is then settled NOT_SENT, and planned afresh).
 */

type Db = Kysely<Database> | Transaction<Database>;

export interface SquareOffRun {
  id: number;
  strategy_id: number;
  cause: SquareOffRunsTable['cause'];
  products: string[] | null;
  exchanges: string[] | null;
  started_at: string;
  escalate_at: string;
  status: 'running' | 'done';
  finished_at: string | null;
  note: string | null;
}

function toRun(r: {
  id: number;
  strategy_id: number;
  cause: SquareOffRunsTable['cause'];
  products: string | null;
  exchanges: string | null;
  started_at: string;
  escalate_at: string;
  status: 'running' | 'done';
  finished_at: string | null;
  note: string | null;
}): SquareOffRun {
  return {
    ...r,
    products: r.products === null ? null : (JSON.parse(r.products) as string[]),
    exchanges: r.exchanges === null ? null : (JSON.parse(r.exchanges) as string[]),
  };
}

/** Runs still squaring off. */
export async function runningSquareOffs(db: Db): Promise<SquareOffRun[]> {
  const rows = await db
    .selectFrom('square_off_runs')
    .selectAll()
    .where('status', '=', 'running')
    .orderBy('id')
    .execute();
  return rows.map(toRun);
}

/** One run, or undefined. */
export async function getSquareOff(db: Db, id: number): Promise<SquareOffRun | undefined> {
  const row = await db.selectFrom('square_off_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRun(row);
}

/** The newest runs, for `som risk`. */
export async function recentSquareOffs(db: Db, limit: number): Promise<(SquareOffRun & { strategy: string })[]> {
  const rows = await db
    .selectFrom('square_off_runs as r')
    .innerJoin('strategies as s', 's.id', 'r.strategy_id')
    .selectAll('r')
    .select('s.name as strategy')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toRun(r), strategy: r.strategy }));
}

const inScope = (run: SquareOffRun, p: InstrumentProduct): boolean =>
  (run.products === null || run.products.includes(p.product)) &&
  (run.exchanges === null || run.exchanges.includes(p.exchange));

/**
 * The positions a run covers now: the strategy's non-zero shares in its scope, and every
 * position the run has an exit on (so an exit left working is seen to its end).
 */
export async function runPositions(db: Db, run: SquareOffRun): Promise<InstrumentProduct[]> {
  const shares = await db
    .selectFrom('strategy_positions')
    .select(['exchange', 'tradingsymbol', 'product'])
    .where('strategy_id', '=', run.strategy_id)
    .where('quantity', '!=', 0)
    .execute();
  const exits = await db
    .selectFrom('square_off_exits')
    .select(['exchange', 'tradingsymbol', 'product'])
    .distinct()
    .where('run_id', '=', run.id)
    .execute();
  const out = new Map<string, InstrumentProduct>();
  for (const p of [...shares.filter((s) => inScope(run, s)), ...exits]) {
    out.set(`${p.exchange}:${p.tradingsymbol}:${p.product}`, {
      exchange: p.exchange,
      tradingsymbol: p.tradingsymbol,
      product: p.product,
    });
  }
  return [...out.values()];
}

/** Everything one position of a run is planned on, read in one transaction (one view of the account). */
export interface LoadedRunPosition {
  share: number;
  /** The broker's net position, and when som last wrote it. */
  broker: { quantity: number; updated_at: string } | null;
  /** When a fill last moved any share in this instrument and product. */
  last_fill_at: string | null;
  instrument_token: number | null;
  exits: RunExit[];
  /** Other square-offs' exits on the same instrument and product, still able to fill. */
  elsewhere: RunExit[];
  others: LiveOrder[];
  /** The desk's intent state of each exit not yet seen from the broker (absent: never recorded). */
  intents: Map<string, 'pending' | 'placed' | 'failed' | 'unknown'>;
}

const msOf = (iso: string | null): number => (iso ? Date.parse(iso) : Number.NaN);

/** One position of a run, read in one transaction (the caller's, or one of its own). */
export async function loadRunPosition(db: Db, run: SquareOffRun, p: InstrumentProduct): Promise<LoadedRunPosition> {
  const read = async (trx: Transaction<Database>): Promise<LoadedRunPosition> => {
    const share = await trx
      .selectFrom('strategy_positions')
      .select('quantity')
      .where('strategy_id', '=', run.strategy_id)
      .where('exchange', '=', p.exchange)
      .where('tradingsymbol', '=', p.tradingsymbol)
      .where('product', '=', p.product)
      .executeTakeFirst();
    const broker = await trx
      .selectFrom('positions')
      .select(['quantity', 'updated_at', 'instrument_token'])
      .where('exchange', '=', p.exchange)
      .where('tradingsymbol', '=', p.tradingsymbol)
      .where('product', '=', p.product)
      .executeTakeFirst();
    const lastFill = await trx
      .selectFrom('position_allocations')
      .select((eb) => eb.fn.max('at').as('at'))
      .where('exchange', '=', p.exchange)
      .where('tradingsymbol', '=', p.tradingsymbol)
      .where('product', '=', p.product)
      .executeTakeFirst();
    const exitQuery = trx
      .selectFrom('square_off_exits as e')
      .leftJoin('orders as o', (j) => j.onRef('o.tag', '=', 'e.tag'))
      .select([
        'e.tag',
        'e.state',
        'e.order_id',
        'e.transaction_type',
        'e.order_type',
        'e.quantity',
        'e.price',
        'e.modifications',
        'e.created_at',
        'e.updated_at',
        'o.order_id as o_order_id',
        'o.transaction_type as o_side',
        'o.order_type as o_type',
        'o.price as o_price',
        'o.quantity as o_quantity',
        'o.filled_quantity as o_filled',
        'o.pending_quantity as o_pending',
        'o.status as o_status',
        'o.order_timestamp as o_time',
      ])
      .where('e.exchange', '=', p.exchange)
      .where('e.tradingsymbol', '=', p.tradingsymbol)
      .where('e.product', '=', p.product);
    const exitRows = await exitQuery.where('e.run_id', '=', run.id).execute();
    // Other runs' exits still able to fill (their run is going, or their order still works).
    const elsewhereRows = (
      await exitQuery
        .innerJoin('square_off_runs as r', 'r.id', 'e.run_id')
        .where('e.run_id', '!=', run.id)
        .where('e.state', '!=', 'failed')
        .where((eb) => eb.or([eb('r.status', '=', 'running'), eb('o.status', 'not in', [...TERMINAL_STATUSES])]))
        .execute()
    ).filter((r) => r.o_order_id === null || !TERMINAL_STATUSES.has(r.o_status!));
    const toExit = (r: (typeof exitRows)[number]): RunExit => ({
      tag: r.tag,
      state: r.state,
      order_id: r.o_order_id ?? r.order_id,
      transaction_type: r.transaction_type,
      order_type: r.order_type,
      quantity: r.quantity,
      price: r.price,
      modifications: r.modifications,
      placed_ms: msOf(r.created_at),
      updated_ms: msOf(r.updated_at),
      order:
        r.o_order_id === null
          ? null
          : {
              order_id: r.o_order_id,
              transaction_type: r.o_side as Side,
              order_type: r.o_type!,
              price: r.o_price!,
              quantity: r.o_quantity!,
              filled_quantity: r.o_filled!,
              // A finished order works on nothing, whatever its last pending figure said.
              pending_quantity: TERMINAL_STATUSES.has(r.o_status!) ? 0 : r.o_pending!,
              placed_ms: msOf(r.o_time),
            },
    });
    const exits = exitRows.map(toExit);
    const exitTags = exitRows.map((r) => r.tag);
    let othersQuery = trx
      .selectFrom('orders')
      .select([
        'order_id',
        'transaction_type',
        'order_type',
        'price',
        'quantity',
        'filled_quantity',
        'pending_quantity',
        'order_timestamp',
        'tag',
        'variety',
        'parent_order_id',
      ])
      .where('strategy_id', '=', run.strategy_id)
      .where('exchange', '=', p.exchange)
      .where('tradingsymbol', '=', p.tradingsymbol)
      .where('product', '=', p.product)
      .where(orderWorks)
      .where('archived_at', 'is', null);
    if (exitTags.length > 0) {
      othersQuery = othersQuery.where((eb) => eb.or([eb('tag', 'is', null), eb('tag', 'not in', exitTags)]));
    }
    const others: LiveOrder[] = (await othersQuery.execute()).map((o) => ({
      order_id: o.order_id,
      transaction_type: o.transaction_type,
      order_type: o.order_type,
      price: o.price,
      quantity: o.quantity,
      filled_quantity: o.filled_quantity,
      pending_quantity: o.pending_quantity,
      placed_ms: msOf(o.order_timestamp),
      variety: o.variety,
      parent_order_id: o.parent_order_id,
    }));
    const unseen = exitRows.filter((r) => r.o_order_id === null).map((r) => r.tag);
    const intents = new Map<string, 'pending' | 'placed' | 'failed' | 'unknown'>();
    if (unseen.length > 0) {
      const rows = await trx.selectFrom('order_intents').select(['tag', 'state']).where('tag', 'in', unseen).execute();
      for (const r of rows) intents.set(r.tag, r.state);
    }
    return {
      share: share?.quantity ?? 0,
      broker: broker ? { quantity: broker.quantity, updated_at: broker.updated_at } : null,
      last_fill_at: lastFill?.at ?? null,
      instrument_token: broker?.instrument_token ?? null,
      exits,
      elsewhere: elsewhereRows.map(toExit),
      others,
      intents,
    };
  };
  return inTransaction(db, read);
}

/** An exit about to be sent. */
export interface NewExit extends InstrumentProduct {
  tag: string;
  transaction_type: Side;
  order_type: string;
  quantity: number;
  price: number | null;
}

/** An exit to record, with the order the desk will send for it (null: none can be made, and its placement fails). */
export interface ExitIntent extends NewExit {
  request: PlaceOrderRequest | null;
  /** Sent under an armed tag (src/store/armed-exits.ts): recording it disarms the tag. */
  armed?: boolean;
}

/**
 * Record exits before they are sent, in one transaction (the caller's, or one of their own):
 * each exit's row (state `intent`, with its tag) and the order desk's intent for its order,
 * audited ORDER_CREATED (src/store/intents.ts), so the desk only sends them. One commit stands
 * before the first exit. Each is audited SQUARE_OFF_EXIT once its placement has an outcome
 * ({@link recordExitPlaced}).
 */
export async function recordExitIntents(
  db: Db,
  run: { id: number; strategy_id: number },
  exits: readonly ExitIntent[],
  now: Date,
): Promise<void> {
  if (exits.length === 0) return;
  const at = now.toISOString();
  const write = async (trx: Transaction<Database>) => {
    for (const { request: _, armed: __, ...e } of exits) {
      await trx
        .insertInto('square_off_exits')
        .values({
          ...e,
          run_id: run.id,
          strategy_id: run.strategy_id,
          state: 'intent',
          order_id: null,
          error: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
    await recordNewIntents(
      trx,
      exits.flatMap((e) => (e.request ? [{ tag: e.tag, strategyId: run.strategy_id, request: e.request }] : [])),
      now,
    );
    // An armed tag names one exit: recorded here, it is armed no more (src/store/armed-exits.ts).
    const armed = exits.filter((e) => e.armed).map((e) => e.tag);
    if (armed.length > 0) await trx.deleteFrom('armed_exits').where('tag', 'in', armed).execute();
  };
  await inTransaction(db, write);
}

/** What a planner reads of runs, bound to one transaction: the one that opens them. */
export interface RunReader {
  positions(run: SquareOffRun): Promise<InstrumentProduct[]>;
  /** Record exits already on their way (armed exits a breach sent) before the position is read. */
  record(run: SquareOffRun, exits: readonly ExitIntent[]): Promise<void>;
  position(run: SquareOffRun, p: InstrumentProduct): Promise<LoadedRunPosition>;
  instrument(exchange: string, tradingsymbol: string): Promise<Instrument | null>;
}

/**
 * Plans the first exits of runs just opened, from the store as the opening transaction sees
 * it; they are recorded in that transaction. Exits by run id.
 */
export type FirstExitPlanner = (
  runs: readonly SquareOffRun[],
  read: RunReader,
) => Promise<ReadonlyMap<number, readonly ExitIntent[]>>;

/**
 * Record the first exits of runs opened in `trx`, planned by `plan` from what `trx` sees: what
 * decided the square-off and the exits that carry it out reach the disk in one commit.
 */
export async function recordFirstExits(
  trx: Transaction<Database>,
  runIds: readonly number[],
  plan: FirstExitPlanner,
  now: Date,
): Promise<void> {
  const runs: SquareOffRun[] = [];
  for (const id of runIds) {
    const run = await getSquareOff(trx, id);
    if (run?.status === 'running') runs.push(run);
  }
  if (runs.length === 0) return;
  const reader: RunReader = {
    positions: (run) => runPositions(trx, run),
    record: (run, recorded) => recordExitIntents(trx, run, recorded, now),
    position: (run, p) => loadRunPosition(trx, run, p),
    instrument: (exchange, tradingsymbol) => getInstrument(trx, exchange, tradingsymbol),
  };
  const exits = await plan(runs, reader);
  for (const run of runs) await recordExitIntents(trx, run, exits.get(run.id) ?? [], now);
}

/** What became of an exit's placement: sent (the broker has it), unknown (its fate is open), failed. */
export async function markExit(
  db: Db,
  tag: string,
  outcome: { state: 'sent' | 'unknown' | 'failed'; order_id?: string | null; error?: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('square_off_exits')
    .set({
      state: outcome.state,
      ...(outcome.order_id ? { order_id: outcome.order_id } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.state === 'sent' ? { updated_at: now.toISOString() } : {}),
    })
    .where('tag', '=', tag)
    .execute();
}

/** What became of an exit's placement, audited SQUARE_OFF_EXIT (`place`) with the exit; one transaction. */
export async function recordExitPlaced(
  db: Kysely<Database>,
  run: { id: number; strategy_id: number },
  exit: NewExit,
  outcome: { state: 'sent' | 'unknown' | 'failed'; order_id?: string | null; error?: string | null },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await markExit(trx, exit.tag, outcome, now);
    await appendAudit(
      trx,
      {
        type: 'SQUARE_OFF_EXIT',
        strategyId: run.strategy_id,
        orderId: outcome.order_id ?? null,
        payload: { run_id: run.id, action: 'place', ...exit, result: outcome.state, error: outcome.error ?? null },
      },
      now,
    );
  });
}

/**
 * Exits recorded but never handed to the broker (a crash came between), each marked failed
 * and audited SQUARE_OFF_EXIT (`not sent`), in one transaction: their quantity is planned afresh.
 */
export async function markUnsentExits(
  db: Kysely<Database>,
  run: { id: number; strategy_id: number },
  unsent: readonly { tag: string; why: string }[],
  now: Date,
): Promise<void> {
  if (unsent.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const u of unsent) {
      await markExit(trx, u.tag, { state: 'failed', error: u.why }, now);
      await appendAudit(
        trx,
        { type: 'SQUARE_OFF_EXIT', strategyId: run.strategy_id, payload: { run_id: run.id, action: 'not sent', ...u } },
        now,
      );
    }
  });
}

/**
 * A modification or cancel the run sent for one of its exits (or a cancel of one of the
 * position's other orders), audited SQUARE_OFF_EXIT. A modification counts against the
 * exit's budget and restarts its re-price clock.
 */
export async function recordExitRequest(
  db: Kysely<Database>,
  run: { id: number; strategy_id: number },
  request: {
    order_id: string;
    tag: string | null;
    action: 'modify' | 'cancel';
    reason: string;
    price?: number | null;
    quantity?: number | null;
    result: string;
  },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (request.tag !== null && request.action === 'modify' && request.result === 'sent') {
      await trx
        .updateTable('square_off_exits')
        .set((eb) => ({
          modifications: eb('modifications', '+', 1),
          updated_at: now.toISOString(),
          ...(request.price !== undefined && request.price !== null
            ? { price: request.price, order_type: 'LIMIT' }
            : {}),
        }))
        .where('tag', '=', request.tag)
        .execute();
    }
    await appendAudit(
      trx,
      {
        type: 'SQUARE_OFF_EXIT',
        strategyId: run.strategy_id,
        orderId: request.order_id,
        payload: { run_id: run.id, ...request },
      },
      now,
    );
  });
}

/** A run is over: every position in it flat and nothing working. Audited SQUARE_OFF_DONE. */
export async function finishSquareOff(db: Kysely<Database>, run: SquareOffRun, note: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('square_off_runs')
      .set({ status: 'done', finished_at: now.toISOString(), note })
      .where('id', '=', run.id)
      .where('status', '=', 'running')
      .execute();
    const exits = await trx
      .selectFrom('square_off_exits')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('run_id', '=', run.id)
      .executeTakeFirst();
    await appendAudit(
      trx,
      {
        type: 'SQUARE_OFF_DONE',
        strategyId: run.strategy_id,
        payload: { run_id: run.id, cause: run.cause, exits: Number(exits?.n ?? 0), note },
      },
      now,
    );
    await recordHousekeepingEvent(
      trx,
      {
        job: 'square-off',
        strategyId: run.strategy_id,
        action: 'square-off',
        reason: run.cause,
        result: note,
        durationMs: now.getTime() - Date.parse(run.started_at),
        detail: { run_id: run.id },
      },
      now,
    );
  });
}
