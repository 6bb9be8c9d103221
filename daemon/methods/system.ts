import { PROTOCOL_VERSION } from '../../src/protocol/jsonrpc.js';
import { VERSION } from '../../src/version.js';
import type { Handler } from './index.js';

const hello: Handler<'system.hello'> = async (_params, ctx) => ({
  version: VERSION,
  protocol: PROTOCOL_VERSION,
  mode: ctx.mode,
  startedAt: ctx.startedAt.toISOString(),
  pid: process.pid,
});

const status: Handler<'system.status'> = async (_params, ctx) => {
  const { config, path: configPath, loadedAt } = ctx.config();
  let store: Awaited<ReturnType<Handler<'system.status'>>>['store'];
  try {
    await ctx.store.db.selectFrom('strategies').select('id').limit(1).execute();
    store = { ok: true, path: ctx.store.path, schemaVersion: ctx.store.schemaVersion(), sizeBytes: ctx.store.sizeBytes() };
  } catch (err) {
    store = { ok: false, path: ctx.store.path, schemaVersion: 0, sizeBytes: 0, error: (err as Error).message };
  }
  const stats = ctx.stats();
  return {
    version: VERSION,
    protocol: PROTOCOL_VERSION,
    mode: ctx.mode,
    pid: process.pid,
    startedAt: ctx.startedAt.toISOString(),
    uptimeSeconds: (Date.now() - ctx.startedAt.getTime()) / 1000,
    now: ctx.clock.now().toISOString(),
    socket: ctx.paths.socketPath,
    home: ctx.paths.home,
    config: { path: configPath, loadedAt: loadedAt.toISOString() },
    store,
    broker: {
      mode: ctx.mode,
      // The broker adapter (orders, positions, ticks through kiteconnect) is the next step;
      // until it lands the daemon says plainly that it holds no broker connection.
      state: ctx.mode === 'kite' && !config.broker.api_key ? 'not_configured' : 'disconnected',
      detail: ctx.paper ? `paper exchange serving at ${ctx.paper.restRoot}; somd does not trade through it yet` : 'no broker link in this version of somd',
    },
    scheduler: { running: false, jobs: [] },
    connections: stats.connections,
    requestsServed: stats.requestsServed,
    ...(ctx.paper
      ? {
          paper: {
            restRoot: ctx.paper.restRoot,
            wsRoot: ctx.paper.wsRoot,
            now: ctx.paper.clock.now().toISOString(),
            speed: ctx.paper.clock.speed,
            seed: ctx.paper.seed,
            instruments: ctx.paper.instruments.length,
          },
        }
      : {}),
  };
};

export const systemHandlers = { 'system.hello': hello, 'system.status': status };
