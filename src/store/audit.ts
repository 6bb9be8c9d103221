import { type Kysely, sql } from 'kysely';
import { type AuditChainRow, eventHash, GENESIS_HASH, storedPayload } from '../audit/chain.js';
import { type ExportFormat, exportHeader, exportLine } from '../audit/export.js';
import type { PrunableRun } from '../audit/retention.js';
import {
  AUDIT_EXPORTED,
  AUDIT_PRUNED,
  type AuditExportRecord,
  anchorOf,
  exportRecordOf,
  type PruneAnchor,
} from '../audit/trail-events.js';
import { type AnchorAt, type ChainVerdict, ChainWalker } from '../audit/verify.js';
import type { AuditEvent, NewAuditEvent } from '../domain/audit.js';
import { SomError } from '../protocol/errors.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

/** Rows read at a time when walking or exporting the whole trail. */
const BATCH = 2000;

interface ChainedEvent {
  type: string;
  strategy_id: number | null;
  order_id: string | null;
  payload: Record<string, unknown>;
}

/**
 * The chain's head as each open transaction last appended to it: a transaction that appends
 * several events (a breach's record) reads the head once. Within a transaction only
 * {@link appendChained} adds to the chain, so what it remembers is the head.
 */
const heads = new WeakMap<Kysely<Database>, { id: number; hash: string }>();

/**
 * Append one event to the chain. The id is chosen here (ids are never reused, so the next is
 * one past both the highest id ever given and the highest present), because the hash covers
 * it; reading the chain's last hash and inserting happen in one transaction, so two events
 * never follow the same one (and the unique index on prev_hash would refuse it).
 */
async function appendChained(
  db: Kysely<Database>,
  event: ChainedEvent,
  at: Date,
  /** The predecessor's hash when no chained event is left (a prune that removed them all). */
  startAfter: string = GENESIS_HASH,
): Promise<number> {
  const write = async (trx: Kysely<Database>): Promise<number> => {
    let head = heads.get(trx);
    if (!head) {
      // The last id ever given and the last hash, in one read.
      const { rows } = await sql<{ last_id: number; last_hash: string | null }>`
        select max(
          coalesce((select seq from sqlite_sequence where name = 'audit_events'), 0),
          coalesce((select max(id) from audit_events), 0)
        ) as last_id,
        (select hash from audit_events where hash is not null order by id desc limit 1) as last_hash`.execute(trx);
      // A row written around som has no hash; the chain continues from the last one som wrote.
      head = { id: rows[0]!.last_id, hash: rows[0]!.last_hash ?? startAfter };
    }
    const id = head.id + 1;
    const prev_hash = head.hash;
    const row = {
      id,
      at: at.toISOString(),
      type: event.type,
      strategy_id: event.strategy_id,
      order_id: event.order_id,
      payload: storedPayload(event.payload),
    };
    const hash = eventHash(prev_hash, row);
    // storedPayload always writes JSON, so this holds; a failure is a bug, not bad input.
    if (!hash.ok) throw new Error(`audit event cannot be hashed: ${hash.message}`);
    await trx
      .insertInto('audit_events')
      .values({ ...row, prev_hash, hash: hash.hash })
      .execute();
    heads.set(trx, { id, hash: hash.hash });
    return id;
  };
  return inTransaction(db, write);
}

/** Append one event to the audit trail, chained to the one before it. Returns its id. */
export async function appendAudit(db: Kysely<Database>, event: NewAuditEvent, at: Date): Promise<number> {
  return appendChained(
    db,
    {
      type: event.type,
      strategy_id: event.strategyId ?? null,
      order_id: event.orderId ?? null,
      payload: event.payload ?? {},
    },
    at,
  );
}

export interface AuditFilter {
  strategyId?: number | undefined;
  orderId?: string | undefined;
  type?: string | undefined;
  /** ISO instant; events at or after it. */
  since?: string | undefined;
  limit: number;
}

