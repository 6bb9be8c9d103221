#!/usr/bin/env node
// npm run demo: a short scripted session against somd in paper mode on a throw-away home.
// Each step prints the command as a user would type it, then its output.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForSocket } from './wait-for-socket.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'som-demo-'));
const env = { ...process.env, SOM_HOME: join(dir, 'state'), SOM_SOCKET: join(dir, 'run', 'somd.sock') };
delete env.SOM_CONFIG;

const setup = [
  ['strategies', 'create', 'nifty-weekly', '--profile', 'conservative'],
  ['strategies', 'create', 'scalper', '--profile', 'aggressive'],
  ['strategies', 'list'],
  ['settings', 'set', 'max_loss_per_strategy_abs=20000', 'margin_buffer_pct=25', '--strategy', 'nifty-weekly'],
  ['settings', 'set', 'max_order_spread_pct=250', '--strategy', 'scalper'],
  ['--json', 'strategies', 'show', 'scalper'],
];

const review = [
  ['orders'],
  ['positions', '--all'],
  ['orphans'],
  ['admin', 'logs', '--limit', '6'],
  ['strategies', 'list'],
  ['audit', '--limit', '12'],
];

function run(args) {
  process.stdout.write(`\n$ som ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [join(root, 'bin/som'), ...args], { env, stdio: 'inherit' });
  if (r.status !== 0) process.stdout.write(`(exit ${r.status})\n`);
}

function statusDoc() {
  return JSON.parse(spawnSync(process.execPath, [join(root, 'bin/som'), '--json', 'status'], { env }).stdout);
}

/** somd signs in to its paper exchange and loads the instrument master by itself: wait for that. */
async function waitForBroker() {
  for (let i = 0; i < 100; i++) {
    const s = statusDoc();
    if (s.broker.state === 'connected' && s.instruments.count > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('somd did not connect to its paper exchange within 10 s');
}

const somd = spawn(process.execPath, [join(root, 'bin/somd'), '--paper', '--log-level', 'warn'], {
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});
let failed = false;
try {
  await waitForSocket(env.SOM_SOCKET, 200);
  setup.forEach(run);
  await waitForBroker();
  await trade();
  review.forEach(run);
} catch (err) {
  failed = true;
  console.error(`demo failed: ${err.message}`);
} finally {
  somd.kill('SIGTERM');
  await new Promise((r) => somd.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/**
 * A trade through som, its protection, and an exit by hand on "Kite web" (the official
 * kiteconnect client on the paper exchange): som cancels the stop and target the moment the
 * exit fills.
 */
async function trade() {
  const { restRoot } = statusDoc().paper;
  const { KiteConnect } = await import('kiteconnect');
  const login = await fetch(`${restRoot}/connect/login?v=3&api_key=demo`, { redirect: 'manual' });
  const requestToken = new URL(login.headers.get('location')).searchParams.get('request_token');
  const kc = new KiteConnect({ api_key: 'demo', root: restRoot });
  kc.setAccessToken((await kc.generateSession(requestToken, 'paper')).access_token);
  const tick = (p) => (Math.round(p / 0.05) * 0.05).toFixed(2);
  const last = (await kc.getLTP(['NSE:SBIN']))['NSE:SBIN'].last_price;

  run(['status']);
  run(['instruments', 'search', 'sbin', '--limit', '5']);
  run(['instruments', 'show', 'NSE:SBIN']);
  run([
    'costs',
    'NSE:SBIN',
    '--qty',
    '25',
    '--price',
    tick(last),
    '--side',
    'BUY',
    '--product',
    'MIS',
    '--exit-price',
    tick(last * 1.02),
  ]);
  run(['order', 'place', 'NSE:SBIN', '--side', 'BUY', '--qty', '25', '--type', 'MARKET', '--product', 'MIS']);
  run(['order', 'place', 'NSE:SBIN', '--side', 'BUY', '--qty', '1.5', '--type', 'MARKET', '--product', 'MIS']);
  await new Promise((r) => setTimeout(r, 300));
  run(['oco', 'protect', 'NSE:SBIN', '--stop', tick(last * 0.98), '--target', tick(last * 1.02), '--product', 'MIS']);

  process.stdout.write(
    `\n# Meanwhile, on "Kite web" (kiteconnect on the paper exchange at ${restRoot}): sell the 25 SBIN by hand\n`,
  );
  const { order_id } = await kc.placeOrder('regular', {
    exchange: 'NSE',
    tradingsymbol: 'SBIN',
    transaction_type: 'SELL',
    quantity: 25,
    product: 'MIS',
    order_type: 'MARKET',
    market_protection: -1,
  });
  const done = (await kc.getOrderHistory(order_id)).at(-1);
  process.stdout.write(
    `sold 25 SBIN MIS: order ${order_id} ${done.status} at ${done.average_price}; som cancels the stop and target now\n`,
  );
  await new Promise((r) => setTimeout(r, 500));
}
