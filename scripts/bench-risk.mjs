#!/usr/bin/env node
// Risk evaluation throughput: ticks a second through the risk book (src/risk/book.ts) with 200
// positions, each tick updating its holders' P&L and checking their loss limits and the
// account's daily loss. Plain Node on the built code: `npm run build && node scripts/bench-risk.mjs`.
// The goal is at least 100,000 ticks a second on one core.
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchRiskTicks();
  const rate = Math.round(r.ticksPerSecond).toLocaleString('en-IN');
  console.log(
    `risk book, ${r.positions} positions: ${rate} ticks/s (${r.nsPerTick.toFixed(0)} ns a tick, ${r.ticks.toLocaleString('en-IN')} ticks, ${r.changes} level changes)`,
  );
  if (r.ticksPerSecond < 100_000) process.exitCode = 1;
}
