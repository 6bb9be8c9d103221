#!/usr/bin/env node
// Risk benchmarks for npm run bench (`benchRisk`), and alone: `node scripts/bench-risk.mjs` (the
// book's throughput only) or `node scripts/bench-risk.mjs --all` (every risk row):
// - risk evaluation throughput: ticks a second through the risk book (src/risk/book.ts) with
//   200 positions, each tick updating its holders' P&L and checking their loss limits and the
//   account's daily loss (goal: at least 100,000 ticks a second on one core);
// - on a store holding a year of fills and square-offs, the reads a square-off plans a position
//   on and a fill's risk reload of one instrument (these tables only grow);
// - from the breaching tick to the first exit order at the exchange (goal: p99 under 20 ms);
// - squaring off 20 positions to all filled (goal: within 2.2 s; Kite's 10 orders a second make
//   about 2 s the floor).
// The last two run a real somd (kite mode), on a store holding that year, against a paper
// exchange in a fresh node process (`--live RUNS` runs them alone and prints their samples).
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * 200 positions: 20 strategies of 10 positions each over 150 instruments (50 of them held by
 * two strategies, as a hedge and its strategy share the account's net position), limits loose
 * enough that ticks rarely cross a level, as on a normal day. Ticks walk each instrument's
 * price by whole ticks, round-robin over the instruments, as a full-mode feed delivers them.
 */
export async function benchRiskTicks({ ticks = 2_000_000, warmup = 200_000 } = {}) {
  const { RiskBook } = await import(pathToFileURL(join(root, 'dist/src/risk/book.js')).href);
  const book = new RiskBook({ warn_pct: 80, max_daily_loss: 10_000_000 });
  let seed = 1;
  const random = () => {
    // xorshift32: the same book and the same ticks on every run.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const instruments = 150;
  const prices = Array.from({ length: instruments }, () => 100 + Math.floor(random() * 2000));
  for (let s = 1; s <= 20; s++) {
    book.setStrategy(s, { charges: 0, max_loss_abs: 5_000_000, max_loss_pct: 10, margin_basis: 0 });
  }
  for (let i = 0; i < 200; i++) {
    const strategy = (i % 20) + 1;
    const instrument = i < 150 ? i : (i - 150) * 3;
    const price = prices[instrument];
    book.setPosition({
      strategy_id: strategy,
      instrument_token: 1000 + instrument,
      exchange: 'NFO',
      tradingsymbol: `SYM${instrument}`,
      product: 'NRML',
      quantity: (random() < 0.5 ? -1 : 1) * 65 * (1 + Math.floor(random() * 10)),
      average_price: price,
      multiplier: 1,
      last_price: price,
      realised: 0,
    });
  }
  const steps = Float64Array.from({ length: 4096 }, () => (Math.floor(random() * 5) - 2) * 0.05);
  let changes = 0;
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      const k = i % instruments;
      prices[k] = Math.max(0.05, prices[k] + steps[i & 4095]);
      changes += book.tick(1000 + k, prices[k]).length;
    }
  };
  run(warmup);
  const start = process.hrtime.bigint();
  run(ticks);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    positions: 200,
    ticks,
    seconds,
    ticksPerSecond: ticks / seconds,
    nsPerTick: (seconds * 1e9) / ticks,
    changes,
  };
}

/** The trading day the risk benches run on: Wednesday 25 Nov 2026, 10:00 IST, market open. */
const MARKET_TIME = new Date('2026-11-25T10:00:00+05:30');

/**
 * A year of trading before `MARKET_TIME`, written into a store: 100,000 allocations (400 fills
 * a day over 250 days and 300 symbols) and 2,500 finished square-offs with 5,000 exits, under
 * a strategy of their own. These tables only grow; what reads them must find its rows by
 * index, not by reading the year.
 */
