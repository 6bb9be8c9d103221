import type { CostsResult } from '../../src/protocol/methods/costs.js';
import type { AnalysisView, HeldView, TradeResult } from '../../src/protocol/methods/execution.js';
import { ORDER } from './fixtures.js';

/** Hand-made answers of somd's smart-execution methods for the command tests. */

/** ITC 402.45 / 406.95 (90 ticks, 1.11%), 187 of 500 visible: REQUIRE_APPROVAL, limit 407.25. */
export const HELD_ANALYSIS: AnalysisView = {
  analysis_id: 3,
  symbol: 'NSE:ITC',
  strategy: 'default',
  side: 'BUY',
  quantity: 500,
  product: 'MIS',
  instrument_class: 'equity',
  quote: { bid: 402.45, ask: 406.95, mid: 404.7, last_price: 404.9, at: '2026-11-25T04:30:00.000Z', source: 'ticks' },
  depth: {
    buy: [{ price: 402.45, quantity: 14, orders: 1 }],
    sell: [
      { price: 406.95, quantity: 100, orders: 1 },
      { price: 407.25, quantity: 87, orders: 1 },
    ],
  },
  spread: {
    abs: 4.5,
    pct: 1.1119,
    ticks: 90,
    category: 'VERY_WIDE',
    pct_category: 'VERY_WIDE',
    capped_by_ticks: false,
  },
  impact: {
    status: 'BOOK_INSUFFICIENT',
    vwap: 407.0896,
    touch: 406.95,
    worst_price: 407.25,
    bps: 59.17,
    bps_vs_touch: 3.43,
    levels_used: 2,
    filled_quantity: 187,
    unfilled_quantity: 313,
    slippage: 446.75,
  },
  liquidity: { score: 17.99, category: 'ILLIQUID', components: { depth: 0.07, spread: 0, levels: 1, activity: 0 } },
  decision: 'REQUIRE_APPROVAL',
  hold: true,
  limit_price: 407.25,
  limit: { price: 407.25, bound_by: 'depth', reachable_quantity: 187, problem: null },
  reasons: [
    {
      code: 'SPREAD_VERY_WIDE',
      message: "spread 4.5 (90 ticks, 1.11% of the mid) is very wide, above the strategy's 0.5%",
    },
    { code: 'BOOK_INSUFFICIENT', message: 'the visible book fills 187 of 500: 313 have no visible price' },
  ],
};

export const HELD: HeldView = {
  alert_id: 7,
  held_order_id: 2,
  decision: 'REQUIRE_APPROVAL',
  analysis: HELD_ANALYSIS,
  expires_at: '2026-11-25T04:32:00.000Z',
  expires_in_ms: 120_000,
  asked_again: [],
};

export const COSTS: CostsResult = {
  date: '2026-11-25',
  legs: [],
  total_entry_cost: 0,
  total_exit_cost: 0,
  breakdown: {
    order_value: 0,
    brokerage: 0,
    stt: 0,
    exchange_charges: 0,
    gst: 0,
    sebi_charges: 0,
    stamp_duty: 0,
    total_charges: 0,
  },
  round_trip_charges: 0,
  margin: null,
  warnings: [],
};

const leg = (status: TradeResult['legs'][number]['status']): TradeResult['legs'][number] => ({
  index: 0,
  symbol: 'NSE:ITC',
  side: 'BUY',
  quantity: 500,
  product: 'MIS',
  requested_type: 'auto',
  analysis: HELD_ANALYSIS,
  placement: {
    hold: status === 'held',
    decision: 'REQUIRE_APPROVAL',
    order_type: status === 'held' ? null : 'LIMIT',
    price: status === 'held' ? null : 407.25,
    high_cost_notice: false,
    explanation: 'held: the market needs your approval',
  },
  status,
  order_id: status === 'sent' ? ORDER.order_id : null,
  order: status === 'sent' ? ORDER : null,
  error: null,
});

export const HELD_TRADE: TradeResult = {
  preview: false,
  strategy: 'default',
  legs: [leg('held')],
  costs: COSTS,
  held: HELD,
  order: null,
  orders: [],
  bracket: null,
  error: null,
  live: [],
  notices: [],
};

export const SENT_TRADE: TradeResult = {
  ...HELD_TRADE,
  legs: [leg('sent')],
  held: null,
  order: ORDER,
  orders: [ORDER],
};
