import { type AuditChainRow, eventHash, GENESIS_HASH, isHash } from './chain.js';
import { anchorOf, type PruneAnchor } from './trail-events.js';

/**
 * Walking the audit trail's hash chain: intact, or the first event where it breaks and how.
 *
 * The walk takes the events in id order. It starts at the first event, which must carry the
 * genesis hash as its `prev_hash`, or the `last_pruned_hash` of a prune anchor (the trail
 * was pruned up to the anchor's `last_pruned_id`), or, for an export of part of the trail,
 * any hash (taken as given). A first event that carries none of these is **deleted** at
 * the id the trail should start at (1, or the newest anchor's `last_pruned_id` + 1) when
 * its own id is above that: the first events are gone; else **inserted** at it. Then, for
 * each event R, with E the hash of the last event accepted and P its id (after an anchor, P
 * starts as its `last_pruned_id`):
 *
 * - R links (R.prev_hash = E) and R.hash is SHA-256 of E and R's canonical JSON: accepted.
 * - R links but its hash is not that (or its payload is not JSON): **changed** at R. Its
 *   content (or its hash) was edited after it was written.
 * - R does not link and its id is more than P + 1: **deleted** at P + 1. The events with ids
 *   P + 1 .. R.id - 1 are gone (ids are never reused, and each event records its
 *   predecessor's hash).
 * - R does not link and repeats P's id: **inserted** at R (the second of the two).
 * - R does not link, its id is P + 1, and:
 *   - R has no chain fields, or the next event links to P (the chain goes around R):
 *     **inserted** at R. som never wrote it where it is;
 *   - R's own hash is right (SHA-256 of its own prev_hash and content) and R is the last
 *     event or the next one links to R: **changed** at P. P was rewritten and given a new
 *     hash; R still records P's former hash;
 *   - otherwise **inserted** at R.
 *
 * Deleting the newest events leaves a shorter chain that is intact: compare the head
 * ({@link ChainVerdict} `head`) with an export kept elsewhere to see that.
 */

export type ChainProblem = 'changed' | 'deleted' | 'inserted';

/** Where the walk began. */
export type ChainStart =
  | { kind: 'genesis' }
  /** After a prune: the first event follows the anchor's last pruned event. */
  | { kind: 'anchor'; anchor_id: number; last_pruned_id: number }
  /** Part of a trail: the first event's prev_hash was taken as given. */
  | { kind: 'given'; prev_hash: string };

export type ChainVerdict =
  | {
      intact: true;
      /** null for an empty trail. */
      start: ChainStart | null;
      /** Events verified. */
      rows: number;
      /** The last event: a copy whose head is here is a copy of this trail up to it. */
      head: { id: number; hash: string } | null;
    }
  | {
      intact: false;
      problem: ChainProblem;
      /** The first broken id: the edited or inserted event, or the first missing one. */
      id: number;
      /** For `deleted`: the ids that are gone. */
      missing?: { from: number; to: number };
      message: string;
      /** Events verified before the break. */
      rows: number;
    };

/** A prune anchor and the id of the event that records it. */
export type AnchorAt = PruneAnchor & { id: number };

export interface WalkOptions {
  /** The trail's prune anchors (AUDIT_PRUNED events): a walk may start after one. */
  anchors?: readonly AnchorAt[];
  /** Part of a trail (an export of a time range): the first event's prev_hash is taken as given. */
  segment?: boolean;
}

type Broken = Extract<ChainVerdict, { intact: false }>;

/**
 * The walk as a fold, so a trail too long to hold in memory is verified in batches: `push`
 * each event in ascending id order, then `finish`. Pushing after a break does nothing.
 */
export class ChainWalker {
  readonly #anchors: readonly AnchorAt[];
  readonly #segment: boolean;
  #start: ChainStart | null = null;
  #expected = '';
  #prevId: number | null = null;
  #rows = 0;
  #head: { id: number; hash: string } | null = null;
  /** An event that does not link, waiting for the next one to tell how. */
  #pending: { row: AuditChainRow; ownHashRight: boolean } | null = null;
  #broken: Broken | null = null;

  constructor(options: WalkOptions = {}) {
    this.#anchors = options.anchors ?? [];
    this.#segment = options.segment ?? false;
  }

