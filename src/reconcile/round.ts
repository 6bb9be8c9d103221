import type { ShareAllocation } from '../domain/position-shares.js';
import { type PersistenceEntry, type PersistenceState, trackPersistence } from './persistence.js';
import { byRecordKeyKind, type ReconcileInput, reconcileBooks } from './reconcile.js';
import { reconcileShares } from './shares.js';
import {
  DISCREPANCY_KINDS,
  type Discrepancy,
  type DiscrepancyKind,
  type Fields,
  type Heal,
  type Reconciliation,
} from './types.js';

/**
 * One reconciliation round from start to report: what to heal (the comparison of
 * reconcile.ts, the strategies' shares of shares.ts, less what changed in som while the
 * broker's books were being read), then, once the daemon has carried the heals out, the
 * round's report: each discrepancy healed or not and how, the counts per kind, and the
 * persistence of differences across rounds (persistence.ts).
 */

/** som's records that changed after the broker's books were read: their heals wait a round. */
export interface ChangedSince {
  /** order_ids. */
  orders: ReadonlySet<string>;
  /** `EXCHANGE:trade_id`. */
  trades: ReadonlySet<string>;
  /** `EXCHANGE:TRADINGSYMBOL:PRODUCT`. */
  positions: ReadonlySet<string>;
}

export interface RoundInput extends ReconcileInput {
  /** The strategies' shares, and the account's quantity per instrument (`accountQuantities`). */
  shares: Parameters<typeof reconcileShares>[0];
  account: ReadonlyMap<string, number>;
  changedSince: ChangedSince;
}

/** Why a heal waits when som's copy moved after the broker's books were read. */
export const CHANGED_WHILE_READ = "som's copy changed while the broker's books were read: checked again next round";

/**
 * Plan a round: every discrepancy, and the heals to carry out now. The shares are compared
 * only in a round over the whole account (a strategy's round leaves positions out). A heal of
 * a record som changed while the broker's books were read is withheld: som's copy may be the
 * newer one, and the next round sees both sides afresh.
 */
export function planRound(input: RoundInput): Reconciliation {
  const books = reconcileBooks(input);
  const changed = (h: Pick<Heal, 'record' | 'key'>) =>
    (h.record === 'order' && input.changedSince.orders.has(h.key)) ||
    (h.record === 'trade' && input.changedSince.trades.has(h.key)) ||
    (h.record === 'position' && input.changedSince.positions.has(h.key));
  const withheld = new Set(books.heals.filter(changed).map((h) => h.id));
  const heals = books.heals.filter((h) => !withheld.has(h.id));
  const discrepancies = books.discrepancies.map((d) =>
    d.heal !== null && withheld.has(d.heal) ? { ...d, heal: null, unhealed: CHANGED_WHILE_READ } : d,
  );
  if (input.strategyId === undefined) discrepancies.push(...reconcileShares(input.shares, input.account));
  discrepancies.sort(byRecordKeyKind);
  return { discrepancies, heals, counts: countKinds(discrepancies) };
}

/** How a heal ended when the daemon carried it out. */
export type HealOutcome =
  | { ok: true }
  /** Not applied: som's copy had moved on (a fresher update), or the write failed. */
  | { ok: false; reason: string };

/** A discrepancy as the round reports it. */
export type RoundDiscrepancy = Discrepancy & {
  healed: boolean;
  /** What som changed to heal it, in words; null when not healed. */
  how: string | null;
};

export interface RoundReport {
  counts: Record<DiscrepancyKind, number>;
  discrepancies: RoundDiscrepancy[];
  healed: number;
  unhealed: number;
  /** Found in `escalate_after_rounds` consecutive rounds this round: raise the alert. */
  escalate: string[];
  /** Escalated earlier and still found. */
  open: string[];
  /** Tracked before and not found this round (escalated: an alert stands for it, resolve it). */
  resolved: { id: string; escalated: boolean }[];
  /** The persistence state to keep (null: a strategy's round, which leaves it alone). */
  persistence: Record<string, PersistenceEntry> | null;
}

