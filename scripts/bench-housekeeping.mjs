// Housekeeping benchmarks for npm run bench: how fast a hand exit's orphaned stop and
// target are cancelled at the exchange, and what a sweep over 10,000 open orders costs.
// Imported by scripts/bench.mjs; each function records its figures through `record`.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Wednesday 25 Nov 2026, 10:00 IST: a trading day, market open (2026-11-24 is an NSE holiday). */
const MARKET_TIME = new Date('2026-11-25T10:00:00+05:30');
const SOM_KEY = 'benchsom';
/** Kite web is another app: logging somd in must not log it out. */
const WEB_KEY = 'benchweb';
const SECRET = 'paper';
/** Liquid NSE stocks, traded in turn so that no one book is drained by 200 round trips. */
const SYMBOLS = ['SBIN', 'ITC', 'HDFCBANK', 'ICICIBANK', 'AXISBANK', 'KOTAKBANK', 'LT', 'RELIANCE', 'INFY', 'TCS'];
/**
 * Kite allows 400 order requests (place, modify, cancel) a minute and som's client-side limiter
 * keeps under it by queueing. Each run costs som two cancels, three if it ever took the hand
 * exit (a protected market order, which Kite reports as a LIMIT) for a second target and tried
 * to cancel it as excess: the note line counts those. A run at most every 500 ms is at most 360
 * requests a minute even then, so the limiter never holds a cancel back and what is measured is
 * the reaction, not the queue.
 */
const MIN_RUN_MS = 500;
/**
 * After somd has decided the roles, the position is held this long before the exit, as a trader
 * would: the position refresh that follows the entry fill (150 ms later) has landed by then and
 * the exit meets an idle daemon, not the tail of the entry's bookkeeping.
 */
const HOLD_MS = 250;

/**
 * Exit fill to cancel at the exchange. The paper exchange runs in this process; a real somd
 * child in kite mode is pointed at it and logged in with `som login --request-token`; the user
 * trades on "Kite web" (a second kiteconnect session). Each run: BUY MARKET 10 (MIS), an SL-M
 * SELL 10 below and a LIMIT SELL 10 above; once somd has given both a role (stop, target), the
 * exit SELL MARKET 10. Both instants are taken here, on this process's monotonic clock, from the
 * matching engine's own order events: the exit order's COMPLETE (its fill) and each protective
 * order's CANCEL PENDING (the engine has received som's DELETE). som cancels the two in turn,
 * so the target's figure includes the stop's cancel round trip. The config leaves
 * refresh_seconds at its default (30 s): that REST refresh of the day's orders shares somd's
 * one update queue, and the few runs whose exit meets it make the tail.
 */
