// The execution analysis with the depth in memory: spread, impact, liquidity, price bands, limit
// price and the decision, 10,000 runs. Plain Node on the built dist (npx tsc -p tsconfig.json):
//   node scripts/bench-execution.mjs
// Also importable: benchAnalysis({ root, record, runs }) records its samples through `record`.
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

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const samples = await benchAnalysis({ root, record: () => {} });
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  const f = (x) => x.toFixed(1);
  console.log(
    `execution analysis, ${sorted.length} runs: p50 ${f(at(50))} µs, p99 ${f(at(99))} µs, max ${f(sorted[sorted.length - 1])} µs`,
  );
}
