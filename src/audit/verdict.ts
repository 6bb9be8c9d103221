import type { ChainVerdict } from './verify.js';

/**
 * A chain verdict as one flat record, every field present (null where it does not apply): what
 * `som audit verify` prints and the socket carries, for the stored trail and for a file alike.
 */
export interface VerdictReport {
  intact: boolean;
  problem: 'changed' | 'deleted' | 'inserted' | null;
  /** The first broken id. */
  id: number | null;
  missing: { from: number; to: number } | null;
  message: string;
  rows: number;
  head: { id: number; hash: string } | null;
  /** Where the walk began: genesis, after a prune anchor, or a hash taken as given. */
  start: string | null;
}

/** The verdict as a {@link VerdictReport}. */
export function verdictReport(v: ChainVerdict): VerdictReport {
  if (!v.intact) {
    return {
      intact: false,
      problem: v.problem,
      id: v.id,
      missing: v.missing ?? null,
      message: v.message,
      rows: v.rows,
      head: null,
      start: null,
    };
  }
  const start =
    v.start === null
      ? null
      : v.start.kind === 'genesis'
        ? 'genesis'
        : v.start.kind === 'anchor'
          ? `after event ${v.start.last_pruned_id} (prune anchor ${v.start.anchor_id})`
          : `after hash ${v.start.prev_hash} (taken as given)`;
  return {
    intact: true,
    problem: null,
    id: null,
    missing: null,
    message: v.head ? `intact: ${v.rows} events, head ${v.head.id} ${v.head.hash}` : 'intact: no events',
    rows: v.rows,
    head: v.head,
    start,
  };
}