export interface SettleInput {
  plan: Reconciliation;
  /** By heal id; a heal without an outcome was not carried out. */
  outcomes: ReadonlyMap<string, HealOutcome>;
  /** The share differences left after the adoption rule ran (reconcileShares again). */
  sharesAfter: readonly Discrepancy[];
  /** What the adoption rule moved during the round. */
  adoptions: readonly ShareAllocation[];
  /** The state kept from the previous full rounds; null for a strategy's round. */
  persistence: PersistenceState | null;
  at: string;
  escalateAfterRounds: number;
}

/** The round's report, once its heals were carried out (see the module comment). */
export function settleRound(input: SettleInput): RoundReport {
  const healsById = new Map(input.plan.heals.map((h) => [h.id, h]));
  const sharesLeft = new Set(input.sharesAfter.map((d) => d.key));
  const discrepancies = input.plan.discrepancies.map((d): RoundDiscrepancy => {
    if (d.record === 'shares') {
      if (sharesLeft.has(d.key)) return { ...d, healed: false, how: null };
      const moves = input.adoptions.filter((a) => `${a.exchange}:${a.tradingsymbol}:${a.product}` === d.key);
      return { ...d, heal: `shares:${d.key}`, unhealed: null, healed: true, how: describeAdoption(moves) };
    }
    if (d.heal === null) return { ...d, healed: false, how: null };
    const outcome = input.outcomes.get(d.heal);
    const heal = healsById.get(d.heal);
    if (!outcome || !heal)
      return { ...d, heal: null, unhealed: d.unhealed ?? 'not carried out', healed: false, how: null };
    if (!outcome.ok) return { ...d, heal: null, unhealed: outcome.reason, healed: false, how: null };
    return { ...d, healed: true, how: describeHeal(heal) };
  });
  const healed = discrepancies.filter((d) => d.healed).length;
  const base = {
    counts: input.plan.counts,
    discrepancies,
    healed,
    unhealed: discrepancies.length - healed,
  };
  if (input.persistence === null) {
    return { ...base, escalate: [], open: [], resolved: [], persistence: null };
  }
  const tracked = trackPersistence(
    input.persistence,
    discrepancies.map((d) => d.id),
    input.at,
    input.escalateAfterRounds,
  );
  return {
    ...base,
    escalate: tracked.escalate,
    open: tracked.open,
    resolved: tracked.resolved,
    persistence: tracked.state,
  };
}

/** Discrepancies per kind, every kind present. */
export function countKinds(discrepancies: readonly Pick<Discrepancy, 'kind'>[]): Record<DiscrepancyKind, number> {
  const counts = Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])) as Record<DiscrepancyKind, number>;
  for (const d of discrepancies) counts[d.kind] += 1;
  return counts;
}

function changes(before: Fields | null, after: Fields | null): string {
  const names = Object.keys(after ?? before ?? {});
  return names.map((n) => `${n} ${String(before?.[n] ?? '-')} -> ${String(after?.[n] ?? '-')}`).join(', ');
}

/** What a heal changed, in words: "updated from the broker's order: status OPEN -> COMPLETE". */
export function describeHeal(heal: Heal): string {
  const what = { order: 'order', trade: 'fill', position: 'position', shares: 'shares' }[heal.record];
  switch (heal.action) {
    case 'adopt':
      return `adopted the broker's ${what}`;
    case 'update':
      return `updated from the broker's ${what}: ${changes(heal.before, heal.after)}`;
    case 'close':
      return heal.record === 'order'
        ? `closed as ${heal.row.status}: ${changes(heal.before, heal.after)}`
        : `closed: ${changes(heal.before, heal.after)}`;
    case 'remove':
      return `removed som's ${what}`;
  }
}

function describeAdoption(moves: readonly ShareAllocation[]): string {
  if (moves.length === 0) return 'the shares agree with the broker now (moved by a fill)';
  const parts = moves.map((m) => `${m.quantity > 0 ? '+' : ''}${m.quantity} to strategy ${m.strategy_id}`);
  return `adopted into the strategies' shares: ${parts.join(', ')}`;
}
