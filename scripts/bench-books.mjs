#!/usr/bin/env node
// The books: a reconciliation round's plan over a busy day's books, the audit trail's
// verification, and the end-of-day report with its HTML. Plain Node on the built code:
// `npm run build && node scripts/bench-books.mjs` prints the figures; `npm run bench` includes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = (root, p) => import(pathToFileURL(join(root, 'dist', p)).href);

/** xorshift32: the same books on every run. */
function generator(seed = 7) {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const DAY = '2026-11-25';
const at = (minute) => new Date(Date.UTC(2026, 10, 25, 3, 45 + (minute % 360))).toISOString();

/**
 * A busy day: 3,000 orders (2 fills each), 300 positions, 20 strategies' shares; som's copy
 * equal to the broker's but for 1% of the orders (a status behind), 1% of the fills (missing)
 * and 1% of the positions (a quantity off).
 */
function books(random) {
  const orders = [];
  const trades = [];
  for (let i = 0; i < 3000; i++) {
    const id = String(261125000000000 + i);
    const q = 10 * (1 + Math.floor(random() * 10));
    const price = 100 + Math.floor(random() * 2000);
    const base = {
      order_id: id,
      exchange_order_id: String(1300000000000000 + i),
      parent_order_id: null,
      status: 'COMPLETE',
      status_message: null,
      status_message_raw: null,
      order_timestamp: at(i),
      exchange_timestamp: at(i),
      exchange_update_timestamp: at(i + 1),
      variety: 'regular',
      exchange: 'NSE',
      tradingsymbol: `SYM${i % 300}`,
      instrument_token: 1000 + (i % 300),
      order_type: 'LIMIT',
      transaction_type: i % 2 ? 'SELL' : 'BUY',
      validity: 'DAY',
      product: 'MIS',
      quantity: q,
      disclosed_quantity: 0,
      price,
      trigger_price: 0,
      average_price: price,
      filled_quantity: q,
      pending_quantity: 0,
      cancelled_quantity: 0,
      market_protection: 0,
      tag: null,
      tags: [],
      placed_by: 'PA0001',
      guid: null,
      modified: false,
    };
    orders.push(base);
    for (const part of [q / 2, q / 2]) {
      trades.push({
        trade_id: String(10000000 + trades.length),
        order_id: id,
        exchange_order_id: base.exchange_order_id,
        exchange: 'NSE',
        tradingsymbol: base.tradingsymbol,
        instrument_token: base.instrument_token,
        product: 'MIS',
        transaction_type: base.transaction_type,
        quantity: part,
        average_price: price,
        fill_timestamp: at(i + 1),
        exchange_timestamp: at(i + 1),
      });
    }
  }
  const positions = Array.from({ length: 300 }, (_, i) => ({
    tradingsymbol: `SYM${i}`,
    exchange: 'NSE',
    instrument_token: 1000 + i,
    product: 'MIS',
    quantity: 10,
    overnight_quantity: 0,
    multiplier: 1,
    average_price: 500,
    close_price: 0,
    last_price: 501,
    value: -5000,
    pnl: 10,
    m2m: 10,
    unrealised: 10,
    realised: 0,
    buy_quantity: 10,
    buy_price: 500,
    buy_value: 5000,
    buy_m2m: 5000,
    sell_quantity: 0,
    sell_price: 0,
    sell_value: 0,
    sell_m2m: 0,
    day_buy_quantity: 10,
    day_buy_price: 500,
    day_buy_value: 5000,
    day_sell_quantity: 0,
    day_sell_price: 0,
    day_sell_value: 0,
  }));
  const som = {
    orders: orders.map((o, i) =>
      i % 100 === 0 ? { ...o, status: 'OPEN', strategy_id: 1 } : { ...o, strategy_id: 1 + (i % 20) },
    ),
    trades: trades.filter((_, i) => i % 100 !== 0),
    positions: positions.map((p, i) => (i % 100 === 0 ? { ...p, quantity: 5 } : p)),
  };
  const shares = positions.map((p, i) => ({
    strategy_id: 1 + (i % 20),
    exchange: p.exchange,
    tradingsymbol: p.tradingsymbol,
    product: p.product,
    quantity: 10,
    entry_seq: i,
  }));
  return { som, broker: { orders, trades, positions }, shares };
}

/** Figures for BENCHMARKS.md through `record(name, unit, samples)`. */
export async function benchBooks({ root = here, record }) {
  const random = generator();
  const { planRound } = await load(root, 'src/reconcile/round.js');
  const { accountQuantities } = await load(root, 'src/domain/position-shares.js');
  const day = books(random);
  const input = {
    day: DAY,
    som: day.som,
    broker: day.broker,
    priceTolerance: 0.01,
    shares: day.shares,
    account: accountQuantities(day.broker.positions, []),
    changedSince: { orders: new Set(), trades: new Set(), positions: new Set() },
  };
  const plans = [];
  let found = 0;
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    found = planRound(input).discrepancies.length;
    plans.push(performance.now() - s);
  }
  if (found < 60) throw new Error(`the round found ${found} discrepancies, expected at least 60`);
  record('reconciliation round plan: 3,000 orders, 6,000 fills, 300 positions (pure)', 'ms', plans);

  // The audit trail: 20,000 chained events, verified from the store.
  const { openStore } = await load(root, 'src/store/database.js');
  const { appendAudit, verifyAuditTrail } = await load(root, 'src/store/audit.js');
  const dir = mkdtempSync(join(tmpdir(), 'som-bench-books-'));
  try {
    const store = await openStore(join(dir, 'som.db'));
    const events = 20_000;
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < events; i++) {
        await appendAudit(
          trx,
          { type: 'ORDER_FILLED', orderId: String(i), payload: { fill_quantity: 10, average_price: 800.05 + i / 100 } },
          new Date(Date.UTC(2026, 10, 25, 4, 0, i % 60)),
        );
      }
    });
    const walks = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const verdict = await verifyAuditTrail(store.db);
      walks.push(performance.now() - s);
      if (!verdict.intact) throw new Error(`the trail is broken: ${verdict.message}`);
    }
    record('som audit verify: 20,000 events walked in the store', 'ms', walks);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // The end-of-day report: 20 strategies, 100 fills each, and its HTML.
  const { buildEodReport } = await load(root, 'src/eod/report.js');
  const { renderEodHtml } = await load(root, 'src/eod/html.js');
  const moves = [];
  for (let i = 0; i < 2000; i++) {
    moves.push({
      at: at(i % 360),
      strategy_id: 1 + (i % 20),
      order_id: String(i),
      exchange: 'NSE',
      tradingsymbol: `SYM${i % 50}`,
      product: 'MIS',
      quantity: (i % 4 < 2 ? 1 : -1) * 10,
      price: 500 + (i % 37),
    });
  }
  const inputs = {
    tradingDay: DAY,
    generatedAt: at(359),
    preliminary: false,
    strategies: Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: `s${i + 1}` })),
    moves,
    shares: [],
    marks: [],
    charges: [],
    orders: [],
    brokerOrderIds: null,
    archived: 0,
    orphans: [],
    alerts: [],
    reconcileRuns: [],
    protection: [],
    snapshots: [],
    marginChecks: [],
  };
  const builds = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    renderEodHtml(buildEodReport(inputs));
    builds.push(performance.now() - s);
  }
  record('end-of-day report and its HTML: 20 strategies, 2,000 fills (pure)', 'ms', builds);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = [];
  await benchBooks({
    record: (name, unit, samples) => {
      const sorted = [...samples].sort((a, b) => a - b);
      rows.push(
        `${name}: median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ${unit}, max ${sorted.at(-1).toFixed(1)} ${unit}`,
      );
    },
  });
  console.log(rows.join('\n'));
}
