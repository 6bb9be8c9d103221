#!/usr/bin/env node
// npm run demo: a short scripted session against somd in paper mode on a throw-away home.
// Each step prints the command as a user would type it, then its output.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'som-demo-'));
const env = { ...process.env, SOM_HOME: join(dir, 'state'), SOM_SOCKET: join(dir, 'run', 'somd.sock') };
delete env.SOM_CONFIG;

const steps = [
  ['status'],
  ['strategies', 'create', 'nifty-weekly', '--profile', 'conservative'],
  ['strategies', 'create', 'scalper', '--profile', 'aggressive'],
  ['strategies', 'list'],
  ['settings', 'set', 'max_loss_per_strategy_abs=20000', 'margin_buffer_pct=25', '--strategy', 'nifty-weekly'],
  ['settings', 'set', 'max_order_spread_pct=250', '--strategy', 'scalper'],
  ['--json', 'strategies', 'show', 'scalper'],
  ['audit', '--limit', '6'],
];

const somd = spawn(process.execPath, [join(root, 'bin/somd'), '--paper'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
let failed = false;
try {
  await waitForSocket(env.SOM_SOCKET);
  for (const args of steps) {
    process.stdout.write(`\n$ som ${args.join(' ')}\n`);
    const r = spawnSync(process.execPath, [join(root, 'bin/som'), ...args], { env, stdio: 'inherit' });
    if (r.status !== 0) process.stdout.write(`(exit ${r.status})\n`);
  }
} catch (err) {
  failed = true;
  console.error(`demo failed: ${err.message}`);
} finally {
  somd.kill('SIGTERM');
  await new Promise((r) => somd.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function waitForSocket(path) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const s = connect(path);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`somd did not start on ${path}`);
}
