import { type AuditChainRow, isHash } from './chain.js';

/**
 * The audit trail's own events: an export of the trail, and the anchor a retention prune
 * leaves. Both are ordinary chained events, so they are as tamper-evident as any other.
 */

/** A successful export of the trail to a file (a prune waits for one that holds what it removes). */
export const AUDIT_EXPORTED = 'AUDIT_EXPORTED';
/** The anchor a prune leaves: the hash of the last event it removed. */
export const AUDIT_PRUNED = 'AUDIT_PRUNED';

/** What an AUDIT_EXPORTED event records. */
export interface AuditExportRecord {
  format: 'jsonl' | 'csv';
  /** The first and last event ids in the file (null when it holds none). */
  from_id: number | null;
  through_id: number | null;
  count: number;
  /** The hash of the last event in the file: the copy's head, to compare with the trail later. */
  last_hash: string | null;
  /** The selection asked for (ISO instants), or null. */
  since: string | null;
  until: string | null;
  /** Where the file went (a path), or null for standard output. */
  destination: string | null;
}

/** What an AUDIT_PRUNED event (the anchor) records. */
export interface PruneAnchor {
  /** The id and hash of the last event removed: the next event's `prev_hash` is this hash. */
  last_pruned_id: number;
  last_pruned_hash: string;
  /** How many events were removed, and the cutoff they were older than (ISO instant). */
  pruned: number;
  cutoff: string;
  /** The export that held them (its AUDIT_EXPORTED event's id). */
  export_id: number;
}

/** A payload's JSON object, or null when the text is not one. */
function payloadObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The anchor an AUDIT_PRUNED row records, or null when the row is not a well-formed anchor. */
export function anchorOf(row: Pick<AuditChainRow, 'type' | 'payload'>): PruneAnchor | null {
  if (row.type !== AUDIT_PRUNED) return null;
  const p = payloadObject(row.payload);
  if (
    p === null ||
    !Number.isSafeInteger(p.last_pruned_id) ||
    !isHash(p.last_pruned_hash) ||
    !Number.isSafeInteger(p.pruned) ||
    typeof p.cutoff !== 'string' ||
    !Number.isSafeInteger(p.export_id)
  ) {
    return null;
  }
  return p as unknown as PruneAnchor;
}

/** The export an AUDIT_EXPORTED row records, or null when the row is not one. */
export function exportRecordOf(row: Pick<AuditChainRow, 'type' | 'payload'>): AuditExportRecord | null {
  if (row.type !== AUDIT_EXPORTED) return null;
  const p = payloadObject(row.payload);
  const id = (x: unknown) => x === null || Number.isSafeInteger(x);
  if (p === null || !id(p.from_id) || !id(p.through_id) || !Number.isSafeInteger(p.count)) return null;
  return p as unknown as AuditExportRecord;
}
