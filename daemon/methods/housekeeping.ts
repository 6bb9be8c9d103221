import { TERMINAL_STATUSES } from '../../src/domain/order.js';
import { validateOrderShape } from '../../src/domain/order-validation.js';
import type { OrphanDetection } from '../../src/housekeeping/types.js';
import { istDayStart } from '../../src/market/ist.js';
import { SomError } from '../../src/protocol/errors.js';
import type { OrphanView } from '../../src/protocol/methods/housekeeping.js';
import { createOcoGroup, listHousekeepingEvents } from '../../src/store/housekeeping.js';
import { getInstrument } from '../../src/store/instruments.js';
import { orderViews } from '../../src/store/order-views.js';
import { findStrategy } from '../../src/store/strategies.js';
import type { DaemonContext } from '../context.js';
import { loadHkState } from '../housekeeping/state.js';
import type { Handler } from './index.js';

const STOP_TYPES = new Set(['SL', 'SL-M']);

async function strategyIdOf(ctx: DaemonContext, ref: string | number | undefined): Promise<number | undefined> {
  return ref === undefined ? undefined : (await findStrategy(ctx.store.db, ref)).id;
}

/** The order columns an orphan's view shows. */
const VIEW_COLUMNS = [
  'o.order_id',
  's.name as strategy',
  'o.exchange',
  'o.tradingsymbol',
  'o.transaction_type',
  'o.quantity',
  'o.pending_quantity',
  'o.order_type',
  'o.role',
  'o.orphaned_reason',
  'o.parent_position_id',
  'o.orphan_detected_at',
  'o.orphan_action',
  'o.status',
] as const;

function orphanRows(ctx: DaemonContext) {
  return ctx.store.db
    .selectFrom('orders as o')
    .innerJoin('strategies as s', 's.id', 'o.strategy_id')
    .select(VIEW_COLUMNS);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof orphanRows>['execute']>>[number];

/** An orphan as `som orphans` shows it: the order's own fields, and why and what. */
function orphanView(
  r: ViewRow,
  why: Pick<OrphanView, 'reason' | 'parent_position_id' | 'detected_at' | 'action' | 'explanation'>,
): OrphanView {
  return {
    order_id: r.order_id,
    strategy: r.strategy,
    exchange: r.exchange,
    tradingsymbol: r.tradingsymbol,
    side: r.transaction_type,
    quantity: r.quantity,
    pending_quantity: r.pending_quantity,
    order_type: r.order_type,
    role: r.role,
    ...why,
  };
}

async function toViews(ctx: DaemonContext, detections: readonly OrphanDetection[]): Promise<OrphanView[]> {
  if (detections.length === 0) return [];
  const rows = await orphanRows(ctx)
    .where(
      'o.order_id',
      'in',
      detections.map((d) => d.order_id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.order_id, r]));
  return detections.flatMap((d) => {
    const r = byId.get(d.order_id);
    if (!r) return [];
    const action = d.action.kind === 'reduce' ? `reduce to ${d.action.quantity}` : d.action.kind;
    return [
      orphanView(r, {
        reason: d.reason,
        parent_position_id: d.parent_position_id,
        detected_at: r.orphan_detected_at ?? d.detected_at,
        action: r.orphan_action ?? action,
        explanation: d.explanation,
      }),
    ];
  });
}

/**
 * `som orphans`: the orphans open now, then today's that som already dealt with (their
 * action and its result from the housekeeping log), so the list says what was done too.
 */
const list: Handler<'orphans.list'> = async ({ strategy }, ctx) => {
  const strategyId = await strategyIdOf(ctx, strategy);
  const live = await toViews(ctx, await ctx.housekeeper.detect(strategyId));
  const now = ctx.clock.now();
  const dayStart = istDayStart(now).toISOString();
  let q = orphanRows(ctx).where('o.is_orphaned', '=', 1).where('o.orphan_detected_at', '>=', dayStart);
  if (strategyId !== undefined) q = q.where('o.strategy_id', '=', strategyId);
  const seen = new Set(live.map((o) => o.order_id));
  const handled = (await q.orderBy('o.orphan_detected_at', 'desc').execute()).filter((r) => !seen.has(r.order_id));
  const results = new Map<string, string>();
  if (handled.length > 0) {
    const events = await ctx.store.db
      .selectFrom('housekeeping_events')
      .select(['order_id', 'result'])
      .where(
        'order_id',
        'in',
        handled.map((r) => r.order_id),
      )
      .orderBy('id')
      .execute();
    for (const e of events) if (e.order_id) results.set(e.order_id, e.result);
  }
  const done = handled.map((r) =>
    orphanView(r, {
      reason: (r.orphaned_reason ?? 'MANUAL') as OrphanView['reason'],
      parent_position_id: r.parent_position_id,
      detected_at: r.orphan_detected_at!,
      action: `${r.orphan_action ?? 'report'}: ${results.get(r.order_id) ?? r.status.toLowerCase()}`,
      explanation: `now ${r.status}`,
    }),
  );
  return { orphans: [...live, ...done] };
};

