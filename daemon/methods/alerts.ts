import { SomError } from '../../src/protocol/errors.js';
import { getAlert, listAlerts, markRead } from '../../src/store/alerts.js';
import type { Handler } from './index.js';

const list: Handler<'alerts.list'> = async ({ all, limit }, ctx) => ({
  alerts: await listAlerts(ctx.store.db, { openOnly: !all, limit }),
});

const read: Handler<'alerts.markRead'> = async ({ id }, ctx) => {
  const alert = (await markRead(ctx.store.db, id, ctx.clock.now())) ? await getAlert(ctx.store.db, id) : undefined;
  if (!alert) throw new SomError('NOT_FOUND', `no alert ${id}; see \`som alerts --all\``);
  return { alert };
};

export const alertHandlers = { 'alerts.list': list, 'alerts.markRead': read };
