import { validateOrderShape } from '../../src/domain/order-validation.js';
import { SomError } from '../../src/protocol/errors.js';
import { getInstrument } from '../../src/store/instruments.js';
import { orderViews, positionViews } from '../../src/store/order-views.js';
import { findStrategy } from '../../src/store/strategies.js';
import type { DaemonContext } from '../context.js';
import type { Handler } from './index.js';
import { searchHint } from './instruments.js';

async function view(ctx: DaemonContext, orderId: string) {
  return (await orderViews(ctx.store.db, { orderId, limit: 1 }))[0] ?? null;
}

const list: Handler<'orders.list'> = async ({ open, strategy, limit }, ctx) => {
  const strategyId = strategy === undefined ? undefined : (await findStrategy(ctx.store.db, strategy)).id;
  return {
    orders: await orderViews(ctx.store.db, { open, limit, ...(strategyId !== undefined ? { strategyId } : {}) }),
  };
};

const show: Handler<'orders.show'> = async ({ order_id }, ctx) => {
  const order = await view(ctx, order_id);
  if (!order) throw new SomError('NOT_FOUND', `no order ${order_id}; see \`som orders\``);
  return { order };
};

/** Kite's automatic market protection, used for MARKET and SL-M orders unless the user sets one. */
const AUTO_MARKET_PROTECTION = -1;

const place: Handler<'orders.place'> = async ({ strategy, ...params }, ctx) => {
  const needsProtection = params.order_type === 'MARKET' || params.order_type === 'SL-M';
  if (!needsProtection && params.market_protection !== undefined) {
    throw new SomError(
      'INVALID_INPUT',
      `market protection applies to MARKET and SL-M orders, not ${params.order_type}`,
    );
  }
  const request = needsProtection
    ? { ...params, market_protection: params.market_protection ?? AUTO_MARKET_PROTECTION }
    : params;
  const s = await findStrategy(ctx.store.db, strategy ?? 'default');
  const blocked = ctx.link.placementBlocked();
  if (blocked) throw new SomError('BROKER_UNAVAILABLE', `order placement is paused: ${blocked}`);
  const instrument = await getInstrument(ctx.store.db, request.exchange, request.tradingsymbol);
  if (!instrument) {
    throw new SomError(
      'NOT_FOUND',
      `no instrument ${request.exchange}:${request.tradingsymbol}; try \`som instruments search ${searchHint(request.tradingsymbol)}\``,
    );
  }
  const problems = validateOrderShape(request, instrument);
  if (problems.length > 0) {
    throw new SomError('INVALID_INPUT', problems.map((p) => p.message).join('; '), { problems });
  }
  const { orderId, tag, recovered } = await ctx.link.desk.place(s.id, request);
  ctx.logger.info('order.placed', { orderId, tag, strategy: s.name, recovered });
  return { order_id: orderId, tag, strategy: s.name, recovered, order: await view(ctx, orderId) };
};

const modify: Handler<'orders.modify'> = async ({ order_id, ...changes }, ctx) => {
  await ctx.link.desk.modify(order_id, changes);
  return { order_id, order: await view(ctx, order_id) };
};

const cancel: Handler<'orders.cancel'> = async ({ order_id }, ctx) => {
  await ctx.link.desk.cancel(order_id);
  return { order_id, order: await view(ctx, order_id) };
};

const positions: Handler<'positions.list'> = async ({ all }, ctx) => ({
  positions: await positionViews(ctx.store.db, all),
});

export const orderHandlers = {
  'orders.list': list,
  'orders.show': show,
  'orders.place': place,
  'orders.modify': modify,
  'orders.cancel': cancel,
  'positions.list': positions,
};
