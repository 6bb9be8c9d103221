import { PROTOCOL_VERSION } from '../../src/protocol/jsonrpc.js';
import { probeStore } from '../../src/store/database.js';
import { instrumentCount, lastDownload } from '../../src/store/instruments.js';
import { VERSION } from '../../src/version.js';
import type { Handler } from './index.js';
import { limitView } from './risk.js';

const hello: Handler<'system.hello'> = async (_params, ctx) => ({
  version: VERSION,
  protocol: PROTOCOL_VERSION,
  mode: ctx.mode,
  startedAt: ctx.startedAt.toISOString(),
  pid: process.pid,
});

const status: Handler<'system.status'> = async (_params, ctx) => {
  const { path: configPath, loadedAt } = ctx.config();
  let store: Awaited<ReturnType<Handler<'system.status'>>>['store'];
  try {
    await probeStore(ctx.store.db);
    store = {
      ok: true,
      path: ctx.store.path,
      schemaVersion: ctx.store.schemaVersion(),
      sizeBytes: ctx.store.sizeBytes(),
    };
  } catch (err) {
    store = { ok: false, path: ctx.store.path, schemaVersion: 0, sizeBytes: 0, error: (err as Error).message };
  }
  const stats = ctx.stats();
  const download = await lastDownload(ctx.store.db);
  const risk = await ctx.risk.monitor.view();
  const headroom = (limits: readonly { headroom_pct: number }[]) =>
    limits.reduce((least, l) => Math.min(least, l.headroom_pct), 100);
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
    broker: { mode: ctx.mode, ...ctx.link.status() },
    instruments: {
      count: await instrumentCount(ctx.store.db),
      downloadedAt: download?.at ?? null,
      tradingDay: download?.tradingDay ?? null,
    },
    scheduler: { running: ctx.scheduler.running, jobs: ctx.scheduler.list() },
    risk: {
      account: {
        state: risk.account.state.state,
        reason: risk.account.state.reason,
        headroom_pct: headroom(risk.account.limits),
        limits: risk.account.limits.map(limitView),
      },
      strategies: risk.strategies.map((s) => ({
        strategy: s.strategy ?? '',
        state: s.state.state,
        reason: s.state.reason,
        headroom_pct: headroom(s.limits),
        limits: s.limits.map(limitView),
      })),
    },
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
