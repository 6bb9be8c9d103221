import { cleanupDeferral, type Deferral } from './cleanup-policy.js';
import { type OcoOverfill, ocoDecisions } from './oco.js';
import { indexPositions, isLive, orderPositionKey } from './order-facts.js';
import { detectOrphans } from './orphans.js';
import { type FirstSight, judgeRoles, type RoleJudgement } from './roles.js';
import type { HkOrder, HkPosition, HkSettings, OrphanCorrection, OrphanDetection } from './types.js';

/**
 * One housekeeping pass over the account, as a plan: the roles judged (again), the orphans,
 * what to do about each now and what waits, and the OCO groups whose legs both filled. Pure:
 * the daemon loads the state through src/store, calls this, writes the plan in one
 * transaction, then carries out the actions at the broker.
 */

/** Everything a pass looks at. */
export interface HousekeepingState {
  /** Open orders (and, for OCO groups with an open leg, their finished members). */
  orders: readonly HkOrder[];
  /** Active GTT legs judged protective (gtt.ts), as orders. */
  gttLegs: readonly HkOrder[];
  /** Every strategy's share of the position per instrument and product. */
  positions: readonly HkPosition[];
  settingsFor(strategyId: number): HkSettings;
  isExpired(exchange: string, tradingsymbol: string): boolean;
  /** Failed cleanup attempts so far, per order (or GTT leg) id. */
  retry(orderId: string): { attempts: number; nextAt: string | null };
  /** The market when an order is first judged (only exits need it). */
  firstSight(order: HkOrder): FirstSight;
  /**
   * True for an order on a position a square-off is exiting: the square-off cancels that
   * position's orders itself, so its orphans wait (reported, not acted on) until it is done.
   */
  squareOffHolds?(order: HkOrder): boolean;
}

/** What asked for the pass: an order update, a scheduled job, or the user. */
export type PassTrigger = 'event' | 'sweep' | 'user';

export interface PlanOptions {
  now: Date;
  trigger: PassTrigger;
  /** Only these strategies' orphans (a user's `--strategy`). */
  strategyId?: number | undefined;
  /** Act even where the strategy only reports (`som orphans cleanup --force`). */
  force?: boolean | undefined;
}

/** An orphan and what happens to it in this pass. */
export interface PlannedOrphan {
  detection: OrphanDetection;
  order: HkOrder;
  /** The correction to send now, or null when it is only reported or must wait. */
  act: OrphanCorrection | null;
  /** Why nothing is sent now although a correction is called for. */
  deferral: Deferral | null;
}

export interface HousekeepingPlan {
  roles: RoleJudgement[];
  orphans: PlannedOrphan[];
  overfills: OcoOverfill[];
  /** OCO groups with nothing left working: close them. */
  finishedGroups: number[];
}

/**
 * Judge roles, then orphans against the judged roles, then what to do now. An order judged
 * protective in this very pass is judged as an orphan in the same pass: a stop seen for the
 * first time after its position closed goes at once.
 */
export function planHousekeeping(state: HousekeepingState, options: PlanOptions): HousekeepingPlan {
  const roles = judgeAll(state);
  const judged = new Map(roles.map((r) => [r.order_id, r.role]));
  const orders = state.orders.map((o) => (judged.has(o.order_id) ? { ...o, role: judged.get(o.order_id)! } : o));
  const all = [...orders, ...state.gttLegs];
  let detections = detectOrphans({
    orders: all,
    positions: state.positions,
    settingsFor: state.settingsFor,
    isExpired: state.isExpired,
    now: options.now,
  });
  if (options.strategyId !== undefined) detections = detections.filter((d) => d.strategy_id === options.strategyId);
  const byId = new Map(all.map((o) => [o.order_id, o]));
  const orphans = detections.map((detection): PlannedOrphan => {
    const order = byId.get(detection.order_id)!;
    let correction: OrphanCorrection | null = detection.action.kind === 'report' ? null : detection.action;
    if (options.force && correction === null) correction = detection.proposed;
    if (correction === null) return { detection, order, act: null, deferral: null };
    if (state.squareOffHolds?.(order)) {
      return {
        detection,
        order,
        act: null,
        deferral: {
          kind: 'square-off',
          message: 'a square-off is exiting this position and cancels its orders itself',
        },
      };
    }
    const deferral = cleanupDeferral(order, state.retry(order.order_id), options.now, options.trigger);
    return { detection, order, act: deferral ? null : correction, deferral };
  });
  return { roles, orphans, overfills: overfillsOf(orders, state), finishedGroups: finishedGroupsOf(orders) };
}

/** Roles for every strategy's orders, group by group (strategy, instrument, product). */
function judgeAll(state: HousekeepingState): RoleJudgement[] {
  const positions = indexPositions(state.positions);
  const groups = new Map<string, HkOrder[]>();
  for (const o of state.orders) {
    const key = orderPositionKey(o);
    const list = groups.get(key);
    if (list) list.push(o);
    else groups.set(key, [o]);
  }
  const out: RoleJudgement[] = [];
  for (const [key, list] of groups) out.push(...judgeRoles(list, positions.get(key)?.quantity ?? 0, state.firstSight));
  return out;
}

/** OCO groups whose two legs filled past what they protected. */
function overfillsOf(orders: readonly HkOrder[], state: HousekeepingState): OcoOverfill[] {
  const positions = indexPositions(state.positions);
  const groups = new Map<number, HkOrder[]>();
  for (const o of orders) {
    if (o.oco_group_id === null) continue;
    const list = groups.get(o.oco_group_id);
    if (list) list.push(o);
    else groups.set(o.oco_group_id, [o]);
  }
  const out: OcoOverfill[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const position = positions.get(orderPositionKey(first)) ?? null;
    for (const d of ocoDecisions({ group, position, settings: state.settingsFor(first.strategy_id) })) {
      if (d.kind === 'overfill') out.push(d);
    }
  }
  return out;
}

/** OCO groups whose legs are all done (filled, cancelled or rejected). */
function finishedGroupsOf(orders: readonly HkOrder[]): number[] {
  const open = new Map<number, boolean>();
  for (const o of orders) {
    if (o.oco_group_id === null) continue;
    open.set(o.oco_group_id, (open.get(o.oco_group_id) ?? false) || isLive(o));
  }
  return [...open].filter(([, live]) => !live).map(([id]) => id);
}