export async function benchExitToCancel({ root, record, runs = 200 }) {
  const dist = (p) => join(root, 'dist', p);
  const { PaperExchange } = await import(dist('src/paper/exchange.js'));
  const { KiteConnect } = await import('kiteconnect');
  // The market stands still unless this script moves it (the exchange's own timer once an hour):
  // nothing but the runs' own orders happens at the exchange while a run is measured.
  const ex = await PaperExchange.start({
    seed: 9,
    clock: MARKET_TIME,
    tickIntervalMs: 3_600_000,
    port: 0,
    rateLimits: false,
  });
  const dir = mkdtempSync(join(tmpdir(), 'som-bench-hk-'));
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
      // Only the event path acts: the sweep and aging jobs are pushed to 1 January.
      '[housekeeping]',
      'sweep_schedule = "0 0 1 1 *"',
      'aging_schedule = "0 0 1 1 *"',
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
    {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  somd.stderr.on('data', (d) => (stderr += d.toString()));
  const exited = new Promise((r) => somd.once('exit', r));
  let rpc;
  try {
    await waitFor('somd socket', () => canConnect(socket), 10_000);
    rpc = await RpcClient.open(socket);
    // Asynchronously: the exchange answers somd's session request from this very process.
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

    const web = new KiteConnect({ api_key: WEB_KEY, root: ex.restRoot });
    const session = await web.generateSession(await requestToken(ex, WEB_KEY), SECRET);
    web.setAccessToken(session.access_token);

    // What the matching engine does, as it does it.
    let watch = null;
    ex.engine.subscribe((event) => {
      if (!watch) return;
      const at = performance.now();
      const o = event.order;
      // A MARKET order with market protection works as a LIMIT once at the exchange (as on
      // Kite): know the exit by the order that arrived while watching.
      if (event.status === 'PUT ORDER REQ RECEIVED' && o.tradingsymbol === watch.symbol && o.order_type === 'MARKET') {
        watch.exit ??= o.order_id;
      } else if (event.status === 'COMPLETE' && o.order_id === watch.exit) {
        watch.fillAt ??= at;
      } else if (event.status === 'CANCEL PENDING' && (o.order_id === watch.stop || o.order_id === watch.target)) {
        watch.cancelAt[o.order_id] ??= at;
      } else if (event.status === 'CANCELLED' && (o.order_id === watch.stop || o.order_id === watch.target)) {
        watch.cancelled.add(o.order_id);
        if (watch.cancelled.size === 2) watch.done();
      }
    });

    const stops = [];
    const targets = [];
    const exits = new Set();
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const symbol = SYMBOLS[i % SYMBOLS.length];
      const instrument = ex.resolve(`NSE:${symbol}`);
      // Bring the (otherwise still) market to the clock between runs: fresh depth for the market orders.
      ex.sync();
      const place = async (p) =>
        (
          await web.placeOrder('regular', {
            exchange: 'NSE',
            tradingsymbol: symbol,
            product: 'MIS',
            quantity: 10,
            ...p,
          })
        ).order_id;
      await place({ transaction_type: 'BUY', order_type: 'MARKET', market_protection: -1 });
      const last = ex.market.ltp(instrument.instrument_token);
      const tick = instrument.tick_size;
      const stop = await place({
        transaction_type: 'SELL',
        order_type: 'SL-M',
        trigger_price: onTick(last * 0.95, tick),
        market_protection: -1,
      });
      const target = await place({ transaction_type: 'SELL', order_type: 'LIMIT', price: onTick(last * 1.05, tick) });
      await waitFor(
        `roles of ${stop} and ${target}`,
        async () => {
          const [s, t] = await Promise.all([
            rpc.call('orders.show', { order_id: stop }),
            rpc.call('orders.show', { order_id: target }),
          ]);
          if (s.order.role === null || t.order.role === null) return false;
          if (s.order.role !== 'stop' || t.order.role !== 'target')
            throw new Error(`roles ${s.order.role}/${t.order.role}, expected stop/target`);
          return true;
        },
        5_000,
        5,
      );
      await sleep(HOLD_MS);

      let done;
      const bothCancelled = new Promise((r) => (done = r));
      watch = { symbol, stop, target, exit: undefined, fillAt: undefined, cancelAt: {}, cancelled: new Set(), done };
      await place({ transaction_type: 'SELL', order_type: 'MARKET', market_protection: -1 });
      let timer;
      const inTime = await Promise.race([
        bothCancelled.then(() => true),
        new Promise((r) => (timer = setTimeout(() => r(false), 5_000))),
      ]);
      clearTimeout(timer);
      if (!inTime)
        throw new Error(
          `run ${i}: stop and target not both cancelled within 5 s of the exit\n${await diagnose(ex, rpc, watch, stderr)}`,
        );
      const { fillAt, cancelAt, exit } = watch;
      watch = null;
      if (fillAt === undefined) throw new Error(`run ${i}: the exit did not fill`);
      exits.add(exit);
      stops.push(cancelAt[stop] - fillAt);
      targets.push(cancelAt[target] - fillAt);
      await sleep(MIN_RUN_MS - Math.min(MIN_RUN_MS, performance.now() - started));
    }
    // How often som also tried to cancel the user's own exit (see MIN_RUN_MS).
    const events = (await rpc.call('admin.logs', { job: 'event', limit: 5000 })).events;
    const exitCancels = events.filter((e) => exits.has(e.order_id) && e.action === 'cancel').length;
    console.log(
      `note: hand exit -> cancel: som sent a cancel for the hand exit itself in ${exitCancels} of ${runs} runs (0 expected)`,
    );
    record('hand exit fill -> som cancel of the stop at the exchange', 'ms', stops);
    record('hand exit fill -> som cancel of the target at the exchange', 'ms', targets);
  } finally {
    rpc?.close();
    if (somd.exitCode === null) somd.kill('SIGTERM');
    await exited;
    await ex.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The cost of a sweep over 10,000 open orders (see sweepBook): 500 instruments held by four
 * strategies, MIS positions protected by stops and targets (most pairs OCO-linked), resting
 * entry orders in 500 more instruments, and a few closed or over-protected positions so the
 * rules have something to find.
 * - `planHousekeeping` alone (roles judged, orphans found, what to do now), in memory;
 * - the daemon's sweep path: `loadHousekeeping` from a SQLite store holding those orders and
 *   the strategies' shares, then `planHousekeeping` on what it loaded.
 */
export async function benchSweep({ root, record, runs = 50 }) {
  const dist = (p) => join(root, 'dist', p);
  const { planHousekeeping } = await import(dist('src/housekeeping/plan.js'));
  const { loadHousekeeping } = await import(dist('src/store/housekeeping-state.js'));
  const { openStore } = await import(dist('src/store/database.js'));
  const { createStrategy, ensureDefaultStrategy } = await import(dist('src/store/strategies.js'));
  const { PROFILES } = await import(dist('src/domain/strategy-settings.js'));

  const book = sweepBook();
  const expected = book.open.length;
  if (expected !== 10_000) throw new Error(`sweep book has ${expected} open orders`);
  const state = (orders, positions, settingsFor) => ({
    orders,
    gttLegs: [],
    positions,
    settingsFor,
    isExpired: () => false,
    retry: () => ({ attempts: 0, nextAt: null }),
    firstSight: () => ({}),
  });
  const options = { now: MARKET_TIME, trigger: 'sweep' };

  // In memory: the orders and positions as the rules take them.
  const settings = PROFILES.default;
  const memory = [];
  let found = 0;
  for (let i = 0; i < runs + 5; i++) {
    const s = performance.now();
    const plan = planHousekeeping(
      state(book.open, book.positions, () => settings),
      options,
    );
    const ms = performance.now() - s;
    if (i >= 5) memory.push(ms); // the first runs warm the JIT up
    found = plan.orphans.length;
  }
  if (found !== book.orphans) throw new Error(`planHousekeeping found ${found} orphans, the book has ${book.orphans}`);
  record(`planHousekeeping, 10,000 open orders in memory (${found} orphans)`, 'ms', memory);

  // From the store: the same book written into a fresh SQLite file.
  const dir = mkdtempSync(join(tmpdir(), 'som-bench-sweep-'));
  const store = await openStore(join(dir, 'som.db'));
  try {
    const at = new Date('2026-11-25T03:30:00Z');
    const ids = [(await ensureDefaultStrategy(store.db, at))?.id ?? 1];
    for (const name of ['swing', 'scalp', 'momentum'])
      ids.push((await createStrategy(store.db, name, 'default', at)).id);
    const { db } = store;
    await db.transaction().execute(async (trx) => {
      await insertChunked(trx, 'instruments', book.instruments);
      for (let g = 1; g <= book.ocoGroups; g++) {
        await trx
          .insertInto('oco_groups')
          .values({ id: g, strategy_id: book.ocoStrategy.get(g), created_at: at.toISOString(), created_by: 'som' })
          .execute();
      }
      await insertChunked(
        trx,
        'orders',
        [...book.filled, ...book.open].map((o) => orderRow(o, ids)),
      );
      await insertChunked(
        trx,
        'strategy_positions',
        book.positions
          .filter((p) => p.quantity !== 0)
          .map((p) => ({
            strategy_id: ids[p.strategy_id - 1],
            exchange: p.exchange,
            tradingsymbol: p.tradingsymbol,
            product: p.product,
            quantity: p.quantity,
            entry_seq: p.strategy_id,
            updated_at: at.toISOString(),
          })),
      );
    });
    const fromStore = [];
    for (let i = 0; i < runs + 3; i++) {
      const s = performance.now();
      const loaded = await loadHousekeeping(db);
      const plan = planHousekeeping(
        state(
          loaded.orders,
          loaded.positions,
          (id) => loaded.settings.get(id) ?? loaded.settings.get(loaded.defaultStrategyId),
        ),
        options,
      );
      const ms = performance.now() - s;
      if (loaded.orders.length !== expected)
        throw new Error(`loadHousekeeping loaded ${loaded.orders.length} open orders, expected ${expected}`);
      if (plan.orphans.length !== book.orphans)
        throw new Error(`sweep from the store found ${plan.orphans.length} orphans, expected ${book.orphans}`);
      if (i >= 3) fromStore.push(ms);
    }
    record(`sweep: loadHousekeeping from SQLite + planHousekeeping, 10,000 open orders`, 'ms', fromStore);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A deterministic book of 10,000 open orders over 500 instruments (BENCH000..BENCH499, long in
 * even ones, short in odd ones) and four strategies (1 is `default`). Every strategy holds a
 * position of 10 to 50 in every instrument (2,000 positions), opened today by one filled entry
 * order; then:
 * - 1,750 positions are protected by a stop and a target for the whole quantity (3,500 open
 *   orders; strategy 4 protects only its even instruments); the 1,250 pairs outside `default`
 *   are OCO-linked;
 * - 20 of those positions (strategy 2) were closed by hand today: their 40 exits are orphans
 *   (POSITION_CLOSED);
 * - 20 positions (strategy 3) carry a second, younger stop for the whole quantity: the older
 *   is the excess (EXCESS_QUANTITY), 20 more open orders;
 * - resting LIMIT entries away from the market, in 500 other instruments where nothing is
 *   held, make up the rest (6,480), never orphans.
 * So 60 orphans in all. Strategy ids are 1..4 here; orderRow maps them to the store's.
 */
function sweepBook() {
  const INSTRUMENTS = 500;
  const STRATEGIES = 4;
  const instruments = [];
  const open = [];
  const filled = [];
  const positions = [];
  const ocoStrategy = new Map();
  let orphans = 0;
  let seq = 0;
  let ocoGroups = 0;
  // Kite's order ids: the date and a sequence; timestamps one second apart, oldest first.
  const base = Date.parse('2026-11-25T03:50:00Z');
  const order = (fields) => {
    seq++;
    return {
      order_id: String(261125000000000 + seq),
      source: 'external',
      product: 'MIS',
      variety: 'regular',
      price: 0,
      trigger_price: 0,
      average_price: 0,
      filled_quantity: 0,
      order_timestamp: new Date(base + seq * 1000).toISOString(),
      role: null,
      oco_group_id: null,
      parent_position_id: null,
      ...fields,
    };
  };
  for (let n = 0; n < INSTRUMENTS; n++) {
    const tradingsymbol = `BENCH${String(n).padStart(3, '0')}`;
    const instrument_token = 700_001 + n * 256;
    const price = 100 + (n % 50) * 37.5;
    instruments.push({
      instrument_token,
      exchange_token: 2735 + n,
      tradingsymbol,
      name: tradingsymbol,
      last_price: price,
      expiry: null,
      strike: 0,
      tick_size: 0.05,
      lot_size: 1,
      instrument_type: 'EQ',
      segment: 'NSE',
      exchange: 'NSE',
    });
    const long = n % 2 === 0;
    const inst = { exchange: 'NSE', tradingsymbol, instrument_token };
    for (let s = 0; s < STRATEGIES; s++) {
      const strategy_id = s + 1;
      const quantity = 10 * (1 + ((n + s) % 5));
      const entry = long ? 'BUY' : 'SELL';
      const exit = long ? 'SELL' : 'BUY';
      filled.push(
        order({
          ...inst,
          strategy_id,
          transaction_type: entry,
          order_type: 'MARKET',
          status: 'COMPLETE',
          quantity,
          filled_quantity: quantity,
          pending_quantity: 0,
          average_price: price,
          role: 'entry',
        }),
      );
      // 20 positions were closed by hand today: flat, their exits left behind.
      const closed = s === 1 && n % 25 === 0;
      if (closed) {
        filled.push(
          order({
            ...inst,
            strategy_id,
            transaction_type: exit,
            order_type: 'MARKET',
            status: 'COMPLETE',
            quantity,
            filled_quantity: quantity,
            pending_quantity: 0,
            average_price: price,
          }),
        );
      }
      positions.push({
        strategy_id,
        exchange: 'NSE',
        tradingsymbol,
        product: 'MIS',
        quantity: closed ? 0 : long ? quantity : -quantity,
        position_id: null,
      });
      if (s === STRATEGIES - 1 && n % 2 === 1) {
        // No exits here: this strategy only has resting entries in these instruments.
        continue;
      }
      const group = s !== 0 ? ++ocoGroups : null;
      if (group !== null) ocoStrategy.set(group, strategy_id);
      const below = Math.round((price * 0.97) / 0.05) * 0.05;
      const above = Math.round((price * 1.03) / 0.05) * 0.05;
      const protective = {
        ...inst,
        strategy_id,
        transaction_type: exit,
        quantity,
        pending_quantity: quantity,
        oco_group_id: group,
      };
      open.push(
        order({
          ...protective,
          order_type: 'SL-M',
          status: 'TRIGGER PENDING',
          trigger_price: long ? below : above,
          role: 'stop',
        }),
      );
      open.push(
        order({ ...protective, order_type: 'LIMIT', status: 'OPEN', price: long ? above : below, role: 'target' }),
      );
      if (closed) orphans += 2;
      // 20 positions have a second, younger stop for the whole quantity: it is the excess.
      if (s === 2 && n % 25 === 0) {
        open.push(
          order({
            ...protective,
            oco_group_id: null,
            order_type: 'SL',
            status: 'TRIGGER PENDING',
            trigger_price: long ? below : above,
            price: long ? below : above,
            role: 'stop',
          }),
        );
        orphans++;
      }
    }
  }
  // Resting entries (limit orders away from the market) in instruments nothing is held in fill
  // the book up to 10,000 open orders (where a position is held, a working entry would add to
  // what its stops may protect).
  for (let n = 0; n < INSTRUMENTS; n++) {
    const tradingsymbol = `ENTRY${String(n).padStart(3, '0')}`;
    const price = 100 + (n % 50) * 37.5;
    instruments.push({
      instrument_token: 900_001 + n * 256,
      exchange_token: 9735 + n,
      tradingsymbol,
      name: tradingsymbol,
      last_price: price,
      expiry: null,
      strike: 0,
      tick_size: 0.05,
      lot_size: 1,
      instrument_type: 'EQ',
      segment: 'NSE',
      exchange: 'NSE',
    });
  }
  for (let k = 0; open.length < 10_000; k++) {
    const n = k % INSTRUMENTS;
    const i = instruments[INSTRUMENTS + n];
    const long = n % 2 === 0;
    const price = Math.round((i.last_price * (long ? 0.98 : 1.02)) / 0.05) * 0.05;
    open.push(
      order({
        exchange: 'NSE',
        tradingsymbol: i.tradingsymbol,
        instrument_token: i.instrument_token,
        strategy_id: 1 + (k % STRATEGIES),
        transaction_type: long ? 'BUY' : 'SELL',
        order_type: 'LIMIT',
        status: 'OPEN',
        quantity: 5,
        pending_quantity: 5,
        price,
        role: 'entry',
      }),
    );
  }
  return { instruments, open, filled, positions, orphans, ocoGroups, ocoStrategy };
}

/** A book order as an orders row; `ids` maps the book's strategy 1..4 to the store's ids. */
function orderRow(o, ids) {
  const now = '2026-11-25T04:30:00.000Z';
  const { role, oco_group_id, parent_position_id, source, ...rest } = o;
  return {
    ...rest,
    strategy_id: ids[o.strategy_id - 1],
    source,
    tag: null,
    validity: 'DAY',
    cancelled_quantity: 0,
    status_message: null,
    parent_order_id: null,
    exchange_order_id: null,
    placed_by: 'PA0001',
    exchange_timestamp: o.order_timestamp,
    exchange_update_timestamp: o.order_timestamp,
    broker_json: '{}',
    pre_execution_analysis_id: null,
    cost_breakdown_id: null,
    parent_position_id,
    created_at: now,
    updated_at: now,
    role,
    role_reason: role === null ? null : 'bench',
    oco_group_id,
  };
}

/** SQLite takes at most 32,766 bound values in one statement: insert in chunks. */
async function insertChunked(trx, table, rows) {
  for (let i = 0; i < rows.length; i += 500)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + 500))
      .execute();
}

/** What the exchange and somd say about a run that went wrong, for the error message. */
async function diagnose(ex, rpc, watch, stderr) {
  const ids = [watch.stop, watch.target, watch.exit].filter(Boolean);
  const lines = [`stop ${watch.stop}, target ${watch.target}, exit ${watch.exit ?? '?'}`];
  for (const id of ids) {
    lines.push(
      `exchange ${id}: ${(ex.engine.history(id) ?? []).map((o) => `${o.status}(${o.filled_quantity}/${o.quantity})`).join(' ')}`,
    );
    const shown = await rpc.call('orders.show', { order_id: id }).catch((err) => ({ error: err.message }));
    lines.push(
      `somd ${id}: ${JSON.stringify(shown.order ? { status: shown.order.status, role: shown.order.role, filled: shown.order.filled_quantity, quantity: shown.order.quantity } : shown)}`,
    );
  }
  const logs = await rpc.call('admin.logs', { limit: 20 }).catch((err) => ({ events: [], error: err.message }));
  for (const e of logs.events ?? [])
    if (!e.order_id || ids.includes(e.order_id)) lines.push(`event ${JSON.stringify(e)}`);
  return `${lines.join('\n')}\n${stderr}`;
}

function onTick(price, tick) {
  return Number((Math.round(price / tick) * tick).toFixed(2));
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
      if (/expected stop\/target/.test(err.message)) throw err;
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
