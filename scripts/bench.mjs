#!/usr/bin/env node
// npm run bench: speed and memory figures for BENCHMARKS.md. Benchmarks, not tests: they
// print numbers and fail only if something is broken. Run on an otherwise idle machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBooks } from './bench-books.mjs';
import { benchExecution } from './bench-execution.mjs';
import { benchExitToCancel, benchSweep } from './bench-housekeeping.mjs';
import { benchRisk } from './bench-risk.mjs';
import { benchTerminal } from './bench-terminal.mjs';
import { waitForSocket } from './wait-for-socket.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);

const results = [];
const record = (name, unit, samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  results.push({ name, unit, n: samples.length, median: pct(50), p99: pct(99) });
};

const dir = mkdtempSync(join(tmpdir(), 'som-bench-'));
const env = { ...process.env, SOM_HOME: join(dir, 'state'), SOM_SOCKET: join(dir, 'run', 'somd.sock'), NO_COLOR: '1' };
delete env.SOM_CONFIG;

// 1. somd in paper mode: start-up to a served socket, and its memory once up.
const t0 = performance.now();
const somd = spawn(process.execPath, [join(root, 'bin/somd'), '--paper', '--log-level', 'warn'], {
  env,
  stdio: 'ignore',
});
await waitForSocket(env.SOM_SOCKET, 400);
record('somd --paper start-up to socket ready', 'ms', [performance.now() - t0]);

