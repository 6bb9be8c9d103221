import { createStrategy, getStrategyWithSettings, listStrategies } from '../../src/store/strategies.js';
import type { Handler } from './index.js';

const list: Handler<'strategies.list'> = async (_params, ctx) => ({ strategies: await listStrategies(ctx.store.db) });

const create: Handler<'strategies.create'> = async ({ name, profile }, ctx) => {
  const row = await createStrategy(ctx.store.db, name, profile, ctx.clock.now());
  const strategy = await getStrategyWithSettings(ctx.store.db, row.id);
  await ctx.audit({
    type: 'STRATEGY_CREATED',
    strategyId: row.id,
    payload: { name, profile, settings: strategy.settings },
  });
  ctx.logger.info('strategy.created', { name, profile });
  return { strategy };
};

const show: Handler<'strategies.show'> = async ({ strategy }, ctx) => ({
  strategy: await getStrategyWithSettings(ctx.store.db, strategy),
});

export const strategyHandlers = { 'strategies.list': list, 'strategies.create': create, 'strategies.show': show };
