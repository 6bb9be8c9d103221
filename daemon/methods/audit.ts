import { listAudit } from '../../src/store/audit.js';
import { findStrategy } from '../../src/store/strategies.js';
import type { Handler } from './index.js';

const list: Handler<'audit.list'> = async ({ strategy, orderId, type, since, limit }, ctx) => {
  const strategyId = strategy === undefined ? undefined : (await findStrategy(ctx.store.db, strategy)).id;
  return { events: await listAudit(ctx.store.db, { strategyId, orderId, type, since, limit }) };
};

export const auditHandlers = { 'audit.list': list };
