/**
 * Market data in the shapes Kite's quote API (GET /quote) returns, shared by the paper
 * exchange's market model, its matching engine and the execution rules.
 */
export interface DepthLevel {
  price: number;
  quantity: number;
  /** Number of orders resting at this price. */
  orders: number;
}

/** Five levels a side, best first; an empty level is `{ price: 0, quantity: 0, orders: 0 }`. */
export interface Depth {
  buy: DepthLevel[];
  sell: DepthLevel[];
}

export interface Ohlc {
  open: number;
  high: number;
  low: number;
  close: number;
}

/** One instrument's full quote, as in quote.json's `data["EXCHANGE:SYMBOL"]`. */
export interface Quote {
  instrument_token: number;
  /** Exchange timestamp, `YYYY-MM-DD HH:mm:ss` in Asia/Kolkata (Kite's format). */
  timestamp: string;
  last_trade_time: string;
  last_price: number;
  last_quantity: number;
  buy_quantity: number;
  sell_quantity: number;
  volume: number;
  average_price: number;
  oi: number;
  oi_day_high: number;
  oi_day_low: number;
  net_change: number;
  lower_circuit_limit: number;
  upper_circuit_limit: number;
  ohlc: Ohlc;
  depth: Depth;
}