/** Newest first. */
export async function listAudit(db: Kysely<Database>, filter: AuditFilter): Promise<AuditEvent[]> {
  let q = db
    .selectFrom('audit_events as e')
    .leftJoin('strategies as s', 's.id', 'e.strategy_id')
    .select(['e.id', 'e.at', 'e.type', 's.name as strategy', 'e.order_id', 'e.payload']);
  if (filter.strategyId !== undefined) q = q.where('e.strategy_id', '=', filter.strategyId);
  if (filter.orderId !== undefined) q = q.where('e.order_id', '=', filter.orderId);
  if (filter.type !== undefined) q = q.where('e.type', '=', filter.type.toUpperCase());
  if (filter.since !== undefined) q = q.where('e.at', '>=', new Date(filter.since).toISOString());
  const rows = await q.orderBy('e.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    type: r.type,
    strategy: r.strategy,
    order_id: r.order_id,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
}

/** The trail's rows with their chain fields, ids from..through (inclusive), in id order, in batches. */
export async function* auditChainRows(
  db: Kysely<Database>,
  range: { fromId?: number; throughId?: number } = {},
): AsyncGenerator<AuditChainRow[]> {
  let after = (range.fromId ?? Number.MIN_SAFE_INTEGER + 1) - 1;
  for (;;) {
    let q = db
      .selectFrom('audit_events')
      .select(['id', 'at', 'type', 'strategy_id', 'order_id', 'payload', 'prev_hash', 'hash'])
      .where('id', '>', after);
    if (range.throughId !== undefined) q = q.where('id', '<=', range.throughId);
    const rows = await q.orderBy('id').limit(BATCH).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

/** The prune anchors the trail records (AUDIT_PRUNED events), oldest first. */
export async function auditAnchors(db: Kysely<Database>): Promise<AnchorAt[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select(['id', 'type', 'payload'])
    .where('type', '=', AUDIT_PRUNED)
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => {
    const a = anchorOf(r);
    return a ? [{ ...a, id: r.id }] : [];
  });
}

/** Walk the whole stored chain (src/audit/verify.ts): intact, or the first broken id and how. */
export async function verifyAuditTrail(db: Kysely<Database>): Promise<ChainVerdict> {
  const walker = new ChainWalker({ anchors: await auditAnchors(db) });
  for await (const rows of auditChainRows(db)) {
    for (const r of rows) walker.push(r);
  }
  return walker.finish();
}

/**
 * The ids an export `since`..`until` covers: from the first event at or after `since` to the
 * last event before `until` (ISO instants; either open), and every event between them by id,
 * so the export is one unbroken stretch of the chain even where event times are not in id
 * order. null when no event falls in the range.
 */
export async function auditExportRange(
  db: Kysely<Database>,
  range: { since?: string | undefined; until?: string | undefined },
): Promise<{ from_id: number; through_id: number } | null> {
  let first = db.selectFrom('audit_events').select((eb) => eb.fn.min('id').as('id'));
  if (range.since !== undefined) first = first.where('at', '>=', new Date(range.since).toISOString());
  let last = db.selectFrom('audit_events').select((eb) => eb.fn.max('id').as('id'));
  if (range.until !== undefined) last = last.where('at', '<', new Date(range.until).toISOString());
  const from = (await first.executeTakeFirst())?.id ?? null;
  const through = (await last.executeTakeFirst())?.id ?? null;
  if (from === null || through === null || from > through) return null;
  return { from_id: from, through_id: through };
}

export interface AuditExportSummary {
  from_id: number | null;
  through_id: number | null;
  count: number;
  last_hash: string | null;
}

/**
 * Write the events `since`..`until` (see {@link auditExportRange}) in `format` to `sink`, a
 * chunk at a time (header first). The caller records the export ({@link recordAuditExport})
 * once the file is safely written.
 */
export async function exportAudit(
  db: Kysely<Database>,
  options: { format: ExportFormat; since?: string | undefined; until?: string | undefined },
  sink: (chunk: string) => void | Promise<void>,
): Promise<AuditExportSummary> {
  const header = exportHeader(options.format);
  if (header) await sink(header);
  const range = await auditExportRange(db, options);
  const summary: AuditExportSummary = { from_id: null, through_id: null, count: 0, last_hash: null };
  if (range === null) return summary;
  for await (const rows of auditChainRows(db, { fromId: range.from_id, throughId: range.through_id })) {
    await sink(rows.map((r) => exportLine(r, options.format)).join(''));
    summary.from_id ??= rows[0]!.id;
    summary.through_id = rows[rows.length - 1]!.id;
    summary.count += rows.length;
    summary.last_hash = rows[rows.length - 1]!.hash;
  }
  return summary;
}

/** Record a successful export in the trail (an AUDIT_EXPORTED event). Returns the event's id. */
export async function recordAuditExport(db: Kysely<Database>, record: AuditExportRecord, at: Date): Promise<number> {
  return appendChained(db, { type: AUDIT_EXPORTED, strategy_id: null, order_id: null, payload: { ...record } }, at);
}

/** The newest export the trail records, with its event's id and time; null if none. */
export async function lastAuditExport(
  db: Kysely<Database>,
): Promise<(AuditExportRecord & { id: number; at: string }) | null> {
  const row = await db
    .selectFrom('audit_events')
    .select(['id', 'at', 'type', 'payload'])
    .where('type', '=', AUDIT_EXPORTED)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const record = row ? exportRecordOf(row) : null;
  return row && record ? { ...record, id: row.id, at: row.at } : null;
}

/** When the trail was last pruned (its newest anchor's time), or null if never. */
export async function lastAuditPrune(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('audit_events')
    .select('at')
    .where('type', '=', AUDIT_PRUNED)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.at ?? null;
}

/**
 * The oldest run of events older than `cutoff`: from the first event up to the last one
 * before the first event at or after the cutoff (all of them, if none is). null if none.
 */
export async function prunableAudit(db: Kysely<Database>, cutoff: Date): Promise<PrunableRun | null> {
  const young = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.min('id').as('id'))
    .where('at', '>=', cutoff.toISOString())
    .executeTakeFirst();
  let q = db
    .selectFrom('audit_events')
    .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last'), eb.fn.countAll<number>().as('count')]);
  const firstYoung = young?.id ?? null;
  if (firstYoung !== null) q = q.where('id', '<', firstYoung);
  const run = await q.executeTakeFirst();
  if (!run || run.first === null || run.last === null || Number(run.count) === 0) return null;
  return { first_id: run.first, through_id: run.last, count: Number(run.count) };
}

export interface PruneResult {
  pruned: number;
  /** The AUDIT_PRUNED event left in their place. */
  anchor_id: number;
  anchor: PruneAnchor;
}

/**
 * Remove the events up to `through_id` (a plan of src/audit/retention.ts) in one transaction:
 * unlock deletes up to that id, delete, lock again, and append the anchor event recording the
 * last removed event's id and hash, so the rest of the chain still verifies. Refused (nothing
 * removed) if any of those events is not older than the cutoff.
 */
export async function pruneAudit(
  db: Kysely<Database>,
  plan: { through_id: number; cutoff: string; export_id: number },
  at: Date,
): Promise<PruneResult> {
  return db.transaction().execute(async (trx) => {
    const young = await trx
      .selectFrom('audit_events')
      .select('id')
      .where('id', '<=', plan.through_id)
      .where('at', '>=', plan.cutoff)
      .limit(1)
      .executeTakeFirst();
    if (young) throw new SomError('FAILED', `audit event ${young.id} is not older than ${plan.cutoff}: nothing pruned`);
    const last = await trx
      .selectFrom('audit_events')
      .select(['id', 'hash'])
      .where('id', '<=', plan.through_id)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last?.hash) throw new SomError('FAILED', `no chained audit event at or before ${plan.through_id} to prune`);
    await trx.insertInto('audit_retention_unlock').values({ id: 1, through_id: plan.through_id }).execute();
    const deleted = await trx.deleteFrom('audit_events').where('id', '<=', plan.through_id).executeTakeFirst();
    await trx.deleteFrom('audit_retention_unlock').execute();
    const anchor: PruneAnchor = {
      last_pruned_id: last.id,
      last_pruned_hash: last.hash,
      pruned: Number(deleted.numDeletedRows),
      cutoff: plan.cutoff,
      export_id: plan.export_id,
    };
    // Chained after the newest event left, or, when none is, after the last one removed.
    const anchor_id = await appendChained(
      trx,
      { type: AUDIT_PRUNED, strategy_id: null, order_id: null, payload: { ...anchor } },
      at,
      last.hash,
    );
    return { pruned: anchor.pruned, anchor_id, anchor };
  });
}
