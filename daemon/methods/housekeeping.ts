import { validateOrderShape } from '../../src/domain/order-validation.js';
import { shareKey } from '../../src/domain/position-shares.js';
import { ocoPair } from '../../src/housekeeping/oco.js';
import { istDayStart } from '../../src/market/ist.js';
import { SomError } from '../../src/protocol/errors.js';
import { linkOcoPair, listHousekeepingEvents, loadOcoCandidates } from '../../src/store/housekeeping.js';
import { getInstrument } from '../../src/store/instruments.js';
import { orderViews } from '../../src/store/order-views.js';
import { countOrders } from '../../src/store/orders.js';
import { handledOrphans, orphanViews } from '../../src/store/orphan-views.js';
import { loadShares } from '../../src/store/position-shares.js';
import { findStrategy, strategyNames } from '../../src/store/strategies.js';
import type { DaemonContext } from '../context.js';
import type { Handler } from './index.js';

async function strategyIdOf(ctx: DaemonContext, ref: string | number | undefined): Promise<number | undefined> {
  return ref === undefined ? undefined : (await findStrategy(ctx.store.db, ref)).id;
}

/**
 * `som orphans`: the orphans open now, then today's that som already dealt with (their action
 * and its result), so the list says what was done too.
 */
const list: Handler<'orphans.list'> = async ({ strategy }, ctx) => {
  const strategyId = await strategyIdOf(ctx, strategy);
  const live = await orphanViews(ctx.store.db, await ctx.housekeeper.detect(strategyId));
  const done = await handledOrphans(ctx.store.db, {
    since: istDayStart(ctx.clock.now()).toISOString(),
    strategyId,
    except: new Set(live.map((o) => o.order_id)),
  });
  return { orphans: [...live, ...done] };
};

const cleanup: Handler<'orphans.cleanup'> = async ({ strategy, dryRun, force }, ctx) => {
  const result = await ctx.housekeeper.cleanup({ strategyId: await strategyIdOf(ctx, strategy), dryRun, force });
  return { orphans: await orphanViews(ctx.store.db, result.detections), actions: result.actions, dryRun };
};

const mark: Handler<'orphans.mark'> = async ({ order_id, note }, ctx) => {
  const { detection, action } = await ctx.housekeeper.markManual(order_id, note);
  const [orphan] = await orphanViews(ctx.store.db, [detection]);
  return { orphan: orphan!, result: action.result, action };
};

const link: Handler<'oco.link'> = async ({ orders: [a, b] }, ctx) => {
  const rows = await loadOcoCandidates(ctx.store.db, [a, b]);
  const [x, y] = [rows.find((r) => r.order_id === a), rows.find((r) => r.order_id === b)];
  for (const [id, row] of [
    [a, x],
    [b, y],
  ] as const) {
    if (!row) throw new SomError('NOT_FOUND', `no order ${id}; see \`som orders --open\``);
  }
  const pair = ocoPair(x!, y!);
  if ('error' in pair) throw new SomError('INVALID_INPUT', pair.error);
  const group = await linkOcoPair(
    ctx.store.db,
    { strategyId: pair.stop.strategy_id, stop: pair.stop.order_id, target: pair.target.order_id, by: 'user' },
    ctx.clock.now(),
  );
  // A leg may already have filled: apply the rules now.
  void ctx.housekeeper
    .sweep('oco-link')
    .catch((err) => ctx.logger.warn('housekeeping.sweep_failed', { error: (err as Error).message }));
  return { group, stop: pair.stop.order_id, target: pair.target.order_id };
};

const protect: Handler<'oco.protect'> = async (
  { strategy, exchange, tradingsymbol, product, stop, target, quantity },
  ctx,
) => {
  const s = await findStrategy(ctx.store.db, strategy ?? 'default');
  const instrument = await getInstrument(ctx.store.db, exchange.toUpperCase(), tradingsymbol.toUpperCase());
  if (!instrument) {
    throw new SomError(
      'NOT_FOUND',
      `no instrument ${exchange}:${tradingsymbol}; try \`som instruments search ${tradingsymbol}\``,
    );
  }
  const shares = await loadShares(ctx.store.db, { ...instrument, product });
  const position = shares.find((p) => p.strategy_id === s.id)?.quantity ?? 0;
  if (position === 0) {
    throw new SomError(
      'INVALID_INPUT',
      `strategy ${s.name} has no open ${product} position in ${instrument.exchange}:${instrument.tradingsymbol} to protect`,
    );
  }
  const qty = quantity ?? Math.abs(position);
  if (qty > Math.abs(position)) {
    throw new SomError('INVALID_INPUT', `quantity ${qty} is more than the open position of ${Math.abs(position)}`);
  }
  const side: 'BUY' | 'SELL' = position > 0 ? 'SELL' : 'BUY';
  if (side === 'SELL' ? !(stop < target) : !(stop > target)) {
    throw new SomError(
      'INVALID_INPUT',
      `for a ${position > 0 ? 'long' : 'short'} position the stop must be ${side === 'SELL' ? 'below' : 'above'} the target`,
    );
  }
  const base = {
    variety: 'regular' as const,
    exchange: instrument.exchange,
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
  const group = await linkOcoPair(
    ctx.store.db,
    { strategyId: s.id, stop: stopOrder.orderId, target: targetOrder.orderId, by: 'som' },
    ctx.clock.now(),
  );
  const views = await orderViews(ctx.store.db, { limit: 2, orderIds: [stopOrder.orderId, targetOrder.orderId] });
  return {
    group,
    stop_order_id: stopOrder.orderId,
    target_order_id: targetOrder.orderId,
    stop: views.find((v) => v.order_id === stopOrder.orderId) ?? null,
    target: views.find((v) => v.order_id === targetOrder.orderId) ?? null,
  };
};

/** `som reconcile`: re-read the account now; each strategy's share before and after, and the orphans. */
const reconcile: Handler<'reconcile.strategy'> = async ({ strategy }, ctx) => {
  const { db } = ctx.store;
  const strategyId = await strategyIdOf(ctx, strategy);
  const names = await strategyNames(db);
  const before = await loadShares(db);
  const ordersBefore = await countOrders(db);
  await ctx.link.account.refresh();
  await ctx.link.account.idle();
  const after = await loadShares(db);
  const rows = new Map<
    string,
    { strategy_id: number; exchange: string; tradingsymbol: string; product: string; before: number; after: number }
  >();
  for (const p of before) rows.set(shareKey(p), { ...p, before: p.quantity, after: 0 });
  for (const p of after) rows.set(shareKey(p), { ...p, before: rows.get(shareKey(p))?.before ?? 0, after: p.quantity });
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
    orders: { before: ordersBefore, after: await countOrders(db) },
    orphans: await orphanViews(
      db,
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
