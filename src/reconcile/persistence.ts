/**
 * Differences that will not go away. Each round's discrepancy ids (found this round, healed
 * or not: one that comes back after every heal is as wrong as one that cannot be healed) are
 * folded into a state; a difference found in `roundsBeforeEscalation` consecutive rounds is
 * escalated once (the daemon raises a high alert), then reported as open in every round until
 * a round no longer finds it. The state is plain JSON, for the daemon to keep between rounds.
 */

export interface PersistenceEntry {
  /** ISO instants of the first and the latest round that found it. */
  first_seen: string;
  last_seen: string;
  /** Consecutive rounds that found it. */
  rounds: number;
  /** When it was escalated, or null. */
  escalated_at: string | null;
}

export type PersistenceState = Readonly<Record<string, PersistenceEntry>>;

export interface RoundOutcome {
  state: Record<string, PersistenceEntry>;
  /** Reached the threshold this round: raise the alert. */
  escalate: string[];
  /** Escalated in an earlier round and still found: still reported. */
  open: string[];
  /** Tracked before, not found this round; `escalated` says whether an alert stands for it. */
  resolved: { id: string; escalated: boolean }[];
}

/** Fold one round's discrepancy ids, found at `at`, into the state (see the module comment). */
export function trackPersistence(
  previous: PersistenceState,
  found: readonly string[],
  at: string,
  roundsBeforeEscalation: number,
): RoundOutcome {
  const state: Record<string, PersistenceEntry> = {};
  const escalate: string[] = [];
  const open: string[] = [];
  for (const id of new Set(found)) {
    const before = previous[id];
    const entry: PersistenceEntry = before
      ? { ...before, last_seen: at, rounds: before.rounds + 1 }
      : { first_seen: at, last_seen: at, rounds: 1, escalated_at: null };
    if (entry.escalated_at !== null) {
      open.push(id);
    } else if (entry.rounds >= roundsBeforeEscalation) {
      entry.escalated_at = at;
      escalate.push(id);
    }
    state[id] = entry;
  }
  const resolved = Object.entries(previous)
    .filter(([id]) => !Object.hasOwn(state, id))
    .map(([id, e]) => ({ id, escalated: e.escalated_at !== null }));
  return { state, escalate, open, resolved };
}
