// Smart execution, on the built dist (npx tsc -p tsconfig.json):
// - the analysis with the depth in memory: spread, impact, liquidity, price bands, limit price and
//   the decision, 10,000 runs;
// - `som trade` on a liquid instrument, from the command's start to the order at the exchange,
//   100 runs (a real somd in kite mode against an in-process paper exchange).
//   node scripts/bench-execution.mjs
// Also importable: benchExecution({ root, record }) runs both and records through `record`.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const AT = new Date('2026-11-25T10:00:00+05:30');

/** Five levels a side a tick apart from `best`. */
function side(best, direction, quantities, tick = 0.05) {
  const start = Math.round(best / tick);
  return quantities.map((quantity, i) => ({
    price: Number(((start + direction * i) * tick).toFixed(2)),
    quantity,
    orders: 1 + (quantity % 7),
  }));
}

function book(bid, ask, bids, asks, extra = {}) {
  return {
    depth: { buy: side(bid, -1, bids), sell: side(ask, 1, asks) },
    last_price: bid,
    tick_size: 0.05,
    lot_size: 75,
    multiplier: 1,
    instrument_class: 'index_options',
    volume: 2_500_000,
    oi: 4_000_000,
    at: AT,
    source: 'ticks',
    ...extra,
  };
}

/**
 * Three books in turn, so that every branch is on the clock: a liquid one the touch fills
 * (EXECUTE_MARKET), one the order walks three levels of (EXECUTE_LIMIT), and one too thin for
 * the order (REQUIRE_APPROVAL). BUY 1,500 (20 lots of 75), default profile settings.
 */
function books() {
  return [
    book(119.95, 120.05, [1500, 2250, 3000, 1500, 3000], [3000, 2250, 3000, 1500, 3000]),
    book(119.95, 120.05, [1500, 2250, 3000, 1500, 3000], [600, 450, 900, 1500, 3000]),
    book(99.5, 100.5, [75, 150, 0, 0, 0], [150, 300, 225, 0, 0], { volume: null, oi: 20_000 }),
  ];
}

const SETTINGS = {
  max_order_spread_pct: 0.5,
  min_liquidity_score: 60,
  require_user_approval_high_impact: true,
  max_market_impact_bps: 50,
};

export async function benchAnalysis({ root, record, runs = 10_000 }) {
  const { analyzeExecution } = await import(pathToFileURL(join(root, 'dist/src/execution/analyze.js')).href);
  const snapshots = books();
  const run = (i) => analyzeExecution({ snapshot: snapshots[i % 3], side: 'BUY', quantity: 1500, settings: SETTINGS });
  const decisions = snapshots.map((_, i) => run(i).decision);
  if (decisions.join() !== 'EXECUTE_MARKET,EXECUTE_LIMIT,REQUIRE_APPROVAL') {
    throw new Error(`unexpected decisions: ${decisions.join(', ')}`);
  }
  for (let i = 0; i < 2000; i++) run(i); // warm up the JIT
  const samples = new Array(runs);
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  record('execution analysis, depth in memory', 'µs', samples);
  return samples;
}

/** Wednesday 25 Nov 2026, 10:00 IST: the paper market is open. */
const MARKET_TIME = new Date('2026-11-25T10:00:00+05:30');
const SOM_KEY = 'benchtrade';
const SECRET = 'paper';

/**
 * `som trade NSE:SBIN --side BUY|SELL --qty 1 --product MIS --yes --json`, each run a new som
 * process, from just before it is spawned to the matching engine's first event for its order
 * (PUT ORDER REQ RECEIVED: the order is at the exchange), both instants on this process's
 * monotonic clock. In between: node's start, the CLI, the socket, somd's analysis (depth from the
 * live feed, streamed every 500 ms as Kite streams about once a second), the costs and the
 * basket margin (a broker call), the intent and the order. Sides alternate so the position stays
 * flat; every run must end with exit 0 and a MARKET decision.
 */