try {
  // 2. Cold start of a plain command (node start, commander, socket, hello, status).
  const cold = [];
  for (let i = 0; i < 15; i++) {
    const s = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin/som'), 'status', '--json'], { env });
    if (r.status !== 0) throw new Error(`som status failed: ${r.stderr}`);
    cold.push(performance.now() - s);
  }
  record('som status --json, whole process', 'ms', cold);

  // 3. RPC round trip on one connection.
  const rtt = await roundTrips(env.SOM_SOCKET, 2000);
  record(
    'socket RPC round trip (system.hello)',
    'µs',
    rtt.map((ms) => ms * 1000),
  );

  const status = JSON.parse(spawnSync(process.execPath, [join(root, 'bin/som'), 'status', '--json'], { env }).stdout);
  const rss = readFileSync(`/proc/${somd.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1];
  if (rss) record('somd --paper resident memory (idle, 2,700 instruments)', 'MiB', [Number(rss) / 1024]);

  // 4. Paper exchange order round trip through the official client: place MARKET -> COMPLETE on the WebSocket.
  const { KiteConnect, KiteTicker } = await import('kiteconnect');
  const restRoot = status.paper.restRoot;
  const login = await fetch(`${restRoot}/connect/login?v=3&api_key=bench`, { redirect: 'manual' });
  const requestToken = new URL(login.headers.get('location')).searchParams.get('request_token');
  const kc = new KiteConnect({ api_key: 'bench', root: restRoot });
  const session = await kc.generateSession(requestToken, 'paper');
  kc.setAccessToken(session.access_token);
  const ticker = new KiteTicker({
    api_key: 'bench',
    access_token: session.access_token,
    root: status.paper.wsRoot,
    reconnect: false,
  });
  // The update can arrive before placeOrder's answer: remember completions either way.
  const waiting = new Map();
  const completedIds = new Set();
  ticker.on('order_update', (o) => {
    if (o.status !== 'COMPLETE') return;
    completedIds.add(o.order_id);
    waiting.get(o.order_id)?.();
  });
  await new Promise((r) => {
    ticker.on('connect', r);
    ticker.connect();
  });
  const place = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    let done;
    const completed = new Promise((r) => (done = r));
    const { order_id } = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'SBIN',
      transaction_type: i % 2 ? 'SELL' : 'BUY',
      quantity: 1,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    });
    waiting.set(order_id, done);
    if (completedIds.has(order_id)) done();
    await Promise.race([
      completed,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no COMPLETE update for ${order_id}`)), 5000)),
    ]);
    place.push(performance.now() - s);
    // Kite allows 10 orders a second; stay under it as a real client must.
    await new Promise((r) => setTimeout(r, 120 - Math.min(119, performance.now() - s)));
  }
  record('paper order: placeOrder -> COMPLETE update on WebSocket', 'ms', place);
  ticker.disconnect();
} finally {
  somd.kill('SIGTERM');
  await new Promise((r) => somd.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}

// 5. Tick encoding: one full-mode frame for 3,000 instruments (Kite's per-connection cap).
const { encodeTick } = await import(dist('src/paper/ticks/packet.js'));
const { encodeFrame } = await import(dist('src/paper/ticks/frame.js'));
const level = (p) => ({ price: p, quantity: 100, orders: 3 });
const tick = (token) => ({
  instrument_token: token,
  last_price: 1573.7,
  last_quantity: 7,
  average_price: 1570.37,
  volume: 1192471,
  buy_quantity: 256443,
  sell_quantity: 363009,
  ohlc: { open: 1569.15, high: 1575, low: 1561.05, close: 1567.8 },
  last_trade_time: new Date(),
  oi: 0,
  oi_day_high: 0,
  oi_day_low: 0,
  exchange_timestamp: new Date(),
  depth: {
    buy: [1, 2, 3, 4, 5].map((i) => level(1573 - i * 0.05)),
    sell: [1, 2, 3, 4, 5].map((i) => level(1573 + i * 0.05)),
  },
});
const ticks = Array.from({ length: 3000 }, (_, i) => tick(408065 + i * 256));
const enc = [];
for (let i = 0; i < 50; i++) {
  const s = performance.now();
  encodeFrame(ticks.map((t) => encodeTick(t, 'full')));
  enc.push(performance.now() - s);
}
record('encode one full-mode frame of 3,000 ticks', 'ms', enc);

// 5b. The paper exchange's market step (sync: the market to the clock, a quote to every instrument
// the engine has priced, resting orders matched, ticks out) on a busy paper day: 3,000 orders of
// the day over 20 stocks, filled, and 40 limit orders resting away from the market.
{
  const { PaperExchange } = await import(dist('src/paper/exchange.js'));
  const ex = await PaperExchange.start({
    seed: 5,
    clock: new Date('2026-11-25T10:00:00+05:30'),
    tickIntervalMs: 3_600_000,
    port: 0,
    rateLimits: false,
  });
  try {
    const stocks = ['RELIANCE', 'TCS', 'INFY', 'SBIN', 'ITC', 'HDFCBANK', 'ICICIBANK', 'LT', 'AXISBANK', 'KOTAKBANK'];
    const more = ['WIPRO', 'HCLTECH', 'MARUTI', 'TITAN', 'ONGC', 'NTPC', 'BHARTIARTL', 'ASIANPAINT', 'SUNPHARMA'];
    const symbols = [...stocks, ...more, 'BAJFINANCE'];
    const order = (symbol, extra) =>
      ex.engine.place('regular', {
        ...{ exchange: 'NSE', tradingsymbol: symbol, quantity: 1, product: 'MIS' },
        ...extra,
      });
    for (let i = 0; i < 3000; i++) {
      const side = i % 2 ? 'SELL' : 'BUY';
      const r = order(symbols[i % 20], { transaction_type: side, order_type: 'MARKET', market_protection: -1 });
      if (!r.ok) throw new Error(`paper step: ${r.error.message}`);
    }
    for (let i = 0; i < 40; i++) {
      const symbol = symbols[i % 20];
      const instrument = ex.resolve(`NSE:${symbol}`);
      const ltp = ex.market.ltp(instrument.instrument_token);
      const price = Math.round((ltp * 0.97) / instrument.tick_size) * instrument.tick_size;
      const r = order(symbol, { transaction_type: 'BUY', order_type: 'LIMIT', price: Number(price.toFixed(2)) });
      if (!r.ok) throw new Error(`paper step: ${r.error.message}`);
    }
    const steps = [];
    for (let i = 0; i < 520; i++) {
      ex.clock.advance(100);
      const s = performance.now();
      ex.sync();
      if (i >= 20) steps.push(performance.now() - s);
    }
    record('paper exchange market step: 3,000 orders of the day, 40 resting, 20 stocks', 'ms', steps);
  } finally {
    await ex.close();
  }
}

// 6. Housekeeping (scripts/bench-housekeeping.mjs): a hand exit's fill to som's cancels of the
// orphaned stop and target at the exchange (somd in kite mode against an in-process paper
// exchange, 200 runs), and a sweep over 10,000 open orders.
await benchExitToCancel({ root, record });
await benchSweep({ root, record });
await benchBooks({ root, record });

// 7. Smart execution (scripts/bench-execution.mjs): the analysis with the depth in memory, and
// som trade from the command's start to the order at the exchange.
await benchExecution({ root, record });

// 7. The terminal (scripts/bench-terminal.mjs): plain commands' cold start as a ratio of `node
// -e 0`, and an order's fill at the exchange to its line in `som events --json`.
await benchTerminal({ root, record });

// 7. Risk (scripts/bench-risk.mjs): the risk book's tick throughput with 200 positions; the
// square-off's and a fill's reads on a year of history; on a real somd (its store holding that
// year) against an in-process paper exchange, a breaching tick to the first exit at the
// exchange (200 runs), and squaring off 20 positions to all filled. `node scripts/bench-risk.mjs
// --all` runs these alone.
await benchRisk({ root, record });

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`machine: ${machine}`);
console.log('| benchmark | n | median | p99 |');
console.log('|---|---|---|---|');
for (const r of results) {
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  console.log(`| ${r.name} | ${r.n} | ${f(r.median)} ${r.unit} | ${f(r.p99)} ${r.unit} |`);
}

function roundTrips(path, n) {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const times = [];
    let buffer = '';
    let started = 0;
    const send = () => {
      started = performance.now();
      socket.write(`{"jsonrpc":"2.0","id":${times.length},"method":"system.hello"}\n`);
    };
    socket.setEncoding('utf8');
    socket.on('connect', send);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk;
      while (buffer.includes('\n')) {
        buffer = buffer.slice(buffer.indexOf('\n') + 1);
        times.push(performance.now() - started);
        if (times.length === n) {
          socket.destroy();
          resolve(times);
          return;
        }
        send();
      }
    });
  });
}
