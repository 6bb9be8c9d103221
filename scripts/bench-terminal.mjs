// Terminal benchmarks for npm run bench: the cold start of plain commands against a bare
// `node -e 0`, and how soon an order's fill at the exchange is a line of `som events --json`.
// Imported by scripts/bench.mjs; each function records its figures through `record`.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Wednesday 25 Nov 2026, 10:00 IST: a trading day, market open. */
const MARKET_TIME = new Date('2026-11-25T10:00:00+05:30');
const SYMBOLS = ['SBIN', 'ITC', 'HDFCBANK', 'ICICIBANK', 'AXISBANK', 'KOTAKBANK', 'LT', 'RELIANCE', 'INFY', 'TCS'];

function cleanEnv() {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const k of ['SOM_HOME', 'SOM_SOCKET', 'SOM_CONFIG', 'STATE_DIRECTORY', 'RUNTIME_DIRECTORY', 'XDG_CONFIG_HOME'])
    delete env[k];
  return env;
}

/**
 * Cold start: whole processes of `som status --json`, `som orders --json` and `som --help`
 * (somd in paper mode answering), each as a ratio of its median to a bare `node -e 0`'s,
 * measured in turn in the same rounds so that the machine's load falls on all alike. The goal
 * is at most 1.5 for each.
 */
