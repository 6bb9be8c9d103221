import { readSettings, updateSettings } from '../../src/store/settings.js';
import { findStrategy } from '../../src/store/strategies.js';
import type { Handler } from './index.js';

const show: Handler<'settings.show'> = async ({ strategy }, ctx) => {
  const row = await findStrategy(ctx.store.db, strategy);
  return { strategy: row.name, settings: await readSettings(ctx.store.db, row.id) };
};

const update: Handler<'settings.update'> = async ({ strategy, settings: patch }, ctx) => {
  const row = await findStrategy(ctx.store.db, strategy);
  const { settings, changed } = await updateSettings(ctx.store.db, row.id, patch, ctx.clock.now());
  if (changed.length > 0) {
    await ctx.audit({ type: 'SETTINGS_UPDATED', strategyId: row.id, payload: { changed } });
    ctx.logger.info('settings.updated', { strategy: row.name, keys: changed.map((c) => c.key).join(',') });
    await ctx.risk.monitor.settingsChanged();
  }
  return { strategy: row.name, settings, changed };
};

export const settingsHandlers = { 'settings.show': show, 'settings.update': update };
