/**
 * How the open alerts changed between two looks: which were marked read and which were
 * resolved. (Raised ones are found by id: every alert above the last id seen is new, even one
 * raised and resolved between the two looks.)
 */

/** What is remembered of an open alert between looks. */
export interface OpenAlertState {
  id: number;
  read_at: string | null;
}

export interface AlertChanges {
  /** Open before and now, and marked read in between. */
  read: number[];
  /** Open before, open no longer. */
  resolved: number[];
}

/** Compare the open alerts now with those of the previous look. */
export function alertChanges(before: readonly OpenAlertState[], now: readonly OpenAlertState[]): AlertChanges {
  const current = new Map(now.map((a) => [a.id, a]));
  const read: number[] = [];
  const resolved: number[] = [];
  for (const previous of before) {
    const still = current.get(previous.id);
    if (!still) resolved.push(previous.id);
    else if (previous.read_at === null && still.read_at !== null) read.push(previous.id);
  }
  return { read, resolved };
}