  push(row: AuditChainRow): void {
    if (this.#broken) return;
    if (this.#pending) {
      this.#settle(row);
      return;
    }
    if (this.#head && row.id < this.#head.id) {
      this.#break('inserted', row.id, `event ${row.id} comes after event ${this.#head.id}: out of id order`);
      return;
    }
    if (this.#start === null && !this.#begin(row)) return;
    this.#check(row);
  }

  finish(): ChainVerdict {
    if (this.#pending) this.#settle(null);
    if (this.#broken) return this.#broken;
    return { intact: true, start: this.#start, rows: this.#rows, head: this.#head };
  }

  #break(problem: ChainProblem, id: number, message: string, missing?: { from: number; to: number }): void {
    this.#broken = { intact: false, problem, id, ...(missing ? { missing } : {}), message, rows: this.#rows };
  }

  #deleted(from: number, to: number, why: string): void {
    const ids = from === to ? `event ${from} is` : `events ${from} to ${to} are`;
    this.#break('deleted', from, `${ids} missing: ${why}`, { from, to });
  }

  /** Where the chain starts, from its first event; false when it starts nowhere known. */
  #begin(first: AuditChainRow): boolean {
    const prevHash = first.prev_hash;
    const anchor = this.#anchors.find((a) => a.last_pruned_hash === prevHash);
    if (prevHash === GENESIS_HASH) {
      this.#start = { kind: 'genesis' };
      this.#expected = GENESIS_HASH;
    } else if (anchor) {
      this.#start = { kind: 'anchor', anchor_id: anchor.id, last_pruned_id: anchor.last_pruned_id };
      this.#expected = anchor.last_pruned_hash;
      this.#prevId = anchor.last_pruned_id;
    } else if (this.#segment && isHash(prevHash)) {
      this.#start = { kind: 'given', prev_hash: prevHash };
      this.#expected = prevHash;
    } else {
      const firstId = this.#anchors.length === 0 ? 1 : Math.max(...this.#anchors.map((a) => a.last_pruned_id)) + 1;
      const why = `event ${first.id} links to neither the genesis hash nor a prune anchor`;
      if (first.id > firstId) this.#deleted(firstId, first.id - 1, why);
      else this.#break('inserted', first.id, `${why}: som did not write it`);
      return false;
    }
    return true;
  }

  #ownHashRight(row: AuditChainRow): boolean {
    if (!isHash(row.prev_hash) || !isHash(row.hash)) return false;
    const own = eventHash(row.prev_hash, row);
    return own.ok && own.hash === row.hash;
  }

  #check(row: AuditChainRow): void {
    if (row.prev_hash === this.#expected) {
      const own = eventHash(this.#expected, row);
      if (!own.ok) {
        this.#break('changed', row.id, `event ${row.id} was edited: ${own.message}`);
      } else if (own.hash !== row.hash) {
        this.#break('changed', row.id, `event ${row.id} was edited: its content does not match its hash`);
      } else {
        this.#rows += 1;
        this.#expected = own.hash;
        this.#prevId = row.id;
        this.#head = { id: row.id, hash: own.hash };
      }
      return;
    }
    const prev = this.#prevId;
    if (prev !== null && row.id > prev + 1) {
      this.#deleted(prev + 1, row.id - 1, `event ${row.id} does not link to event ${prev}`);
    } else if (prev !== null && row.id <= prev) {
      this.#break('inserted', row.id, `event id ${row.id} appears twice: som did not write the second`);
    } else if (!isHash(row.prev_hash) || !isHash(row.hash)) {
      this.#break('inserted', row.id, `event ${row.id} has no chain fields: som did not write it`);
    } else {
      this.#pending = { row, ownHashRight: this.#ownHashRight(row) };
    }
  }

  /** Decide on the pending event that does not link, seeing the event after it (null: none). */
  #settle(next: AuditChainRow | null): void {
    const { row, ownHashRight } = this.#pending!;
    this.#pending = null;
    const prev = this.#prevId;
    if (next && next.prev_hash === this.#expected) {
      this.#break(
        'inserted',
        row.id,
        `event ${row.id} was inserted: event ${next.id} links to event ${prev} around it`,
      );
    } else if (ownHashRight && prev !== null && (next === null || next.prev_hash === row.hash)) {
      this.#break(
        'changed',
        prev,
        `event ${prev} was rewritten with a new hash: event ${row.id} recorded a different one for it`,
      );
    } else {
      this.#break('inserted', row.id, `event ${row.id} links to no earlier event: som did not write it`);
    }
  }
}

/** The prune anchors among `rows`, each with the id of the event that records it. */
export function anchorsIn(rows: readonly AuditChainRow[]): AnchorAt[] {
  const out: AnchorAt[] = [];
  for (const r of rows) {
    const a = anchorOf(r);
    if (a) out.push({ ...a, id: r.id });
  }
  return out;
}

/**
 * Verify a whole trail, or an export of one, held in memory: the rows in id order, with the
 * prune anchors found among them (plus any given in `options`).
 */
export function verifyChain(rows: readonly AuditChainRow[], options: WalkOptions = {}): ChainVerdict {
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  const walker = new ChainWalker({ ...options, anchors: [...(options.anchors ?? []), ...anchorsIn(sorted)] });
  for (const r of sorted) walker.push(r);
  return walker.finish();
}