export async function benchColdStart({ root, record, rounds = 21 }) {
  const dir = mkdtempSync(join(tmpdir(), 'som-bench-cold-'));
  // A preferences directory of its own: the user's `som config` must not change what is measured.
  const env = { ...cleanEnv(), SOM_HOME: join(dir, 'state'), SOM_SOCKET: join(dir, 'somd.sock'), XDG_CONFIG_HOME: dir };
  const somd = spawn(process.execPath, [join(root, 'bin/somd'), '--paper', '--log-level', 'warn'], {
    env,
    stdio: 'ignore',
  });
  try {
    await waitFor('somd', () => canConnect(env.SOM_SOCKET), 15_000);
    const runs = {
      'node -e 0': [process.execPath, ['-e', '0']],
      'som status --json': [process.execPath, [join(root, 'bin/som'), 'status', '--json']],
      'som orders --json': [process.execPath, [join(root, 'bin/som'), 'orders', '--json']],
      'som --help': [process.execPath, [join(root, 'bin/som'), '--help']],
    };
    const times = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
    for (let i = 0; i < rounds; i++) {
      for (const [name, [file, args]] of Object.entries(runs)) {
        const started = performance.now();
        const r = spawnSync(file, args, { env });
        if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
        times[name].push(performance.now() - started);
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const base = median(times['node -e 0']);
    record('cold start: node -e 0, whole process', 'ms', times['node -e 0']);
    for (const name of Object.keys(runs).slice(1)) {
      record(`cold start: ${name}, whole process`, 'ms', times[name]);
      record(`cold start: ${name} / node -e 0 (medians; goal at most 1.5)`, 'x', [median(times[name]) / base]);
    }
  } finally {
    somd.kill('SIGTERM');
    await new Promise((r) => somd.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An order's fill to its line in `som events --json`: the paper exchange runs in this process,
 * a real somd in kite mode points at it, and a real `som events --json` prints what somd
 * pushes. Each run places a MARKET order for 1 on "Kite web" (a second kiteconnect session);
 * the time runs from the matching engine's own COMPLETE event to the moment this process reads
 * the order's COMPLETE line from som's stdout. Runs are paced at Kite's 10 orders a second.
 */
export async function benchEventLatency({ root, record, runs = 100 }) {
  const dist = (p) => join(root, 'dist', p);
  const { PaperExchange } = await import(dist('src/paper/exchange.js'));
  const { KiteConnect } = await import('kiteconnect');
  const ex = await PaperExchange.start({
    seed: 5,
    clock: MARKET_TIME,
    tickIntervalMs: 1000,
    port: 0,
    rateLimits: false,
  });
  const dir = mkdtempSync(join(tmpdir(), 'som-bench-events-'));
  const home = join(dir, 'state');
  const socket = join(dir, 'somd.sock');
  const config = join(dir, 'config.toml');
  writeFileSync(
    config,
    [
      '[broker]',
      'mode = "kite"',
      'api_key = "benchsom"',
      `rest_root = "${ex.restRoot}"`,
      `ws_root = "${ex.wsRoot}"`,
      `login_url = "${ex.restRoot}/connect/login"`,
      '',
    ].join('\n'),
  );
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'kite_api_secret'), 'paper\n', { mode: 0o600 });
  const env = { ...cleanEnv(), XDG_CONFIG_HOME: dir };
  const somd = spawn(
    process.execPath,
    [join(root, 'bin/somd'), '--home', home, '--socket', socket, '--config', config, '--log-level', 'warn'],
    { env, stdio: 'ignore' },
  );
  let events;
  try {
    await waitFor('somd', () => canConnect(socket), 15_000);
    // Asynchronously: the exchange in this very process answers somd while som waits.
    const som = (args) =>
      new Promise((resolve) =>
        execFile(
          process.execPath,
          [join(root, 'bin/som'), '--socket', socket, ...args],
          { env },
          (err, stdout, stderr) => resolve({ ok: !err, stdout, stderr }),
        ),
      );
    const login = await som(['login', '--request-token', await requestToken(ex, 'benchsom')]);
    if (!login.ok) throw new Error(`som login failed: ${login.stderr}`);
    await waitFor(
      'somd connected',
      async () => JSON.parse((await som(['--json', 'status'])).stdout).broker.state === 'connected',
      20_000,
    );
    const web = new KiteConnect({ api_key: 'benchweb', root: ex.restRoot });
    web.setAccessToken((await web.generateSession(await requestToken(ex, 'benchweb'), 'paper')).access_token);

    const lines = new Map();
    let waiting = null;
    events = spawn(
      process.execPath,
      [join(root, 'bin/som'), '--socket', socket, '--json', 'events', '--topics', 'orders'],
      {
        env,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let buffer = '';
    let subscribed = false;
    events.stdout.setEncoding('utf8');
    events.stdout.on('data', (chunk) => {
      const at = performance.now();
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const e = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (e.type === 'subscribed') subscribed = true;
        if (e.type === 'order' && e.order.status === 'COMPLETE') {
          lines.set(e.order.order_id, at);
          waiting?.();
        }
      }
    });
    await waitFor('som events subscribed', async () => subscribed, 10_000);
    const fills = new Map();
    ex.engine.subscribe((e) => {
      if (e.order.status === 'COMPLETE') fills.set(e.order.order_id, performance.now());
    });
    const samples = [];
    for (let i = 0; i < runs + 1; i++) {
      const started = performance.now();
      const { order_id } = await web.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: SYMBOLS[i % SYMBOLS.length],
        transaction_type: Math.floor(i / SYMBOLS.length) % 2 ? 'SELL' : 'BUY',
        quantity: 1,
        product: 'MIS',
        order_type: 'MARKET',
        market_protection: -1,
      });
      while (!lines.has(order_id)) {
        await Promise.race([
          new Promise((r) => (waiting = r)),
          sleep(5000).then(() => {
            throw new Error(`no COMPLETE line for ${order_id}`);
          }),
        ]);
      }
      // The first run pays for the code's first run in somd and som: not counted.
      if (i > 0) samples.push(lines.get(order_id) - fills.get(order_id));
      await sleep(Math.max(0, 120 - (performance.now() - started)));
    }
    record('order fill at the exchange -> its line in som events --json', 'ms', samples);
  } finally {
    events?.kill('SIGINT');
    somd.kill('SIGTERM');
    await new Promise((r) => somd.once('exit', r));
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function requestToken(ex, apiKey) {
  const res = await fetch(`${ex.restRoot}/connect/login?v=3&api_key=${apiKey}`, { redirect: 'manual' });
  return new URL(res.headers.get('location')).searchParams.get('request_token');
}

async function waitFor(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    await sleep(40);
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

/** Both terminal benchmarks, as `npm run bench` runs them. */
export async function benchTerminal({ root, record }) {
  await benchColdStart({ root, record });
  await benchEventLatency({ root, record });
}
