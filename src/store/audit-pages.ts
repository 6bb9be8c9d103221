import type { Kysely } from 'kysely';
import { type ExportFormat, exportHeader, exportLine } from '../audit/export.js';
import type { AuditExportRecord } from '../audit/trail-events.js';
import { SomError } from '../protocol/errors.js';
import { auditExportRange, recordAuditExport } from './audit.js';
import type { Database } from './schema.js';

/**
 * An export of the audit trail a page at a time, for a reader on the other side of the socket
 * (`som audit export` writes where the user runs it), and the record of a finished export,
 * checked against the trail before it is written: the prune trusts it.
 */

export interface ExportPageRequest {
  format: ExportFormat;
  since?: string | undefined;
  until?: string | undefined;
  /** The last id of the previous page; absent on the first. */
  afterId?: number | undefined;
  /** The range's last id, as the first page gave it; absent on the first. */
  throughId?: number | undefined;
  limit: number;
}

export interface ExportPage {
  text: string;
  from_id: number | null;
  through_id: number | null;
  last_id: number | null;
  last_hash: string | null;
  count: number;
  done: boolean;
}

/**
 * One page: the first fixes the range (`auditExportRange`, so events written meanwhile stay
 * out) and carries the CSV header; each page holds up to `limit` events after `afterId`.
 */
export async function auditExportPage(db: Kysely<Database>, req: ExportPageRequest): Promise<ExportPage> {
  const first = req.afterId === undefined;
  const range =
    req.throughId === undefined
      ? await auditExportRange(db, { since: req.since, until: req.until })
      : { from_id: (req.afterId ?? 0) + 1, through_id: req.throughId };
  const header = first ? exportHeader(req.format) : '';
  if (range === null) {
    return { text: header, from_id: null, through_id: null, last_id: null, last_hash: null, count: 0, done: true };
  }
  const after = req.afterId ?? range.from_id - 1;
  const rows = await db
    .selectFrom('audit_events')
    .select(['id', 'at', 'type', 'strategy_id', 'order_id', 'payload', 'prev_hash', 'hash'])
    .where('id', '>', after)
    .where('id', '<=', range.through_id)
    .orderBy('id')
    .limit(req.limit)
    .execute();
  const last = rows.at(-1);
  return {
    text: header + rows.map((r) => exportLine(r, req.format)).join(''),
    from_id: first ? range.from_id : null,
    through_id: range.through_id,
    last_id: last?.id ?? null,
    last_hash: last?.hash ?? null,
    count: rows.length,
    done: last === undefined || last.id >= range.through_id,
  };
}

/**
 * Record a finished export (AUDIT_EXPORTED), once the trail confirms it: as many events from
 * `from_id` to `through_id` as the file holds, the last one with the file's last hash.
 * Refused (FAILED) otherwise: a prune waits for an export that holds what it removes.
 */
export async function recordCheckedExport(db: Kysely<Database>, record: AuditExportRecord, at: Date): Promise<number> {
  if (record.from_id !== null && record.through_id !== null) {
    const row = await db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', '>=', record.from_id)
      .where('id', '<=', record.through_id)
      .executeTakeFirstOrThrow();
    const last = await db
      .selectFrom('audit_events')
      .select('hash')
      .where('id', '=', record.through_id)
      .executeTakeFirst();
    if (Number(row.n) !== record.count || (last?.hash ?? null) !== record.last_hash) {
      throw new SomError(
        'FAILED',
        `the export does not match the trail (${record.count} events to ${record.through_id} ending ${record.last_hash}; the trail has ${row.n} ending ${last?.hash ?? 'nothing'}): not recorded`,
      );
    }
  } else if (record.count !== 0) {
    throw new SomError('FAILED', 'an export with events must name its first and last ids: not recorded');
  }
  return recordAuditExport(db, record, at);
}
