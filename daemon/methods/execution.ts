import { NO_CHANNEL } from '../client-channel.js';
import type { DaemonContext } from '../context.js';
import type { CostsOf } from '../execution/execution-desk.js';
import { costHandlers } from './costs.js';
import type { Handler } from './index.js';

/** A basket's charges and margin, as `som costs` works them out, for a trade about to go out. */
const costsOf =
  (ctx: DaemonContext): CostsOf =>
  (instruments, strategyId) =>
    costHandlers['costs.calculate']({ instruments, strategy: strategyId, margin: true }, ctx, NO_CHANNEL);

const analyze: Handler<'execution.analyze'> = (params, ctx) => ctx.execution.analyze(params);
const validateSpread: Handler<'execution.validateSpread'> = (params, ctx) => ctx.execution.validateSpread(params);
const estimateImpact: Handler<'execution.estimateImpact'> = (params, ctx) => ctx.execution.estimateImpact(params);
const trade: Handler<'orders.trade'> = (params, ctx) => ctx.execution.trade(params, costsOf(ctx));
const respond: Handler<'alerts.respond'> = (params, ctx) => ctx.execution.respond(params, costsOf(ctx));
const report: Handler<'execution.report'> = (params, ctx) => ctx.execution.report(params);

export const executionHandlers = {
  'execution.analyze': analyze,
  'execution.validateSpread': validateSpread,
  'execution.estimateImpact': estimateImpact,
  'orders.trade': trade,
  'alerts.respond': respond,
  'execution.report': report,
};
