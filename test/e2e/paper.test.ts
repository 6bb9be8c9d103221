import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../paper/conformance/paper-session.js';
import { cleanEnv, ROOT, type RunningSomd, somJson, startSomd, type TempHome, tempHome } from './harness.js';

describe('somd --paper serves the paper exchange', () => {
  let t: TempHome;
  let somd: RunningSomd;
  beforeAll(async () => {
    t = tempHome();
    somd = await startSomd(t, ['--paper']);
  });
  afterAll(async () => {
    await somd?.stop();
    t.cleanup();
  });

  it('som status --json shows the REST and WebSocket roots on loopback, and the kiteconnect client trades there', async () => {
    const { doc } = await somJson(t, ['status']);
    expect(doc.paper.restRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doc.paper.wsRoot).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    expect(doc.paper.instruments).toBeGreaterThan(1000);
    // The paper market is open when a user tries it (auto clock): a market order fills.
    const { kc } = await login(doc.paper.restRoot, 'e2e-web');
    const { order_id } = await kc.placeOrder('regular', {
      exchange: 'NSE',
      tradingsymbol: 'RELIANCE',
      transaction_type: 'BUY',
      quantity: 1,
      product: 'MIS',
      order_type: 'MARKET',
      market_protection: -1,
    } as never);
    const history = await kc.getOrderHistory(order_id);
    expect(history.at(-1)!.status).toBe('COMPLETE');
  });
});

describe('som paper serve', () => {
  it('runs the paper exchange alone and prints its roots as one JSON document', async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/som'), 'paper', 'serve', '--json', '--seed', '3', '--clock', '2026-11-25T11:00:00+05:30'],
      {
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const doc = await new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no roots printed: ${out}`)), 10_000);
      child.stdout.on('data', () => {
        try {
          const parsed = JSON.parse(out);
          clearTimeout(timer);
          resolve(parsed);
        } catch {
          // not complete yet
        }
      });
    });
    try {
      expect(doc).toMatchObject({ seed: 3, apiSecret: 'paper' });
      expect(doc.now).toMatch(/^2026-11-25T05:30:0/); // the clock started where it was told, and runs
      const { kc } = await login(doc.restRoot, 'script');
      const ltp = await kc.getLTP(['NSE:SBIN']);
      expect(ltp['NSE:SBIN']!.last_price).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      expect(await new Promise((r) => child.once('exit', r))).toBe(0);
    }
  });
});
