import { sideSign } from './order-facts.js';
import type { HkOrder } from './types.js';

/**
 * GTT triggers as protective orders. A GTT waits at the broker (for up to a year) and places
 * its order when the last price touches a trigger; many traders protect CNC holdings and NRML
 * positions with one. som judges each active GTT's legs as it judges orders, and an orphaned
 * GTT is deleted (a two-leg GTT as a whole: Kite deletes both legs together), an excessive one
 * modified to the quantity it can protect.
 */

/** What som keeps of an active GTT (the store's `gtts` row). */
export interface GttView {
  gtt_id: number;
  strategy_id: number;
  type: 'single' | 'two-leg';
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  transaction_type: 'BUY' | 'SELL';
  quantity: number;
  trigger_values: readonly number[];
  /** The last price when the trigger was set. */
  last_price: number;
  /** Each leg's role, lower trigger first. */
  roles: readonly GttLegRole[];
  /** ISO instant of creation or last modification. */
  updated_at: string | null;
}

export type GttLegRole = 'stop' | 'target' | 'entry';

/**
 * The roles of a GTT's legs against the strategy's share of the position (signed).
 * A GTT on the side of the position, or with none, opens or adds: every leg an `entry` (a buy
 * above the market is a breakout entry). A GTT on the other side protects it: a leg whose
 * trigger is on the losing side of the price when it was set is a `stop` (a SELL below, a BUY
 * above), the other a `target`. A two-leg GTT is Kite's OCO: lower trigger first.
 */
export function judgeGttLegs(
  gtt: Pick<GttView, 'transaction_type' | 'trigger_values' | 'last_price' | 'quantity'>,
  share: number,
): { roles: GttLegRole[]; reason: string } {
  const what = `GTT ${gtt.transaction_type} ${gtt.quantity} at ${gtt.trigger_values.join(' / ')}`;
  if (share === 0 || Math.sign(share) === sideSign(gtt.transaction_type)) {
    const held = share === 0 ? 'no position' : `a ${share > 0 ? 'long' : 'short'} position of ${Math.abs(share)}`;
    return { roles: gtt.trigger_values.map(() => 'entry'), reason: `${what} with ${held}: opens or adds` };
  }
  const roles = gtt.trigger_values.map((t): GttLegRole => {
    const losing = gtt.transaction_type === 'SELL' ? t < gtt.last_price : t > gtt.last_price;
    return losing ? 'stop' : 'target';
  });
  return {
    roles,
    reason: `${what} (price ${gtt.last_price} when set) against a ${share > 0 ? 'long' : 'short'} position of ${Math.abs(share)}: ${roles.join(' and ')}`,
  };
}

/** The id an orphan detection and `som orphans` use for a GTT leg. */
export function gttLegId(gttId: number, leg: number): string {
  return `gtt:${gttId}:${leg}`;
}

/** The GTT a leg id names, or null for an order id. */
export function parseGttLegId(id: string): { gttId: number; leg: 0 | 1 } | null {
  const m = /^gtt:(\d+):([01])$/.exec(id);
  return m ? { gttId: Number(m[1]), leg: m[2] === '1' ? 1 : 0 } : null;
}

/** An active GTT's protective legs as the orphan rules see orders (entries are left out). */
export function gttLegsAsOrders(gtt: GttView): HkOrder[] {
  const out: HkOrder[] = [];
  gtt.trigger_values.forEach((trigger, leg) => {
    const role = gtt.roles[leg];
    if (role !== 'stop' && role !== 'target') return;
    out.push({
      order_id: gttLegId(gtt.gtt_id, leg),
      strategy_id: gtt.strategy_id,
      source: 'external',
      exchange: gtt.exchange,
      tradingsymbol: gtt.tradingsymbol,
      instrument_token: gtt.instrument_token,
      product: gtt.product,
      transaction_type: gtt.transaction_type,
      order_type: 'GTT',
      variety: 'gtt',
      status: 'TRIGGER PENDING',
      quantity: gtt.quantity,
      filled_quantity: 0,
      pending_quantity: gtt.quantity,
      price: 0,
      trigger_price: trigger,
      average_price: 0,
      order_timestamp: gtt.updated_at,
      role,
      oco_group_id: null,
      parent_position_id: null,
      gtt: { id: gtt.gtt_id, type: gtt.type, leg: leg === 1 ? 1 : 0 },
    });
  });
  return out;
}

/** What som already holds of a GTT (the store's row). */
export interface StoredGtt {
  gtt_id: number;
  strategy_id: number;
  status: string;
  roles: readonly GttLegRole[];
  updated_at: string | null;
}

/** A GTT as the broker now describes it (src/broker/broker.ts `BrokerGtt`, the parts read here). */
export interface SeenGtt {
  id: number;
  type: 'single' | 'two-leg';
  status: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  trigger_values: readonly number[];
  last_price: number;
  orders: readonly { transaction_type: 'BUY' | 'SELL'; quantity: number; product: string }[];
  updated_at: string | null;
}

/** A GTT row to write: the broker's description with som's judgement. */
export interface GttWrite extends GttView {
  status: string;
  role_reason: string;
  created: boolean;
}

/**
 * Fold the broker's list of GTTs into what som holds: a GTT first seen is attributed to a
 * strategy (`attribute`, as an order placed elsewhere is) and its legs judged against that
 * strategy's share (`shareOf`); an active GTT whose legs were all entries is judged again (a
 * position may have appeared under it); a protective judgement stays. A GTT som holds as
 * active that the broker no longer lists as active is written with the broker's status, or
 * `deleted` when it is gone.
 */
export function planGttSync(input: {
  seen: readonly SeenGtt[];
  stored: readonly StoredGtt[];
  attribute(gtt: SeenGtt): number;
  shareOf(strategyId: number, gtt: SeenGtt): number;
}): { writes: GttWrite[]; gone: number[] } {
  const stored = new Map(input.stored.map((g) => [g.gtt_id, g]));
  const writes: GttWrite[] = [];
  for (const g of input.seen) {
    const first = g.orders[0];
    if (!first) continue;
    const held = stored.get(g.id);
    const strategyId = held?.strategy_id ?? input.attribute(g);
    const view = {
      type: g.type,
      exchange: g.exchange,
      tradingsymbol: g.tradingsymbol,
      instrument_token: g.instrument_token,
      product: first.product,
      transaction_type: first.transaction_type,
      quantity: first.quantity,
      trigger_values: g.trigger_values,
      last_price: g.last_price,
    };
    const settled = held?.roles.some((r) => r !== 'entry') ?? false;
    const judged = settled || g.status !== 'active' ? null : judgeGttLegs(view, input.shareOf(strategyId, g));
    const unchanged =
      held !== undefined && held.status === g.status && held.updated_at === g.updated_at && judged === null;
    if (unchanged) continue;
    writes.push({
      ...view,
      gtt_id: g.id,
      strategy_id: strategyId,
      status: g.status,
      roles: judged?.roles ?? held?.roles ?? g.trigger_values.map(() => 'entry'),
      role_reason: judged?.reason ?? '',
      updated_at: g.updated_at,
      created: held === undefined,
    });
  }
  const listed = new Set(input.seen.map((g) => g.id));
  const gone = input.stored.filter((g) => g.status === 'active' && !listed.has(g.gtt_id)).map((g) => g.gtt_id);
  return { writes, gone };
}