async function seedHistory(db) {
  const day = MARKET_TIME.getTime();
  const iso = (ms) => new Date(ms).toISOString();
  const { id: strategy } = await db
    .insertInto('strategies')
    .values({ name: 'history', profile: 'default', created_at: iso(day - 365 * 86_400_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const symbols = Array.from({ length: 300 }, (_, i) => (i < STOCKS.length ? STOCKS[i] : `SYM${i}`));
  await db.transaction().execute(async (trx) => {
    for (let d = 250; d >= 1; d--) {
      const rows = Array.from({ length: 400 }, (_, i) => ({
        at: iso(day - d * 86_400_000 + i * 50_000),
        strategy_id: strategy,
        exchange: 'NSE',
        tradingsymbol: symbols[(d * 400 + i) % symbols.length],
        product: 'MIS',
        quantity: i % 2 === 0 ? 10 : -10,
        price: 100,
        order_id: `h${d}-${i}`,
        reason: 'own',
        explanation: 'history',
      }));
      for (let at = 0; at < rows.length; at += 80) {
        await trx
          .insertInto('position_allocations')
          .values(rows.slice(at, at + 80))
          .execute();
      }
    }
    for (let r = 0; r < 2500; r++) {
      const started = iso(day - (r + 1) * 8_640_000);
      const { id } = await trx
        .insertInto('square_off_runs')
        .values({
          strategy_id: strategy,
          cause: 'loss_limit',
          started_at: started,
          escalate_at: started,
          status: 'done',
          finished_at: started,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('square_off_exits')
        .values(
          [0, 1].map((k) => ({
            tag: `h${r}x${k}`,
            run_id: id,
            strategy_id: strategy,
            exchange: 'NSE',
            tradingsymbol: symbols[(r * 2 + k) % symbols.length],
            product: 'MIS',
            transaction_type: 'SELL',
            order_type: 'LIMIT',
            quantity: 10,
            price: 100,
            state: 'sent',
            created_at: started,
            updated_at: started,
          })),
        )
        .execute();
    }
  });
  return strategy;
}

/**
 * On a store with a year of history (`seedHistory`), the reads a square-off plans each
 * position on, and a fill's risk update of one instrument (its moves of the day and the day's
 * charges). Milliseconds per read, `reads` reads.
 */
export async function benchHistoryReads({ root: base = root, reads = 200 } = {}) {
  const load = (p) => import(pathToFileURL(join(base, 'dist', p)).href);
  const { openStore } = await load('src/store/database.js');
  const { loadRunPosition } = await load('src/store/square-off.js');
  const { loadSharesForPnl, chargesByStrategy } = await load('src/store/risk-book.js');
  const dir = mkdtempSync(join(tmpdir(), 'som-bench-history-'));
  const store = await openStore(join(dir, 'som.db'));
  try {
    const { db } = store;
    const strategy = await seedHistory(db);
    const at = MARKET_TIME.toISOString();
    const run = {
      id: 0,
      strategy_id: strategy,
      cause: 'loss_limit',
      products: null,
      exchanges: null,
      started_at: at,
      escalate_at: at,
      status: 'running',
      finished_at: null,
      note: null,
    };
    const where = { exchange: 'NSE', tradingsymbol: 'SBIN', product: 'MIS' };
    const since = new Date(MARKET_TIME.getTime() - 10 * 3_600_000).toISOString();
    const plan = [];
    const fill = [];
    for (let i = 0; i < reads + 20; i++) {
      let t = performance.now();
      await loadRunPosition(db, run, where);
      if (i >= 20) plan.push(performance.now() - t);
      t = performance.now();
      await loadSharesForPnl(db, since, { exchange: 'NSE', tradingsymbol: 'SBIN' });
      await chargesByStrategy(db, '2026-11-25');
      if (i >= 20) fill.push(performance.now() - t);
    }
    return { plan, fill };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Liquid NSE stocks of the paper exchange. */
const STOCKS = [
  'SBIN',
  'ITC',
  'INFY',
  'TCS',
  'RELIANCE',
  'HDFCBANK',
  'ICICIBANK',
  'AXISBANK',
  'KOTAKBANK',
  'LT',
  'BHARTIARTL',
  'HINDUNILVR',
  'MARUTI',
  'TATASTEEL',
  'WIPRO',
  'HCLTECH',
  'SUNPHARMA',
  'NTPC',
  'POWERGRID',
  'ONGC',
];
const SOM_KEY = 'benchrisk';
const SECRET = 'paper';
/** Each position is worth about this much, so that a 3% move loses more than the bench's loss limit. */
const NOTIONAL = 5000;
const LOSS_LIMIT = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Every risk figure of npm run bench: the book's throughput (5 runs of a million ticks) and the
 * reads on a year of history in this process, then the live rows ({@link benchRiskLive}) in a
 * node process of their own.
 */
export async function benchRisk({ root, record, runs = 200 }) {
  const ticks = [];
  for (let i = 0; i < 5; i++) ticks.push((await benchRiskTicks({ ticks: 1_000_000, warmup: 200_000 })).ticksPerSecond);
  record('risk book: ticks through 200 positions (loss limits checked)', 'ticks/s', ticks);
  const history = await benchHistoryReads({ root });
  record("a year's history (100,000 fills): a square-off's read of one position", 'ms', history.plan);
  record("a year's history (100,000 fills): a fill's risk reload of one instrument", 'ms', history.fill);
  const live = await liveInChild(root, runs);
  record('breaching tick -> first exit order at the exchange', 'ms', live.breach);
  record('square-off of 20 positions: halt --flatten -> every exit filled', 'ms', live.squareOff);
}

/**
 * The live rows run in a fresh node process. The paper exchange shares the process that drives
 * the runs, and its answer times are part of every figure: a heap left large by the benchmarks
 * before (a million-tick book, a year of history) made that process pause for several
 * milliseconds in the middle of runs, time no exchange spends on som's orders.
 */
function liveInChild(base, runs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--live', String(runs)], {
      cwd: base,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`the live risk benchmark exited with ${code}`));
      else resolve(JSON.parse(last));
    });
  });
}

/**
 * On a real somd against a paper exchange in this process and a store holding a year of
 * history: `runs` breaches, then 5 square-offs of 20 positions. Each breach leaves a halted,
 * flat strategy behind; the runs stay as fast as the first because a flat strategy costs the
 * broker link nothing.
 */
export async function benchRiskLive({ root, runs = 200 }) {
  const out = { breach: [], squareOff: [] };
  const dist = (p) => join(root, 'dist', p);
  const { PaperExchange } = await import(pathToFileURL(dist('src/paper/exchange.js')).href);
  // The market moves only when this script says: ticks go out on its own sync() calls.
  const ex = await PaperExchange.start({
    seed: 12,
    clock: MARKET_TIME,
    tickIntervalMs: 3_600_000,
    port: 0,
    rateLimits: false,
  });
  const dir = mkdtempSync(join(tmpdir(), 'som-bench-risk-'));
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
      // The exchange shares this process, which is busy driving the runs: a slow health probe
      // here is the benchmark's own load, and must not pause placement mid-run.
      'max_api_latency_ms = 60000',
      '',
      '[housekeeping]',
      'sweep_schedule = "0 0 1 1 *"',
      'aging_schedule = "0 0 1 1 *"',
      '',
      '[risk]',
      'max_daily_loss = 10000000',
      'max_orders_per_minute = 400',
      '',
    ].join('\n'),
  );
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // somd starts on a store with a year of history, as a trader's does after a year of use.
  const { openStore } = await import(pathToFileURL(dist('src/store/database.js')).href);
  const seeded = await openStore(join(home, 'som.db'));
  await seedHistory(seeded.db);
  await seeded.close();
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
  let rpc;
  try {
    await waitFor('somd socket', () => canConnect(socket), 10_000);
    rpc = await RpcClient.open(socket);
    const login = await runNode(
      join(root, 'bin/som'),
      ['--socket', socket, '--json', 'login', '--request-token', await requestToken(ex, SOM_KEY)],
      env,
    );
    if (login.code !== 0) throw new Error(`som login failed: ${login.stderr}`);
    await waitFor(
      'somd connected with instruments',
      async () => {
        const s = await rpc.call('system.status');
        return s.broker.state === 'connected' && s.instruments.count > 0;
      },
      20_000,
    );
    // The exchange's own order events, on this process's clock.
    const events = [];
    const watchers = new Set();
    ex.engine.subscribe((e) => {
      const event = { at: performance.now(), order: e.order, status: e.status };
      events.push(event);
      for (const w of watchers) w(event);
    });
    // The first event from `from` on that `matches`, as the exchange emits it. No polling: on a
    // two-core machine a timer waking this process every millisecond takes a core from somd.
    const nextEvent = (what, from, matches, timeoutMs) =>
      new Promise((resolve, reject) => {
        const done = (event) => {
          watchers.delete(watch);
          clearTimeout(timer);
          resolve(event);
        };
        const watch = (event) => matches(event) && done(event);
        const timer = setTimeout(() => {
          watchers.delete(watch);
          reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs);
        const seen = events.slice(from).find(matches);
        if (seen) done(seen);
        else watchers.add(watch);
      });
    const place = (strategy, symbol, side, quantity) =>
      rpc.call('orders.place', {
        exchange: 'NSE',
        tradingsymbol: symbol,
        transaction_type: side,
        order_type: 'MARKET',
        product: 'MIS',
        quantity,
        strategy,
      });
    const quantityOf = (symbol) =>
      Math.max(1, Math.ceil(NOTIONAL / ex.market.ltp(ex.resolve(`NSE:${symbol}`).instrument_token)));
    const completed = (orderId) => events.some((e) => e.order.order_id === orderId && e.status === 'COMPLETE');

    // 1. A breach to the first exit at the exchange. Each run: a strategy of its own (a
    // loss-limit halt lasts the day), a position worth about 5,000, then its price moved 3%
    // against it in one step; the clock starts as the exchange is told to emit that tick.
    const breach = out.breach;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const symbol = STOCKS[i % 10];
      const long = Math.floor(i / 10) % 2 === 0;
      const name = `b${i}`;
      await rpc.call('strategies.create', { name, profile: 'default' });
      await rpc.call('settings.update', {
        strategy: name,
        settings: {
          max_loss_per_strategy_abs: LOSS_LIMIT,
          max_loss_per_strategy_pct: 100,
          auto_square_off_on_loss_limit: true,
        },
      });
      const entry = await place(name, symbol, long ? 'BUY' : 'SELL', quantityOf(symbol));
      await waitFor('entry filled', () => completed(entry.order_id), 5000, 5);
      // The fill's bookkeeping (shares, positions, the margin it blocks) settles first.
      await sleep(800);
      const token = ex.resolve(`NSE:${symbol}`).instrument_token;
      const ltp = ex.market.ltp(token);
      const price = Math.round((ltp * (long ? 0.97 : 1.03)) / 0.05) * 0.05;
      const error = ex.market.setPricePath(token, [{ at: 1000, price: Number(price.toFixed(2)) }]);
      if (error) throw new Error(error.message);
      ex.clock.advance(1000);
      const from = events.length;
      // sync() brings the market to the clock and writes the ticks to the WebSocket last: the
      // clock starts as the breaching tick has left the exchange.
      ex.sync();
      const t0 = performance.now();
      const exitSide = long ? 'SELL' : 'BUY';
      const first = await nextEvent(
        `the exit of run ${i}`,
        from,
        (e) =>
          e.order.tradingsymbol === symbol &&
          e.order.transaction_type === exitSide &&
          (e.order.tag ?? '').startsWith('so'),
        5000,
      );
      breach.push(first.at - t0);
      stderr = '';
      await waitFor('the exit filled', () => completed(first.order.order_id), 5000, 5);
      // Kite's 400 order requests a minute: two a run, a run at most every 400 ms.
      await sleep(Math.max(0, 400 - (performance.now() - started)));
    }

    // 2. Twenty positions squared off: from `halt --flatten` to every exit filled. The market
    // runs now (the exchange brings it to its clock every 50 ms), as a live one does: the
    // breach runs above have used up the books they traded.
    const market = setInterval(() => ex.sync(), 50);
    await rpc.call('strategies.create', { name: 'twenty', profile: 'default' });
    await rpc.call('settings.update', { strategy: 'twenty', settings: { max_orders_per_minute: 400 } });
    const squareOff = out.squareOff;
    for (let run = 0; run < 5; run++) {
      const entries = [];
      for (const symbol of STOCKS) entries.push(await place('twenty', symbol, 'BUY', quantityOf(symbol)));
      await waitFor('twenty entries filled', () => entries.every((e) => completed(e.order_id)), 10_000, 5);
      // Out of the entries' rate window, and their bookkeeping done.
      await sleep(2000);
      const from = events.length;
      const t0 = performance.now();
      await rpc.call('risk.halt', { strategy: 'twenty', flatten: true });
      let last = 0;
      await waitFor(
        'twenty exits filled',
        () => {
          const done = events
            .slice(from)
            .filter(
              (e) =>
                e.status === 'COMPLETE' && e.order.transaction_type === 'SELL' && (e.order.tag ?? '').startsWith('so'),
            );
          if (done.length < STOCKS.length) return false;
          last = Math.max(...done.map((e) => e.at));
          return true;
        },
        15_000,
        5,
      );
      squareOff.push(last - t0);
      await waitFor(
        'the square-off done',
        async () => {
          const latest = (await rpc.call('risk.status')).square_offs.find((r) => r.strategy === 'twenty');
          return latest?.status === 'done';
        },
        15_000,
      );
      await rpc.call('risk.resume', { strategy: 'twenty' });
      await sleep(1500);
    }
    clearInterval(market);
    return out;
  } catch (err) {
    throw new Error(`${err.message}\n--- somd stderr ---\n${stderr.slice(-4000)}`);
  } finally {
    rpc?.close();
    somd.kill('SIGTERM');
    await exited;
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function requestToken(ex, apiKey) {
  const res = await fetch(`${ex.restRoot}/connect/login?v=3&api_key=${apiKey}`, { redirect: 'manual' });
  return new URL(res.headers.get('location')).searchParams.get('request_token');
}

async function waitFor(what, probe, timeoutMs, everyMs = 40) {
  const deadline = performance.now() + timeoutMs;
  let last;
  while (performance.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
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

/** JSON-RPC over somd's socket on one connection, requests answered by id. */
class RpcClient {
  #socket;
  #buffer = '';
  #next = 1;
  #waiting = new Map();

  constructor(socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      this.#buffer += chunk;
      for (let nl = this.#buffer.indexOf('\n'); nl !== -1; nl = this.#buffer.indexOf('\n')) {
        const msg = JSON.parse(this.#buffer.slice(0, nl));
        this.#buffer = this.#buffer.slice(nl + 1);
        const w = this.#waiting.get(msg.id);
        if (!w) continue;
        this.#waiting.delete(msg.id);
        if (msg.error) w.reject(new Error(`${msg.error.message}`));
        else w.resolve(msg.result);
      }
    });
    socket.on('error', () => undefined);
  }

  static open(path) {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => resolve(new RpcClient(s)));
      s.once('error', reject);
    });
  }

  call(method, params) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#socket.write(
        `${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })}\n`,
      );
    });
  }

  close() {
    this.#socket.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const live = process.argv.indexOf('--live');
  if (live !== -1) {
    // The live rows alone, for benchRisk: their samples as one line of JSON.
    const samples = await benchRiskLive({ root, runs: Number(process.argv[live + 1] ?? 200) });
    console.log(JSON.stringify(samples));
  } else if (process.argv.includes('--all')) {
    // Every risk row of npm run bench, in its table's format (build first).
    const rows = [];
    const record = (name, unit, samples) => {
      const sorted = [...samples].sort((a, b) => a - b);
      const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
      rows.push({ name, unit, n: samples.length, median: pct(50), p99: pct(99) });
    };
    await benchRisk({ root, record, runs: Number(process.env.RISK_RUNS ?? 200) });
    const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
    for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${f(r.median)} ${r.unit} | ${f(r.p99)} ${r.unit} |`);
  } else {
    const r = await benchRiskTicks();
    const rate = Math.round(r.ticksPerSecond).toLocaleString('en-IN');
    console.log(
      `risk book, ${r.positions} positions: ${rate} ticks/s (${r.nsPerTick.toFixed(0)} ns a tick, ${r.ticks.toLocaleString('en-IN')} ticks, ${r.changes} level changes)`,
    );
    if (r.ticksPerSecond < 100_000) process.exitCode = 1;
  }
}