const cleanup: Handler<'orphans.cleanup'> = async ({ strategy, dryRun, force }, ctx) => {
  const result = await ctx.housekeeper.cleanup({ strategyId: await strategyIdOf(ctx, strategy), dryRun, force });
  return { orphans: await toViews(ctx, result.detections), actions: result.actions, dryRun };
};

const mark: Handler<'orphans.mark'> = async ({ order_id, note }, ctx) => {
  const { detection, result } = await ctx.housekeeper.markManual(order_id, note);
  const [orphan] = await toViews(ctx, [detection]);
  return { orphan: orphan!, result };
};

const link: Handler<'oco.link'> = async ({ orders: [a, b] }, ctx) => {
  if (a === b) throw new SomError('INVALID_INPUT', 'an OCO pair needs two different orders');
  const rows = await ctx.store.db.selectFrom('orders').selectAll().where('order_id', 'in', [a, b]).execute();
  for (const id of [a, b])
    if (!rows.some((r) => r.order_id === id))
      throw new SomError('NOT_FOUND', `no order ${id}; see \`som orders --open\``);
  const [x, y] = [rows.find((r) => r.order_id === a)!, rows.find((r) => r.order_id === b)!];
  for (const o of [x, y]) {
    if (TERMINAL_STATUSES.has(o.status))
      throw new SomError('INVALID_INPUT', `order ${o.order_id} is ${o.status}: only open orders can be linked`);
    if (o.oco_group_id !== null)
      throw new SomError('INVALID_INPUT', `order ${o.order_id} is already in OCO group ${o.oco_group_id}`);
  }
  if (x.exchange !== y.exchange || x.tradingsymbol !== y.tradingsymbol || x.product !== y.product) {
    throw new SomError(
      'INVALID_INPUT',
      `orders ${a} and ${b} are on different instruments or products: an OCO pair protects one position`,
    );
  }
  if (x.transaction_type !== y.transaction_type)
    throw new SomError(
      'INVALID_INPUT',
      `orders ${a} and ${b} are on opposite sides: an OCO pair is two exits on the same side`,
    );
  if (x.strategy_id !== y.strategy_id)
    throw new SomError('INVALID_INPUT', `orders ${a} and ${b} belong to different strategies`);
  const stop = [x, y].find((o) => STOP_TYPES.has(o.order_type));
  const target = [x, y].find((o) => o.order_type === 'LIMIT');
  if (!stop || !target || stop === target)
    throw new SomError('INVALID_INPUT', 'an OCO pair is one stop (SL or SL-M) and one target (LIMIT)');
  const now = ctx.clock.now();
  const group = await createOcoGroup(ctx.store.db, x.strategy_id, [a, b], 'user', now);
  await ctx.store.db
    .updateTable('orders')
    .set({ role: 'stop', role_reason: 'linked by the user as the stop of an OCO pair' })
    .where('order_id', '=', stop.order_id)
    .execute();
  await ctx.store.db
    .updateTable('orders')
    .set({ role: 'target', role_reason: 'linked by the user as the target of an OCO pair' })
    .where('order_id', '=', target.order_id)
    .execute();
  await ctx.audit({
    type: 'OCO_LINKED',
    strategyId: x.strategy_id,
    payload: { group, stop: stop.order_id, target: target.order_id, by: 'user' },
  });
  // A leg may already have filled: apply the rules now.
  void ctx.housekeeper.sweep('oco-link');
  return { group, stop: stop.order_id, target: target.order_id };
};

