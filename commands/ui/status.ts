import type { ResultOf } from '../../src/protocol/methods.js';
import { paint } from './color.js';
import { formatBytes, formatDuration, formatIst } from './format.js';
import { riskStatusLines } from './risk.js';
import { renderRecord } from './table.js';

/** `som status`: every part of somd with its state, failing ones in red. */
export function renderStatus(s: ResultOf<'system.status'>): string {
  const mark = (ok: boolean, text: string) => (ok ? paint.ok(text) : paint.bad(text));
  return renderRecord([
    ['somd', `${s.version} (protocol ${s.protocol}), pid ${s.pid}, ${s.mode} mode`],
    ['up', `${formatDuration(s.uptimeSeconds)} since ${formatIst(s.startedAt)}`],
    ['socket', s.socket],
    ['home', s.home],
    ['config', s.config.path ?? '(defaults: no config file)'],
    [
      'store',
      `${mark(s.store.ok, s.store.ok ? 'ok' : 'FAILING')}  ${s.store.path}, schema ${s.store.schemaVersion}, ${formatBytes(s.store.sizeBytes)}${s.store.error ? `: ${s.store.error}` : ''}`,
    ],
    ['broker', `${mark(s.broker.state === 'connected', s.broker.state)}  ${s.broker.mode}: ${s.broker.detail}`],
    [
      'session',
      `${mark(s.broker.session.state === 'valid', s.broker.session.state)}  ${s.broker.session.detail}${s.broker.session.expires_at ? ` (expires ${formatIst(s.broker.session.expires_at)})` : ''}`,
    ],
    [
      'orders',
      s.broker.placement.paused ? paint.bad(`paused: ${s.broker.placement.reason}`) : paint.ok('placement open'),
    ],
    ...s.broker.checks.map((c): [string, string] => [
      `  ${c.name}`,
      `${mark(c.ok, c.ok ? 'ok' : 'FAILING')}  ${c.detail} (${formatIst(c.at)})`,
    ]),
    [
      'feed',
      `${s.broker.ticker.state}, ${s.broker.ticker.subscribed} instruments, last tick ${formatIst(s.broker.ticker.lastTickAt)}, ${s.broker.ticker.reconnects} reconnects`,
    ],
    [
      'instruments',
      s.instruments.count
        ? `${s.instruments.count} (downloaded ${formatIst(s.instruments.downloadedAt)})`
        : 'none downloaded yet',
    ],
    ...(s.paper
      ? ([
          ['paper', `REST ${s.paper.restRoot}  WebSocket ${s.paper.wsRoot}`],
          [
            'market',
            `${formatIst(s.paper.now)} (speed ${s.paper.speed}x, seed ${s.paper.seed}, ${s.paper.instruments} instruments)`,
          ],
        ] as [string, string][])
      : []),
    [
      'scheduler',
      s.scheduler.jobs.length === 0
        ? 'no jobs'
        : s.scheduler.jobs.map((j) => `${j.name} (next ${formatIst(j.nextRunAt)})`).join(', '),
    ],
    ...(s.risk ? riskStatusLines(s.risk) : []),
    ['clients', `${s.connections} connected, ${s.requestsServed} requests served`],
  ]);
}
