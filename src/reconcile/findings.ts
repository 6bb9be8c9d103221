import {
  DISCREPANCY_KINDS,
  type Discrepancy,
  type DiscrepancyKind,
  type Fields,
  type Heal,
  type RecordKind,
} from './types.js';

/**
 * Building blocks shared by the order, trade and position comparisons: a discrepancy, and
 * the settling of a record's discrepancies by one heal (or a reason there is none).
 */

/** What the comparison of one kind of record found. */
export interface Findings {
  discrepancies: Discrepancy[];
  heals: Heal[];
}

export function discrepancy(
  kind: DiscrepancyKind,
  record: RecordKind,
  key: string,
  strategy_id: number | null,
  sides: { som: Fields | null; broker: Fields | null },
  message: string,
): Discrepancy {
  return {
    id: `${kind}:${record}:${key}`,
    kind,
    record,
    key,
    strategy_id,
    som: sides.som,
    broker: sides.broker,
    message,
    heal: null,
    unhealed: null,
  };
}

/** A heal as a comparison proposes it: everything but its id and what it resolves. */
export type HealProposal = Heal extends infer H ? (H extends Heal ? Omit<H, 'id' | 'resolves'> : never) : never;

/** Attach `heal` to the discrepancies it resolves; the rest get `unhealed` as their reason. */
export function settle(
  out: Findings,
  found: readonly Discrepancy[],
  heal: HealProposal | null,
  resolves: (d: Discrepancy) => boolean,
  unhealed: string,
): void {
  const id = heal ? `${heal.record}:${heal.key}` : null;
  const resolved: Discrepancy[] = [];
  for (const d of found) {
    if (heal && id && resolves(d)) {
      resolved.push(d);
      out.discrepancies.push({ ...d, heal: id });
    } else {
      out.discrepancies.push({ ...d, unhealed });
    }
  }
  if (!heal || !id || resolved.length === 0) return;
  // In the order discrepancies are listed: by kind.
  resolved.sort((a, b) => DISCREPANCY_KINDS.indexOf(a.kind) - DISCREPANCY_KINDS.indexOf(b.kind));
  out.heals.push({ ...heal, id, resolves: resolved.map((d) => d.id) } as Heal);
}

/** The fields among `names` whose values differ, as `{before, after}`; null when none do. */
export function changedFields<T extends Record<string, unknown>>(
  som: T,
  broker: T,
  names: readonly (keyof T & string)[],
): { before: Fields; after: Fields } | null {
  const before: Fields = {};
  const after: Fields = {};
  for (const n of names) {
    if (som[n] !== broker[n]) {
      before[n] = som[n] as string | number | null;
      after[n] = broker[n] as string | number | null;
    }
  }
  return Object.keys(before).length > 0 ? { before, after } : null;
}

/** The named fields of a record. */
export function pick<T extends Record<string, unknown>>(row: T, names: readonly (keyof T & string)[]): Fields {
  const out: Fields = {};
  for (const n of names) out[n] = row[n] as string | number | null;
  return out;
}