const protect: Handler<'oco.protect'> = async (
  { strategy, exchange, tradingsymbol, product, stop, target, quantity },
  ctx,
) => {
  const s = await findStrategy(ctx.store.db, strategy ?? 'default');
  const instrument = await getInstrument(ctx.store.db, exchange.toUpperCase(), tradingsymbol.toUpperCase());
  if (!instrument)
    throw new SomError(
      'NOT_FOUND',
      `no instrument ${exchange}:${tradingsymbol}; try \`som instruments search ${tradingsymbol}\``,
    );
  const state = await loadHkState(ctx.store.db, ctx.clock.now(), {
    exchange: instrument.exchange,
    tradingsymbol: instrument.tradingsymbol,
  });
  const position = state.positions.find((p) => p.strategy_id === s.id && p.product === product)?.quantity ?? 0;
  if (position === 0)
    throw new SomError(
      'INVALID_INPUT',
      `strategy ${s.name} has no open ${product} position in ${exchange}:${tradingsymbol} to protect`,
    );
  const qty = quantity ?? Math.abs(position);
  if (qty > Math.abs(position))
    throw new SomError('INVALID_INPUT', `quantity ${qty} is more than the open position of ${Math.abs(position)}`);
  const side: 'BUY' | 'SELL' = position > 0 ? 'SELL' : 'BUY';
  if (side === 'SELL' ? !(stop < target) : !(stop > target)) {
    throw new SomError(
      'INVALID_INPUT',
      `for a ${position > 0 ? 'long' : 'short'} position the stop must be ${side === 'SELL' ? 'below' : 'above'} the target`,
    );
  }
  const base = {
    variety: 'regular' as const,
    exchange: instrument.exchange as 'NSE',
    tradingsymbol: instrument.tradingsymbol,
    transaction_type: side,
    product,
    quantity: qty,
    validity: 'DAY' as const,
  };
  const stopRequest = { ...base, order_type: 'SL-M' as const, trigger_price: stop, market_protection: -1 };
  const targetRequest = { ...base, order_type: 'LIMIT' as const, price: target };
  const problems = [...validateOrderShape(stopRequest, instrument), ...validateOrderShape(targetRequest, instrument)];
  if (problems.length > 0) throw new SomError('INVALID_INPUT', problems.map((p) => p.message).join('; '), { problems });
  const stopOrder = await ctx.link.desk.place(s.id, stopRequest);
  let targetOrder: { orderId: string };
  try {
    targetOrder = await ctx.link.desk.place(s.id, targetRequest);
  } catch (err) {
    // Without its target the stop still protects the position: keep it, say what failed.
    throw new SomError(
      'BROKER_ERROR',
      `the stop ${stopOrder.orderId} was placed, but the target failed: ${(err as Error).message}`,
    );
  }
  const { db } = ctx.store;
  const group = await createOcoGroup(db, s.id, [stopOrder.orderId, targetOrder.orderId], 'som', ctx.clock.now());
  await db
    .updateTable('orders')
    .set({ role: 'stop', role_reason: 'placed by som as the stop of an OCO pair' })
    .where('order_id', '=', stopOrder.orderId)
    .execute();
  await db
    .updateTable('orders')
    .set({ role: 'target', role_reason: 'placed by som as the target of an OCO pair' })
    .where('order_id', '=', targetOrder.orderId)
    .execute();
  await ctx.audit({
    type: 'OCO_LINKED',
    strategyId: s.id,
    payload: { group, stop: stopOrder.orderId, target: targetOrder.orderId, by: 'som' },
  });
  const views = await orderViews(db, { limit: 2, orderIds: [stopOrder.orderId, targetOrder.orderId] });
  return {
    group,
    stop_order_id: stopOrder.orderId,
    target_order_id: targetOrder.orderId,
    stop: views.find((v) => v.order_id === stopOrder.orderId) ?? null,
    target: views.find((v) => v.order_id === targetOrder.orderId) ?? null,
  };
};

const reconcile: Handler<'reconcile.strategy'> = async ({ strategy }, ctx) => {
  const strategyId = await strategyIdOf(ctx, strategy);
  const names = new Map(
    (await ctx.store.db.selectFrom('strategies').select(['id', 'name']).execute()).map((r) => [r.id, r.name]),
  );
  const count = async () =>
    Number(
      (
        await ctx.store.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await loadHkState(ctx.store.db, ctx.clock.now());
  const ordersBefore = await count();
  await ctx.link.account.refresh();
  await ctx.link.account.idle();
  const after = await loadHkState(ctx.store.db, ctx.clock.now());
  const key = (p: { strategy_id: number; exchange: string; tradingsymbol: string; product: string }) =>
    `${p.strategy_id}|${p.exchange}|${p.tradingsymbol}|${p.product}`;
  const rows = new Map<
    string,
    { strategy_id: number; exchange: string; tradingsymbol: string; product: string; before: number; after: number }
  >();
  for (const p of before.positions) rows.set(key(p), { ...p, before: p.quantity, after: 0 });
  for (const p of after.positions) rows.set(key(p), { ...p, before: rows.get(key(p))?.before ?? 0, after: p.quantity });
  const swept = await ctx.housekeeper.sweep('reconcile');
  const positions = [...rows.values()]
    .filter((r) => strategyId === undefined || r.strategy_id === strategyId)
    .filter((r) => r.before !== 0 || r.after !== 0)
    .map((r) => ({
      strategy: names.get(r.strategy_id) ?? String(r.strategy_id),
      exchange: r.exchange,
      tradingsymbol: r.tradingsymbol,
      product: r.product,
      before: r.before,
      after: r.after,
    }));
  return {
    positions,
    orders: { before: ordersBefore, after: await count() },
    orphans: await toViews(
      ctx,
      swept.detections.filter((d) => strategyId === undefined || d.strategy_id === strategyId),
    ),
  };
};

const logs: Handler<'admin.logs'> = async ({ job, since, limit }, ctx) => ({
  events: await listHousekeepingEvents(ctx.store.db, { job, since, limit }),
});

export const housekeepingHandlers = {
  'orphans.list': list,
  'orphans.cleanup': cleanup,
  'orphans.mark': mark,
  'oco.link': link,
  'oco.protect': protect,
  'reconcile.strategy': reconcile,
  'admin.logs': logs,
};