export async function benchTrade({ root, record, runs = 100 }) {
  const dist = (p) => join(root, 'dist', p);
  const { PaperExchange } = await import(pathToFileURL(dist('src/paper/exchange.js')).href);
  const ex = await PaperExchange.start({
    seed: 12,
    clock: MARKET_TIME,
    tickIntervalMs: 500,
    port: 0,
    rateLimits: false,
  });
  const dir = mkdtempSync(join(tmpdir(), 'som-bench-trade-'));
  const home = join(dir, 'state');
  const socket = join(dir, 'run', 'somd.sock');
  const config = join(dir, 'config.toml');
  writeFileSync(
    config,
    [
      '[broker]',
      'mode = "kite"',
      `api_key = "${SOM_KEY}"`,
      `rest_root = "${ex.restRoot}"`,
      `ws_root = "${ex.wsRoot}"`,
      `login_url = "${ex.restRoot}/connect/login"`,
      '',
    ].join('\n'),
  );
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'kite_api_secret'), `${SECRET}\n`, { mode: 0o600 });
  const env = { ...process.env, NO_COLOR: '1' };
  for (const k of ['SOM_HOME', 'SOM_SOCKET', 'SOM_CONFIG', 'STATE_DIRECTORY', 'RUNTIME_DIRECTORY']) delete env[k];
  let stderr = '';
  const somd = spawn(
    process.execPath,
    [join(root, 'bin/somd'), '--home', home, '--socket', socket, '--config', config, '--log-level', 'warn'],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  somd.stderr.on('data', (d) => (stderr += d.toString()));
  const exited = new Promise((r) => somd.once('exit', r));
  const som = (args) => runNode(join(root, 'bin/som'), ['--socket', socket, '--json', ...args], env);
  try {
    await waitFor('somd socket', () => canConnect(socket), 10_000);
    const login = await som(['login', '--request-token', await requestToken(ex, SOM_KEY)]);
    if (login.code !== 0) throw new Error(`som login failed: ${login.stderr}`);
    await waitFor(
      'somd connected with instruments',
      async () => {
        const s = JSON.parse((await som(['status'])).stdout);
        return s.broker.state === 'connected' && s.instruments.count > 0;
      },
      20_000,
    );
    // A strategy whose own risk limits leave room for the runs: a hundred round trips of one
    // share cost their spreads and charges, which the default loss limit (10% of the margin of
    // one share) would soon halt.
    await som(['strategies', 'create', 'bench']);
    const limits = ['max_orders_per_minute=1000', 'max_loss_per_strategy_pct=100'];
    const set = await som(['settings', 'set', ...limits, '--strategy', 'bench']);
    if (set.code !== 0) throw new Error(`som settings set failed: ${set.stderr}`);

    let arrived = null;
    ex.engine.subscribe((event) => {
      if (event.status === 'PUT ORDER REQ RECEIVED' && event.order.tradingsymbol === 'SBIN')
        arrived?.(performance.now());
    });
    const samples = [];
    for (let i = -3; i < runs; i++) {
      const atExchange = new Promise((resolve) => {
        arrived = resolve;
      });
      const start = performance.now();
      const side = i % 2 === 0 ? 'BUY' : 'SELL';
      const run = som([
        'trade',
        'NSE:SBIN',
        '--side',
        side,
        '--qty',
        '1',
        '--product',
        'MIS',
        '--strategy',
        'bench',
        '--yes',
      ]);
      const at = await Promise.race([
        atExchange,
        run.then((r) => {
          throw new Error(`no order reached the exchange (exit ${r.code}): ${r.stderr}${r.stdout}`);
        }),
      ]);
      const r = await run;
      const doc = JSON.parse(r.stdout);
      if (r.code !== 0 || doc.legs[0].analysis.decision !== 'EXECUTE_MARKET') {
        throw new Error(`run ${i}: exit ${r.code}, ${doc.legs?.[0]?.analysis?.decision}: ${r.stderr}`);
      }
      arrived = null;
      if (i >= 0) samples.push(at - start);
    }
    record('som trade (liquid, MARKET): command start to the order at the exchange', 'ms', samples);
    return samples;
  } catch (err) {
    throw new Error(`${err.message}\n${stderr}`);
  } finally {
    somd.kill('SIGTERM');
    await exited;
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both benchmarks of smart execution. */
export async function benchExecution({ root, record }) {
  await benchAnalysis({ root, record });
  await benchTrade({ root, record });
}

async function requestToken(ex, apiKey) {
  const res = await fetch(`${ex.restRoot}/connect/login?v=3&api_key=${apiKey}`, { redirect: 'manual' });
  return new URL(res.headers.get('location')).searchParams.get('request_token');
}

async function waitFor(what, probe, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function canConnect(path) {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function runNode(script, args, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { env }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  await benchExecution({
    root,
    record: (name, unit, samples) => {
      const sorted = [...samples].sort((a, b) => a - b);
      const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
      const f = (x) => x.toFixed(1);
      console.log(
        `${name}, ${sorted.length} runs: median ${f(at(50))} ${unit}, p99 ${f(at(99))} ${unit}, max ${f(sorted.at(-1))} ${unit}`,
      );
    },
  });
}
